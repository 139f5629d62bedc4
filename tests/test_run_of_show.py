"""The run-of-show state machine on the demo pitch session (ten pitches of 5 + 3 minutes with
one minute changeover, 11:00 Berlin). `now` is always given: no test reads the clock."""

from datetime import timedelta

import pytest
from moderators_fixtures import *  # noqa: F403

from summit.extensions import db
from summit.models import EventSession
from summit.services import live, programme
from summit.services.live import run_of_show as ros
from summit.services.programme.sessions import ProgrammeError


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
    assert s["can"] == {"start": True, "next": False, "back": False, "end": False,
                        "undo": False, "pause": False, "resume": False, "plus": False,
                        "minus": False, "skip_qa": False}
    assert s["undo"] is None


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
    assert s["state"] == "ended" and s["current"] is None
    assert [action for action, possible in s["can"].items() if possible] == ["undo"]
    for action in ("start", "next", "back", "end"):
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


# --- undo: the last start, next, back or end, for UNDO_MINUTES -----------------------------


def test_undo_takes_back_next_back_and_start(pitch_session):
    session = pitch_session
    ros.start(session, now=minutes(session, 0))
    ros.next(session, now=minutes(session, 5))
    ros.undo(session, now=minutes(session, 6))  # the Q&A was pressed too early
    s = live.snapshot(session, now=minutes(session, 6))
    assert (s["phase"], s["overrun_seconds"], s["undo"]) == ("pitch", 60, None)
    assert s["can"]["undo"] is False  # one step only: an undo is not undone
    with pytest.raises(ros.InvalidTransition) as excinfo:
        ros.undo(session, now=minutes(session, 6))
    assert excinfo.value.code == ros.NOTHING_TO_UNDO

    ros.next(session, now=minutes(session, 7))
    ros.back(session, now=minutes(session, 8))
    ros.undo(session, now=minutes(session, 8))  # "back" was the slip: Q&A again, as it began
    s = live.snapshot(session, now=minutes(session, 8))
    assert (s["phase"], s["phase_remaining_seconds"]) == ("qa", 120)
    assert s["undo"] is None


def test_undo_of_start_returns_to_idle(pitch_session):
    session = pitch_session
    ros.start(session, now=minutes(session, -20))  # pressed during the keynote
    s = live.snapshot(session, now=minutes(session, -19))
    assert s["undo"]["action"] == "start" and s["undo"]["until_local"] == "10:50"
    ros.undo(session, now=minutes(session, -19))
    s = live.snapshot(session, now=minutes(session, -19))
    assert (s["state"], s["started_at"], s["current"]) == ("idle", None, None)
    assert s["can"]["start"] is True
    ros.start(session, now=minutes(session, 0))
    assert live.snapshot(session, now=minutes(session, 1))["pitches"][0]["expected_start_local"] \
        == "11:00"


def test_an_ended_session_resumes_where_it_was(pitch_session):
    session = pitch_session
    ros.start(session, now=minutes(session, 0))
    for at in (5, 8, 9):
        ros.next(session, now=minutes(session, at))  # pitch 2 on stage since 11:09
    ros.end(session, now=minutes(session, 10))  # meant to press "next"
    s = live.snapshot(session, now=minutes(session, 11))
    assert s["state"] == "ended" and s["undo"]["action"] == "end"
    assert s["can"] == {"start": False, "next": False, "back": False, "end": False,
                        "undo": True, "pause": False, "resume": False, "plus": False,
                        "minus": False, "skip_qa": False}
    ros.undo(session, now=minutes(session, 11))
    s = live.snapshot(session, now=minutes(session, 11))
    assert (s["state"], s["phase"], s["current"]["position"], s["ended_at"]) == (
        "running", "pitch", 2, None)
    assert s["phase_remaining_seconds"] == 180  # the pitch went on while the screen said "ended"
    assert s["pitches"][0]["status"] == "done" and s["can"]["back"] is True


def test_undo_is_refused_after_the_window_and_the_button_goes(pitch_session):
    session = pitch_session
    ros.start(session, now=minutes(session, 0))
    run = ros.end(session, now=minutes(session, 30))
    deadline = minutes(session, 30 + ros.UNDO_MINUTES)
    assert live.snapshot(session, now=deadline)["can"]["undo"] is True
    later = deadline + timedelta(seconds=1)
    s = live.snapshot(session, now=later)
    assert s["undo"] is None and not any(s["can"].values())
    with pytest.raises(ros.InvalidTransition) as excinfo:
        ros.undo(session, now=later)
    assert excinfo.value.code == ros.UNDO_EXPIRED
    assert ros.get_run(session).version == run.version  # nothing changed


def test_undo_on_a_stale_screen_changes_nothing(pitch_session):
    session = pitch_session
    run = ros.start(session, now=minutes(session, 0))
    seen = run.version
    ros.next(session, now=minutes(session, 5), expected_version=seen)  # the co-moderator
    with pytest.raises(ros.StaleState):
        ros.undo(session, now=minutes(session, 5), expected_version=seen)
    s = live.snapshot(session, now=minutes(session, 5))
    assert (s["phase"], s["version"]) == ("qa", seen + 1)


# --- the programme changes while the session runs: the run follows pitch ids --------------


def _titles(snap) -> tuple:
    """The titles on stage and next: in the session's language (the demo's is German)."""
    return (snap["current"] and snap["current"]["title"], snap["next"] and snap["next"]["title"])


def test_a_pitch_moved_before_the_one_on_stage_still_comes(pitch_session):
    session = pitch_session
    first, second, third = sorted(session.pitches, key=lambda p: p.position)[:3]
    ros.start(session, now=minutes(session, 0))
    programme.move_pitch(first, "down", actor=None)  # second is now number 1, first number 2
    s = live.snapshot(session, now=minutes(session, 1))
    assert _titles(s) == (first.title_de, second.title_de)
    assert [(p["title"], p["status"]) for p in s["pitches"][:3]] == [
        (first.title_de, "current"), (second.title_de, "upcoming"), (third.title_de, "upcoming")]
    for at in (5, 8, 9):
        ros.next(session, now=minutes(session, at))
    s = live.snapshot(session, now=minutes(session, 9))
    assert (s["phase"], *_titles(s)) == ("pitch", second.title_de, third.title_de)
    assert s["pitches"][0]["expected_start_local"] == "11:00"  # first's real start
    ros.back(session, now=minutes(session, 9))
    assert _titles(live.snapshot(session, now=minutes(session, 9))) == (first.title_de,
                                                                          second.title_de)


def test_the_pitch_on_stage_cannot_be_deleted_and_done_ones_are_left_out(pitch_session):
    session = pitch_session
    first, second, third = sorted(session.pitches, key=lambda p: p.position)[:3]
    ros.start(session, now=minutes(session, 0))
    with pytest.raises(ProgrammeError) as excinfo:
        programme.delete_pitch(first, actor=None)
    assert excinfo.value.status == 409 and "on stage" in str(excinfo.value.message)
    db.session.rollback()
    for at in (5, 8, 9):
        ros.next(session, now=minutes(session, at))
    programme.delete_pitch(first, actor=None)  # done: it may go
    s = live.snapshot(session, now=minutes(session, 10))
    assert (s["phase"], *_titles(s)) == ("pitch", second.title_de, third.title_de)
    assert s["can"]["back"] is False  # the step before was the deleted pitch's
    with pytest.raises(ros.InvalidTransition):
        ros.back(session, now=minutes(session, 10))
