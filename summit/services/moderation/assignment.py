"""Moderator auto-assignment: fill programme sessions with moderators.

Pure Python (no Flask, no database) so that the organiser page, the API and the CLI share one
rule, and tests and benchmarks can run it directly. Callers translate models into the
dataclasses below and write the result back themselves.

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
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import TypeVar

LEAD = "lead"
CO = "co"
ROLES = (LEAD, CO)

# Reason codes: stable identifiers the UI translates; `Reason.text` is the English default.
NO_LANGUAGE = "no_language"
NOT_ENOUGH_MODERATORS = "not_enough_moderators"
NO_AVAILABILITY = "no_availability"
ALL_BUSY = "all_busy"
NO_LEAD = "no_lead"

Window = tuple[datetime, datetime]
_T = TypeVar("_T", "SessionSlot", "ModeratorInfo")


@dataclass(frozen=True)
class SessionSlot:
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    language: str | None = None
    moderators_needed: int = 2  # usually a lead and a co-moderator


@dataclass(frozen=True)
class ModeratorInfo:
    id: int
    name: str
    languages: frozenset[str] = frozenset()
    # Empty means "no windows recorded" = available for the whole event (see rule 3).
    availability: tuple[Window, ...] = ()


@dataclass(frozen=True)
class Pinned:
    session_id: int
    moderator_id: int
    role: str  # LEAD or CO


@dataclass(frozen=True)
class Booking:
    """Time a moderator is already committed to outside the sessions being assigned.

    It only blocks time and adds load; it never fills a seat. To keep an assignment to one
    of the sessions being assigned, pass it as `Pinned` instead.
    """

    moderator_id: int
    starts_at: datetime
    ends_at: datetime
    session_id: int | None = None


@dataclass(frozen=True)
class Assignment:
    session_id: int
    moderator_id: int
    role: str
    pinned: bool


@dataclass
class Reason:
    code: str
    params: dict[str, object]
    text: str


@dataclass
class Unfilled:
    """A session that is not fully staffed: seats missing, or (missing == 0) no lead."""

    session_id: int
    missing: int
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class AssignmentResult:
    assignments: list[Assignment]
    unfilled: list[Unfilled]


# --- availability, shared with schedule_checks -------------------------------------------


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
    return _inside(merge_windows(windows), starts_at, ends_at)


def _inside(merged: list[Window], start: datetime, end: datetime) -> bool:
    if not merged:
        return True
    for window_start, window_end in merged:  # a plain loop: this runs sessions x moderators times
        if window_start <= start and end <= window_end:
            return True
    return False


def _norm(language: str) -> str:
    return language.strip().casefold()


# --- entry point --------------------------------------------------------------------------


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


# --- planner ------------------------------------------------------------------------------

# A busy interval: (starts_at, ends_at, session id or None, movable by the swap step).
_Busy = tuple[datetime, datetime, int | None, bool]


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
        self.session_by_id = _index(self.order, "session")
        self.mod_by_id = _index(self.mods, "moderator")
        for slot in self.order:
            _validate_slot(slot)
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
            _validate_pin(pin, by_session, self.mod_by_id)
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
            and _inside(self.windows[m.id], slot.starts_at, slot.ends_at)
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
            ids = [a.moderator_id for a in rows]
            text = f"no lead: all {len(ids)} pinned moderators are co-moderators"
            return Unfilled(slot.id, 0, [Reason(NO_LEAD, {"moderator_ids": ids}, text)])
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
            m for m in others if not _inside(self.windows[m], slot.starts_at, slot.ends_at)
        ]
        booked = [m for m in others if m not in unavailable and not self._is_free(m, slot)]
        when = _format_span(slot.starts_at, slot.ends_at, display_tz)
        reasons: list[Reason] = []
        if len(speakers) < slot.moderators_needed:
            reasons.append(_shortage(language, len(speakers), slot.moderators_needed))
        common = {"language": language, "starts_at": slot.starts_at, "ends_at": slot.ends_at}
        if unavailable:
            text = f"{_who(len(unavailable), language)} not available at {when}"
            params = {**common, "count": len(unavailable), "moderator_ids": unavailable}
            reasons.append(Reason(NO_AVAILABILITY, params, text))
        if booked:
            text = f"{_who(len(booked), language)} booked elsewhere at {when}"
            params = {**common, "count": len(booked), "moderator_ids": booked}
            reasons.append(Reason(ALL_BUSY, params, text))
        return reasons


# --- small helpers ------------------------------------------------------------------------


def _index(items: list[_T], kind: str) -> dict[int, _T]:
    by_id = {item.id: item for item in items}
    if len(by_id) != len(items):
        raise ValueError(f"duplicate {kind} ids")
    return by_id


def _validate_slot(slot: SessionSlot) -> None:
    if slot.ends_at <= slot.starts_at:
        raise ValueError(f"session {slot.id} ends before it starts")
    if slot.moderators_needed < 0:
        raise ValueError(f"session {slot.id} needs a negative number of moderators")


def _validate_pin(
    pin: Pinned, by_session: dict[int, list[Pinned]], mod_by_id: dict[int, ModeratorInfo]
) -> None:
    if pin.session_id not in by_session:
        raise ValueError(f"pinned to unknown session {pin.session_id}")
    if pin.moderator_id not in mod_by_id:
        raise ValueError(f"unknown moderator {pin.moderator_id} pinned")
    if pin.role not in ROLES:
        raise ValueError(f"unknown role {pin.role!r}")
    others = by_session[pin.session_id]
    if any(p.moderator_id == pin.moderator_id for p in others):
        raise ValueError(f"moderator {pin.moderator_id} pinned twice to session {pin.session_id}")
    if pin.role == LEAD and any(p.role == LEAD for p in others):
        raise ValueError(f"two pinned leads for session {pin.session_id}")


def _shortage(language: str | None, have: int, needed: int) -> Reason:
    params: dict[str, object] = {"language": language, "count": have, "needed": needed}
    if language is None:
        subject = "1 moderator is" if have == 1 else f"{have} moderators are"
        text = f"only {subject} registered, {needed} needed"
        return Reason(NOT_ENOUGH_MODERATORS, params, text)
    if have == 0:
        return Reason(NO_LANGUAGE, params, f"no moderator speaks {language}")
    subject = "1 moderator speaks" if have == 1 else f"{have} moderators speak"
    return Reason(NO_LANGUAGE, params, f"only {subject} {language}, {needed} needed")


def _who(count: int, language: str | None) -> str:
    """'3 moderators who speak en are' / '1 moderator is' — the subject of a reason text."""
    noun = "moderator" if count == 1 else "moderators"
    verb = "is" if count == 1 else "are"
    if language is None:
        return f"{count} {noun} {verb}"
    return f"{count} {noun} who {'speaks' if count == 1 else 'speak'} {language} {verb}"


def _format_span(start: datetime, end: datetime, display_tz: tzinfo | None) -> str:
    if display_tz is not None and start.tzinfo is not None:
        start, end = start.astimezone(display_tz), end.astimezone(display_tz)
    end_format = "%H:%M" if end.date() == start.date() else "%Y-%m-%d %H:%M"
    return f"{start:%Y-%m-%d %H:%M}–{end.strftime(end_format)}"
