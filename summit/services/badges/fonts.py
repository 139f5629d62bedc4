"""Unicode fonts for badges: registration with ReportLab, script fallback, glyph coverage.

Names keep their Unicode on the badge (Łukasz Żółć, Γιώργος, Анастасия, Nguyễn, محمد).
ReportLab's built-in Helvetica only knows Latin-1, so we embed Noto Sans (Latin, Greek,
Cyrillic, Vietnamese) and Noto Sans Arabic, both shipped as PyPI packages by ``fontpkg``.
Text is split into runs per font; a character neither font has is reported by
``missing_glyphs`` so the print run can name the affected badges.

ReportLab neither joins Arabic letters nor reorders right-to-left text, so Arabic (and any
RTL) text goes through ``arabic_reshaper`` (contextual letter forms) and ``python-bidi``
(visual order) before it is measured or drawn.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

import arabic_reshaper
import fontpkg
from bidi import get_display
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

# Registered ReportLab font names. Prefixed so they cannot clash with fonts that other
# parts of the app might register.
SANS = "SummitNotoSans"
ARABIC = "SummitNotoSansArabic"

# (registered name, fontpkg family) in fallback order: the first font covering a character
# draws it.
_FAMILIES: tuple[tuple[str, str], ...] = ((SANS, "Noto Sans"), (ARABIC, "Noto Sans Arabic"))

# Bidi classes of strong right-to-left characters (Hebrew, Arabic, Syriac, Thaana, ...).
_RTL_CLASSES = frozenset({"R", "AL"})


@dataclass(frozen=True, slots=True)
class FontFace:
    """One registered font and the code points its cmap maps to a glyph."""

    name: str
    path: str
    codepoints: frozenset[int]

    def covers(self, char: str) -> bool:
        return ord(char) in self.codepoints


@cache
def font_faces() -> tuple[FontFace, ...]:
    """Register the badge fonts with ReportLab (once per process) and return them.

    The font files are variable fonts; ReportLab embeds their default instance (Regular).
    """
    faces = []
    for name, family in _FAMILIES:
        path = str(fontpkg.path(family))
        font = TTFont(name, path)
        pdfmetrics.registerFont(font)
        faces.append(FontFace(name, path, frozenset(font.face.charToGlyph)))
    return tuple(faces)


# Zero-width (non-)joiners steer Arabic-script joining (Persian names use ZWNJ), so they
# survive until the reshaper has used them.
_JOINERS = "\u200c\u200d"


def _is_drawn(char: str) -> bool:
    """Whether ``char`` needs a glyph: control and format characters (bidi marks, joiners)
    are consumed by shaping and are dropped before drawing."""
    return unicodedata.category(char) not in ("Cc", "Cf")


def _drop_invisible(text: str) -> str:
    return "".join(c for c in text if _is_drawn(c))


def clean(text: str, keep_joiners: bool = False) -> str:
    """NFC-normalise (precomposed Vietnamese letters have glyphs; loose combining marks
    would not be positioned by ReportLab), drop invisible characters, squeeze spaces."""
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(
        c if _is_drawn(c) or (keep_joiners and c in _JOINERS) else " " if c.isspace() else ""
        for c in text
    )
    return " ".join(text.split())


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in _RTL_CLASSES for c in text)


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


def _face_for(char: str, faces: tuple[FontFace, ...]) -> FontFace:
    for face in faces:
        if face.covers(char):
            return face
    # No font has it: draw with the main font (its .notdef) and let the report name it.
    return faces[0]


def font_runs(visual_text: str) -> list[tuple[str, str]]:
    """Split drawn text into ``(font name, text)`` runs, fewest font switches first.

    Spaces stay in the current run when its font has them, so "محمد العلي" is one run.
    """
    faces = font_faces()
    runs: list[tuple[str, str]] = []
    current: FontFace | None = None
    chunk: list[str] = []
    for char in visual_text:
        if current is not None and char == " " and current.covers(char):
            chunk.append(char)
            continue
        face = _face_for(char, faces)
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
    """Characters of ``text`` that no shipped font can draw.

    Checks the logical characters and the Arabic presentation forms the reshaper turns them
    into, since those are what is actually drawn.
    """
    faces = font_faces()
    text = clean(text, keep_joiners=True)
    drawn = set(_drop_invisible(text))
    if has_rtl(text):
        drawn |= set(_shape_rtl(text))
    return {c for c in drawn if not c.isspace() and not any(f.covers(c) for f in faces)}


__all__ = [
    "ARABIC",
    "SANS",
    "FontFace",
    "clean",
    "font_faces",
    "font_runs",
    "has_rtl",
    "missing_glyphs",
    "runs_width",
    "visual",
]
