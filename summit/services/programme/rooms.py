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


def create_room(event: Event, *, name: str, capacity: int | None, actor: User | None,
                name_de: str = "") -> Room:
    name, name_de = _clean_room_names(event, name, name_de)
    room = Room(event=event, name=name, name_de=name_de, capacity=capacity)
    db.session.add(room)
    db.session.flush()
    audit.record("room.created", actor=actor, event_id=event.id, target=room,
                 name=name or name_de)
    db.session.commit()
    return room


def update_room(room: Room, *, name: str, capacity: int | None, actor: User | None,
                name_de: str = "") -> Room:
    room.name, room.name_de = _clean_room_names(room.event, name, name_de, room)
    room.capacity = capacity
    for session in _sessions_in_room(room):
        session.sequence += 1  # the calendars show the room name
    audit.record("room.updated", actor=actor, event_id=room.event_id, target=room,
                 name=room.name or room.name_de)
    db.session.commit()
    return room


def delete_room(room: Room, *, actor: User | None) -> None:
    for session in _sessions_in_room(room):
        session.sequence += 1
    audit.record("room.deleted", actor=actor, event_id=room.event_id, target=room,
                 name=room.name or room.name_de)
    db.session.delete(room)
    db.session.commit()


def _clean_room_names(event: Event, name: str, name_de: str,
                      room: Room | None = None) -> tuple[str, str]:
    """The English and German names, either may be empty but not both; neither may be a name
    another room of the event has in either language."""
    name, name_de = (" ".join((text or "").split()) for text in (name, name_de))
    if not name and not name_de:
        raise ProgrammeError("name", _("Please give the room a name in English or German, "
                                       "or both."))
    for field, text in (("name", name), ("name_de", name_de)):
        for other in event.rooms:
            for taken in (other.name, other.name_de):
                if other is not room and text and taken.casefold() == text.casefold():
                    raise ProgrammeError(field, _("There is already a room called %(name)s.",
                                                  name=taken))
    return name, name_de


def _sessions_in_room(room: Room) -> list[EventSession]:
    return list(db.session.scalars(db.select(EventSession).where(EventSession.room_id == room.id)))
