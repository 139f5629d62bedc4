"""What every screen of a running session gets (both moderators, the hall display, the JSON
endpoints): the session's timeline, serialised."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from ...models import EventSession
from .timeline import PitchTimes, Timeline, timeline_at


def snapshot(session: EventSession, now: datetime | None = None) -> dict:
    """Everything a screen shows, JSON-ready: times as ISO 8601 UTC plus HH:MM in the
    event's timezone, durations in whole seconds."""
    return serialise(timeline_at(session, now))


def serialise(line: Timeline) -> dict:
    session = line.session
    zone = ZoneInfo(session.event.timezone)
    step = line.current_step
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
        "state": line.state,
        "rehearsal": line.rehearsal,
        "version": line.version,
        "now": _iso(line.now),
        "phase": step.phase if step else None,
        "phase_started_at": _iso(line.phase_started_at),
        "phase_ends_at": _iso(line.phase_ends_at),
        "phase_seconds": int(step.seconds) if step else None,
        "phase_remaining_seconds": line.remaining_seconds,
        "overrun_seconds": line.overrun_seconds,
        "delay_seconds": int(round(line.delay_seconds)),
        "delay_minutes": int(round(line.delay_seconds / 60)),
        "current": _pitch(line.current_pitch, zone),
        "next": _pitch(line.next_pitch, zone),
        "pitches": [_pitch(times, zone) for times in line.pitches],
        "started_at": _iso(line.started_at),
        "ended_at": _iso(line.ended_at),
        "expected_end": _iso(line.expected_end),
        "expected_end_local": _hm(line.expected_end, zone),
        "can": line.can,
        # The step the moderators can still take back, and until when (their screens only).
        "undo": {"action": line.undo.action, "until": _iso(line.undo.until),
                 "until_local": _hm(line.undo.until, zone)} if line.undo else None,
    }


def _pitch(times: PitchTimes | None, zone: ZoneInfo) -> dict | None:
    if times is None:
        return None
    pitch = times.pitch
    return {
        "id": pitch.id,
        "position": pitch.position,
        "title": pitch.title,
        "presenter": pitch.presenter,
        "organisation": pitch.organisation,
        "pitch_minutes": pitch.pitch_minutes,
        "qa_minutes": pitch.qa_minutes,
        "status": times.status,
        "planned_start": _iso(times.planned_start),
        "planned_start_local": _hm(times.planned_start, zone),
        "expected_start": _iso(times.expected_start),
        "expected_start_local": _hm(times.expected_start, zone),
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _hm(moment: datetime | None, zone: ZoneInfo) -> str | None:
    return moment.astimezone(zone).strftime("%H:%M") if moment else None
