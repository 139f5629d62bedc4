"""QR codes as vector paths: sharp at any print size, and no image to build for each badge;
the same symbol as an inline SVG for the attendee's page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.image.svg import SvgPathFillImage
from reportlab.pdfgen.canvas import Canvas

# QR mask pattern. ISO 18004 has the encoder score all eight masks and keep the best; in
# pure Python that scoring is ~3 ms a badge, over 80 % of the QR work (3.9 s of 1,100
# badges against 0.65 s). Mask 2's penalty score came within ~6 % of the best one on
# random check-in codes (300 codes measured) and every scanner reads every mask, so the
# print path pins it. ``None`` restores per-code scoring.
QR_MASK: int | None = 2
QR_QUIET_MODULES = 4


# Smallest version per data shape (mode and length of each segment), see _qr_code.
_VERSIONS: dict[tuple[tuple[int, int], ...], int] = {}


def _qr_code(payload: str, border: int) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border, mask_pattern=QR_MASK)
    code.add_data(payload)
    # The smallest version depends only on the data's segments (mode and length of each),
    # and every check-in code has the same ones: search it once per shape, not per badge
    # (the search encodes the data for each candidate version, ~a quarter of the QR work).
    shape = tuple((segment.mode, len(segment.data)) for segment in code.data_list)
    code.version = _VERSIONS.get(shape)
    code.make(fit=code.version is None)
    if len(_VERSIONS) < 256:  # shapes are few; never grow without bound
        _VERSIONS[shape] = code.version
    return code


def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR module matrix (error correction M, smallest version), no image made."""
    return _qr_code(payload, border=0).modules


def qr_svg(payload: str, *, label: str) -> str:
    """The badge's symbol as an inline SVG (markup for a page), quiet zone included.

    The white ground belongs to the symbol: a scanner needs it, whatever the page behind.
    ``label`` names the image for screen readers. The size comes from the page's CSS.
    """
    image = _qr_code(payload, border=QR_QUIET_MODULES).make_image(
        image_factory=SvgPathFillImage, role="img",
        # crispEdges: no hairline seams between the modules when the page scales them.
        **{"aria-label": label, "shape-rendering": "crispEdges"})
    return image.to_string(encoding="unicode")


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
