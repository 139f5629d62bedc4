"""Badges: who gets printed (print runs, reprints), sheet layouts, fonts and the PDF
renderer with its QR codes."""

from .print_runs import (
    EmptySelection,
    PrintRun,
    SelectionError,
    badge_counts,
    badges_for,
    count,
    describe_missing,
    empty_message,
    find_people,
    get_registration,
    missing_glyph_report,
    print_badges,
    refusal_reason,
    select,
)
