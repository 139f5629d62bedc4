"""Copy an event to start the next one: its settings, rooms, categories and programme, moved
to the new dates; never its people.

Columns are copied by walking each model's mapped columns (leaving out ids, foreign keys,
bookkeeping and columns marked `info={"copied": False}`, such as secret links), so a column
another change adds later (a German text, a new setting) comes along without this module
knowing it.

Pitches become empty slots: position and minutes stay, so the session's timing is ready, but
title, presenter, organisation and texts are left out. They describe last year's
entrepreneurs (personal data, and not who pitches next year); a slot reads "Slot 1", ...
until the organiser fills it.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Date, inspect

from ...extensions import db
from ...models import Category, Event, EventSession, Pitch, Room, UTCDateTime
from ..platform import audit
from .events import check_slug_free, insert_event

# Bookkeeping that belongs to the row, not to what it describes.
_NOT_COPIED = {"created_at", "updated_at", "archived_at", "lock_version", "sequence"}
# Pitch texts that name or describe last year's presenter (and their German twins).
_PRESENTER_TEXTS = ("title", "presenter", "organisation", "description", "summary")


def copyable_values(row, *, shift=None) -> dict:
    """The row's own column values by attribute name; dates and times passed through
    `shift` when given."""
    mapper = inspect(type(row))
    values = {}
    for column in mapper.columns:
        key = mapper.get_property_by_column(column).key
        if (column.primary_key or column.foreign_keys or key in _NOT_COPIED
                or not column.info.get("copied", True)):
            continue
        value = getattr(row, key)
        if shift is not None and value is not None and isinstance(
                column.type, Date | UTCDateTime):
            value = shift(value)
        values[key] = value
    return values


def _shifter(days: int, zone: ZoneInfo):
    """Moves dates by whole days, and times by whole days of the event's local calendar:
    a 10:00 session stays at 10:00 even when summer time begins in between."""
    def shift(value):
        if isinstance(value, datetime):
            local = value.astimezone(zone).replace(tzinfo=None) + timedelta(days=days)
            return local.replace(tzinfo=zone).astimezone(value.tzinfo)
        if isinstance(value, date):
            return value + timedelta(days=days)
        return value
    return shift


def copy_event(source: Event, *, slug: str, name: str, starts_on: date, actor=None) -> Event:
    """A new event like `source`, starting on `starts_on`: every date and time moves by the
    same number of days. Registrations, moderators, availabilities and runs stay behind."""
    check_slug_free(slug)
    days = (starts_on - source.starts_on).days
    shift = _shifter(days, source.tz)
    event = Event(**copyable_values(source, shift=shift) | {"slug": slug, "name": name})
    insert_event(event)
    for category in source.categories:
        event.categories.append(Category(**copyable_values(category)))
    rooms = {}
    for room in source.rooms:
        rooms[room.id] = Room(**copyable_values(room))
        event.rooms.append(rooms[room.id])
    sessions = db.session.scalars(db.select(EventSession).where(
        EventSession.event_id == source.id).order_by(EventSession.starts_at, EventSession.id))
    copied_sessions = 0
    for session in sessions:
        copy = EventSession(**copyable_values(session, shift=shift), event=event,
                            room=rooms.get(session.room_id))
        for pitch in session.pitches:
            copy.pitches.append(Pitch(**_empty_slot(pitch)))
        db.session.add(copy)
        copied_sessions += 1
    db.session.flush()
    audit.record("event.copy", actor=actor, event_id=event.id, target=event,
                 source_id=source.id, source_name=source.name, days=days,
                 sessions=copied_sessions)
    db.session.commit()
    return event


def _empty_slot(pitch: Pitch) -> dict:
    values = copyable_values(pitch)
    for key in values:
        if key.startswith(_PRESENTER_TEXTS) and isinstance(values[key], str):
            values[key] = ""
    values["title"] = f"Slot {pitch.position}"
    return values
