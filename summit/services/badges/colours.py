"""Badge colours: the house inks, and a category band whose text stays readable on any colour."""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib.colors import Color, HexColor

INK = HexColor("#16181d")
MUTED = HexColor("#4a4f5a")
FAINT = HexColor("#9aa0aa")
WHITE = Color(1, 1, 1)
BLACK = Color(0, 0, 0)


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
