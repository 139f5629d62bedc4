"""The timeline of a pitch session at one moment: where the run stands in its planned steps,
when each pitch was planned, really began or is now expected to begin, how late the session
runs and how long the current phase has left or has overrun.

A value computed from the plan and the stored run (run_of_show.py); screens.py turns it into
what the screens get.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil, floor
from zoneinfo import ZoneInfo

from ...models import EventSession, Pitch, SessionRun, utcnow
from .pauses import extra_seconds, is_paused
from .run_of_show import (
    ENDED,
    IDLE,
    PITCH,
    QA,
    RUNNING,
    LastAction,
    Step,
    current_step_index,
    get_run,
    last_action,
    plan,
    running_order,
    steps_on_stage,
)

CURRENT, DONE, UPCOMING = "current", "done", "upcoming"


@dataclass(frozen=True)
class PitchTimes:
    """One pitch on the timeline: its status, its planned start, and the start it really had
    (done, current) or is now expected to have (upcoming)."""

    pitch: Pitch
    status: str  # CURRENT, DONE or UPCOMING
    planned_start: datetime | None
    expected_start: datetime | None


@dataclass(frozen=True)
class Timeline:
    """The session as it stands at `now`; times are aware UTC, durations seconds."""

    session: EventSession
    run: SessionRun | None
    now: datetime
    state: str  # IDLE, RUNNING or ENDED
    rehearsal: bool
    steps: tuple[Step, ...]
    current_index: int | None  # in `steps`, only while running
    phase_ends_at: datetime | None  # when the current phase should end, only while running
    delay_seconds: float  # later (+) or earlier (-) than planned
    expected_end: datetime
    pitches: tuple[PitchTimes, ...]  # in running order
    current_pitch: PitchTimes | None
    next_pitch: PitchTimes | None
    steps_taken: int  # steps on stage so far, the current one included
    undo: LastAction | None  # the last action while it can still be undone
    paused_at: datetime | None = None  # when the timer was paused, while it is
    adjust_seconds: int = 0  # the moderators' minutes more (+) or less (-) on this phase

    @property
    def paused(self) -> bool:
        return self.paused_at is not None

    @property
    def can_skip_qa(self) -> bool:
        """On a pitch whose Q&A follows, and something follows that Q&A."""
        index = self.current_index
        if index is None or index + 2 >= len(self.steps):
            return False
        here, following = self.steps[index], self.steps[index + 1]
        return here.phase == PITCH and following.phase == QA \
            and following.pitch.id == here.pitch.id

    @property
    def current_step(self) -> Step | None:
        return self.steps[self.current_index] if self.current_index is not None else None

    @property
    def version(self) -> int:
        return self.run.version if self.run else 0

    @property
    def phase_started_at(self) -> datetime | None:
        return self.run.phase_started_at if self.current_step else None

    @property
    def started_at(self) -> datetime | None:
        return self.run.started_at if self.run else None

    @property
    def ended_at(self) -> datetime | None:
        return self.run.ended_at if self.run else None

    @property
    def remaining_seconds(self) -> int | None:
        """Whole seconds left in the current phase, rounded up: 0 only once it is over."""
        if self.phase_ends_at is None:
            return None
        return max(0, ceil((self.phase_ends_at - self.now).total_seconds()))

    @property
    def overrun_seconds(self) -> int | None:
        """Whole seconds the current phase has run past its planned length."""
        if self.phase_ends_at is None:
            return None
        return max(0, floor((self.now - self.phase_ends_at).total_seconds()))

    @property
    def can(self) -> dict[str, bool]:
        """Which of the run of show's actions make sense now (the moderators' buttons)."""
        running = self.state == RUNNING
        return {
            "start": self.state == IDLE and bool(self.steps),
            "next": running and self.current_index is not None
            and self.current_index + 1 < len(self.steps),
            "back": running and self.steps_taken > 1,
            "end": running,
            "undo": self.undo is not None,
            "pause": running and not self.paused,
            "resume": running and self.paused,
            "plus": running,
            "minus": running and self.current_step is not None
            and self.current_step.seconds + self.adjust_seconds >= 60,
            "skip_qa": running and self.can_skip_qa,
        }


def is_rehearsal(session: EventSession, run: SessionRun | None) -> bool:
    """Run on another day than planned: a rehearsal, measured against its own start."""
    if run is None or run.started_at is None:
        return False
    zone = ZoneInfo(session.event.timezone)
    return run.started_at.astimezone(zone).date() != session.starts_at.astimezone(zone).date()


def timeline_at(session: EventSession, now: datetime | None = None) -> Timeline:
    """Where the session stands at `now` (default: the wall clock), read from its stored run."""
    now = now or utcnow()
    run = get_run(session)
    state = run.state if run else IDLE
    rehearsal = is_rehearsal(session, run)
    pitches = running_order(session, run)
    steps = plan(session, run.started_at if rehearsal else None, order=pitches)
    on_stage = steps_on_stage(session, run)
    been_on_stage = {entry["pitch_id"] for entry in on_stage}
    actual_starts = _actual_pitch_starts(on_stage)

    current_index: int | None = None
    phase_end: datetime | None = None
    expected_step_start: dict[int, datetime] = {}
    delay = 0.0
    current_entry = on_stage[-1] if on_stage and state == RUNNING else None
    if steps and state == RUNNING:
        current_index = current_step_index(steps, session, run)
        current = steps[current_index]
        phase_start = run.phase_started_at or now
        # Paused time and the moderators' ±1 minute move the phase's end: neither counts as
        # overrun, and later pitches are expected that much later.
        phase_end = phase_start + timedelta(
            seconds=current.seconds + extra_seconds(current_entry, now))
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

    current_pitch = steps[current_index].pitch if current_index is not None else None
    if state == IDLE:
        next_pitch = pitches[0] if pitches else None
    elif current_pitch is not None:
        # The running order has the pitches on stage first: what follows the current one
        # has not been on stage yet, whatever its place in the programme.
        later = pitches[pitches.index(current_pitch) + 1:]
        next_pitch = later[0] if later else None
    else:
        next_pitch = None

    planned_pitch_start = {s.pitch.id: s.planned_start for s in steps if s.phase == PITCH}
    expected_pitch_start = {
        steps[i].pitch.id: at for i, at in expected_step_start.items() if steps[i].phase == PITCH
    }

    def times(pitch: Pitch | None) -> PitchTimes | None:
        if pitch is None:
            return None
        if current_pitch is not None and pitch.id == current_pitch.id:
            status = CURRENT
        elif state == ENDED or pitch.id in been_on_stage:
            status = DONE
        else:
            status = UPCOMING
        planned = planned_pitch_start.get(pitch.id)
        expected = actual_starts.get(pitch.id) or expected_pitch_start.get(pitch.id)
        if status == UPCOMING:
            expected = expected_pitch_start.get(pitch.id, planned)
        return PitchTimes(pitch, status, planned, expected)

    return Timeline(
        session=session, run=run, now=now, state=state, rehearsal=rehearsal, steps=tuple(steps),
        current_index=current_index, phase_ends_at=phase_end, delay_seconds=delay,
        expected_end=expected_end, pitches=tuple(times(p) for p in pitches),
        current_pitch=times(current_pitch), next_pitch=times(next_pitch),
        steps_taken=len(on_stage) if state == RUNNING else 0, undo=last_action(run, now),
        paused_at=datetime.fromisoformat(current_entry["paused_at"])
        if is_paused(current_entry) else None,
        adjust_seconds=int(current_entry.get("adjust", 0)) if current_entry else 0,
    )


def _actual_pitch_starts(on_stage: list[dict]) -> dict[int, datetime]:
    """When each pitch really began (its latest 'pitch' step), by pitch id."""
    starts: dict[int, datetime] = {}
    for entry in on_stage:
        if entry["phase"] == PITCH:
            starts[entry["pitch_id"]] = datetime.fromisoformat(entry["at"])
    return starts
