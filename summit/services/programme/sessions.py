"""The programme's sessions: reading them, creating, changing and deleting them, and the row
lock that changes to one session's pitches or moderators take.

Every change raises the session's `sequence` (calendar clients replace their copy) and writes
an audit entry with the organiser as actor, in the same transaction.
"""

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound

from ...extensions import db
from ...i18n import format_date_range
from ...models import (
    SESSION_KINDS,
    Event,
    EventSession,
    ModeratorAssignment,
    Pitch,
    Room,
    User,
)
from ..errors import FieldError
from ..platform import audit
from .event_days import local_days, within_event_days


class ProgrammeError(FieldError):
    """A change refused as asked; `field` names the form field the message belongs to."""


# --- reading ------------------------------------------------------------------------------


def sessions_for(event: Event) -> list[EventSession]:
    """The event's sessions in time order, with rooms, pitches and moderators loaded."""
    return list(db.session.scalars(
        db.select(EventSession).where(EventSession.event_id == event.id)
        .options(selectinload(EventSession.room), selectinload(EventSession.pitches),
                 selectinload(EventSession.assignments).joinedload(ModeratorAssignment.user))
        .order_by(EventSession.starts_at, EventSession.id)))


def get_session(event: Event, session_id: int) -> EventSession:
    """The session of this event, else 404 (a session id of another event is not found)."""
    session = db.get_or_404(EventSession, session_id)
    if session.event_id != event.id:
        raise NotFound()
    return session


def days(event: Event, sessions: list[EventSession]) -> list[tuple[object, list[EventSession]]]:
    """Sessions grouped by their local start day, in order."""
    grouped: dict[object, list[EventSession]] = {}
    for session in sessions:
        grouped.setdefault(session.starts_at.astimezone(event.tz).date(), []).append(session)
    return sorted(grouped.items(), key=lambda item: item[0])


def moderated_sessions(user: User) -> list[EventSession]:
    """Every session the user moderates, in time order (their calendar)."""
    return list(db.session.scalars(
        db.select(EventSession).join(ModeratorAssignment)
        .where(ModeratorAssignment.user_id == user.id)
        .order_by(EventSession.starts_at, EventSession.id)))


# --- changes ------------------------------------------------------------------------------


SESSION_FIELDS = ("title", "title_de", "kind", "room_id", "starts_at", "ends_at", "language",
                  "description", "description_de", "moderators_needed")


def create_session(event: Event, *, actor: User | None, **fields) -> EventSession:
    values = _checked_session_fields(event, fields)
    session = EventSession(event=event, **values)
    db.session.add(session)
    db.session.flush()
    audit.record("session.created", actor=actor, event_id=event.id, target=session,
                 title=session.title or session.title_de)
    db.session.commit()
    return session


def update_session(session: EventSession, *, actor: User | None, **fields) -> EventSession:
    values = _checked_session_fields(session.event, fields, session)
    changed = {key: value for key, value in values.items() if getattr(session, key) != value}
    for key, value in changed.items():
        setattr(session, key, value)
    if changed:
        session.sequence += 1
        audit.record("session.updated", actor=actor, event_id=session.event_id, target=session,
                     fields=",".join(sorted(changed)))
    db.session.commit()
    return session


def delete_session(session: EventSession, *, actor: User | None) -> None:
    audit.record("session.deleted", actor=actor, event_id=session.event_id, target=session,
                 title=session.title or session.title_de, pitches=len(session.pitches))
    db.session.delete(session)
    db.session.commit()


def _checked_session_fields(event: Event, fields: dict,
                            session: EventSession | None = None) -> dict:
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {', '.join(sorted(unknown))}")
    values = {key: fields[key] for key in SESSION_FIELDS if key in fields}
    # Bilingual (models/bilingual.py): English or German title, or both.
    for name in ("title", "title_de"):
        values[name] = " ".join((values.get(name) or "").split())
    if not values["title"] and not values["title_de"]:
        raise ProgrammeError("title", _("Please give the session a title in English or "
                                        "German, or both."))
    for name in ("description", "description_de"):
        if name in values:
            values[name] = values[name] or ""
    kind = values.get("kind") or "pitch"
    if kind not in SESSION_KINDS:
        raise ProgrammeError("kind", _("Choose one of the session kinds: %(kinds)s.",
                                       kinds=", ".join(SESSION_KINDS)))
    values["kind"] = kind
    if session is not None and kind != "pitch" and session.pitches:
        raise ProgrammeError("kind", _("This session still has pitches. Delete them first or "
                                       "keep it a pitch session."))
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ProgrammeError(name, _("Please give a date and time."))
    if ends_at <= starts_at:
        raise ProgrammeError("ends_at", _("The session must end after it starts."))
    _check_event_days(event, starts_at, ends_at)
    room_id = values.get("room_id")
    if room_id is not None:
        room = db.session.get(Room, room_id)
        if room is None or room.event_id != event.id:
            raise ProgrammeError("room_id", _("This room does not belong to the event."))
    values["room_id"] = room_id
    language = values.get("language") or None
    languages = current_app.config["SUMMIT_LANGUAGES"]
    if language is not None and language not in languages:
        raise ProgrammeError("language", _("Choose one of the languages: %(codes)s.",
                                           codes=", ".join(languages)))
    values["language"] = language
    values["description"] = values.get("description") or ""
    needed = values.get("moderators_needed")
    values["moderators_needed"] = 0 if needed is None else needed
    if values["moderators_needed"] < 0:
        raise ProgrammeError("moderators_needed", _("The number cannot be negative."))
    return values


def _check_event_days(event: Event, starts_at: datetime, ends_at: datetime) -> None:
    """A session off the event's days would be published on the programme, calendars and
    hall display; its days count in the event's timezone (event_days.py)."""
    if within_event_days(event.timezone, event.starts_on, event.ends_on, starts_at, ends_at):
        return
    first_day, _last_day = local_days(starts_at, ends_at, event.tz)
    field = "ends_at" if event.starts_on <= first_day <= event.ends_on else "starts_at"
    raise ProgrammeError(field, _(
        "The session must take place on the event's days: %(days)s (times in %(timezone)s).",
        days=format_date_range(event.starts_on, event.ends_on), timezone=event.timezone))


def lock(session: EventSession) -> EventSession:
    """Lock the session row: concurrent changes to one session's pitches or moderators wait
    for each other (reorders, hand assignment)."""
    db.session.execute(db.select(EventSession.id).where(EventSession.id == session.id)
                       .with_for_update())
    # Re-read what a concurrent change may have moved, overwriting stale loaded values.
    db.session.scalars(db.select(Pitch).where(Pitch.session_id == session.id)
                       .execution_options(populate_existing=True)).all()
    db.session.refresh(session, attribute_names=["pitches", "assignments", "sequence"])
    return session
