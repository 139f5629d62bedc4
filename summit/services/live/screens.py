"""What every screen of a running session gets (both moderators, the hall display, the
speaker's view, the JSON endpoints): the session's timeline, its messages to the stage and
its blackout, serialised. `for_hall` and `for_speaker` take out what those screens must not
get: the controls, and (the hall) the messages to the speaker."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app

from ...models import EventSession, localised
from ..voting.results import screen_state as vote_state
from . import stage_messages
from .timeline import PitchTimes, Timeline, timeline_at

CONTROLS = ("can", "undo")


def snapshot(session: EventSession, now: datetime | None = None) -> dict:
    """Everything a screen shows, JSON-ready: times as ISO 8601 UTC plus HH:MM in the
    event's timezone, durations in whole seconds."""
    line = timeline_at(session, now)
    zone = ZoneInfo(session.event.timezone)
    data = serialise(line)
    data["blackout"] = bool(line.run and line.run.blackout)
    data["warning_seconds"] = session.warning_seconds
    data["messages"] = [{
        "id": m.id, "body": m.body, "sent_at": _iso(m.created_at),
        "sent_local": _hm(m.created_at, zone), "seen_at": _iso(m.seen_at),
        "seen_local": _hm(m.seen_at, zone),
    } for m in stage_messages.active(session)]
    # The vote: open, revealed, the count; the standings once revealed.
    data["vote"] = vote_state(session, display_language(session))
    return data


def for_hall(data: dict) -> dict:
    """The public hall display's part: the show, not the controls nor the speaker's notes."""
    return {key: value for key, value in data.items() if key not in CONTROLS + ("messages",)}


def for_speaker(data: dict) -> dict:
    return {key: value for key, value in data.items() if key not in CONTROLS}


def serialise(line: Timeline) -> dict:
    session = line.session
    zone = ZoneInfo(session.event.timezone)
    step = line.current_step
    language = display_language(session)
    return {
        "session": {
            "id": session.id,
            "title": localised(session, "title", language),
            "room": localised(session.room, "name", language) if session.room else None,
            # The language of every text in this snapshot: the one spoken on stage.
            "language": language,
            "event_name": localised(session.event, "name", language),
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
        "current": _pitch(line.current_pitch, zone, language),
        "next": _pitch(line.next_pitch, zone, language),
        "pitches": [_pitch(times, zone, language) for times in line.pitches],
        "started_at": _iso(line.started_at),
        "ended_at": _iso(line.ended_at),
        "expected_end": _iso(line.expected_end),
        "expected_end_local": _hm(line.expected_end, zone),
        "paused": line.paused,
        "paused_at": _iso(line.paused_at),
        "adjust_seconds": line.adjust_seconds,
        "can": line.can,
        # The step the moderators can still take back, and until when (their screens only).
        "undo": {"action": line.undo.action, "until": _iso(line.undo.until),
                 "until_local": _hm(line.undo.until, zone)} if line.undo else None,
    }


def display_language(session: EventSession) -> str:
    """The hall display speaks the session's language; a session without one, the
    installation's default (events have no language of their own)."""
    language = session.language or current_app.config["BABEL_DEFAULT_LOCALE"]
    return "de" if language.split("_")[0].split("-")[0] == "de" else "en"


def _pitch(times: PitchTimes | None, zone: ZoneInfo, language: str) -> dict | None:
    if times is None:
        return None
    pitch = times.pitch
    return {
        "id": pitch.id,
        "position": pitch.position,
        "title": localised(pitch, "title", language),
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
