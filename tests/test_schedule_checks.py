"""Schedule warnings and pitch times: one test per warning kind, a clean schedule, ordering."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from summit.services.programme.schedule_checks import (
    ERROR,
    MODERATOR_DOUBLE_BOOKED,
    MODERATOR_UNAVAILABLE,
    PITCH_BEFORE_START,
    PITCH_OVERRUN,
    PRESENTER_DOUBLE_BOOKED,
    ROOM_OVERLAP,
    SESSION_OUTSIDE_EVENT,
    WARNING,
    AssignmentInfo,
    EventInfo,
    PitchInfo,
    SessionInfo,
    check_schedule,
    pitch_times,
)

EVENT = EventInfo("Europe/Berlin", date(2014, 6, 12), date(2014, 6, 13))
DAY = datetime(2014, 6, 12, tzinfo=UTC)  # Berlin is UTC+2 in June


def at(hour: float) -> datetime:
    return DAY + timedelta(hours=hour)


def session(sid: int, start: float, end: float, room: str | None = "Saal 1") -> SessionInfo:
    return SessionInfo(sid, f"Session {sid}", room, at(start), at(end))


def pitch(pid: int, sid: int, start: float, end: float, presenter: str = "") -> PitchInfo:
    return PitchInfo(pid, sid, f"Pitch {pid}", presenter or f"Presenter {pid}", at(start), at(end))


def codes(warnings: list) -> list[tuple[str, int]]:
    return [(w.code, w.session_id) for w in warnings]


# --- pitch_times --------------------------------------------------------------------------


def test_pitch_times_follow_the_running_order_with_changeover_after_each_pitch():
    times = pitch_times(at(8), [(5, 3, 2), (7, 0, 1), (4, 4, 10)])
    offsets = [
        ((s - at(8)) // timedelta(minutes=1), (e - at(8)) // timedelta(minutes=1)) for s, e in times
    ]
    # 5+3 min, 2 min changeover; 7+0, 1 min; 4+4 (the last changeover moves nothing)
    assert offsets == [(0, 8), (10, 17), (18, 26)]


def test_reordering_pitches_moves_their_times():
    first, second = (5, 3, 2), (10, 5, 2)
    before = pitch_times(at(8), [first, second])
    after = pitch_times(at(8), [second, first])
    assert after[0] == (at(8), at(8) + timedelta(minutes=15))
    assert after[1][0] == at(8) + timedelta(minutes=17) != before[1][0]
    assert after[1][1] - after[1][0] == before[0][1] - before[0][0]  # same length, new slot


def test_pitch_times_edge_cases():
    assert pitch_times(at(8), []) == []
    with pytest.raises(ValueError):
        pitch_times(at(8), [(5, -1, 0)])


# --- a clean schedule ---------------------------------------------------------------------


def clean_schedule() -> tuple[list, list, list, dict]:
    sessions = [
        session(1, 8, 9, "Saal 1"),
        session(2, 9, 10, "Saal 1"),  # back to back in the same room is fine
        session(3, 8, 9, "Saal 2"),
        session(4, 8, 9, None),
    ]
    times = pitch_times(at(8), [(5, 3, 2)] * 3)
    pitches = [
        PitchInfo(n, 1, f"Pitch {n}", f"Presenter {n}", start, end)
        for n, (start, end) in enumerate(times, start=1)
    ]
    pitches.append(pitch(10, 2, 9, 9.25, "Presenter 1"))  # same person, later session
    assignments = [
        AssignmentInfo(1, 100, "Ada"),
        AssignmentInfo(2, 100, "Ada"),
        AssignmentInfo(3, 200, "Grace"),
    ]
    availability = {100: [(at(7), at(12))]}  # 200 has no windows: available all event
    return sessions, pitches, assignments, availability


def test_a_clean_schedule_has_no_warnings():
    assert check_schedule(EVENT, *clean_schedule()) == []


# --- one test per kind --------------------------------------------------------------------


def test_pitch_overrunning_its_session():
    warnings = check_schedule(EVENT, [session(1, 8, 9)], [pitch(1, 1, 8.5, 9.25, "Ada")])
    [warning] = warnings
    assert (warning.code, warning.severity, warning.session_id) == (PITCH_OVERRUN, WARNING, 1)
    assert warning.message_params["minutes"] == 15 and warning.message_params["pitch_id"] == 1
    assert warning.text == "Pitch “Pitch 1” ends at 11:15, 15 min after the session ends (11:00)"


def test_pitch_starting_before_its_session():
    assert codes(check_schedule(EVENT, [session(1, 8, 9)], [pitch(1, 1, 7.5, 8.5)])) == [
        (PITCH_BEFORE_START, 1)
    ]


def test_room_double_booked_is_reported_for_both_sessions():
    sessions = [
        session(1, 8, 9, "Saal 1"),
        session(2, 8.5, 9.5, " saal  1 "),
        session(3, 8, 9, "B"),
    ]
    warnings = check_schedule(EVENT, sessions)
    assert codes(warnings) == [(ROOM_OVERLAP, 1), (ROOM_OVERLAP, 2)]
    assert warnings[0].severity == ERROR
    assert warnings[0].message_params["other_session_id"] == 2
    assert (
        warnings[0].text == "Room Saal 1 is also booked for “Session 2” at 2014-06-12 10:30–11:30"
    )


def test_presenter_in_two_places_at_once():
    sessions = [session(1, 8, 9, "A"), session(2, 8, 9, "B")]
    pitches = [
        pitch(1, 1, 8, 8.25, " Ada  Lovelace"),
        pitch(2, 2, 8.2, 8.4, "ada lovelace"),
        pitch(3, 2, 8.0, 8.1, "Grace Hopper"),
        pitch(4, 1, 8.5, 8.6, "Grace Hopper"),  # same person, different time: fine
    ]
    warnings = check_schedule(EVENT, sessions, pitches)
    assert codes(warnings) == [(PRESENTER_DOUBLE_BOOKED, 1), (PRESENTER_DOUBLE_BOOKED, 2)]
    assert warnings[0].message_params["other_pitch_id"] == 2
    assert "ada lovelace also presents “Pitch 1” in “Session 1”" in warnings[1].text


def test_moderator_double_booked():
    sessions = [session(1, 8, 9, "A"), session(2, 8.75, 10, "B")]
    assignments = [
        AssignmentInfo(1, 7, "Ada"),
        AssignmentInfo(2, 7, "Ada"),
        AssignmentInfo(2, 8, "Bo"),
    ]
    warnings = check_schedule(EVENT, sessions, assignments=assignments)
    assert codes(warnings) == [(MODERATOR_DOUBLE_BOOKED, 1), (MODERATOR_DOUBLE_BOOKED, 2)]
    assert warnings[1].message_params["moderator_id"] == 7
    assert warnings[1].text == "Moderator Ada also moderates “Session 1” at 2014-06-12 10:00–11:00"


def test_moderator_outside_availability():
    sessions = [session(1, 8, 9, "A"), session(2, 12, 13, "B")]
    assignments = [
        AssignmentInfo(1, 7, "Ada"),
        AssignmentInfo(2, 7, "Ada"),
        AssignmentInfo(2, 8, "Bo"),
    ]
    availability = {7: [(at(7), at(10))], 8: []}
    warnings = check_schedule(EVENT, sessions, assignments=assignments, availability=availability)
    assert codes(warnings) == [(MODERATOR_UNAVAILABLE, 2)]
    assert warnings[0].text == "Moderator Ada is not available at 2014-06-12 14:00–15:00"


def test_session_outside_the_event_days_in_event_time():
    sessions = [
        session(1, -4, -3),  # 11 June 22:00 Berlin: the day before
        session(2, 46.5, 47.5, "Saal 2"),  # 14 June 00:30 Berlin, though 13 June in UTC
        session(3, 45, 46, "Saal 3"),  # ends 14 June 00:00 Berlin: still the last day
    ]
    warnings = check_schedule(EVENT, sessions)
    assert codes(warnings) == [(SESSION_OUTSIDE_EVENT, 1), (SESSION_OUTSIDE_EVENT, 2)]
    assert warnings[0].message_params["first_day"] == date(2014, 6, 11)
    assert warnings[1].message_params["first_day"] == date(2014, 6, 14)


# --- ordering -----------------------------------------------------------------------------


def test_warnings_are_sorted_and_independent_of_input_order():
    sessions = [session(1, 8, 9, "A"), session(2, 8.5, 9.5, "A"), session(3, 7, 8, "B")]
    pitches = [pitch(1, 2, 9, 9.75), pitch(2, 3, 7, 7.5, "Ada"), pitch(3, 1, 7.25, 7.4, "Ada")]
    assignments = [
        AssignmentInfo(3, 1, "Bo"),
        AssignmentInfo(1, 1, "Bo"),
        AssignmentInfo(2, 1, "Bo"),
    ]
    expected = check_schedule(EVENT, sessions, pitches, assignments)
    assert codes(expected) == [
        (PRESENTER_DOUBLE_BOOKED, 3),
        (MODERATOR_DOUBLE_BOOKED, 1),
        (PRESENTER_DOUBLE_BOOKED, 1),
        (ROOM_OVERLAP, 1),
        (PITCH_BEFORE_START, 1),
        (MODERATOR_DOUBLE_BOOKED, 2),
        (ROOM_OVERLAP, 2),
        (PITCH_OVERRUN, 2),
    ]
    rng = random.Random(3)
    for _ in range(5):
        lists = [list(items) for items in (sessions, pitches, assignments)]
        for items in lists:
            rng.shuffle(items)
        assert check_schedule(EVENT, *lists) == expected
