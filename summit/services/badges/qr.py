"""QR codes as vector paths: sharp at any print size, and no image to build for each badge;
the same symbol as an inline SVG for the attendee's page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

import qrcode
from qrcode import base, util
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


# Matrix encoding for the print path: qrcode chooses the segments and the version (once per
# data shape); the codewords, Reed–Solomon and module placement below are table-driven,
# because qrcode's pure-Python polynomial division and bit-by-bit placement were ~85 % of a
# badge's QR time. tests/test_badge_render.py checks every matrix against qrcode's own.
_ALPHANUMERIC = {char: index for index, char in enumerate(util.ALPHA_NUM)}
_NUMBER_BITS = {1: 4, 2: 7, 3: 10}


def _segment_bits(data: util.QRData) -> tuple[int, int] | None:
    """The segment's data bits as (value, bit count); None for a mode not handled here."""
    value = bits = 0
    raw = data.data
    if data.mode == util.MODE_ALPHA_NUM:
        for i in range(0, len(raw) - 1, 2):
            value = value << 11 | _ALPHANUMERIC[raw[i]] * 45 + _ALPHANUMERIC[raw[i + 1]]
        bits = 11 * (len(raw) // 2)
        if len(raw) % 2:
            value, bits = value << 6 | _ALPHANUMERIC[raw[-1]], bits + 6
    elif data.mode == util.MODE_8BIT_BYTE:
        value, bits = int.from_bytes(raw, "big"), 8 * len(raw)
    elif data.mode == util.MODE_NUMBER:
        for i in range(0, len(raw), 3):
            chunk = raw[i:i + 3]
            width = _NUMBER_BITS[len(chunk)]
            value, bits = value << width | int(chunk), bits + width
    else:
        return None
    return value, bits


@lru_cache(maxsize=64)
def _ecc_table(count: int) -> tuple[int, ...]:
    """For each feedback byte f, f × the generator polynomial (without its leading 1) as one
    integer of ``count`` bytes: one Reed–Solomon step is then a shift and an XOR."""
    generator = [1]
    for i in range(count):  # ∏ (x − αⁱ), coefficients highest degree first
        root = base.gexp(i)
        generator = [a ^ (base.gexp(base.glog(b) + base.glog(root)) if b else 0)
                     for a, b in zip(generator + [0], [0] + generator, strict=True)]
    table = [0]
    for factor in range(1, 256):
        log = base.glog(factor)
        table.append(int.from_bytes(bytes(base.gexp(log + base.glog(g)) if g else 0
                                          for g in generator[1:]), "big"))
    return tuple(table)


def _ecc(data: bytes, count: int) -> bytes:
    table, shift, keep = _ecc_table(count), 8 * (count - 1), (1 << 8 * count) - 1
    remainder = 0
    for byte in data:
        remainder = (remainder << 8 & keep) ^ table[(remainder >> shift) ^ byte]
    return remainder.to_bytes(count, "big")


@dataclass(frozen=True, slots=True)
class _Placement:
    """Where a (version, mask) symbol's data bits go: ``gather`` picks each module of the
    flattened matrix from the data bits (already masked) followed by a 0 and a 1 (the
    function patterns); ``mask`` is the mask's value at each data position, in bit order."""

    size: int
    bits: int  # data modules, remainder bits included
    mask: int
    gather: itemgetter


class _PlacementWalk(qrcode.QRCode):
    """qrcode's own function patterns; ``map_data`` only records the data modules' order."""

    order: list[tuple[int, int]]

    def map_data(self, data, mask_pattern):  # same walk as qrcode's map_data
        self.order = []
        count, row, step = self.modules_count, self.modules_count - 1, -1
        for col in range(count - 1, 0, -2):
            col -= col <= 6  # skip the vertical timing pattern
            while 0 <= row < count:
                self.order.extend((row, c) for c in (col, col - 1) if self.modules[row][c] is None)
                row += step
            row, step = row - step, -step


@lru_cache(maxsize=64)
def _placement(version: int, mask_pattern: int) -> _Placement:
    walk = _PlacementWalk(version=version, error_correction=ERROR_CORRECT_M, border=0)
    walk.data_cache = []
    walk.makeImpl(False, mask_pattern)
    size, bits = walk.modules_count, len(walk.order)
    is_masked = util.mask_func(mask_pattern)
    position = {cell: index for index, cell in enumerate(walk.order)}
    sources = [position.get((r, c), bits + bool(walk.modules[r][c]))
               for r in range(size) for c in range(size)]
    mask = int("".join("1" if is_masked(r, c) else "0" for r, c in walk.order), 2)
    return _Placement(size, bits, mask, itemgetter(*sources))


_BITS_TO_MODULES = bytes.maketrans(b"01", b"\x00\x01")


def _fast_matrix(payload: str) -> list[bytes] | None:
    """The matrix as rows of 0/1 bytes, or None where qrcode must do it (mask search,
    a mode not handled here)."""
    if QR_MASK is None:
        return None
    segments = list(util.optimal_data_chunks(payload, minimum=20))  # as QRCode.add_data
    version = _VERSIONS.get(tuple((segment.mode, len(segment.data)) for segment in segments))
    if version is None:
        return None
    value = length = 0
    for segment in segments:
        written = _segment_bits(segment)
        if written is None:
            return None
        count_bits = util.length_in_bits(segment.mode, version)
        value = (value << 4 | segment.mode) << count_bits | len(segment)
        value = value << written[1] | written[0]
        length += 4 + count_bits + written[1]
    blocks = base.rs_blocks(version, ERROR_CORRECT_M)
    limit = 8 * sum(block.data_count for block in blocks)
    # Terminator (up to four 0s), 0s to the byte, then the alternating pad bytes, as qrcode.
    end = min(length + 4, limit)
    end += -end % 8
    value <<= end - length
    pad = (limit - end) // 8
    data = value.to_bytes(end // 8, "big") + bytes([util.PAD0, util.PAD1]) * (pad // 2) + (
        bytes([util.PAD0]) if pad % 2 else b"")
    chunks, ecc, offset = [], [], 0
    for block in blocks:
        chunk = data[offset:offset + block.data_count]
        offset += block.data_count
        chunks.append(chunk)
        ecc.append(_ecc(chunk, block.total_count - block.data_count))
    codewords = _interleave(chunks) + _interleave(ecc)
    place = _placement(version, QR_MASK)
    masked = (int.from_bytes(codewords, "big") << place.bits - 8 * len(codewords)) ^ place.mask
    modules = bytes(place.gather(format(masked, f"0{place.bits}b").encode() + b"01"))
    flat = modules.translate(_BITS_TO_MODULES)
    return [flat[i:i + place.size] for i in range(0, len(flat), place.size)]


def _interleave(blocks: list[bytes]) -> bytes:
    if len(blocks) == 1:
        return blocks[0]
    longest = max(len(block) for block in blocks)
    return bytes(block[i] for i in range(longest) for block in blocks if i < len(block))


def qr_matrix(payload: str) -> list[bytes] | list[list[bool]]:
    """The QR module matrix (error correction M, smallest version), no image made: rows of
    0/1 bytes (or of bools where qrcode made it); ``matrix[row][col]`` is true when dark."""
    matrix = _fast_matrix(payload)
    return matrix if matrix is not None else _qr_code(payload, border=0).modules


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


class _RowOps(dict):
    """The ``re`` operator of each run (start, end) in one row, formatted once: a badge's
    ~160 runs are then dictionary look-ups, not number formatting. At most ``LIMIT`` kept a
    row (a row of 25 modules has 325 possible runs)."""

    LIMIT = 512

    def __init__(self, y: int) -> None:
        super().__init__()
        self.y = y

    def __missing__(self, span: tuple[int, int]) -> str:
        text = f"{span[0]} {self.y} {span[1] - span[0]} 1 re"
        if len(self) < self.LIMIT:
            self[span] = text
        return text


@lru_cache(maxsize=4)
def _row_ops(count: int) -> list[_RowOps]:
    return [_RowOps(count - 1 - row) for row in range(count)]


def draw_qr(canvas: Canvas, matrix: list[bytes] | list[list[bool]],
            x: float, y: float, side: float) -> None:
    """Draw the symbol (without quiet zone) with its bottom-left corner at (x, y).

    One filled path with one rectangle per horizontal run, in module units (a ``cm``
    scales them), so every rectangle is four small integers. The operators are written
    with ``addLiteral``: ReportLab's path API formats each number as a float and was the
    largest cost of a badge. ``q``/``Q`` keep the colour and scale local, so ReportLab's
    own graphics-state tracking stays true.
    """
    module = side / len(matrix)
    runs = [row_ops[run.span()]
            for row_ops, row in zip(_row_ops(len(matrix)), matrix, strict=True)
            for run in _DARK_RUN.finditer(bytes(row))]
    canvas.addLiteral(f"q {module:.5f} 0 0 {module:.5f} {x:.3f} {y:.3f} cm 0 g\n"
                      + "\n".join(runs) + "\nf Q")
