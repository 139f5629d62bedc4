"""The schedule warnings of an event: its sessions, pitches, moderators and their availability
read from the database and checked by the pure rules in schedule_checks.py."""

from datetime import datetime

from ...extensions import db
from ...i18n import current_language
from ...models import Availability, Event, localised
from .pitches import pitch_schedule
from .schedule_checks import (
    AssignmentInfo,
    EventInfo,
    PitchInfo,
    ScheduleWarning,
    SessionInfo,
    check_schedule,
)
from .sessions import sessions_for


def warnings(event: Event) -> list[ScheduleWarning]:
    """The schedule warnings of the whole event (room, presenter and moderator conflicts,
    pitches running over, moderators outside their availability, sessions off the dates)."""
    sessions = sessions_for(event)
    language = current_language()  # the reader's: the titles the warnings quote
    session_infos, pitch_infos, assignment_infos = [], [], []
    for session in sessions:
        session_infos.append(SessionInfo(session.id, localised(session, "title", language),
                                         localised(session.room, "name", language) or None,
                                         session.starts_at, session.ends_at))
        for pitch, start, end in pitch_schedule(session):
            pitch_infos.append(PitchInfo(pitch.id, session.id, localised(pitch, "title", language),
                                         pitch.presenter,
                                         start, end))
        for assignment in session.assignments:
            assignment_infos.append(AssignmentInfo(session.id, assignment.user_id,
                                                   assignment.user.name))
    availability: dict[int, list[tuple[datetime, datetime]]] = {}
    for window in db.session.scalars(db.select(Availability)
                                     .where(Availability.event_id == event.id)
                                     .order_by(Availability.starts_at)):
        availability.setdefault(window.user_id, []).append((window.starts_at, window.ends_at))
    info = EventInfo(event.timezone, event.starts_on, event.ends_on)
    return check_schedule(info, session_infos, pitch_infos, assignment_infos, availability)


def warnings_by_session(event: Event) -> dict[int, list[ScheduleWarning]]:
    grouped: dict[int, list[ScheduleWarning]] = {}
    for warning in warnings(event):
        grouped.setdefault(warning.session_id, []).append(warning)
    return grouped
