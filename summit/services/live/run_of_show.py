"""Run of show: the live state of a pitch session, kept in the database (SessionRun).

Every screen (both moderators, the hall display) and every gunicorn worker reads the same row,
so nothing lives in a process. A session runs through steps: for each pitch the pitch itself,
then its Q&A, then the changeover to the next pitch (steps of zero minutes are skipped, and
the last pitch has no changeover).

    idle --start--> running (pitch 1, phase "pitch") --next--> ... --end--> ended
                            <--back-- (undoes the last next)

`SessionRun.history` holds {"steps": [{"position", "phase", "at"}]}: when each step really
began. `back` pops the last step and restores the one before with its real start, and the
snapshot derives actual pitch starts from it. Transitions are optimistic: an UPDATE that only
succeeds while the row still has the version the caller read (or the version the pressing
moderator saw, `expected_version`), so two moderators pressing "next" at once advance once.
Every function takes `now` so that tests never depend on the wall clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil, floor
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import EventSession, Pitch, SessionRun, utcnow
from ..programme.schedule_checks import pitch_times

IDLE, RUNNING, ENDED = "idle", "running", "ended"
PITCH, QA, CHANGEOVER = "pitch", "qa", "changeover"
PHASES = (PITCH, QA, CHANGEOVER)
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


def is_rehearsal(session: EventSession, run: SessionRun | None) -> bool:
    """Run on another day than planned: a rehearsal, measured against its own start."""
    if run is None or run.started_at is None:
        return False
    zone = ZoneInfo(session.event.timezone)
    return run.started_at.astimezone(zone).date() != session.starts_at.astimezone(zone).date()


def get_run(session: EventSession) -> SessionRun | None:
    return db.session.get(SessionRun, session.id, populate_existing=True)


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
    index = _current_index(steps, run)
    if index + 1 >= len(steps):
        raise InvalidTransition(LAST_STEP, "This is the last pitch's last phase; end the session.")
    following = steps[index + 1]
    history = _steps(run) + [_entry(following.position, following.phase, now)]
    return _write(run, current_position=following.position, phase=following.phase,
                  phase_started_at=now, history={"steps": history})


def back(session: EventSession, *, now: datetime | None = None,
         expected_version: int | None = None) -> SessionRun:
    run = _running(session, expected_version)
    history = _steps(run)
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


def _steps(run: SessionRun) -> list[dict]:
    return list((run.history or {}).get("steps", []))


def _current_index(steps: list[Step], run: SessionRun) -> int:
    """Where the run stands in the plan; if the programme was edited meanwhile, the first
    step of the current pitch or the next one that still exists."""
    for index, step in enumerate(steps):
        if step.position == run.current_position and step.phase == run.phase:
            return index
    for index, step in enumerate(steps):
        if step.position >= (run.current_position or 0):
            return index
    return max(len(steps) - 1, 0)


# --- snapshot -----------------------------------------------------------------------------


def snapshot(session: EventSession, now: datetime | None = None) -> dict:
    """Everything a screen shows, JSON-ready: times as ISO 8601 UTC plus HH:MM in the
    event's timezone, durations in whole seconds."""
    now = now or utcnow()
    run = get_run(session)
    state = run.state if run else IDLE
    rehearsal = is_rehearsal(session, run)
    steps = plan(session, run.started_at if rehearsal else None)
    zone = ZoneInfo(session.event.timezone)
    pitches = sorted(session.pitches, key=lambda p: p.position)
    actual_starts = _actual_pitch_starts(run)

    current_index: int | None = None
    phase_end: datetime | None = None
    expected_step_start: dict[int, datetime] = {}
    delay = 0.0
    if steps and state == RUNNING:
        current_index = _current_index(steps, run)
        current = steps[current_index]
        phase_start = run.phase_started_at or now
        phase_end = phase_start + timedelta(seconds=current.seconds)
        cursor = max(phase_end, now)
        delay = (cursor - current.planned_end).total_seconds()
        for index in range(current_index + 1, len(steps)):
            expected_step_start[index] = cursor
            cursor += timedelta(seconds=steps[index].seconds)
        expected_end = cursor
    elif steps and state == IDLE:
        # A late start shows as delay, but only while the session could still be on today:
        # a session of another day keeps its planned times.
        cursor = max(session.starts_at, now) if now < session.ends_at else session.starts_at
        delay = (cursor - session.starts_at).total_seconds()
        for index, step in enumerate(steps):
            expected_step_start[index] = cursor
            cursor += timedelta(seconds=step.seconds)
        expected_end = cursor
    else:
        expected_end = run.ended_at if run and run.ended_at else session.ends_at
        if steps and run and run.ended_at:
            delay = (run.ended_at - steps[-1].planned_end).total_seconds()

    current_step = steps[current_index] if current_index is not None else None
    current_pitch = current_step.pitch if current_step else None
    if state == IDLE:
        next_pitch = pitches[0] if pitches else None
    elif current_pitch is not None:
        later = [p for p in pitches if p.position > current_pitch.position]
        next_pitch = later[0] if later else None
    else:
        next_pitch = None

    planned_pitch_start = {s.position: s.planned_start for s in steps if s.phase == PITCH}
    expected_pitch_start = {
        steps[i].position: at for i, at in expected_step_start.items() if steps[i].phase == PITCH
    }

    def pitch_dict(pitch: Pitch | None) -> dict | None:
        if pitch is None:
            return None
        if current_pitch is not None and pitch.position == current_pitch.position:
            status = "current"
        elif state == ENDED or (current_pitch is not None
                                and pitch.position < current_pitch.position):
            status = "done"
        else:
            status = "upcoming"
        planned = planned_pitch_start.get(pitch.position)
        expected = actual_starts.get(pitch.position) or expected_pitch_start.get(pitch.position)
        if status == "upcoming":
            expected = expected_pitch_start.get(pitch.position, planned)
        return {
            "id": pitch.id,
            "position": pitch.position,
            "title": pitch.title,
            "presenter": pitch.presenter,
            "organisation": pitch.organisation,
            "pitch_minutes": pitch.pitch_minutes,
            "qa_minutes": pitch.qa_minutes,
            "status": status,
            "planned_start": _iso(planned),
            "planned_start_local": _hm(planned, zone),
            "expected_start": _iso(expected),
            "expected_start_local": _hm(expected, zone),
        }

    remaining = overrun = None
    if phase_end is not None:
        left = (phase_end - now).total_seconds()
        remaining = max(0, ceil(left))
        overrun = max(0, floor(-left))
    return {
        "session": {
            "id": session.id,
            "title": session.title,
            "room": session.room.name if session.room else None,
            "starts_at": _iso(session.starts_at),
            "ends_at": _iso(session.ends_at),
            "starts_local": _hm(session.starts_at, zone),
            "ends_local": _hm(session.ends_at, zone),
            "timezone": session.event.timezone,
        },
        "state": state,
        "rehearsal": rehearsal,
        "version": run.version if run else 0,
        "now": _iso(now),
        "phase": current_step.phase if current_step else None,
        "phase_started_at": _iso(run.phase_started_at) if current_step else None,
        "phase_ends_at": _iso(phase_end),
        "phase_seconds": int(current_step.seconds) if current_step else None,
        "phase_remaining_seconds": remaining,
        "overrun_seconds": overrun,
        "delay_seconds": int(round(delay)),
        "delay_minutes": int(round(delay / 60)),
        "current": pitch_dict(current_pitch),
        "next": pitch_dict(next_pitch),
        "pitches": [pitch_dict(p) for p in pitches],
        "started_at": _iso(run.started_at) if run else None,
        "ended_at": _iso(run.ended_at) if run else None,
        "expected_end": _iso(expected_end),
        "expected_end_local": _hm(expected_end, zone),
        "can": {
            "start": state == IDLE and bool(steps),
            "next": state == RUNNING and current_index is not None
            and current_index + 1 < len(steps),
            "back": state == RUNNING and len(_steps(run)) > 1,
            "end": state == RUNNING,
        },
    }


def _actual_pitch_starts(run: SessionRun | None) -> dict[int, datetime]:
    """When each pitch really began (its latest 'pitch' step in the history)."""
    starts: dict[int, datetime] = {}
    if run is None:
        return starts
    for entry in _steps(run):
        if entry["phase"] == PITCH:
            starts[entry["position"]] = datetime.fromisoformat(entry["at"])
    return starts


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _hm(moment: datetime | None, zone: ZoneInfo) -> str | None:
    return moment.astimezone(zone).strftime("%H:%M") if moment else None


def live_session_ids(session_ids: list[int]) -> set[int]:
    """Which of these sessions are running right now."""
    if not session_ids:
        return set()
    return set(db.session.scalars(
        db.select(SessionRun.session_id)
        .where(SessionRun.session_id.in_(session_ids), SessionRun.state == RUNNING)))
