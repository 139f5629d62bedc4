"""Render badges to PDF one page at a time, each page written out as soon as it is drawn, so
memory stays flat for any size of print run."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..platform.turns import taking_turns
from . import fonts
from .colours import BLACK, FAINT
from .design import design_for, draw_badge
from .layouts import DEFAULT_LAYOUT, SheetLayout, get_layout
from .pdf_stream import PageStream

PathOrFile = str | os.PathLike[str] | BinaryIO

# Page streams as plain Flate, not ASCII85 on top (ReportLab's default): a quarter smaller
# and faster. ReportLab reads this process-wide setting as it writes each page, and badges
# are the only PDFs Summit makes, so it is set once: saved and restored around each run, two
# runs taking turns in one gevent worker could undo each other's.
rl_config.useA85 = 0

Progress = Callable[[int], None]


class EmptySelection(ValueError):
    """Raised when there are no badges to render (an empty PDF helps nobody)."""

    def __init__(self) -> None:
        super().__init__("No badges to render: the selection is empty.")


@dataclass(frozen=True, slots=True)
class BadgeData:
    """Everything printed on one badge, as plain values (no models, no app)."""

    first_name: str
    last_name: str
    organisation: str
    category_name: str
    category_colour: str  # '#RRGGBB'
    event_name: str
    event_dates: str  # preformatted, e.g. "10–11 September 2014"
    qr_payload: str  # exactly what the check-in desk accepts
    reference: str = ""  # e.g. registration id, to name a badge in the report
    code_label: str = ""  # the check-in code as people read and type it, under the QR

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name.strip(), self.last_name.strip()) if p)


@dataclass(frozen=True, slots=True)
class MissingGlyphs:
    """A badge printed with characters no shipped font has (they print as U+FFFD "�")."""

    reference: str
    name: str
    characters: str


@dataclass(frozen=True, slots=True)
class RenderReport:
    count: int
    pages: int
    layout: str
    missing_glyphs: tuple[MissingGlyphs, ...] = field(default=())


def draw_crop_marks(canvas: Canvas, layout: SheetLayout) -> None:
    """Cut guides for sheets that are trimmed by hand.

    Where the sheet has a margin, classic marks sit outside the badges at every badge edge.
    Badges that touch (A6 and A7 tiled on A4) leave no room for marks, so the shared edges
    get a hairline instead, which the cut removes.
    """
    page_w, page_h = layout.page_size
    xs = sorted({x for x, _ in layout.slots()} | {x + layout.badge_w for x, _ in layout.slots()})
    ys = sorted({y for _, y in layout.slots()} | {y + layout.badge_h for _, y in layout.slots()})
    left, right = xs[0], page_w - xs[-1]
    bottom, top = ys[0], page_h - ys[-1]
    offset, longest, smallest = 1.5 * mm, 5 * mm, 2 * mm
    canvas.saveState()
    canvas.setLineWidth(0.25)
    canvas.setStrokeColor(BLACK)
    for x in xs:
        if top - offset >= smallest:
            canvas.line(x, ys[-1] + offset, x, ys[-1] + offset + min(longest, top - offset))
        if bottom - offset >= smallest:
            canvas.line(x, ys[0] - offset, x, ys[0] - offset - min(longest, bottom - offset))
    for y in ys:
        if left - offset >= smallest:
            canvas.line(xs[0] - offset, y, xs[0] - offset - min(longest, left - offset), y)
        if right - offset >= smallest:
            canvas.line(xs[-1] + offset, y, xs[-1] + offset + min(longest, right - offset), y)
    canvas.setStrokeColor(FAINT)
    canvas.setLineWidth(0.3)
    if layout.gap_x == 0:
        for col in range(1, layout.columns):
            x = layout.margin_left + col * layout.badge_w
            canvas.line(x, ys[0], x, ys[-1])
    if layout.gap_y == 0:
        for row in range(1, layout.rows):
            y = page_h - layout.margin_top - row * layout.badge_h
            canvas.line(xs[0], y, xs[-1], y)
    canvas.restoreState()


# ------------------------------------------------------------------------- render


@contextmanager
def _opened(out: PathOrFile) -> Iterator[BinaryIO]:
    """A writable binary file for ``out``: the caller's file as is, or, for a path, a new
    file beside it that takes the path's place once the run is complete. Pages are written
    as they come, so a failed run must leave neither half a PDF nor a missing one where
    yesterday's complete file was."""
    if not isinstance(out, str | os.PathLike):
        yield out
        return
    target = Path(out)
    # open() rather than tempfile: the file gets the permissions any new file would get.
    part = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        with open(part, "xb") as handle:
            yield handle
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def _peek(badges: Iterable[BadgeData]) -> tuple[BadgeData, Iterator[BadgeData]]:
    """The first badge and an iterator over all of them; raises EmptySelection before any
    output is started."""
    iterator = iter(badges)
    try:
        first = next(iterator)
    except StopIteration:
        raise EmptySelection() from None
    return first, chain((first,), iterator)


def _check_missing(badge: BadgeData, found: list[MissingGlyphs]) -> None:
    printed = f"{badge.first_name} {badge.last_name} {badge.organisation}"
    missing = fonts.missing_glyphs(printed)
    if missing:
        reference = badge.reference or badge.full_name
        found.append(MissingGlyphs(reference, badge.full_name, "".join(sorted(missing))))


def render_badges(
    badges: Iterable[BadgeData],
    out: PathOrFile,
    layout: str | SheetLayout = DEFAULT_LAYOUT,
    crop_marks: bool = False,
    on_progress: Progress | None = None,
) -> RenderReport:
    """Render ``badges`` into the PDF ``out`` (a path or a writable binary file).

    Badges are consumed one at a time, so a generator over a database query keeps memory
    flat. ``on_progress`` is called with the number of badges done after each one.
    Raises ``EmptySelection`` if there is no badge and ``UnknownLayout`` for a bad layout
    name, both before anything is written.
    """
    sheet = layout if isinstance(layout, SheetLayout) else get_layout(layout)
    first, items = _peek(badges)
    fonts.font_faces()  # register fonts before the canvas needs them
    design = design_for(sheet.badge_w, sheet.badge_h, sheet.corner_radius)
    missing: list[MissingGlyphs] = []
    with _opened(out) as target:
        canvas = Canvas(target, pagesize=sheet.page_size)
        pages_out = PageStream(canvas, target)
        canvas.setCreator("Summit")
        canvas.setAuthor("Summit")
        canvas.setTitle(f"Badges: {first.event_name}")
        canvas.setSubject(f"{first.event_name}, {first.event_dates}")
        count = pages = slot = 0
        for badge in taking_turns(items):
            if slot == 0:
                pages += 1
                if crop_marks:
                    draw_crop_marks(canvas, sheet)
            x, y = sheet.slot_origin(slot)
            canvas.saveState()
            canvas.translate(x, y)
            draw_badge(canvas, design, badge)
            canvas.restoreState()
            _check_missing(badge, missing)
            count += 1
            slot += 1
            if slot == sheet.per_page:
                canvas.showPage()  # the page goes to ``target`` now (PageStream)
                slot = 0
            if on_progress is not None:
                on_progress(count)
        if slot:
            canvas.showPage()
        pages_out.close()
    return RenderReport(count, pages, sheet.name, tuple(missing))


__all__ = [
    "BadgeData",
    "EmptySelection",
    "MissingGlyphs",
    "RenderReport",
    "render_badges",
]
