"""Pauses and ±1 minute of a step of the run, kept in the step's own history entry
({"pitch_id", "position", "phase", "at", "paused", "paused_at", "adjust"}):

- "paused": seconds the step was paused, pauses that are over;
- "paused_at": when the pause now going on began (absent when the step is not paused);
- "adjust": seconds added to (or taken from) the step's planned length by the moderators.

Kept in the entry, not in columns of the run, so that "back" (which restores the step before
with its entry) and "undo" (which restores the list of steps) restore them too, and the
report reads them from the same history. Pure functions: no database here.
"""

from __future__ import annotations

from datetime import datetime


def is_paused(entry: dict | None) -> bool:
    return bool(entry and entry.get("paused_at"))


def paused_seconds(entry: dict, until: datetime) -> float:
    """All the time the step was paused, a pause still going on counted up to `until`."""
    total = float(entry.get("paused", 0))
    if entry.get("paused_at"):
        total += max(0.0, (until - datetime.fromisoformat(entry["paused_at"])).total_seconds())
    return total


def extra_seconds(entry: dict | None, now: datetime) -> float:
    """How much later than planned the step should end at `now`: its pauses and adjustments."""
    if not entry:
        return 0.0
    return paused_seconds(entry, now) + float(entry.get("adjust", 0))


def close_pause(steps: list[dict], now: datetime) -> list[dict]:
    """The steps with a pause of the last one ended at `now` (when the run moves on or ends
    while paused: the next step starts running, and the paused time stays with its step)."""
    if not steps or not is_paused(steps[-1]):
        return steps
    last = dict(steps[-1])
    last["paused"] = paused_seconds(last, now)
    del last["paused_at"]
    return steps[:-1] + [last]
