"""The event's own colours on its pages, kept readable whatever colour the organiser picks."""

WHITE_TEXT_CONTRAST = 4.5  # WCAG AA for normal text: white on the brand colour, brand on white


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


def palette(hex_colour: str) -> dict[str, str]:
    """--brand and --brand-dark from the event's colour.

    A light colour (a yellow, say) is darkened just enough for white header text and brand
    links on white to stay readable, so no event can make its own pages fail contrast.
    """
    try:
        channels = _channels(hex_colour)
    except (ValueError, IndexError):
        channels = _channels("#0b5d66")
    brand = channels
    while contrast_with_white(_hex(brand)) < WHITE_TEXT_CONTRAST:
        brand = _darken(brand, 0.05)
    return {"brand": _hex(brand), "brand-dark": _hex(_darken(brand, 0.28))}


def stylesheet(hex_colour: str) -> str:
    colours = palette(hex_colour)
    r, g, b = _channels(colours["brand"])
    return (":root {\n" + "".join(f"  --{name}: {value};\n" for name, value in colours.items())
            + f"  --brand-ring: rgba({r}, {g}, {b}, .25);\n}}\n")
