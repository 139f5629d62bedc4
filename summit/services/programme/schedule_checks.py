"""Schedule warnings for organisers, in the spirit of pretalx: problems worth a look, not errors
that block saving. Pure functions over plain dataclasses, no Flask, no database.

Each warning carries a stable `code` and `message_params` for the UI to translate, plus an
English default `text` with times shown in the event's timezone. Conflicts between two things
(room, presenter, moderator) are reported once from each side, so that every session involved
shows its own warning. Datetimes should be timezone-aware (UTC in Summit); naive ones are read
as event-local time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from ..moderation.windows import Window, is_available
from .event_days import local_days, within_event_days
from .event_days import to_local as _local

ERROR = "error"
WARNING = "warning"

PITCH_OVERRUN = "pitch_overrun"
PITCH_BEFORE_START = "pitch_before_start"
ROOM_OVERLAP = "room_overlap"
PRESENTER_DOUBLE_BOOKED = "presenter_double_booked"
MODERATOR_DOUBLE_BOOKED = "moderator_double_booked"
MODERATOR_UNAVAILABLE = "moderator_unavailable"
SESSION_OUTSIDE_EVENT = "session_outside_event"

_T = TypeVar("_T")


@dataclass(frozen=True)
class EventInfo:
    timezone: str  # IANA name, e.g. "Europe/Berlin"
    starts_on: date
    ends_on: date  # inclusive


@dataclass(frozen=True)
class SessionInfo:
    id: int
    title: str
    room: str | None
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class PitchInfo:
    id: int
    session_id: int
    title: str
    presenter: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class AssignmentInfo:
    session_id: int
    moderator_id: int
    moderator_name: str


# Named ScheduleWarning rather than Warning: the latter would shadow the builtin exception
# class in this module and in every module importing it.
@dataclass(frozen=True)
class ScheduleWarning:
    code: str
    severity: str  # ERROR or WARNING
    session_id: int
    message_params: dict[str, object]
    text: str


def pitch_times(session_start: datetime, durations: Iterable[tuple[int, int, int]]) -> list[Window]:
    """Start and end of each pitch from (pitch, Q&A, changeover) minutes, in running order.

    The first pitch starts with the session. Changeover is the break AFTER a pitch, before the
    next one begins, so the last pitch's changeover does not move anything. A pitch ends after
    its pitch and Q&A minutes.
    """
    times: list[Window] = []
    start = session_start
    for pitch, qa, changeover in durations:
        if min(pitch, qa, changeover) < 0:
            raise ValueError("durations must not be negative")
        end = start + timedelta(minutes=pitch + qa)
        times.append((start, end))
        start = end + timedelta(minutes=changeover)
    return times


def check_schedule(
    event: EventInfo,
    sessions: Iterable[SessionInfo],
    pitches: Iterable[PitchInfo] = (),
    assignments: Iterable[AssignmentInfo] = (),
    availability: Mapping[int, Sequence[Window]] | None = None,
) -> list[ScheduleWarning]:
    """All warnings, ordered by session start, session id, severity (errors first), code, text.

    `availability` maps moderator id to their windows; a moderator missing from it or with no
    windows counts as available all event (the same rule as auto-assignment). Pitches and
    assignments that refer to unknown sessions are ignored.
    """
    zone = ZoneInfo(event.timezone)
    by_id = {s.id: s for s in sorted(sessions, key=lambda s: s.id)}
    known_pitches = [p for p in pitches if p.session_id in by_id]
    known_assignments = [a for a in assignments if a.session_id in by_id]
    fmt = _Formatter(zone)
    warnings = [
        *_outside_event(event, by_id.values(), zone, fmt),
        *_room_overlaps(by_id.values(), fmt),
        *_pitches_outside_session(by_id, known_pitches, fmt),
        *_presenter_conflicts(by_id, known_pitches, fmt),
        *_moderator_conflicts(by_id, known_assignments, fmt),
        *_moderators_unavailable(by_id, known_assignments, availability or {}, fmt),
    ]

    def order(w: ScheduleWarning) -> tuple[datetime, int, bool, str, str]:
        session = by_id[w.session_id]
        return (session.starts_at, session.id, w.severity != ERROR, w.code, w.text)

    return sorted(warnings, key=order)


# --- the checks ---------------------------------------------------------------------------


def _outside_event(
    event: EventInfo, sessions: Iterable[SessionInfo], zone: ZoneInfo, fmt: _Formatter
) -> Iterator[ScheduleWarning]:
    for session in sessions:
        if within_event_days(event.timezone, event.starts_on, event.ends_on,
                             session.starts_at, session.ends_at):
            continue
        first_day, last_day = local_days(session.starts_at, session.ends_at, zone)
        params = {
            "starts_on": event.starts_on,
            "ends_on": event.ends_on,
            "first_day": first_day,
            "last_day": last_day,
        }
        text = (
            f"{fmt.title(session)} ({fmt.span(session.starts_at, session.ends_at)}) lies "
            f"outside the event days {event.starts_on}–{event.ends_on}"
        )
        yield ScheduleWarning(SESSION_OUTSIDE_EVENT, ERROR, session.id, params, text)


def _room_overlaps(sessions: Iterable[SessionInfo], fmt: _Formatter) -> Iterator[ScheduleWarning]:
    by_room = _group(sessions, lambda s: _fold(s.room) if s.room else None)
    for room_sessions in by_room.values():
        for a, b in _overlapping_pairs(room_sessions, _session_span, lambda s: s.id):
            for here, there in ((a, b), (b, a)):
                params = {"room": here.room, **_other_session(there)}
                text = (
                    f"Room {here.room} is also booked for {fmt.title(there)} at "
                    f"{fmt.span(there.starts_at, there.ends_at)}"
                )
                yield ScheduleWarning(ROOM_OVERLAP, ERROR, here.id, params, text)


def _pitches_outside_session(
    by_id: Mapping[int, SessionInfo], pitches: Iterable[PitchInfo], fmt: _Formatter
) -> Iterator[ScheduleWarning]:
    for pitch in pitches:
        session = by_id[pitch.session_id]
        base = {"pitch_id": pitch.id, "pitch_title": pitch.title, "presenter": pitch.presenter}
        if pitch.ends_at > session.ends_at:
            minutes = _minutes(pitch.ends_at - session.ends_at)
            params = {
                **base,
                "minutes": minutes,
                "pitch_ends_at": pitch.ends_at,
                "session_ends_at": session.ends_at,
            }
            text = (
                f"Pitch {fmt.quote(pitch.title)} ends at {fmt.time(pitch.ends_at)}, "
                f"{minutes} min after the session ends ({fmt.time(session.ends_at)})"
            )
            yield ScheduleWarning(PITCH_OVERRUN, WARNING, session.id, params, text)
        if pitch.starts_at < session.starts_at:
            params = {
                **base,
                "pitch_starts_at": pitch.starts_at,
                "session_starts_at": session.starts_at,
            }
            text = (
                f"Pitch {fmt.quote(pitch.title)} starts at {fmt.time(pitch.starts_at)}, "
                f"before the session starts ({fmt.time(session.starts_at)})"
            )
            yield ScheduleWarning(PITCH_BEFORE_START, WARNING, session.id, params, text)


def _presenter_conflicts(
    by_id: Mapping[int, SessionInfo], pitches: Iterable[PitchInfo], fmt: _Formatter
) -> Iterator[ScheduleWarning]:
    by_presenter = _group(pitches, lambda p: _fold(p.presenter) or None)
    for presenter_pitches in by_presenter.values():
        pairs = _overlapping_pairs(presenter_pitches, _pitch_span, lambda p: p.id)
        for a, b in pairs:
            if a.session_id == b.session_id:
                continue  # within one session the running order cannot clash with itself
            for here, there in ((a, b), (b, a)):
                other = by_id[there.session_id]
                params = {
                    "presenter": here.presenter,
                    "pitch_id": here.id,
                    "other_pitch_id": there.id,
                    "other_pitch_title": there.title,
                    **_other_session(other),
                }
                text = (
                    f"{here.presenter} also presents {fmt.quote(there.title)} in "
                    f"{fmt.title(other)} at {fmt.span(there.starts_at, there.ends_at)}"
                )
                yield ScheduleWarning(PRESENTER_DOUBLE_BOOKED, ERROR, here.session_id, params, text)


def _moderator_conflicts(
    by_id: Mapping[int, SessionInfo], assignments: Iterable[AssignmentInfo], fmt: _Formatter
) -> Iterator[ScheduleWarning]:
    by_moderator = _group(assignments, lambda a: a.moderator_id)
    for moderator_assignments in by_moderator.values():
        pairs = _overlapping_pairs(
            moderator_assignments,
            lambda a: _session_span(by_id[a.session_id]),
            lambda a: a.session_id,
        )
        for a, b in pairs:
            if a.session_id == b.session_id:
                continue
            for here, there in ((a, b), (b, a)):
                other = by_id[there.session_id]
                params = {
                    "moderator_id": here.moderator_id,
                    "moderator_name": here.moderator_name,
                    **_other_session(other),
                }
                text = (
                    f"Moderator {here.moderator_name} also moderates {fmt.title(other)} "
                    f"at {fmt.span(other.starts_at, other.ends_at)}"
                )
                yield ScheduleWarning(MODERATOR_DOUBLE_BOOKED, ERROR, here.session_id, params, text)


def _moderators_unavailable(
    by_id: Mapping[int, SessionInfo],
    assignments: Iterable[AssignmentInfo],
    availability: Mapping[int, Sequence[Window]],
    fmt: _Formatter,
) -> Iterator[ScheduleWarning]:
    for assignment in assignments:
        session = by_id[assignment.session_id]
        windows = availability.get(assignment.moderator_id, ())
        if is_available(windows, session.starts_at, session.ends_at):
            continue
        params = {
            "moderator_id": assignment.moderator_id,
            "moderator_name": assignment.moderator_name,
        }
        text = (
            f"Moderator {assignment.moderator_name} is not available at "
            f"{fmt.span(session.starts_at, session.ends_at)}"
        )
        yield ScheduleWarning(MODERATOR_UNAVAILABLE, WARNING, session.id, params, text)


# --- helpers ------------------------------------------------------------------------------


class _Formatter:
    """English default texts, times in the event's timezone."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone

    def time(self, moment: datetime) -> str:
        return f"{_local(moment, self.zone):%H:%M}"

    def span(self, start: datetime, end: datetime) -> str:
        start, end = _local(start, self.zone), _local(end, self.zone)
        end_text = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%Y-%m-%d %H:%M}"
        return f"{start:%Y-%m-%d %H:%M}–{end_text}"

    @staticmethod
    def quote(title: str) -> str:
        return f"“{title}”"

    def title(self, session: SessionInfo) -> str:
        return self.quote(session.title)


def _fold(name: str) -> str:
    """Case- and whitespace-insensitive key: ' Ada  LOVELACE ' == 'ada lovelace'."""
    return " ".join(name.split()).casefold()


def _minutes(delta: timedelta) -> int:
    return -(-int(delta.total_seconds()) // 60)  # round up: 30 s over is still "1 min"


def _session_span(session: SessionInfo) -> Window:
    return session.starts_at, session.ends_at


def _pitch_span(pitch: PitchInfo) -> Window:
    return pitch.starts_at, pitch.ends_at


def _other_session(session: SessionInfo) -> dict[str, object]:
    return {
        "other_session_id": session.id,
        "other_title": session.title,
        "other_starts_at": session.starts_at,
        "other_ends_at": session.ends_at,
    }


def _group(items: Iterable[_T], key: Callable[[_T], object]) -> dict[object, list[_T]]:
    """Items by key; items whose key is None are left out (no room, no presenter)."""
    groups: dict[object, list[_T]] = {}
    for item in items:
        group_key = key(item)
        if group_key is not None:
            groups.setdefault(group_key, []).append(item)
    return groups


def _overlapping_pairs(
    items: Sequence[_T], span: Callable[[_T], Window], tie: Callable[[_T], int]
) -> Iterator[tuple[_T, _T]]:
    """Every pair whose [start, end) intervals overlap, by a sweep over start times."""
    ordered = sorted(items, key=lambda item: (*span(item), tie(item)))
    for i, first in enumerate(ordered):
        first_start, first_end = span(first)
        for second in ordered[i + 1 :]:
            second_start, second_end = span(second)
            if second_start >= first_end:
                break  # sorted by start: nothing later can overlap `first`
            if second_end > first_start:
                yield first, second
