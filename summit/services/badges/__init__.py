"""Badges: who gets printed (print runs, reprints), sheet layouts, fonts and the PDF
renderer with its QR codes."""

from .print_runs import (
    PrintRun,
    badge_counts,
    badges_for,
    describe_missing,
    missing_characters,
    missing_glyph_report,
    print_badges,
)
from .qr import qr_svg
from .render import EmptySelection
from .selection import (
    SelectionError,
    count,
    empty_message,
    find_people,
    get_registration,
    refusal_reason,
    select,
)
