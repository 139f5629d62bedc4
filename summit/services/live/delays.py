"""Delay travels: when a session runs over, the later sessions in the same room that day are
expected to start later. Planned times never change; this only says when each later session
is now expected to begin ("about 10 minutes later").

A pure function over plain values, so the pages, the "now" board and the tests share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

# Less than this is noise, not a delay worth telling the audience about.
THRESHOLD = timedelta(minutes=1)
# More than this is a session nobody ended (a forgotten "End"), not a delay to announce.
LIMIT = timedelta(hours=4)


@dataclass(frozen=True)
class Slot:
    """One session of the programme as far as delays are concerned."""

    session_id: int
    room_id: int | None
    day: date  # in the event's timezone: a delay never travels into the next morning
    starts_at: datetime  # planned
    ends_at: datetime  # planned
    started_at: datetime | None = None  # really began (a run of show), if it did
    ended_at: datetime | None = None  # really ended, if it did
    expected_end: datetime | None = None  # while it runs: the end its timeline expects


@dataclass(frozen=True)
class Expected:
    session_id: int
    planned_start: datetime
    expected_start: datetime

    @property
    def late_minutes(self) -> int:
        return round((self.expected_start - self.planned_start).total_seconds() / 60)


def expected_starts(slots: list[Slot]) -> dict[int, Expected]:
    """For every session that has not begun yet and is now expected to start at least
    THRESHOLD after its planned start, when it is expected to begin. A session never
    starts before its planned time, so an early end brings nothing forward; a session
    without a run of show lasts as long as planned, from its expected start."""
    found: dict[int, Expected] = {}
    rooms: dict[tuple, list[Slot]] = {}
    for slot in slots:
        if slot.room_id is not None:
            rooms.setdefault((slot.room_id, slot.day), []).append(slot)
    for room in rooms.values():
        carry: datetime | None = None  # when the room is free again, as far as we know
        for slot in sorted(room, key=lambda s: (s.starts_at, s.session_id)):
            if slot.ended_at is not None:
                carry = slot.ended_at
                continue
            if slot.started_at is not None:
                carry = slot.expected_end or slot.ends_at
                continue
            start = max(slot.starts_at, carry) if carry else slot.starts_at
            if start - slot.starts_at > LIMIT:
                start = slot.starts_at
            if start - slot.starts_at >= THRESHOLD:
                found[slot.session_id] = Expected(slot.session_id, slot.starts_at, start)
            carry = start + (slot.ends_at - slot.starts_at)
    return found
