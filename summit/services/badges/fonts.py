"""Unicode fonts for badges: registration with ReportLab, script fallback, glyph coverage.

Names keep their Unicode on the badge (Łukasz Żółć, Γιώργος, Анастасия, Nguyễn, محمد, 王小明,
山田太郎, 김민준, Yuki 😀). ReportLab's built-in Helvetica only knows Latin-1, so we embed Noto
fonts shipped as PyPI packages, TrueType all of them (ReportLab cannot embed the CFF outlines
of OpenType CJK fonts): Noto Sans (Latin, Greek, Cyrillic, Vietnamese) and Noto Sans Arabic
from ``fontpkg``, Noto Emoji (monochrome outlines, which is what a badge printer prints
anyway) from ``manimgx-fonts``, and Noto Sans SC, TC, JP and KR from ``justmytype-intl-cjk``.
Text is split into runs per font, the first font in the fallback chain that has a character
drawing it. A character no font has is drawn as U+FFFD "�", so a name never prints blank, and
``missing_glyphs`` names it so that the organiser can act on it.

ReportLab neither joins Arabic letters nor reorders right-to-left text, so Arabic (and any
RTL) text goes through ``arabic_reshaper`` (contextual letter forms) and ``python-bidi``
(visual order) before it is measured or drawn. Nor does it compose emoji sequences: a family
or a flag prints as its parts.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable
from functools import cache
from importlib.resources import files

import arabic_reshaper
import fontpkg
from bidi import get_display
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

# Registered ReportLab font names. Prefixed so they cannot clash with fonts that other
# parts of the app might register.
SANS = "SummitNotoSans"
ARABIC = "SummitNotoSansArabic"
EMOJI = "SummitNotoEmoji"
CJK_SC, CJK_TC, CJK_JP, CJK_KR = (f"SummitNotoSans{region}" for region in ("SC", "TC", "JP", "KR"))

# Drawn where no font has the character: visible, and Noto Sans has it.
REPLACEMENT = "\ufffd"

# The CJK fonts are variable fonts whose default instance is Thin, and the default is what
# ReportLab embeds (instancing Regular with fontTools takes ~40 s a font, too slow for a print
# run). Stroking their outlines in the text colour by this fraction of the font size brings
# them to the weight of Noto Sans Regular (compared side by side at 13 and 32 pt).
THIN_TO_REGULAR = 0.035

# Bidi classes of strong right-to-left characters (Hebrew, Arabic, Syriac, Thaana, ...).
_RTL_CLASSES = frozenset({"R", "AL"})


# ReportLab writes each character of a font subset into the PDF's ToUnicode map as its code
# point in hex, which for characters beyond U+FFFF ("<1F600>") is not the UTF-16 that PDF
# requires: readers then extract 😀 as "ὠ" and the Japanese surname 𠮷 as garbage, for
# search, copy and screen readers alike. Rewrite those entries as surrogate pairs.
_WIDE_ENTRY = re.compile(r"<([0-9A-F]{5,6})>$", re.MULTILINE)
_reportlab_to_unicode_cmap = ttfonts.makeToUnicodeCMap


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    return _WIDE_ENTRY.sub(
        lambda entry: f"<{chr(int(entry[1], 16)).encode('utf-16-be').hex().upper()}>",
        _reportlab_to_unicode_cmap(fontname, subset))


ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def _fontpkg(family: str) -> Callable[[], str]:
    return lambda: str(fontpkg.path(family))


def _packaged(package: str, path: str) -> Callable[[], str]:
    return lambda: str(files(package) / path)


def _cjk(region: str) -> Callable[[], str]:
    folder = f"notosans{region.lower()}"
    return _packaged("justmytype_intl_cjk", f"fonts/ofl/{folder}/NotoSans{region}[wght].ttf")


class FontFace:
    """One badge font and the code points its cmap maps to a glyph.

    The file is parsed and registered with ReportLab when its coverage is first asked for,
    which is always before it draws: the CJK fonts are 10-18 MB each and take ~20-30 MB of
    memory once parsed, so a process that never meets a Chinese, Japanese or Korean name
    never loads them. The font files are variable fonts; ReportLab embeds their default
    instance (Regular).
    """

    _lock = threading.Lock()

    def __init__(self, name: str, locate: Callable[[], str], stroke: float = 0.0,
                 spaces: bool = True) -> None:
        self.name = name
        self.stroke = stroke  # drawn with this outline (fraction of the size) for its weight
        self.spaces = spaces  # whether its space may stand between words of other fonts
        self._locate = locate
        self._codepoints: frozenset[int] | None = None

    @property
    def codepoints(self) -> frozenset[int]:
        if self._codepoints is None:
            with self._lock:
                if self._codepoints is None:
                    font = TTFont(self.name, self._locate())
                    pdfmetrics.registerFont(font)
                    self._codepoints = frozenset(font.face.charToGlyph)
        return self._codepoints

    def covers(self, char: str) -> bool:
        return ord(char) in self.codepoints

    def __repr__(self) -> str:
        return f"FontFace({self.name!r})"


@cache
def font_faces() -> tuple[FontFace, ...]:
    """Every badge font in fallback order; Noto Sans and Noto Sans Arabic (what nearly every
    badge needs) are registered with ReportLab at once (once per process), the rest when
    first needed.

    The emoji font comes before the CJK fonts, so a name with an emoji does not load four
    CJK fonts to learn that none of them has it.
    """
    faces = (
        FontFace(SANS, _fontpkg("Noto Sans")),
        FontFace(ARABIC, _fontpkg("Noto Sans Arabic")),
        # Its space is 1.27 em wide: words around an emoji keep Noto Sans's space.
        FontFace(EMOJI, _packaged("manimgx_fonts", "NotoEmoji[wght].ttf"), spaces=False),
        *(FontFace(name, _cjk(region), THIN_TO_REGULAR) for name, region in (
            (CJK_SC, "SC"), (CJK_TC, "TC"), (CJK_JP, "JP"), (CJK_KR, "KR"))),
    )
    for face in faces[:2]:
        face.codepoints  # noqa: B018 - registers the font
    return faces


@cache
def _strokes() -> dict[str, float]:
    return {face.name: face.stroke for face in font_faces()}


def weight_stroke(font_name: str) -> float:
    """The outline (fraction of the font size) that gives ``font_name`` its regular weight."""
    return _strokes().get(font_name, 0.0)


# Hiragana, katakana (with phonetic extensions, half-width forms); Hangul syllables and jamo.
_KANA = ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F))
_HANGUL = ((0xAC00, 0xD7AF), (0x1100, 0x11FF), (0x3130, 0x318F))


def _any_of(ranges: tuple[tuple[int, int], ...]) -> re.Pattern:
    return re.compile("[" + "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}"
                                     for low, high in ranges) + "]")


_KANA_CHARACTER, _HANGUL_CHARACTER = _any_of(_KANA), _any_of(_HANGUL)


_CJK = (CJK_SC, CJK_TC, CJK_JP, CJK_KR)


def _faces_for(text: str) -> tuple[FontFace, ...]:
    """The fallback chain for ``text``. Chinese, Japanese and Korean type draw the same Han
    character differently: kana mark a Japanese name and Hangul a Korean one, so their
    font comes first among the CJK fonts; otherwise Simplified Chinese does."""
    faces = font_faces()
    if text.isascii():
        return faces
    first = (CJK_JP if _KANA_CHARACTER.search(text) else
             CJK_KR if _HANGUL_CHARACTER.search(text) else CJK_SC)
    if first == CJK_SC:
        return faces
    # A stable sort: the preferred CJK font moves ahead of the other three.
    return tuple(sorted(faces, key=lambda face: face.name in _CJK and face.name != first))


# Zero-width (non-)joiners steer Arabic-script joining (Persian names use ZWNJ), so they
# survive until the reshaper has used them.
_JOINERS = "\u200c\u200d"


# Variation selectors choose between a text and an emoji look (U+FE0F after ❤) or a glyph
# variant; ReportLab cannot apply them, and they have no glyph of their own to draw.
_VARIATION_SELECTOR_RANGES = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF))
_VARIATION_SELECTORS = frozenset(code for low, high in _VARIATION_SELECTOR_RANGES
                                 for code in range(low, high + 1))


def _is_drawn(char: str) -> bool:
    """Whether ``char`` needs a glyph: control and format characters (bidi marks, joiners)
    are consumed by shaping and are dropped before drawing, like variation selectors."""
    return (unicodedata.category(char) not in ("Cc", "Cf")
            and ord(char) not in _VARIATION_SELECTORS)


_VARIATION_SELECTOR = _any_of(_VARIATION_SELECTOR_RANGES)


def _all_drawn(text: str) -> bool:
    """The usual name, tested at C speed: a printable string holds no control or format
    character (str.isprintable is False for both), so only variation selectors are left."""
    return text.isprintable() and not _VARIATION_SELECTOR.search(text)


def _drop_invisible(text: str) -> str:
    return text if _all_drawn(text) else "".join(c for c in text if _is_drawn(c))


def clean(text: str, keep_joiners: bool = False) -> str:
    """NFC-normalise (precomposed Vietnamese letters have glyphs; loose combining marks
    would not be positioned by ReportLab), drop invisible characters, squeeze spaces."""
    text = unicodedata.normalize("NFC", text or "")
    if not _all_drawn(text):
        text = "".join(
            c if _is_drawn(c) or (keep_joiners and c in _JOINERS) else " " if c.isspace() else ""
            for c in text
        )
    return " ".join(text.split())


def has_rtl(text: str) -> bool:
    return not text.isascii() and any(unicodedata.bidirectional(c) in _RTL_CLASSES
                                       for c in text)


def _shape_rtl(text: str) -> str:
    """Contextual Arabic letter forms, then right-to-left runs reversed for drawing."""
    return _drop_invisible(get_display(arabic_reshaper.reshape(text)))


def visual(text: str) -> str:
    """``text`` (one line, logical order) as it must be drawn left to right.

    Only RTL text is touched; the reshaper and bidi passes cost time on every badge.
    """
    text = clean(text, keep_joiners=True)
    if not has_rtl(text):
        return _drop_invisible(text)
    return _shape_rtl(text)


def _face_for(char: str, faces: tuple[FontFace, ...]) -> FontFace | None:
    for face in faces:
        if face.covers(char):
            return face
    return None


def font_runs(visual_text: str) -> list[tuple[str, str]]:
    """Split drawn text into ``(font name, text)`` runs, fewest font switches first.

    Spaces stay in the current run when its font has them, so "محمد العلي" is one run. A
    character no font has becomes REPLACEMENT in the main font: a visible mark where the
    letter belongs, never a blank (a name of such letters alone would leave the line empty).
    """
    faces = _faces_for(visual_text)
    runs: list[tuple[str, str]] = []
    current: FontFace | None = None
    chunk: list[str] = []
    for char in visual_text:
        if current is not None and char == " " and current.spaces and current.covers(char):
            chunk.append(char)
            continue
        face = _face_for(char, faces)
        if face is None:
            char, face = REPLACEMENT, faces[0]
        if face is not current:
            if chunk and current is not None:
                runs.append((current.name, "".join(chunk)))
            current, chunk = face, []
        chunk.append(char)
    if chunk and current is not None:
        runs.append((current.name, "".join(chunk)))
    return runs


def runs_width(runs: list[tuple[str, str]], size: float) -> float:
    return sum(pdfmetrics.stringWidth(text, name, size) for name, text in runs)


def missing_glyphs(text: str) -> set[str]:
    """Characters of ``text`` that no shipped font can draw (they print as REPLACEMENT).

    Checks the logical characters and the Arabic presentation forms the reshaper turns them
    into, since those are what is actually drawn.
    """
    text = clean(text, keep_joiners=True)
    faces = _faces_for(text)
    drawn = set(_drop_invisible(text))
    if has_rtl(text):
        drawn |= set(_shape_rtl(text))
    return {c for c in drawn if not c.isspace() and _face_for(c, faces) is None}


__all__ = [
    "ARABIC",
    "CJK_JP",
    "CJK_KR",
    "CJK_SC",
    "CJK_TC",
    "EMOJI",
    "REPLACEMENT",
    "SANS",
    "FontFace",
    "clean",
    "font_faces",
    "font_runs",
    "has_rtl",
    "missing_glyphs",
    "runs_width",
    "visual",
    "weight_stroke",
]
