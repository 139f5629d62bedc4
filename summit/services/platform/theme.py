"""The colours: Summit's own (the house colour, for the site's chrome and any event without
one) and each event's, kept readable whatever colour the organiser picks. Every page, the
hall display, the mails and the badges take their accent from palette() here."""

import json

# The house colour: defined here only. The site's header and login page wear it; an event
# that chose no colour of its own, and a badge category without one, fall back to it.
DEFAULT_COLOUR = "#0b5d66"
WHITE_TEXT_CONTRAST = 4.5  # WCAG AA for normal text: white on the brand colour, brand on white
TINT, WASH = 0.10, 0.05  # light backgrounds: this share of the brand colour over white


def _channels(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _hex(channels) -> str:
    return "#" + "".join(f"{round(c):02x}" for c in channels)


def _luminance(channels) -> float:
    def linear(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(hex_colour: str) -> float:
    return 1.05 / (_luminance(_channels(hex_colour)) + 0.05)


def _darken(channels, amount: float):
    return tuple(c * (1 - amount) for c in channels)


def _over_white(channels, share: float):
    return tuple(255 - share * (255 - c) for c in channels)


def palette(hex_colour: str | None) -> dict[str, str]:
    """--brand, --brand-dark and the light --brand-tint and --brand-wash from a colour (the
    house colour when it is missing or unreadable).

    A light colour (a yellow, say) is darkened just enough for white header text and brand
    links on white to stay readable, so no event can make its own pages fail contrast.
    """
    try:
        channels = _channels(hex_colour or DEFAULT_COLOUR)
    except (ValueError, IndexError):
        channels = _channels(DEFAULT_COLOUR)
    brand = channels
    while contrast_with_white(_hex(brand)) < WHITE_TEXT_CONTRAST:
        brand = _darken(brand, 0.05)
    return {"brand": _hex(brand), "brand-dark": _hex(_darken(brand, 0.28)),
            "brand-tint": _hex(_over_white(brand, TINT)),
            "brand-wash": _hex(_over_white(brand, WASH))}


def _declarations(hex_colour: str | None, name: str) -> str:
    colours = palette(hex_colour)
    r, g, b = _channels(colours["brand"])
    colours["brand-ring"] = f"rgba({r}, {g}, {b}, .25)"
    return "".join(f"  --{key.replace('brand', name)}: {value};\n"
                   for key, value in colours.items())


def event_scope(slug: str) -> str:
    """The CSS selector of an element that wears one event's colours in a list of events."""
    return f"[data-event-theme={json.dumps(slug)}]"


def stylesheet(hex_colour: str | None, selector: str = ":root") -> str:
    """An event's colours as CSS variables --brand…, for the whole page or one element (an
    event's card in a list of events)."""
    return f"{selector} {{\n{_declarations(hex_colour, 'brand')}}}\n"


def site_stylesheet() -> str:
    """The house colour: --site… for the site's own chrome (header, language switch), and the
    --brand… that pages without an event use."""
    return (f":root {{\n{_declarations(DEFAULT_COLOUR, 'site')}"
            f"{_declarations(DEFAULT_COLOUR, 'brand')}}}\n")
