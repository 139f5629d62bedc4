"""Run of show: the live state of a pitch session, kept in the database (SessionRun).

Every screen (both moderators, the hall display) and every gunicorn worker reads the same row,
so nothing lives in a process. A session runs through steps: for each pitch the pitch itself,
then its Q&A, then the changeover to the next pitch (steps of zero minutes are skipped, and
the last pitch has no changeover).

    idle --start--> running (pitch 1, phase "pitch") --next--> ... --end--> ended
                            <--back-- (undoes the last next)
    undo: takes back the last start, next, back or end (an end: the session resumes), for
          UNDO_MINUTES after it was pressed

`SessionRun.history` holds {"steps": [{"pitch_id", "position", "phase", "at"}], "undo": ...}:
which pitch was on stage in which phase and when each step really began. The last step is the
current one. Steps name the pitch by id, not by its position, because organisers may reorder
or delete pitches while the session runs: the pitch on stage stays on stage. For the same
reason the rest of the run follows `running_order`: the pitches that have been on stage, then
the others in programme order, so a pitch moved before the one on stage is still to come.
`back` pops the last step and restores the one before with its real start, and the timeline
(timeline.py) derives actual pitch starts from the steps. `undo` holds the row as it was
before the last action and when that action happened.

Transitions are optimistic: an UPDATE that only succeeds while the row still has the version
the caller read (or the version the pressing moderator saw, `expected_version`), so two
moderators pressing "next" at once advance once. They also lock the session row, as changes
to its pitches do, so that a pitch cannot be deleted while it goes on stage.
Every function takes `now` so that tests never depend on the wall clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import EventSession, Pitch, SessionRun, utcnow
from ..programme.schedule_checks import pitch_times
from ..programme.sessions import lock
from .pauses import close_pause

IDLE, RUNNING, ENDED = "idle", "running", "ended"
PITCH, QA, CHANGEOVER = "pitch", "qa", "changeover"
PHASES = (PITCH, QA, CHANGEOVER)
ACTIONS = ("start", "next", "back", "end", "undo")
# How long the last step can be taken back: long enough to notice a slip on stage ("end"
# instead of "next"), short enough that nobody rewrites a session that is really over.
UNDO_MINUTES = 10

# Error codes; the pages translate them.
NOT_STARTED = "not_started"
ALREADY_RUNNING = "already_running"
ALREADY_ENDED = "already_ended"
NO_PITCHES = "no_pitches"
LAST_STEP = "last_step"
FIRST_STEP = "first_step"
NOTHING_TO_UNDO = "nothing_to_undo"
UNDO_EXPIRED = "undo_expired"
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
    phase: str
    pitch: Pitch
    planned_start: datetime
    planned_end: datetime

    @property
    def position(self) -> int:
        return self.pitch.position

    @property
    def seconds(self) -> float:
        return (self.planned_end - self.planned_start).total_seconds()


@dataclass(frozen=True)
class LastAction:
    """The action that can still be undone: its name, and until when."""

    action: str
    at: datetime
    until: datetime


def plan(session: EventSession, starts_at: datetime | None = None,
         order: list[Pitch] | None = None) -> list[Step]:
    """The planned steps of the session, by default in programme order; `order` runs the
    pitches in another order (`running_order`), `starts_at` moves the whole plan (a
    rehearsal on another day)."""
    pitches = order if order is not None else sorted(session.pitches, key=lambda p: p.position)
    windows = pitch_times(
        starts_at or session.starts_at,
        [(p.pitch_minutes, p.qa_minutes, p.changeover_minutes) for p in pitches],
    )
    steps: list[Step] = []
    for index, (pitch, (start, end)) in enumerate(zip(pitches, windows, strict=True)):
        qa_start = start + timedelta(minutes=pitch.pitch_minutes)
        steps.append(Step(PITCH, pitch, start, qa_start))
        if pitch.qa_minutes > 0:
            steps.append(Step(QA, pitch, qa_start, end))
        if pitch.changeover_minutes > 0 and index < len(pitches) - 1:
            steps.append(Step(CHANGEOVER, pitch, end,
                              end + timedelta(minutes=pitch.changeover_minutes)))
    return steps


def get_run(session: EventSession) -> SessionRun | None:
    return db.session.get(SessionRun, session.id, populate_existing=True)


def history_steps(run: SessionRun | None) -> list[dict]:
    """The steps the run really went through, each {"pitch_id", "position", "phase", "at"}."""
    if run is None:
        return []
    return [dict(entry) for entry in (run.history or {}).get("steps", [])]


def steps_on_stage(session: EventSession, run: SessionRun | None) -> list[dict]:
    """The run's steps whose pitch is still in the session (a pitch may have been deleted
    after it was on stage), each with its "pitch_id"; the last one is the current step."""
    history = history_steps(run)
    return [history[index] for index in _kept_indices(session, history)]


def _kept_indices(session: EventSession, history: list[dict]) -> list[int]:
    by_position = {p.position: p.id for p in session.pitches}
    ids = set(by_position.values())
    kept = []
    for index, entry in enumerate(history):
        if "pitch_id" not in entry:
            # Written before steps named their pitch: read by position, as it was then.
            entry["pitch_id"] = by_position.get(entry.get("position"))
        if entry["pitch_id"] in ids:
            kept.append(index)
    return kept


def running_order(session: EventSession, run: SessionRun | None) -> list[Pitch]:
    """The order this run goes through the pitches: those that have been on stage, in the
    order they were, then the others in programme order. Moving a pitch in the programme
    while the session runs thus never skips or repeats one."""
    pitches = sorted(session.pitches, key=lambda p: p.position)
    by_id = {p.id: p for p in pitches}
    seen: list[int] = []
    for entry in steps_on_stage(session, run):
        if entry["pitch_id"] not in seen:
            seen.append(entry["pitch_id"])
    return [by_id[pitch_id] for pitch_id in seen] + [p for p in pitches if p.id not in seen]


def current_step_index(steps: list[Step], session: EventSession, run: SessionRun) -> int:
    """Where the run stands in `steps` (planned in `running_order`): the step of the pitch
    on stage. If that pitch's phase was shortened to nothing meanwhile (Q&A or changeover
    set to zero minutes), its last remaining phase before it."""
    on_stage = steps_on_stage(session, run)
    if not on_stage:
        return 0
    current = on_stage[-1]
    rank = PHASES.index(current["phase"]) if current["phase"] in PHASES else 0
    found = 0
    for index, step in enumerate(steps):
        if step.pitch.id == current["pitch_id"] and PHASES.index(step.phase) <= rank:
            found = index
    return found


def current_pitch(session: EventSession) -> Pitch | None:
    """The pitch on stage while the session runs, else None."""
    run = get_run(session)
    if run is None or run.state != RUNNING:
        return None
    on_stage = steps_on_stage(session, run)
    return _pitch(session, on_stage[-1]["pitch_id"]) if on_stage else None


def last_action(run: SessionRun | None, now: datetime) -> LastAction | None:
    """The last start, next, back or end while it can still be undone at `now`."""
    record = (run.history or {}).get("undo") if run is not None else None
    if not record:
        return None
    at = datetime.fromisoformat(record["at"])
    until = at + timedelta(minutes=UNDO_MINUTES)
    return LastAction(record["action"], at, until) if now <= until else None


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
    if not session.pitches:
        raise InvalidTransition(NO_PITCHES, "This session has no pitches to run.")
    _ensure_run(session)
    run = _locked_run(session)
    _check_version(run, expected_version)
    if run.state == RUNNING:
        raise InvalidTransition(ALREADY_RUNNING, "The session is already running.")
    if run.state == ENDED:
        raise InvalidTransition(ALREADY_ENDED, "The session has ended.")
    steps = plan(session)
    if not steps:  # the last pitch was deleted a moment ago
        raise InvalidTransition(NO_PITCHES, "This session has no pitches to run.")
    first = steps[0]
    return _write(run, "start", now, state=RUNNING, started_at=now, ended_at=None,
                  current_position=first.position, phase=first.phase, phase_started_at=now,
                  steps=[_entry(first, now)])


def advance(session: EventSession, *, now: datetime | None = None,
            expected_version: int | None = None) -> SessionRun:
    """The "next" button: the next phase or the next pitch."""
    now = now or utcnow()
    run = _running(session, expected_version)
    steps = plan(session, order=running_order(session, run))
    index = current_step_index(steps, session, run)
    if index + 1 >= len(steps):
        raise InvalidTransition(LAST_STEP, "This is the last pitch's last phase; end the session.")
    following = steps[index + 1]
    return _write(run, "next", now, current_position=following.position,
                  phase=following.phase, phase_started_at=now,
                  steps=close_pause(history_steps(run), now) + [_entry(following, now)])


def back(session: EventSession, *, now: datetime | None = None,
         expected_version: int | None = None) -> SessionRun:
    now = now or utcnow()
    run = _running(session, expected_version)
    history = history_steps(run)
    kept = _kept_indices(session, history)
    if len(kept) <= 1:
        raise InvalidTransition(FIRST_STEP, "The session is at its first pitch already.")
    # Everything after the step before goes, with steps of pitches deleted since.
    history = history[:kept[-2] + 1]
    previous = history[-1]
    return _write(run, "back", now,
                  current_position=_pitch(session, previous["pitch_id"]).position,
                  phase=previous["phase"],
                  phase_started_at=datetime.fromisoformat(previous["at"]), steps=history)


def end(session: EventSession, *, now: datetime | None = None,
        expected_version: int | None = None) -> SessionRun:
    now = now or utcnow()
    run = _running(session, expected_version)
    return _write(run, "end", now, state=ENDED, ended_at=now, phase=None,
                  phase_started_at=None, steps=close_pause(history_steps(run), now))


def undo(session: EventSession, *, now: datetime | None = None,
         expected_version: int | None = None) -> SessionRun:
    """Take back the last start, next, back or end (an end: the session resumes where it
    was, with the real start of its phase). One step only, and only for UNDO_MINUTES."""
    now = now or utcnow()
    run = _locked_run(session)
    if run is not None:
        _check_version(run, expected_version)
    record = (run.history or {}).get("undo") if run is not None else None
    if not record:
        raise InvalidTransition(NOTHING_TO_UNDO, "There is no step to undo.")
    if last_action(run, now) is None:
        raise InvalidTransition(UNDO_EXPIRED, (
            f"The last step was more than {UNDO_MINUTES} minutes ago; "
            "it can no longer be undone."))
    before = record["before"]
    # Written without an undo record of its own: undoing twice does not flip back and forth.
    return _write(run, None, now, state=before["state"],
                  started_at=_time(before["started_at"]), ended_at=_time(before["ended_at"]),
                  current_position=before["current_position"], phase=before["phase"],
                  phase_started_at=_time(before["phase_started_at"]), steps=before["steps"])


# `next` is the button's name; the module never needs the builtin of that name.
next = advance  # noqa: A001

TRANSITIONS = {"start": start, "next": advance, "back": back, "end": end, "undo": undo}


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


def _locked_run(session: EventSession) -> SessionRun | None:
    """The run, read after locking the session row: a change to the pitches (programme)
    waits until this transition is written, and this one reads the pitches as they are."""
    lock(session)
    return get_run(session)


def _running(session: EventSession, expected_version: int | None) -> SessionRun:
    run = _locked_run(session)
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


def _write(run: SessionRun, action: str | None, now: datetime, *, steps: list[dict],
           **values) -> SessionRun:
    """UPDATE ... WHERE version = the version read; nobody else's change is overwritten.
    The row as it was is kept with `action`, for `undo`."""
    history: dict = {"steps": steps}
    if action is not None:
        history["undo"] = {"action": action, "at": now.isoformat(), "before": {
            "state": run.state, "started_at": _iso(run.started_at),
            "ended_at": _iso(run.ended_at), "current_position": run.current_position,
            "phase": run.phase, "phase_started_at": _iso(run.phase_started_at),
            "steps": history_steps(run)}}
    read_version = run.version
    statement = (
        db.update(SessionRun)
        .where(SessionRun.session_id == run.session_id, SessionRun.version == read_version)
        .values(version=read_version + 1, updated_at=utcnow(), history=history, **values)
        .execution_options(synchronize_session=False)
    )
    result = db.session.execute(statement)
    if result.rowcount != 1:
        db.session.rollback()
        raise StaleState(STALE, "Someone else changed the session a moment ago.")
    db.session.commit()
    return get_run(run.session)


def _pitch(session: EventSession, pitch_id: int) -> Pitch:
    return {p.id: p for p in session.pitches}[pitch_id]


def _entry(step: Step, at: datetime) -> dict:
    # The position is only what it was then, for people reading the row; the pitch id counts.
    return {"pitch_id": step.pitch.id, "position": step.position, "phase": step.phase,
            "at": at.isoformat()}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
