"""The run-of-show state machine on the demo pitch session (ten pitches of 5 + 3 minutes with
one minute changeover, 11:00 Berlin). `now` is always given: no test reads the clock."""

from datetime import timedelta

import pytest
from moderators_fixtures import *  # noqa: F403

from summit.extensions import db
from summit.models import EventSession
from summit.services import live
from summit.services.live import run_of_show as ros


@pytest.fixture
def pitch_session(app, demo_data):
    with app.app_context():
        yield db.session.get(EventSession, demo_data.pitch_session_id)


def minutes(session, n):
    return session.starts_at + timedelta(minutes=n)


def test_idle_snapshot_shows_the_plan(pitch_session):
    s = live.snapshot(pitch_session, now=minutes(pitch_session, -10))
    assert s["state"] == "idle" and s["current"] is None
    assert s["next"]["position"] == 1 and s["next"]["presenter"].startswith("Miriam")
    assert s["delay_minutes"] == 0
    assert [p["expected_start_local"] for p in s["pitches"][:3]] == ["11:00", "11:09", "11:18"]
    assert s["can"] == {"start": True, "next": False, "back": False, "end": False}


def test_a_late_start_shows_up_as_delay_before_the_session_runs(pitch_session):
    s = live.snapshot(pitch_session, now=minutes(pitch_session, 4))
    assert s["delay_minutes"] == 4
    assert s["pitches"][1]["expected_start_local"] == "11:13"


def test_start_next_through_pitch_qa_changeover_and_pitches(pitch_session):
    session = pitch_session
    ros.start(session, now=minutes(session, 0))
    s = live.snapshot(session, now=minutes(session, 2))
    assert (s["state"], s["phase"], s["current"]["position"]) == ("running", "pitch", 1)
    assert s["phase_remaining_seconds"] == 180 and s["overrun_seconds"] == 0
    assert s["next"]["position"] == 2 and s["delay_minutes"] == 0

    ros.next(session, now=minutes(session, 5))
    s = live.snapshot(session, now=minutes(session, 5))
    assert (s["phase"], s["current"]["position"], s["phase_remaining_seconds"]) == ("qa", 1, 180)

    ros.next(session, now=minutes(session, 8))
    s = live.snapshot(session, now=minutes(session, 8))
    assert (s["phase"], s["current"]["position"], s["phase_remaining_seconds"]) == (
        "changeover", 1, 60)

    ros.next(session, now=minutes(session, 9))
    s = live.snapshot(session, now=minutes(session, 9))
    assert (s["phase"], s["current"]["position"]) == ("pitch", 2)
    assert s["pitches"][0]["status"] == "done" and s["pitches"][1]["status"] == "current"
    assert s["pitches"][0]["expected_start_local"] == "11:00"  # the real start
    assert s["pitches"][2]["expected_start_local"] == "11:18"
    assert s["version"] == 4


def test_overrun_delays_the_later_pitches(pitch_session):
    session = pitch_session
    ros.start(session, now=minutes(session, 0))
    # The first pitch talks for seven minutes instead of five.
    s = live.snapshot(session, now=minutes(session, 7))
    assert s["phase_remaining_seconds"] == 0 and s["overrun_seconds"] == 120
    assert s["delay_minutes"] == 2 and s["delay_seconds"] == 120
    assert [p["expected_start_local"] for p in s["pitches"][1:3]] == ["11:11", "11:20"]
    assert s["pitches"][1]["planned_start_local"] == "11:09"
    assert s["expected_end_local"] == "12:31"

    ros.next(session, now=minutes(session, 7))  # Q&A starts two minutes late
    s = live.snapshot(session, now=minutes(session, 8))
    assert s["phase"] == "qa" and s["phase_remaining_seconds"] == 120
    assert s["delay_minutes"] == 2
    assert s["pitches"][1]["expected_start_local"] == "11:11"


def test_running_ahead_shows_negative_delay(pitch_session):
    session = pitch_session
    ros.start(session, now=minutes(session, 0))
    ros.next(session, now=minutes(session, 3))  # a short pitch: Q&A two minutes early
    s = live.snapshot(session, now=minutes(session, 3))
    assert s["delay_minutes"] == -2
    assert s["pitches"][1]["expected_start_local"] == "11:07"


def test_back_undoes_next_and_restores_the_real_phase_start(pitch_session):
    session = pitch_session
    ros.start(session, now=minutes(session, 0))
    ros.next(session, now=minutes(session, 5))
    ros.next(session, now=minutes(session, 6))  # pressed twice by mistake
    ros.back(session, now=minutes(session, 6))
    s = live.snapshot(session, now=minutes(session, 6))
    assert s["phase"] == "qa" and s["phase_remaining_seconds"] == 120
    ros.back(session)
    s = live.snapshot(session, now=minutes(session, 6))
    assert s["phase"] == "pitch" and s["overrun_seconds"] == 60
    with pytest.raises(ros.InvalidTransition) as excinfo:
        ros.back(session, now=minutes(session, 6))
    assert excinfo.value.code == ros.FIRST_STEP


def test_invalid_transitions_are_refused(pitch_session):
    session = pitch_session
    for action in ("next", "back", "end"):
        with pytest.raises(ros.InvalidTransition) as excinfo:
            ros.apply(action, session, now=minutes(session, 0))
        assert excinfo.value.code == ros.NOT_STARTED
    ros.start(session, now=minutes(session, 0))
    with pytest.raises(ros.InvalidTransition) as excinfo:
        ros.start(session, now=minutes(session, 1))
    assert excinfo.value.code == ros.ALREADY_RUNNING
    ros.end(session, now=minutes(session, 2))
    s = live.snapshot(session, now=minutes(session, 3))
    assert s["state"] == "ended" and s["current"] is None and not any(s["can"].values())
    for action in ros.ACTIONS:
        with pytest.raises(ros.InvalidTransition) as excinfo:
            ros.apply(action, session, now=minutes(session, 3))
        assert excinfo.value.code == ros.ALREADY_ENDED


def test_next_stops_at_the_last_step(pitch_session):
    session = pitch_session
    ros.start(session, now=minutes(session, 0))
    steps = ros.plan(session)
    assert len(steps) == 10 * 3 - 1  # pitch, Q&A, changeover; no changeover after the last
    for step in steps[1:]:
        ros.next(session, now=step.planned_start)
    s = live.snapshot(session, now=steps[-1].planned_start)
    assert (s["phase"], s["current"]["position"], s["next"]) == ("qa", 10, None)
    assert s["can"]["next"] is False and s["can"]["end"] is True
    with pytest.raises(ros.InvalidTransition) as excinfo:
        ros.next(session, now=steps[-1].planned_end)
    assert excinfo.value.code == ros.LAST_STEP
    ros.end(session, now=steps[-1].planned_end)
    assert live.snapshot(session, now=steps[-1].planned_end)["delay_minutes"] == 0


def test_a_press_based_on_an_old_version_changes_nothing(pitch_session):
    session = pitch_session
    run = ros.start(session, now=minutes(session, 0))
    seen = run.version
    ros.next(session, now=minutes(session, 5), expected_version=seen)
    with pytest.raises(ros.StaleState):  # the co-moderator pressed on the same screen state
        ros.next(session, now=minutes(session, 5), expected_version=seen)
    s = live.snapshot(session, now=minutes(session, 5))
    assert (s["phase"], s["current"]["position"], s["version"]) == ("qa", 1, seen + 1)


def test_a_run_on_another_day_is_a_rehearsal_measured_from_its_own_start(pitch_session):
    session = pitch_session
    rehearsal_start = session.starts_at - timedelta(days=1, hours=2)
    ros.start(session, now=rehearsal_start)
    s = live.snapshot(session, now=rehearsal_start + timedelta(minutes=6))
    assert s["rehearsal"] is True
    assert s["delay_minutes"] == 1 and s["overrun_seconds"] == 60
    assert s["pitches"][1]["planned_start_local"] == "09:09"
    assert s["pitches"][1]["expected_start_local"] == "09:10"
