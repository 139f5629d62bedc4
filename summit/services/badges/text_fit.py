"""Badge text at the largest size that fits: names run from “Li” to “Hohenzollern-Sigmaringen”."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from . import fonts

# Fake bold: Noto Sans ships as a variable font, and ReportLab embeds only its Regular
# instance; stroking the outline in the fill colour thickens it by this fraction of the
# font size (about Semibold), at no cost, instead of instancing a static Bold at run time.
BOLD_STROKE = 0.045


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
