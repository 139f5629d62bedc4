"""Rooms of an event. Renaming or deleting a room changes its sessions' calendar copies."""

from flask_babel import gettext as _
from werkzeug.exceptions import NotFound

from ...extensions import db
from ...models import Event, EventSession, Room, User
from ..platform import audit
from .sessions import ProgrammeError


def get_room(event: Event, room_id: int) -> Room:
    room = db.get_or_404(Room, room_id)
    if room.event_id != event.id:
        raise NotFound()
    return room


def create_room(event: Event, *, name: str, capacity: int | None, actor: User | None) -> Room:
    name = _clean_room_name(event, name)
    room = Room(event=event, name=name, capacity=capacity)
    db.session.add(room)
    db.session.flush()
    audit.record("room.created", actor=actor, event_id=event.id, target=room, name=name)
    db.session.commit()
    return room


def update_room(room: Room, *, name: str, capacity: int | None, actor: User | None) -> Room:
    room.name = _clean_room_name(room.event, name, room)
    room.capacity = capacity
    for session in _sessions_in_room(room):
        session.sequence += 1  # the calendars show the room name
    audit.record("room.updated", actor=actor, event_id=room.event_id, target=room, name=name)
    db.session.commit()
    return room


def delete_room(room: Room, *, actor: User | None) -> None:
    for session in _sessions_in_room(room):
        session.sequence += 1
    audit.record("room.deleted", actor=actor, event_id=room.event_id, target=room,
                 name=room.name)
    db.session.delete(room)
    db.session.commit()


def _clean_room_name(event: Event, name: str, room: Room | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ProgrammeError("name", _("Please give the room a name."))
    for other in event.rooms:
        if other is not room and other.name.casefold() == name.casefold():
            raise ProgrammeError("name", _("There is already a room called %(name)s.",
                                           name=other.name))
    return name


def _sessions_in_room(room: Room) -> list[EventSession]:
    return list(db.session.scalars(db.select(EventSession).where(EventSession.room_id == room.id)))
