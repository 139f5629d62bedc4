"""Render name badges to PDF, fast enough for a 1,100-person print run.

``render_badges`` streams badges onto pages: it pulls one badge at a time from any
iterable, draws it on one ReportLab canvas and calls ``showPage`` after each sheet. ReportLab
keeps finished pages until ``save()``, so each one is deflated at once (~1 KB a page).
QR codes are vectors: the module matrix comes from ``qrcode`` without any PIL image, and
each horizontal run of dark modules becomes one rectangle of a single filled path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import BinaryIO

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from . import fonts
from .layouts import DEFAULT_LAYOUT, SheetLayout, get_layout

# QR mask pattern. ISO 18004 has the encoder score all eight masks and keep the best; in
# pure Python that scoring is ~3 ms a badge, over 80 % of the QR work (3.9 s of 1,100
# badges against 0.65 s). Mask 2's penalty score came within ~6 % of the best one on
# random check-in codes (300 codes measured) and every scanner reads every mask, so the
# print path pins it. ``None`` restores per-code scoring.
QR_MASK: int | None = 2
QR_QUIET_MODULES = 4

# Fake bold: Noto Sans ships as a variable font, and ReportLab embeds only its Regular
# instance; stroking the outline in the fill colour thickens it by this fraction of the
# font size (about Semibold), at no cost, instead of instancing a static Bold at run time.
BOLD_STROKE = 0.045

INK = HexColor("#16181d")
MUTED = HexColor("#4a4f5a")
FAINT = HexColor("#9aa0aa")
WHITE = Color(1, 1, 1)
BLACK = Color(0, 0, 0)

PathOrFile = str | os.PathLike[str] | BinaryIO
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

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name.strip(), self.last_name.strip()) if p)


@dataclass(frozen=True, slots=True)
class MissingGlyphs:
    """A badge printed with characters no shipped font has (they print blank)."""

    reference: str
    name: str
    characters: str


@dataclass(frozen=True, slots=True)
class RenderReport:
    count: int
    pages: int
    layout: str
    missing_glyphs: tuple[MissingGlyphs, ...] = field(default=())


# --------------------------------------------------------------------------- text


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text ready to draw: font runs in visual order and its width per point
    of font size (so fitting to a width is a division, not a search)."""

    runs: tuple[tuple[str, str], ...]
    unit_width: float
    bold: bool = False
    tracking: float = 0.0  # letter spacing, as a fraction of the font size

    def width(self, size: float) -> float:
        return self.unit_width * size


@lru_cache(maxsize=4096)
def measure(text: str, bold: bool = False, tracking: float = 0.0) -> TextLine:
    """Shape, split into font runs and measure one line. Cached: event names, dates and
    category names repeat on every badge."""
    shown = fonts.visual(text)
    runs = tuple(fonts.font_runs(shown))
    unit = fonts.runs_width(list(runs), 1.0) + tracking * len(shown)
    if bold:
        unit += BOLD_STROKE  # the stroke adds half its width on either side
    return TextLine(runs, unit, bold, tracking)


@dataclass(frozen=True, slots=True)
class TextBlock:
    lines: tuple[TextLine, ...]
    size: float

    @property
    def width(self) -> float:
        return max((line.width(self.size) for line in self.lines), default=0.0)

    def height(self, leading: float) -> float:
        return len(self.lines) * self.size * leading

    def scaled(self, factor: float) -> TextBlock:
        return TextBlock(self.lines, self.size * factor)


def _two_line_splits(text: str) -> list[tuple[str, str]]:
    """Ways to break ``text`` into two lines: at a space (dropped) or after a hyphen (kept,
    so "Hohenzollern-Sigmaringen" can break like it would in print)."""
    splits = []
    for index, char in enumerate(text[1:-1], start=1):
        if char == " ":
            splits.append((text[:index], text[index + 1 :]))
        elif char in "-\u2010" and text[index - 1] != " ":
            splits.append((text[: index + 1], text[index + 1 :]))
    return splits


def fit(
    text: str,
    max_width: float,
    max_size: float,
    *,
    bold: bool = False,
    tracking: float = 0.0,
    max_lines: int = 2,
    wrap_below: float = 0.75,
) -> TextBlock:
    """The largest size (≤ ``max_size``) at which ``text`` fits ``max_width``.

    Shrinks one line first; when that would fall under ``wrap_below`` of the full size and
    the text can break, tries every two-line split and keeps the one allowing the largest
    size. Never truncates: a single endless word just gets smaller.
    """
    text = fonts.clean(text, keep_joiners=True)
    if not text:
        return TextBlock((), max_size)
    one = measure(text, bold, tracking)
    size = min(max_size, max_width / one.unit_width) if one.unit_width else max_size
    splits = _two_line_splits(text)
    if size >= max_size * wrap_below or max_lines < 2 or not splits:
        return TextBlock((one,), size)
    best = TextBlock((one,), size)
    for first, second in splits:
        pair = (measure(first, bold, tracking), measure(second, bold, tracking))
        widest = max(line.unit_width for line in pair)
        two = min(max_size, max_width / widest)
        # A second line costs height, so only wrap for a clearly bigger name.
        if two > best.size * 1.1:
            best = TextBlock(pair, two)
    return best


def draw_line(
    canvas: Canvas, line: TextLine, x: float, y: float, size: float, colour: Color, align: str
) -> None:
    """Draw ``line`` with its baseline at ``y``; ``x`` is its left, centre or right edge."""
    width = line.width(size)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    text = canvas.beginText()
    text.setFillColor(colour)
    if line.bold:
        stroke = BOLD_STROKE * size
        x += stroke / 2
        canvas.setStrokeColor(colour)
        canvas.setLineWidth(stroke)
        text.setTextRenderMode(2)  # fill, then stroke the outline: the fake bold
    if line.tracking:
        text.setCharSpace(line.tracking * size)
    text.setTextOrigin(x, y)
    for font_name, chunk in line.runs:
        text.setFont(font_name, size)
        text.textOut(chunk)
    # Render mode and character spacing are graphics state that outlive the text object
    # (and ReportLab does not track them across objects): reset them for the next line.
    if line.bold:
        text.setTextRenderMode(0)
    if line.tracking:
        text.setCharSpace(0)
    canvas.drawText(text)


def draw_block(
    canvas: Canvas,
    block: TextBlock,
    x: float,
    top: float,
    colour: Color,
    align: str,
    leading: float,
) -> float:
    """Draw ``block`` hanging from ``top``; returns the y just below it."""
    for line in block.lines:
        # Noto's accents reach ~1.0 em above the baseline (Vietnamese stacks them).
        baseline = top - block.size * 0.98
        draw_line(canvas, line, x, baseline, block.size, colour, align)
        top -= block.size * leading
    return top


# ----------------------------------------------------------------------------- QR


def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR module matrix (error correction M, smallest version), no image made."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=QR_MASK)
    code.add_data(payload)
    code.make(fit=True)
    return code.modules


_DARK_RUN = re.compile(rb"\x01+")


def qr_runs(matrix: list[list[bool]]) -> Iterator[tuple[int, int, int]]:
    """``(x, y, length)`` of each horizontal run of dark modules, y counted upwards.

    ``bytes(row)`` turns the row of bools into 0/1 bytes in C, so the run scan is a regex
    over bytes rather than a Python loop over 625+ modules.
    """
    count = len(matrix)
    for row_index, row in enumerate(matrix):
        y = count - 1 - row_index
        for run in _DARK_RUN.finditer(bytes(row)):
            yield run.start(), y, run.end() - run.start()


def draw_qr(canvas: Canvas, matrix: list[list[bool]], x: float, y: float, side: float) -> None:
    """Draw the symbol (without quiet zone) with its bottom-left corner at (x, y).

    One filled path with one rectangle per horizontal run, in module units (a ``cm``
    scales them), so every rectangle is four small integers. The operators are written
    with ``addLiteral``: ReportLab's path API formats each number as a float and was the
    largest cost of a badge. ``q``/``Q`` keep the colour and scale local, so ReportLab's
    own graphics-state tracking stays true.
    """
    module = side / len(matrix)
    ops = [f"q {module:.5f} 0 0 {module:.5f} {x:.3f} {y:.3f} cm 0 g"]
    ops.extend(f"{rx} {ry} {length} 1 re" for rx, ry, length in qr_runs(matrix))
    ops.append("f Q")
    canvas.addLiteral("\n".join(ops))


# ------------------------------------------------------------------------ colours


def _luminance(colour: Color) -> float:
    """WCAG relative luminance."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.red)
        + 0.7152 * channel(colour.green)
        + 0.0722 * channel(colour.blue)
    )


@lru_cache(maxsize=256)
def band_colours(hex_colour: str) -> tuple[Color, Color]:
    """The band colour and the text colour (black or white) with the higher WCAG contrast
    against it."""
    value = hex_colour.strip()
    if len(value) == 4 and value.startswith("#"):  # '#abc' shorthand
        value = "#" + "".join(c * 2 for c in value[1:])
    try:
        colour = HexColor(value)
    except (ValueError, TypeError):
        raise ValueError(f"Invalid category colour {hex_colour!r}; expected '#RRGGBB'") from None
    luminance = _luminance(colour)
    on_white = 1.05 / (luminance + 0.05)
    on_black = (luminance + 0.05) / 0.05
    return colour, (WHITE if on_white >= on_black else BLACK)


def is_pale(colour: Color) -> bool:
    """Whether ``colour`` barely differs from the white badge (contrast under 1.3:1)."""
    return 1.05 / (_luminance(colour) + 0.05) < 1.3


# ------------------------------------------------------------------------- design


@dataclass(frozen=True, slots=True)
class Design:
    """Sizes for one badge format, scaled by ``k`` from a reference badge so cards and A6
    share one look. Portrait badges stack everything centred with the QR above the band;
    landscape badges put the name on the left and the QR on the right."""

    width: float
    height: float
    portrait: bool
    k: float
    pad: float
    band_height: float
    band_text: float
    event_text: float
    dates_text: float
    first_name: float
    last_name: float
    organisation: float
    qr_side: float  # the symbol without quiet zone
    corner_radius: float


@lru_cache(maxsize=16)
def design_for(width: float, height: float, corner_radius: float = 0.0) -> Design:
    if height >= width:
        k = width / (105 * mm)  # A6 portrait is the reference
        return Design(
            width=width,
            height=height,
            portrait=True,
            k=k,
            pad=7 * mm * k,
            band_height=16 * mm * k,
            band_text=16 * k,
            event_text=12 * k,
            dates_text=9.5 * k,
            first_name=44 * k,
            last_name=32 * k,
            organisation=13 * k,
            qr_side=28 * mm * k,
            corner_radius=corner_radius,
        )
    k = height / (74 * mm)  # A7 landscape is the reference
    return Design(
        width=width,
        height=height,
        portrait=False,
        k=k,
        # Labels are placed to ~1 mm; keep text clear of the die-cut edge regardless.
        pad=max(3.5 * mm, 5 * mm * k),
        band_height=12 * mm * k,
        band_text=12 * k,
        event_text=9 * k,
        dates_text=8 * k,
        first_name=30 * k,
        last_name=22 * k,
        organisation=10 * k,
        # ~25 mm on A7 (same as A6), proportionally smaller on cards and labels.
        qr_side=min(0.24 * width, 0.40 * height),
        corner_radius=corner_radius,
    )


NAME_LEADING = 1.12
SMALL_LEADING = 1.25


def draw_band(canvas: Canvas, d: Design, badge: BadgeData) -> None:
    colour, text_colour = band_colours(badge.category_colour)
    canvas.setFillColor(colour)
    canvas.rect(0, 0, d.width, d.band_height, stroke=0, fill=1)
    if is_pale(colour):
        # A white or near-white band would vanish into the badge: give it an edge.
        canvas.setStrokeColor(FAINT)
        canvas.setLineWidth(0.6)
        canvas.line(0, d.band_height, d.width, d.band_height)
    block = fit(
        badge.category_name.upper(),
        d.width - 2 * d.pad,
        d.band_text,
        bold=True,
        tracking=0.08,
        max_lines=1,
    )
    if block.lines:
        # Centre the capitals (cap height ≈ 0.71 em) in the band.
        baseline = (d.band_height - 0.71 * block.size) / 2
        draw_line(canvas, block.lines[0], d.width / 2, baseline, block.size, text_colour, "center")


def draw_header(canvas: Canvas, d: Design, badge: BadgeData) -> float:
    """Event name and dates at the top; returns the y below the header."""
    inner = d.width - 2 * d.pad
    top = d.height - d.pad
    event = fit(badge.event_name, inner, d.event_text, bold=True, wrap_below=0.8)
    dates = fit(badge.event_dates, inner, d.dates_text, max_lines=1)
    if d.portrait:
        top = draw_block(canvas, event, d.width / 2, top, INK, "center", SMALL_LEADING)
        return draw_block(canvas, dates, d.width / 2, top, MUTED, "center", SMALL_LEADING)
    # Landscape: event left and dates right on one line when both fit at full size.
    if len(event.lines) == 1 and event.width + 3 * mm + dates.width <= inner:
        below = draw_block(canvas, event, d.pad, top, INK, "left", SMALL_LEADING)
        # Share the event name's baseline.
        dates_top = top - (event.size - dates.size) * 0.98
        draw_block(canvas, dates, d.width - d.pad, dates_top, MUTED, "right", SMALL_LEADING)
        return below
    top = draw_block(canvas, event, d.pad, top, INK, "left", SMALL_LEADING)
    return draw_block(canvas, dates, d.pad, top, MUTED, "left", SMALL_LEADING)


def draw_accent(canvas: Canvas, d: Design, badge: BadgeData, y: float) -> float:
    """A short rule in the category colour under the header: ties top and band together.
    Returns the y below it."""
    colour, _ = band_colours(badge.category_colour)
    thickness, length = 0.9 * mm * d.k, 16 * mm * d.k
    x = (d.width - length) / 2 if d.portrait else d.pad
    canvas.setFillColor(colour)
    canvas.rect(x, y - thickness, length, thickness, stroke=0, fill=1)
    return y - thickness


@dataclass(frozen=True, slots=True)
class NamePart:
    """First name, last name or organisation, fitted, with the space above it."""

    block: TextBlock
    colour: Color
    leading: float
    space_before: float = 0.0

    def height(self) -> float:
        return self.space_before + self.block.height(self.leading)

    def scaled(self, factor: float) -> NamePart:
        return NamePart(
            self.block.scaled(factor), self.colour, self.leading, self.space_before * factor
        )


def name_parts(badge: BadgeData, d: Design, width: float, height: float) -> list[NamePart]:
    """The name block fitted into ``width`` x ``height``: each part shrinks to the width
    (wrapping to two lines when long), then all shrink together to the height."""
    first, last = badge.first_name, badge.last_name
    if not first.strip():  # a single name gets the big line
        first, last = last, ""
    parts = [
        NamePart(fit(first, width, d.first_name, bold=True), INK, NAME_LEADING),
        NamePart(fit(last, width, d.last_name, bold=True), INK, NAME_LEADING),
        NamePart(
            fit(badge.organisation, width, d.organisation),
            MUTED,
            SMALL_LEADING,
            space_before=0.6 * d.organisation,
        ),
    ]
    parts = [part for part in parts if part.block.lines]
    total = sum(part.height() for part in parts)
    height = max(height, 1.0)  # a degenerate box still must not make text grow
    if total > height:
        parts = [part.scaled(height / total) for part in parts]
    return parts


def draw_names(
    canvas: Canvas, badge: BadgeData, d: Design, box: tuple[float, float, float, float]
) -> None:
    """Draw the name block centred vertically in ``box`` (left, bottom, right, top)."""
    left, bottom, right, top = box
    parts = name_parts(badge, d, right - left, top - bottom)
    used = sum(part.height() for part in parts)
    y = top - max(0.0, (top - bottom - used) / 2)
    align, x = ("center", (left + right) / 2) if d.portrait else ("left", left)
    for part in parts:
        y -= part.space_before
        y = draw_block(canvas, part.block, x, y, part.colour, align, part.leading)


def place_qr_and_names(
    d: Design, quiet: float, header_bottom: float
) -> tuple[tuple[float, float], tuple[float, float, float, float]]:
    """Where the QR symbol goes (bottom-left) and the box left for the names.

    The quiet zone must stay white, so neither the band nor the names may enter it.
    """
    spacing = 2 * mm * d.k
    if d.portrait:
        qr = ((d.width - d.qr_side) / 2, d.band_height + quiet + spacing)
        names_bottom = qr[1] + d.qr_side + quiet + spacing
        return qr, (d.pad, names_bottom, d.width - d.pad, header_bottom - spacing)
    qr_x = d.width - d.pad - d.qr_side
    low, high = d.band_height + quiet + spacing, header_bottom - quiet
    qr = (qr_x, max(low, (low + high - d.qr_side) / 2))
    return qr, (d.pad, d.band_height + spacing, qr_x - quiet, header_bottom - spacing)


def draw_badge(canvas: Canvas, d: Design, badge: BadgeData) -> None:
    """Draw one badge with its bottom-left corner at the current origin."""
    if d.corner_radius:
        # Die-cut labels have round corners: keep the band's colour on the label.
        clip = canvas.beginPath()
        clip.roundRect(0, 0, d.width, d.height, d.corner_radius)
        canvas.clipPath(clip, stroke=0, fill=0)
    draw_band(canvas, d, badge)
    header_bottom = draw_header(canvas, d, badge)
    header_bottom = draw_accent(canvas, d, badge, header_bottom - 1.2 * mm * d.k)
    matrix = qr_matrix(badge.qr_payload)
    quiet = QR_QUIET_MODULES * d.qr_side / len(matrix)
    (qr_x, qr_y), name_box = place_qr_and_names(d, quiet, header_bottom)
    draw_qr(canvas, matrix, qr_x, qr_y, d.qr_side)
    draw_names(canvas, badge, d, name_box)


# --------------------------------------------------------------------- crop marks


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


def _compress_finished_page(canvas: Canvas) -> None:
    """Deflate the page just finished and drop its text.

    ReportLab keeps every page's content as an uncompressed string until ``save()`` and
    compresses it only then, so memory would grow by ~8 KB a badge. A stream whose
    dictionary already names its ``Filter`` is written as is (``PDFStream.format``), so
    compressing now leaves ~1 KB a page. Uses the canvas's document object, hence the
    guard: on a ReportLab without these internals the page is simply left to ReportLab.
    """
    try:
        page = canvas._doc.Pages.pages[-1]
    except (AttributeError, IndexError):
        return
    if not isinstance(page.stream, str) or page.Contents:
        return
    data = pdfdoc.PDFZCompress.encode(page.stream)  # ReportLab's own Flate step
    page.Contents = pdfdoc.PDFStream(
        pdfdoc.PDFDictionary({"Filter": pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])}),
        data,
    )
    page.stream = None


@contextmanager
def _binary_streams() -> Iterator[None]:
    """Write page streams as plain Flate, not ASCII85 on top (ReportLab's default): a
    quarter smaller and faster. The setting is process-wide in ReportLab, hence restored."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


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
    target = os.fspath(out) if isinstance(out, str | os.PathLike) else out
    missing: list[MissingGlyphs] = []
    with _binary_streams():
        canvas = Canvas(target, pagesize=sheet.page_size, pageCompression=1)
        canvas.setCreator("Summit")
        canvas.setAuthor("Summit")
        canvas.setTitle(f"Badges: {first.event_name}")
        canvas.setSubject(f"{first.event_name}, {first.event_dates}")
        count = pages = slot = 0
        for badge in items:
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
                canvas.showPage()
                _compress_finished_page(canvas)
                slot = 0
            if on_progress is not None:
                on_progress(count)
        if slot:
            canvas.showPage()
            _compress_finished_page(canvas)
        canvas.save()
    return RenderReport(count, pages, sheet.name, tuple(missing))


__all__ = [
    "BadgeData",
    "EmptySelection",
    "MissingGlyphs",
    "RenderReport",
    "qr_matrix",
    "render_badges",
]
