"""Availability windows as plain time spans: merged, and asked whether a session fits in one.

Pure Python, shared by the automatic assignment (planner.py) and the schedule warnings
(programme/schedule_checks.py). A moderator with no windows recorded is available for the
whole event: organisers record restrictions, not the default.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

Window = tuple[datetime, datetime]


def merge_windows(windows: Iterable[Window]) -> list[Window]:
    """Sorted, non-overlapping windows; touching ones are joined, empty ones dropped."""
    merged: list[Window] = []
    for start, end in sorted(w for w in windows if w[0] < w[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def is_available(windows: Iterable[Window], starts_at: datetime, ends_at: datetime) -> bool:
    """True if [starts_at, ends_at) lies inside one merged window, or no windows are recorded."""
    return inside(merge_windows(windows), starts_at, ends_at)


def inside(merged: list[Window], start: datetime, end: datetime) -> bool:
    """`is_available` for windows merged already (the planner merges each person's once)."""
    if not merged:
        return True
    for window_start, window_end in merged:  # a plain loop: this runs sessions x moderators times
        if window_start <= start and end <= window_end:
            return True
    return False
