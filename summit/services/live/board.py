"""The organiser's "now" board: every room of an event with the session on stage in it, who
is on stage, the phase and how far behind it runs, and the sessions whose start the delay
pushes back (delays.py). Published on the event's channel whenever a session of it changes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from ...extensions import db
from ...models import Event, EventSession, Room, SessionRun, utcnow
from .delays import Expected, Slot, expected_starts
from .run_of_show import ENDED, RUNNING
from .timeline import timeline_at


def _sessions(event: Event) -> list[EventSession]:
    return list(db.session.scalars(
        db.select(EventSession).where(EventSession.event_id == event.id)
        .order_by(EventSession.starts_at, EventSession.id)))


def _runs(sessions: list[EventSession]) -> dict[int, SessionRun]:
    if not sessions:
        return {}
    return {run.session_id: run for run in db.session.scalars(
        db.select(SessionRun).where(SessionRun.session_id.in_([s.id for s in sessions])))}


def expected(event: Event, now: datetime | None = None) -> dict[int, Expected]:
    """The sessions of `event` now expected to start later than planned, by id."""
    return _expected(event, _sessions(event), now or utcnow())[0]


def _expected(event: Event, sessions: list[EventSession], now: datetime):
    zone = ZoneInfo(event.timezone)
    runs = _runs(sessions)
    lines = {}
    slots = []
    for session in sessions:
        run = runs.get(session.id)
        started = ended = expected_end = None
        if run is not None and run.state in (RUNNING, ENDED) and run.started_at:
            line = lines[session.id] = timeline_at(session, now)
            if not line.rehearsal:  # a rehearsal on another day delays nothing today
                started = run.started_at
                ended = run.ended_at if run.state == ENDED else None
                expected_end = line.expected_end
        slots.append(Slot(session.id, session.room_id, session.starts_at.astimezone(zone).date(),
                          session.starts_at, session.ends_at, started, ended, expected_end))
    return expected_starts(slots), lines


def board(event: Event, now: datetime | None = None) -> dict:
    """JSON-ready: {"rooms": [{room, now: {...} | None, next: {...} | None}], "expected":
    {session_id: {planned_local, expected_local, late_minutes}}}."""
    now = now or utcnow()
    zone = ZoneInfo(event.timezone)
    sessions = _sessions(event)
    late, lines = _expected(event, sessions, now)

    def hm(moment):
        return moment.astimezone(zone).strftime("%H:%M") if moment else None

    def late_of(session):
        found = late.get(session.id)
        return {"session_id": session.id, "planned_local": hm(session.starts_at),
                "expected_local": hm(found.expected_start) if found else None,
                "late_minutes": found.late_minutes if found else 0}

    rooms = list(db.session.scalars(db.select(Room).where(Room.event_id == event.id)
                                     .order_by(Room.name)))
    today = now.astimezone(zone).date()
    listed = []
    for room in rooms:
        here = [s for s in sessions if s.room_id == room.id]
        running = next((s for s in here if s.id in lines and lines[s.id].state == RUNNING), None)
        current = None
        if running is not None:
            line = lines[running.id]
            pitch = line.current_pitch.pitch if line.current_pitch else None
            current = {
                "session_id": running.id, "title": running.title,
                "phase": line.current_step.phase if line.current_step else None,
                "pitch": pitch.title if pitch else None,
                "presenter": pitch.presenter if pitch else None,
                "delay_minutes": int(round(line.delay_seconds / 60)),
                "phase_ends_at": line.phase_ends_at.isoformat() if line.phase_ends_at else None,
                "expected_end_local": hm(line.expected_end)}
        coming = [s for s in here if s.id not in lines and s.starts_at >= now
                  and s.starts_at.astimezone(zone).date() == today]
        following = dict(late_of(coming[0]), title=coming[0].title) if coming else None
        listed.append({"room": room.name, "room_id": room.id, "now": current,
                       "next": following})
    return {"event": event.slug, "now": now.isoformat(), "rooms": listed,
            "expected": {str(sid): late_of(s) for s in sessions
                         for sid in [s.id] if sid in late}}
