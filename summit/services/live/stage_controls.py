"""The moderators' controls beyond next and back: pause and resume, one minute more or less
on the current phase, skip the Q&A, blackout of the stage's screens.

They change the run the way run_of_show.py does (lock the session, check the version the
moderator saw, UPDATE ... WHERE version = read, commit), so every screen and worker sees them
at once, and all but blackout leave an undo record: "undo" takes them back like a "next".
Pauses and adjustments live in the current step's history entry (pauses.py).
"""

from __future__ import annotations

from datetime import datetime

from ...extensions import db
from ...models import EventSession, SessionRun, utcnow
from ..platform import audit
from . import run_of_show as ros
from .pauses import close_pause, is_paused

ONE_MINUTE = 60
ACTIONS = ros.ACTIONS + ("pause", "resume", "plus", "minus", "skip_qa", "blackout")

# Error codes beyond run_of_show's; the pages translate them.
ALREADY_PAUSED = "already_paused"
NOT_PAUSED = "not_paused"
TOO_SHORT = "too_short"
NO_QA = "no_qa"


def pause(session: EventSession, *, now: datetime | None = None,
          expected_version: int | None = None) -> SessionRun:
    """The timer stops: time paused counts neither as time spoken nor as overrun."""
    now = now or utcnow()
    run = ros._running(session, expected_version)
    steps = ros.history_steps(run)
    if is_paused(steps[-1]):
        raise ros.InvalidTransition(ALREADY_PAUSED, "The timer is paused already.")
    steps[-1] = dict(steps[-1], paused_at=now.isoformat())
    return ros._write(run, "pause", now, steps=steps)


def resume(session: EventSession, *, now: datetime | None = None,
           expected_version: int | None = None) -> SessionRun:
    now = now or utcnow()
    run = ros._running(session, expected_version)
    steps = ros.history_steps(run)
    if not is_paused(steps[-1]):
        raise ros.InvalidTransition(NOT_PAUSED, "The timer is not paused.")
    return ros._write(run, "resume", now, steps=close_pause(steps, now))


def adjust(session: EventSession, seconds: int, *, now: datetime | None = None,
           expected_version: int | None = None) -> SessionRun:
    """Lengthen (+) or shorten (-) the current phase; never below nothing."""
    now = now or utcnow()
    run = ros._running(session, expected_version)
    steps = ros.history_steps(run)
    planned = ros.plan(session, order=ros.running_order(session, run))
    step = planned[ros.current_step_index(planned, session, run)]
    added = int(steps[-1].get("adjust", 0)) + seconds
    if step.seconds + added < 0:
        raise ros.InvalidTransition(TOO_SHORT, "The phase cannot be shorter than nothing.")
    steps[-1] = dict(steps[-1], adjust=added)
    return ros._write(run, "plus" if seconds > 0 else "minus", now, steps=steps)


def skip_qa(session: EventSession, *, now: datetime | None = None,
            expected_version: int | None = None) -> SessionRun:
    """From a pitch straight past its Q&A: to the changeover or the next pitch."""
    now = now or utcnow()
    run = ros._running(session, expected_version)
    planned = ros.plan(session, order=ros.running_order(session, run))
    index = ros.current_step_index(planned, session, run)
    current = planned[index]
    following = planned[index + 1] if index + 1 < len(planned) else None
    if current.phase != ros.PITCH or following is None or following.phase != ros.QA \
            or following.pitch.id != current.pitch.id:
        raise ros.InvalidTransition(NO_QA, "There is no Q&A to skip now.")
    if index + 2 >= len(planned):
        raise ros.InvalidTransition(ros.LAST_STEP, "This is the last pitch; end the session.")
    after = planned[index + 2]
    return ros._write(run, "skip_qa", now, current_position=after.position, phase=after.phase,
                      phase_started_at=now, steps=close_pause(ros.history_steps(run), now)
                      + [ros._entry(after, now)])


def set_blackout(session: EventSession, on: bool, *, actor=None,
                 now: datetime | None = None) -> SessionRun:
    """Black out the speaker view and the hall display (or bring them back). Possible before
    the session starts too (the screens are set up black), so it makes the run if need be.
    A toggle is its own undo; it does not replace the undo record of the last step."""
    now = now or utcnow()
    ros._ensure_run(session)
    run = ros._locked_run(session)
    statement = (
        db.update(SessionRun).where(SessionRun.session_id == run.session_id)
        .values(blackout=on, version=SessionRun.version + 1, updated_at=now)
        .execution_options(synchronize_session=False))
    db.session.execute(statement)
    audit.record("stage.blackout", actor=actor, event_id=session.event_id, target=session,
                 on=on)
    db.session.commit()
    return ros.get_run(session)


TRANSITIONS = {
    **ros.TRANSITIONS, "pause": pause, "resume": resume, "skip_qa": skip_qa,
    "plus": lambda session, **kw: adjust(session, ONE_MINUTE, **kw),
    "minus": lambda session, **kw: adjust(session, -ONE_MINUTE, **kw),
}


def apply(action: str, session: EventSession, *, now: datetime | None = None,
          expected_version: int | None = None, actor=None) -> SessionRun:
    """One of ACTIONS by name, for the pages and the JSON endpoints. "blackout" toggles."""
    if action == "blackout":
        run = ros.get_run(session)
        return set_blackout(session, not (run and run.blackout), actor=actor, now=now)
    if action not in TRANSITIONS:
        raise ValueError(f"unknown action {action!r}")
    return TRANSITIONS[action](session, now=now, expected_version=expected_version)
