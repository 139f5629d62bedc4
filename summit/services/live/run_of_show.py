"""Run of show: the live state of a pitch session, kept in the database (SessionRun).

Every screen (both moderators, the hall display) and every gunicorn worker reads the same row,
so nothing lives in a process. A session runs through steps: for each pitch the pitch itself,
then its Q&A, then the changeover to the next pitch (steps of zero minutes are skipped, and
the last pitch has no changeover).

    idle --start--> running (pitch 1, phase "pitch") --next--> ... --end--> ended
                            <--back-- (undoes the last next)

`SessionRun.history` holds {"steps": [{"position", "phase", "at"}]}: when each step really
began. `back` pops the last step and restores the one before with its real start, and the
timeline (timeline.py) derives actual pitch starts from it. Transitions are optimistic: an
UPDATE that only succeeds while the row still has the version the caller read (or the version
the pressing moderator saw, `expected_version`), so two moderators pressing "next" at once
advance once.
Every function takes `now` so that tests never depend on the wall clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import EventSession, Pitch, SessionRun, utcnow
from ..programme.schedule_checks import pitch_times

IDLE, RUNNING, ENDED = "idle", "running", "ended"
PITCH, QA, CHANGEOVER = "pitch", "qa", "changeover"
ACTIONS = ("start", "next", "back", "end")

# Error codes; the pages translate them.
NOT_STARTED = "not_started"
ALREADY_RUNNING = "already_running"
ALREADY_ENDED = "already_ended"
NO_PITCHES = "no_pitches"
LAST_STEP = "last_step"
FIRST_STEP = "first_step"
STALE = "stale"


class RunError(Exception):
    """A transition that is not allowed now; `code` is stable, the message English."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class InvalidTransition(RunError):
    pass


class StaleState(RunError):
    """Someone else changed the run between reading and writing: nothing was changed."""


@dataclass(frozen=True)
class Step:
    position: int
    phase: str
    pitch: Pitch
    planned_start: datetime
    planned_end: datetime

    @property
    def seconds(self) -> float:
        return (self.planned_end - self.planned_start).total_seconds()


def plan(session: EventSession, starts_at: datetime | None = None) -> list[Step]:
    """The planned steps of the session from its pitches, in running order; `starts_at`
    moves the whole plan (a rehearsal on another day)."""
    pitches = sorted(session.pitches, key=lambda p: p.position)
    windows = pitch_times(
        starts_at or session.starts_at,
        [(p.pitch_minutes, p.qa_minutes, p.changeover_minutes) for p in pitches],
    )
    steps: list[Step] = []
    for index, (pitch, (start, end)) in enumerate(zip(pitches, windows, strict=True)):
        qa_start = start + timedelta(minutes=pitch.pitch_minutes)
        steps.append(Step(pitch.position, PITCH, pitch, start, qa_start))
        if pitch.qa_minutes > 0:
            steps.append(Step(pitch.position, QA, pitch, qa_start, end))
        if pitch.changeover_minutes > 0 and index < len(pitches) - 1:
            steps.append(Step(pitch.position, CHANGEOVER, pitch, end,
                              end + timedelta(minutes=pitch.changeover_minutes)))
    return steps


def get_run(session: EventSession) -> SessionRun | None:
    return db.session.get(SessionRun, session.id, populate_existing=True)


def history_steps(run: SessionRun) -> list[dict]:
    """The steps the run really went through, each {"position", "phase", "at"}."""
    return list((run.history or {}).get("steps", []))


def current_step_index(steps: list[Step], run: SessionRun) -> int:
    """Where the run stands in the plan; if the programme was edited meanwhile, the first
    step of the current pitch or the next one that still exists."""
    for index, step in enumerate(steps):
        if step.position == run.current_position and step.phase == run.phase:
            return index
    for index, step in enumerate(steps):
        if step.position >= (run.current_position or 0):
            return index
    return max(len(steps) - 1, 0)


def live_session_ids(session_ids: list[int]) -> set[int]:
    """Which of these sessions are running right now."""
    if not session_ids:
        return set()
    return set(db.session.scalars(
        db.select(SessionRun.session_id)
        .where(SessionRun.session_id.in_(session_ids), SessionRun.state == RUNNING)))


# --- transitions --------------------------------------------------------------------------


def start(session: EventSession, *, now: datetime | None = None,
          expected_version: int | None = None) -> SessionRun:
    now = now or utcnow()
    steps = plan(session)
    if not steps:
        raise InvalidTransition(NO_PITCHES, "This session has no pitches to run.")
    run = _ensure_run(session)
    _check_version(run, expected_version)
    if run.state == RUNNING:
        raise InvalidTransition(ALREADY_RUNNING, "The session is already running.")
    if run.state == ENDED:
        raise InvalidTransition(ALREADY_ENDED, "The session has ended.")
    first = steps[0]
    return _write(run, state=RUNNING, started_at=now, ended_at=None,
                  current_position=first.position, phase=first.phase, phase_started_at=now,
                  history={"steps": [_entry(first.position, first.phase, now)]})


def advance(session: EventSession, *, now: datetime | None = None,
            expected_version: int | None = None) -> SessionRun:
    """The "next" button: the next phase or the next pitch."""
    now = now or utcnow()
    run = _running(session, expected_version)
    steps = plan(session)
    index = current_step_index(steps, run)
    if index + 1 >= len(steps):
        raise InvalidTransition(LAST_STEP, "This is the last pitch's last phase; end the session.")
    following = steps[index + 1]
    history = history_steps(run) + [_entry(following.position, following.phase, now)]
    return _write(run, current_position=following.position, phase=following.phase,
                  phase_started_at=now, history={"steps": history})


def back(session: EventSession, *, now: datetime | None = None,
         expected_version: int | None = None) -> SessionRun:
    run = _running(session, expected_version)
    history = history_steps(run)
    if len(history) <= 1:
        raise InvalidTransition(FIRST_STEP, "The session is at its first pitch already.")
    history = history[:-1]
    previous = history[-1]
    return _write(run, current_position=previous["position"], phase=previous["phase"],
                  phase_started_at=datetime.fromisoformat(previous["at"]),
                  history={"steps": history})


def end(session: EventSession, *, now: datetime | None = None,
        expected_version: int | None = None) -> SessionRun:
    now = now or utcnow()
    run = _running(session, expected_version)
    return _write(run, state=ENDED, ended_at=now, phase=None, phase_started_at=None)


# `next` is the button's name; the module never needs the builtin of that name.
next = advance  # noqa: A001

TRANSITIONS = {"start": start, "next": advance, "back": back, "end": end}


def apply(action: str, session: EventSession, *, now: datetime | None = None,
          expected_version: int | None = None) -> SessionRun:
    """One of ACTIONS by name, for the pages and the JSON endpoint."""
    if action not in TRANSITIONS:
        raise ValueError(f"unknown action {action!r}")
    return TRANSITIONS[action](session, now=now, expected_version=expected_version)


def _ensure_run(session: EventSession) -> SessionRun:
    run = get_run(session)
    if run is not None:
        return run
    db.session.add(SessionRun(session_id=session.id, state=IDLE, version=0, history={}))
    try:
        db.session.commit()
    except IntegrityError:  # another worker created it a moment ago: use theirs
        db.session.rollback()
    return get_run(session)


def _running(session: EventSession, expected_version: int | None) -> SessionRun:
    run = get_run(session)
    if run is None or run.state == IDLE:
        if expected_version is not None and run is not None:
            _check_version(run, expected_version)
        raise InvalidTransition(NOT_STARTED, "The session has not started yet.")
    _check_version(run, expected_version)
    if run.state == ENDED:
        raise InvalidTransition(ALREADY_ENDED, "The session has ended.")
    return run


def _check_version(run: SessionRun, expected_version: int | None) -> None:
    if expected_version is not None and run.version != expected_version:
        raise StaleState(STALE, "Someone else changed the session a moment ago.")


def _write(run: SessionRun, **values) -> SessionRun:
    """UPDATE ... WHERE version = the version read; nobody else's change is overwritten."""
    read_version = run.version
    statement = (
        db.update(SessionRun)
        .where(SessionRun.session_id == run.session_id, SessionRun.version == read_version)
        .values(version=read_version + 1, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    result = db.session.execute(statement)
    if result.rowcount != 1:
        db.session.rollback()
        raise StaleState(STALE, "Someone else changed the session a moment ago.")
    db.session.commit()
    return get_run(run.session)


def _entry(position: int, phase: str, at: datetime) -> dict:
    return {"position": position, "phase": phase, "at": at.isoformat()}
