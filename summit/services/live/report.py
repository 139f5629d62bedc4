"""Planned against actual, per pitch, after (or during) the session: planned and actual start,
pitch and Q&A minutes, overrun. Computed from the run's stored history each time it is asked
for, so it is always there while the session is, and never disagrees with the run.

An actual duration is the time from a step's start to the next step's start (or the end of
the session), less the time the step was paused; "back" removes steps from the history, so
only the path the session really took counts. Overrun compares pitch + Q&A as spoken with
pitch + Q&A as planned (the moderators' ±1 minute does not change the plan).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from ...models import EventSession, Pitch, utcnow
from ..registrations.attendee_export import BOM, neutralise
from .pauses import paused_seconds
from .run_of_show import ENDED, PITCH, QA, get_run, history_steps, plan, running_order
from .timeline import is_rehearsal


@dataclass(frozen=True)
class PitchReport:
    pitch: Pitch
    planned_start: datetime | None
    actual_start: datetime | None
    planned_pitch_seconds: int
    planned_qa_seconds: int
    pitch_seconds: float | None  # None: never on stage
    qa_seconds: float | None

    @property
    def on_stage(self) -> bool:
        return self.actual_start is not None

    @property
    def overrun_seconds(self) -> float | None:
        if not self.on_stage:
            return None
        return (self.pitch_seconds or 0) + (self.qa_seconds or 0) \
            - self.planned_pitch_seconds - self.planned_qa_seconds

    @property
    def start_delay_seconds(self) -> float | None:
        if self.actual_start is None or self.planned_start is None:
            return None
        return (self.actual_start - self.planned_start).total_seconds()


@dataclass(frozen=True)
class Report:
    session: EventSession
    state: str
    started_at: datetime | None
    ended_at: datetime | None
    rows: tuple[PitchReport, ...]

    @property
    def total_overrun_seconds(self) -> float:
        return sum(row.overrun_seconds or 0 for row in self.rows)


def report(session: EventSession, now: datetime | None = None) -> Report:
    now = now or utcnow()
    run = get_run(session)
    history = history_steps(run)
    rehearsal = is_rehearsal(session, run)
    planned = {step.pitch.id: step.planned_start for step in
               plan(session, run.started_at if rehearsal else None) if step.phase == PITCH}
    spoken: dict[tuple[int, str], float] = defaultdict(float)
    first_start: dict[int, datetime] = {}
    finished = run.ended_at if run is not None and run.state == ENDED else now
    for index, entry in enumerate(history):
        start = datetime.fromisoformat(entry["at"])
        end = datetime.fromisoformat(history[index + 1]["at"]) if index + 1 < len(history) \
            else (finished or now)
        seconds = (end - start).total_seconds() - paused_seconds(entry, end)
        spoken[(entry.get("pitch_id"), entry["phase"])] += max(0.0, seconds)
        if entry["phase"] == PITCH:
            first_start.setdefault(entry.get("pitch_id"), start)

    rows = []
    for pitch in running_order(session, run):
        started = first_start.get(pitch.id)
        rows.append(PitchReport(
            pitch=pitch, planned_start=planned.get(pitch.id), actual_start=started,
            planned_pitch_seconds=pitch.pitch_minutes * 60,
            planned_qa_seconds=pitch.qa_minutes * 60,
            pitch_seconds=spoken[(pitch.id, PITCH)] if started else None,
            qa_seconds=spoken[(pitch.id, QA)] if started else None))
    return Report(session=session, state=run.state if run else "idle",
                  started_at=run.started_at if run else None,
                  ended_at=run.ended_at if run else None, rows=tuple(rows))


CSV_COLUMNS = ("position", "title", "presenter", "organisation", "planned_start",
               "actual_start", "planned_pitch_minutes", "actual_pitch_minutes",
               "planned_qa_minutes", "actual_qa_minutes", "overrun_minutes")


def as_csv(result: Report) -> str:
    """UTF-8 with a byte-order mark, comma-separated, CRLF, like the attendee export; times in
    the event's timezone with offset, minutes with one decimal; empty cells for a pitch that
    was never on stage."""
    zone = ZoneInfo(result.session.event.timezone)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in result.rows:
        writer.writerow([
            row.pitch.position, neutralise(row.pitch.title), neutralise(row.pitch.presenter),
            neutralise(row.pitch.organisation), _local(row.planned_start, zone),
            _local(row.actual_start, zone), _minutes(row.planned_pitch_seconds),
            _minutes(row.pitch_seconds), _minutes(row.planned_qa_seconds),
            _minutes(row.qa_seconds), _minutes(row.overrun_seconds),
        ])
    return BOM + out.getvalue()


def filename(session: EventSession) -> str:
    return f"{session.event.slug}-session-{session.id}-report.csv"


def _local(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).isoformat(timespec="seconds") if moment else ""


def _minutes(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds / 60:.1f}"
