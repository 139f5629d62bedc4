"""Badge text at the largest size that fits: names run from “Li” to “Hohenzollern-Sigmaringen”."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby

from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
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
    # A stroke adds half its width on either side.
    unit += max((stroke_for(name, bold) for name, _ in runs), default=0.0)
    return TextLine(runs, unit, bold, tracking)


def stroke_for(font_name: str, bold: bool) -> float:
    """The outline width (fraction of the font size) of text in ``font_name``: the fake bold,
    plus what a font embedded at a thin weight needs to look regular."""
    return (BOLD_STROKE if bold else 0.0) + fonts.weight_stroke(font_name)


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
    """Draw ``line`` with its baseline at ``y``; ``x`` is its left, centre or right edge.

    One text object per stretch of runs with the same outline width (usually the whole line).
    """
    width = line.width(size)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    groups = [(stroke, list(runs)) for stroke, runs
              in groupby(line.runs, key=lambda run: stroke_for(run[0], line.bold))]
    if groups:
        x += groups[0][0] * size / 2  # the outline reaches left of the first glyph
    for index, (stroke, runs) in enumerate(groups):
        if index:  # after the runs drawn before
            x += sum(pdfmetrics.stringWidth(chunk, name, size) + len(chunk) * line.tracking
                     * size for name, chunk in groups[index - 1][1])
        _draw_runs(canvas, runs, x, y, size, colour, stroke * size, line.tracking * size)


def _draw_runs(canvas: Canvas, runs: list[tuple[str, str]], x: float, y: float, size: float,
               colour: Color, stroke: float, char_space: float) -> None:
    text = canvas.beginText()
    text.setFillColor(colour)
    if stroke:
        canvas.setStrokeColor(colour)
        canvas.setLineWidth(stroke)
        text.setTextRenderMode(2)  # fill, then stroke the outline: bolder
    if char_space:
        text.setCharSpace(char_space)
    text.setTextOrigin(x, y)
    for font_name, chunk in runs:
        text.setFont(font_name, size)
        text.textOut(chunk)
    # Render mode and character spacing are graphics state that outlive the text object
    # (and ReportLab does not track them across objects): reset them for the next line.
    if stroke:
        text.setTextRenderMode(0)
    if char_space:
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
