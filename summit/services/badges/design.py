"""One badge's design, scaled from a reference size so every layout shares one look."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .colours import FAINT, INK, MUTED, band_colours, is_pale
from .qr import QR_QUIET_MODULES, draw_qr, qr_matrix
from .text_fit import TextBlock, draw_block, draw_line, fit, measure

if TYPE_CHECKING:  # annotations only: render.py imports this module, so no import back
    from .render import BadgeData


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
    code_text: float  # the check-in code printed under the QR
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
            code_text=7.5 * k,
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
        # Small, but no smaller than people can read to type it when a QR will not scan.
        code_text=max(5.5, 6 * k),
        corner_radius=corner_radius,
    )


NAME_LEADING = 1.12
SMALL_LEADING = 1.25
CODE_LEADING = 1.2
CODE_TRACKING = 0.06  # a little air between letters that people read one by one


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


def code_block(label: str, width: float, max_size: float) -> TextBlock:
    """The grouped check-in code ("BCDF-GHJK-…") at the largest size up to ``max_size`` that
    fits ``width``, on one to three lines broken between groups only (a code broken inside a
    group is misread); the fewest lines that reach full size."""
    groups = label.split("-") if label else []
    best = TextBlock((), max_size)
    for count in range(1, min(3, len(groups)) + 1):
        per_line = -(-len(groups) // count)
        lines = tuple(measure("-".join(groups[i:i + per_line]), tracking=CODE_TRACKING)
                      for i in range(0, len(groups), per_line))
        size = min(max_size, width / max(line.unit_width for line in lines))
        if size > best.size * 1.01 or not best.lines:
            best = TextBlock(lines, size)
        if size >= max_size:
            break
    return best


@dataclass(frozen=True, slots=True)
class QrPlace:
    """Where the QR symbol goes (bottom-left corner, side without quiet zone) and the code
    under it (top centre)."""

    x: float
    y: float
    side: float
    code_top: float

    @property
    def centre(self) -> float:
        return self.x + self.side / 2


def place_qr_and_names(
    d: Design, modules: int, code: TextBlock, header_bottom: float
) -> tuple[QrPlace, tuple[float, float, float, float]]:
    """Where the QR symbol and the code under it go, and the box left for the names.

    The quiet zone (``QR_QUIET_MODULES`` on every side) must stay white, so neither the band,
    the code nor the names may enter it.
    """
    spacing = 2 * mm * d.k
    code_height = code.height(CODE_LEADING)
    quiet_per_side = QR_QUIET_MODULES / modules  # of the symbol's side
    if d.portrait:
        side = d.qr_side
        quiet = quiet_per_side * side
        y = d.band_height + spacing + code_height + quiet
        qr = QrPlace((d.width - side) / 2, y, side, y - quiet)
        names_bottom = y + side + quiet + spacing
        return qr, (d.pad, names_bottom, d.width - d.pad, header_bottom - spacing)
    # Landscape: the QR, its quiet zone and the code share the right-hand column; on a small
    # label the QR gives up what the column lacks.
    room = header_bottom - d.band_height - spacing - code_height
    side = min(d.qr_side, room / (1 + 2 * quiet_per_side))
    quiet = quiet_per_side * side
    qr_x = d.width - d.pad - side
    low, high = d.band_height + spacing + code_height + quiet, header_bottom - quiet
    y = max(low, (low + high - side) / 2)
    qr = QrPlace(qr_x, y, side, y - quiet)
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
    modules = len(matrix)
    # The code may be as wide as the QR and half its quiet zone on either side (portrait: the
    # badge), so it stays clear of the names and the die-cut edge.
    code_width = (d.width - 2 * d.pad if d.portrait
                  else d.qr_side * (1 + QR_QUIET_MODULES / modules))
    code = code_block(badge.code_label, code_width, d.code_text)
    qr, name_box = place_qr_and_names(d, modules, code, header_bottom)
    draw_qr(canvas, matrix, qr.x, qr.y, qr.side)
    draw_block(canvas, code, qr.centre, qr.code_top, MUTED, "center", CODE_LEADING)
    draw_names(canvas, badge, d, name_box)
