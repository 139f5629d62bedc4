"""Moderator auto-assignment: fill programme sessions with moderators.

Pure Python (no Flask, no database) so that the organiser page, the API and the CLI share one
rule, and tests and benchmarks can run it directly. Callers translate models into the
dataclasses of assignment.py and write the result back themselves.

Rules, strongest first:

1. Pinned assignments are kept exactly as given (moderator and role), even when they break a
   rule below; `schedule_checks` reports such conflicts to the organiser.
2. A moderator is never put into two sessions whose [starts_at, ends_at) overlap. Pinned
   assignments and existing bookings (`Booking`, e.g. sessions outside this run) count as
   occupied time.
3. A moderator only gets a session lying fully inside one availability window. Touching or
   overlapping windows are merged first, so 09:00-10:00 + 10:00-11:00 covers 09:30-10:30.
   A moderator with NO windows recorded is available for the whole event: organisers record
   restrictions, not the default.
4. The moderator speaks the session's language (compared case-insensitively); a session
   without a language can be moderated by anyone.
5. Load balance: among the moderators still possible, take the one with the fewest booked
   minutes, then the fewest sessions, then the lowest id. Pinned assignments and existing
   bookings count toward the load, so someone already busy elsewhere gets less new work.
6. Every session has exactly one lead: the pinned lead if there is one, else the first
   moderator auto-assigned to it; everyone else is "co". Pinned roles are never changed, so
   a session whose seats are all pinned co-moderators is reported as `Unfilled` with
   missing == 0 and reason code "no_lead".

Sessions are filled most constrained first (fewest possible moderators beyond what the session
needs), then by start time and id. Afterwards an improvement pass fills remaining gaps, first
directly and then by one swap: a moderator blocked by a single auto-assignment moves over when
somebody else can take their old session.

The result is deterministic: inputs are sorted by id or time before use and ties are broken by
id, never by dict or set order. All datetimes must be of one kind (aware UTC in Summit);
mixing naive and aware ones raises TypeError, as Python's comparisons do.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo

from . import reasons
from .assignment import (
    CO,
    LEAD,
    Assignment,
    AssignmentResult,
    Booking,
    ModeratorInfo,
    Pinned,
    SessionSlot,
    Unfilled,
    check_pin,
    check_slot,
    index_by_id,
)
from .reasons import Reason
from .windows import inside, merge_windows


def auto_assign(
    sessions: Iterable[SessionSlot],
    moderators: Iterable[ModeratorInfo],
    pinned: Iterable[Pinned] = (),
    existing: Iterable[Booking] = (),
    *,
    display_tz: tzinfo | None = None,
) -> AssignmentResult:
    """Assign moderators to sessions; see the module docstring for the rules.

    `display_tz` only affects the times in the English reason texts (e.g. the event's zone).
    Raises ValueError for inconsistent input: duplicate ids, a session ending before it
    starts, a pin to an unknown session or moderator, an unknown role, two pinned leads.
    """
    plan = _Plan(sessions, moderators, pinned, existing)
    plan.fill_greedily()
    plan.fill_gaps()
    return plan.result(display_tz)


# A busy interval: (starts_at, ends_at, session id or None, movable by the swap step).
_Busy = tuple[datetime, datetime, int | None, bool]


def _norm(language: str) -> str:
    return language.strip().casefold()


class _Plan:
    def __init__(
        self,
        sessions: Iterable[SessionSlot],
        moderators: Iterable[ModeratorInfo],
        pinned: Iterable[Pinned],
        existing: Iterable[Booking],
    ) -> None:
        self.order = sorted(sessions, key=lambda s: (s.starts_at, s.ends_at, s.id))
        self.mods = sorted(moderators, key=lambda m: m.id)
        self.session_by_id = index_by_id(self.order, "session")
        self.mod_by_id = index_by_id(self.mods, "moderator")
        for slot in self.order:
            check_slot(slot)
        self.languages = {m.id: frozenset(_norm(lang) for lang in m.languages) for m in self.mods}
        self.windows = {m.id: merge_windows(m.availability) for m in self.mods}
        self.busy: dict[int, list[_Busy]] = {m.id: [] for m in self.mods}
        self.seconds = {m.id: 0.0 for m in self.mods}
        self.count = {m.id: 0 for m in self.mods}
        self.pinned = self._take_pins(pinned)
        self.auto: dict[int, list[int]] = {s.id: [] for s in self.order}
        for booking in sorted(existing, key=lambda b: (b.moderator_id, b.starts_at, b.ends_at)):
            if booking.moderator_id in self.busy:  # bookings of unknown people cannot collide
                self._occupy(booking.moderator_id, booking.starts_at, booking.ends_at, None, False)
        self.eligible = {s.id: self._eligible(s) for s in self.order}

    def _take_pins(self, pinned: Iterable[Pinned]) -> dict[int, list[Pinned]]:
        by_session: dict[int, list[Pinned]] = {s.id: [] for s in self.order}
        for pin in sorted(pinned, key=lambda p: (p.session_id, p.moderator_id, p.role)):
            check_pin(pin, by_session, self.mod_by_id)
            by_session[pin.session_id].append(pin)
            slot = self.session_by_id[pin.session_id]
            self._occupy(pin.moderator_id, slot.starts_at, slot.ends_at, slot.id, False)
        return by_session

    def _eligible(self, slot: SessionSlot) -> list[int]:
        """Moderators who could take the slot if free: language, availability, not pinned."""
        language = None if slot.language is None else _norm(slot.language)
        pinned_here = {p.moderator_id for p in self.pinned[slot.id]}
        return [
            m.id
            for m in self.mods
            if (language is None or language in self.languages[m.id])
            and inside(self.windows[m.id], slot.starts_at, slot.ends_at)
            and m.id not in pinned_here
        ]

    # --- bookkeeping ----------------------------------------------------------------------

    def _occupy(
        self, mod_id: int, start: datetime, end: datetime, session_id: int | None, movable: bool
    ) -> None:
        self.busy[mod_id].append((start, end, session_id, movable))
        self.seconds[mod_id] += (end - start).total_seconds()
        self.count[mod_id] += 1

    def _release(self, mod_id: int, slot: SessionSlot) -> None:
        self.busy[mod_id] = [b for b in self.busy[mod_id] if b[2] != slot.id or not b[3]]
        self.seconds[mod_id] -= (slot.ends_at - slot.starts_at).total_seconds()
        self.count[mod_id] -= 1

    def _assign(self, slot: SessionSlot, mod_id: int) -> None:
        self.auto[slot.id].append(mod_id)
        self._occupy(mod_id, slot.starts_at, slot.ends_at, slot.id, True)

    def _replace(self, slot: SessionSlot, old: int, new: int) -> None:
        """Swap who sits in a seat; the newcomer keeps the seat's position, hence its role."""
        seats = self.auto[slot.id]
        seats[seats.index(old)] = new
        self._release(old, slot)
        self._occupy(new, slot.starts_at, slot.ends_at, slot.id, True)

    def missing(self, slot: SessionSlot) -> int:
        return slot.moderators_needed - len(self.pinned[slot.id]) - len(self.auto[slot.id])

    def _conflicts(self, mod_id: int, slot: SessionSlot) -> list[_Busy]:
        start, end = slot.starts_at, slot.ends_at
        return [b for b in self.busy[mod_id] if b[0] < end and start < b[1]]

    def _is_free(self, mod_id: int, slot: SessionSlot) -> bool:
        start, end = slot.starts_at, slot.ends_at
        for busy_start, busy_end, _, _ in self.busy[mod_id]:
            if busy_start < end and start < busy_end:
                return False
        return True

    def _load(self, mod_id: int) -> tuple[float, int, int]:
        return (self.seconds[mod_id], self.count[mod_id], mod_id)

    def _least_loaded_free(self, slot: SessionSlot) -> int | None:
        # A moderator already in this slot is busy at its time, so never picked twice.
        free = [m for m in self.eligible[slot.id] if self._is_free(m, slot)]
        return min(free, key=self._load, default=None)

    # --- passes ---------------------------------------------------------------------------

    def fill_greedily(self) -> None:
        def tightness(slot: SessionSlot) -> tuple[int, datetime, datetime, int]:
            spare = len(self.eligible[slot.id]) - self.missing(slot)
            return (spare, slot.starts_at, slot.ends_at, slot.id)

        for slot in sorted(self.order, key=tightness):
            self._fill_directly(slot)

    def _fill_directly(self, slot: SessionSlot) -> bool:
        changed = False
        while self.missing(slot) > 0:
            chosen = self._least_loaded_free(slot)
            if chosen is None:
                break
            self._assign(slot, chosen)
            changed = True
        return changed

    def fill_gaps(self) -> None:
        # Each change adds one seat and never removes one, so the loop ends.
        changed = True
        while changed:
            changed = False
            for slot in self.order:
                changed |= self._fill_directly(slot)
                while self.missing(slot) > 0 and self._swap_into(slot):
                    changed = True

    def _swap_into(self, slot: SessionSlot) -> bool:
        """Move in a moderator blocked by one auto-assignment that someone else can take."""
        for mod_id in sorted(self.eligible[slot.id], key=self._load):
            conflicts = self._conflicts(mod_id, slot)
            if len(conflicts) != 1 or not conflicts[0][3]:
                continue
            blocker_id = conflicts[0][2]
            if blocker_id is None or blocker_id == slot.id:
                continue
            blocker = self.session_by_id[blocker_id]
            substitute = self._least_loaded_free(blocker)
            if substitute is None:
                continue
            self._replace(blocker, mod_id, substitute)
            self._assign(slot, mod_id)
            return True
        return False

    # --- result ---------------------------------------------------------------------------

    def result(self, display_tz: tzinfo | None) -> AssignmentResult:
        assignments: list[Assignment] = []
        unfilled: list[Unfilled] = []
        for slot in self.order:
            rows = self._rows(slot)
            assignments.extend(sorted(rows, key=lambda a: (a.role != LEAD, a.moderator_id)))
            gap = self._unfilled(slot, rows, display_tz)
            if gap is not None:
                unfilled.append(gap)
        return AssignmentResult(assignments=assignments, unfilled=unfilled)

    def _rows(self, slot: SessionSlot) -> list[Assignment]:
        pins = self.pinned[slot.id]
        rows = [Assignment(slot.id, p.moderator_id, p.role, True) for p in pins]
        has_lead = any(p.role == LEAD for p in pins)
        for position, mod_id in enumerate(self.auto[slot.id]):
            role = LEAD if position == 0 and not has_lead else CO
            rows.append(Assignment(slot.id, mod_id, role, False))
        return rows

    def _unfilled(
        self, slot: SessionSlot, rows: list[Assignment], display_tz: tzinfo | None
    ) -> Unfilled | None:
        missing = self.missing(slot)
        if missing > 0:
            return Unfilled(slot.id, missing, self._explain(slot, rows, display_tz))
        if rows and not any(a.role == LEAD for a in rows):
            return Unfilled(slot.id, 0, [reasons.no_lead([a.moderator_id for a in rows])])
        return None

    def _explain(
        self, slot: SessionSlot, rows: list[Assignment], display_tz: tzinfo | None
    ) -> list[Reason]:
        """Why the remaining seats stay empty, per group of moderators who speak the language."""
        language = None if slot.language is None else _norm(slot.language)
        speakers = [m.id for m in self.mods if language is None or language in self.languages[m.id]]
        seated = {a.moderator_id for a in rows}
        others = [m for m in speakers if m not in seated]
        unavailable = [
            m for m in others if not inside(self.windows[m], slot.starts_at, slot.ends_at)
        ]
        booked = [m for m in others if m not in unavailable and not self._is_free(m, slot)]
        found: list[Reason] = []
        if len(speakers) < slot.moderators_needed:
            found.append(reasons.shortage(language, len(speakers), slot.moderators_needed))
        if unavailable:
            found.append(reasons.not_available(unavailable, language, slot.starts_at,
                                               slot.ends_at, display_tz))
        if booked:
            found.append(reasons.booked_elsewhere(booked, language, slot.starts_at,
                                                  slot.ends_at, display_tz))
        return found
