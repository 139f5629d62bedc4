"""Badge sheet layouts as data.

A layout says how big a badge is and where each badge sits on a printed page. Adding a new
label sheet means adding one entry to ``LAYOUTS``; the renderer needs nothing else. All
lengths are PDF points (1/72 inch), the unit ReportLab draws in.

The label-sheet figures (margins, pitch, corner radius) are the manufacturers' published
template geometry, so a printed badge lands on the die-cut label.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, A6, LETTER
from reportlab.lib.units import inch, mm

DEFAULT_LAYOUT = "a6"


class UnknownLayout(ValueError):
    """Raised for a layout name that is not in ``LAYOUTS``."""

    def __init__(self, name: str) -> None:
        self.name = name
        valid = ", ".join(sorted(LAYOUTS))
        super().__init__(f"Unknown badge layout {name!r}; valid layouts: {valid}")


@dataclass(frozen=True, slots=True)
class SheetLayout:
    """Where badges of one size go on one page size.

    ``margin_left``/``margin_top`` locate the top-left badge from the top-left page corner
    (label templates are published that way); ``gap_x``/``gap_y`` are the spaces between
    neighbouring badges. ``corner_radius`` is the die-cut rounding of a label: the badge is
    clipped to it so the colour band does not run onto the backing sheet.
    """

    name: str
    title: str
    page_size: tuple[float, float]
    badge_size: tuple[float, float]
    columns: int
    rows: int
    margin_left: float = 0.0
    margin_top: float = 0.0
    gap_x: float = 0.0
    gap_y: float = 0.0
    corner_radius: float = 0.0

    def __post_init__(self) -> None:
        # A typo in a new sheet entry should fail at import, not on a print run.
        if self.columns < 1 or self.rows < 1:
            raise ValueError(f"layout {self.name!r}: needs at least one column and row")
        page_w, page_h = self.page_size
        used_w = self.margin_left + self.columns * self.badge_w + (self.columns - 1) * self.gap_x
        used_h = self.margin_top + self.rows * self.badge_h + (self.rows - 1) * self.gap_y
        if used_w > page_w + 0.01 or used_h > page_h + 0.01:
            raise ValueError(f"layout {self.name!r}: badges do not fit on the page")

    @property
    def badge_w(self) -> float:
        return self.badge_size[0]

    @property
    def badge_h(self) -> float:
        return self.badge_size[1]

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def slot_origin(self, index: int) -> tuple[float, float]:
        """Bottom-left corner (PDF coordinates) of badge ``index`` on its page.

        Slots fill row by row from the top left, the order people read a sheet in.
        """
        col, row = index % self.columns, index // self.columns
        x = self.margin_left + col * (self.badge_w + self.gap_x)
        top = self.margin_top + row * (self.badge_h + self.gap_y)
        return x, self.page_size[1] - top - self.badge_h

    def slots(self) -> Iterator[tuple[float, float]]:
        for index in range(self.per_page):
            yield self.slot_origin(index)


_A7_LANDSCAPE = (105 * mm, 74 * mm)

LAYOUTS: dict[str, SheetLayout] = {
    layout.name: layout
    for layout in (
        SheetLayout(
            name="a6",
            title="A6, one badge per page",
            page_size=A6,
            badge_size=A6,
            columns=1,
            rows=1,
        ),
        SheetLayout(
            # 2 x 148 mm leaves 1 mm of the 297 mm page: split it above and below.
            name="a4-4xa6",
            title="4 × A6 on A4",
            page_size=A4,
            badge_size=A6,
            columns=2,
            rows=2,
            margin_top=0.5 * mm,
        ),
        SheetLayout(
            # A7 lies on its side so that 2 × 4 of them tile A4 portrait (pretix's 8xA7).
            name="a4-8xa7",
            title="8 × A7 on A4",
            page_size=A4,
            badge_size=_A7_LANDSCAPE,
            columns=2,
            rows=4,
            margin_top=0.5 * mm,
        ),
        SheetLayout(
            # Business-card sheets such as Avery C32011: 15 mm left, 13.5 mm top, 10 mm gutter.
            name="a4-cards-2x5",
            title="Cards 85 × 54 mm, 2 × 5 on A4",
            page_size=A4,
            badge_size=(85 * mm, 54 * mm),
            columns=2,
            rows=5,
            margin_left=15 * mm,
            margin_top=13.5 * mm,
            gap_x=10 * mm,
        ),
        SheetLayout(
            # Avery L4785 template: pitch 95 x 55 mm, first label at 18 mm / 13 mm.
            name="avery-l4785",
            title="Avery L4785 name badges 80 × 50 mm, 2 × 5 on A4",
            page_size=A4,
            badge_size=(80 * mm, 50 * mm),
            columns=2,
            rows=5,
            margin_left=18 * mm,
            margin_top=13 * mm,
            gap_x=15 * mm,
            gap_y=5 * mm,
            corner_radius=4 * mm,
        ),
        SheetLayout(
            # Avery 5395 template: 3 3/8" x 2 1/3", pitch 3.75" x 2.5", first at 11/16", 7/12".
            name="letter-2x4",
            title="Avery 5395 name badges, 2 × 4 on US Letter",
            page_size=LETTER,
            badge_size=(3.375 * inch, 7 / 3 * inch),
            columns=2,
            rows=4,
            margin_left=0.6875 * inch,
            margin_top=7 / 12 * inch,
            gap_x=0.375 * inch,
            gap_y=1 / 6 * inch,
            corner_radius=0.1875 * inch,
        ),
    )
}


def get_layout(name: str | None) -> SheetLayout:
    """The layout called ``name`` (``None`` or empty means the default, A6)."""
    key = (name or DEFAULT_LAYOUT).strip().lower()
    try:
        return LAYOUTS[key]
    except KeyError:
        raise UnknownLayout(name or "") from None


__all__ = ["DEFAULT_LAYOUT", "LAYOUTS", "SheetLayout", "UnknownLayout", "get_layout"]
