"""The audit log: what organisers did. Written inside the caller's transaction, so an action
and its record commit (or roll back) together.

Entries keep ids (and, where a thing may go, its name at the time); `names_for` looks the
ids up when the log is shown, so a page of entries reads with today's names in one query
per kind of thing, and an id whose thing is gone simply has no name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func

from ...extensions import db
from ...models import AuditEntry, EventSession, Pitch, Registration, Room, User


def record(action: str, *, actor: User | None, event_id: int | None = None,
           target=None, **details) -> AuditEntry:
    entry = AuditEntry(
        action=action, user_id=actor.id if actor else None, event_id=event_id,
        target_type=type(target).__name__ if target is not None else "",
        target_id=getattr(target, "id", None), details=_jsonable(details),
    )
    db.session.add(entry)
    return entry


def _jsonable(details: dict) -> dict:
    return {key: value if isinstance(value, int | float | bool | str | None) else str(value)
            for key, value in details.items()}


@dataclass(frozen=True)
class PersonName:
    name: str
    erased: bool = False


@dataclass
class Names:
    """Current names of what a page of audit entries points at, by id; missing = deleted."""

    users: dict[int, str] = field(default_factory=dict)
    sessions: dict[int, str] = field(default_factory=dict)
    pitches: dict[int, str] = field(default_factory=dict)
    rooms: dict[int, str] = field(default_factory=dict)
    registrations: dict[int, PersonName] = field(default_factory=dict)


# Where entries keep the ids of things: as their target, or under these detail keys.
_TARGETS = {"User": "users", "EventSession": "sessions", "Pitch": "pitches", "Room": "rooms",
            "Registration": "registrations"}
_DETAIL_IDS = {"user_id": "users", "demoted_user_id": "users", "juror": "users",
               "session_id": "sessions"}


def names_for(entries: Iterable[AuditEntry]) -> Names:
    """The names every entry may mention, in one query per kind of thing (not per entry)."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        details = entry.details or {}
        kind = _TARGETS.get(entry.target_type)
        if kind and entry.target_id is not None:
            wanted[kind].add(entry.target_id)
        for key, kind in _DETAIL_IDS.items():
            if isinstance(details.get(key), int):
                wanted[kind].add(details[key])
        if entry.action == "pitches.reordered":
            wanted["pitches"].update(id_list(details.get("order")))
    names = Names(
        users=_lookup(User.id, User.name, wanted["users"]),
        # The English text, or the German one where there is no English (models/bilingual.py).
        sessions=_lookup(EventSession.id, _either(EventSession.title, EventSession.title_de),
                         wanted["sessions"]),
        pitches=_lookup(Pitch.id, _either(Pitch.title, Pitch.title_de), wanted["pitches"]),
        rooms=_lookup(Room.id, _either(Room.name, Room.name_de), wanted["rooms"]),
    )
    if wanted["registrations"]:
        rows = db.session.execute(
            db.select(Registration.id, Registration.first_name, Registration.last_name,
                      Registration.anonymised_at)
            .where(Registration.id.in_(wanted["registrations"])))
        names.registrations = {
            row.id: PersonName(f"{row.first_name} {row.last_name}".strip(),
                               erased=row.anonymised_at is not None) for row in rows}
    return names


def id_list(value) -> list[int]:
    """The ids of a comma-separated detail such as pitches.reordered's "12,20,11"."""
    if not isinstance(value, str):
        return []
    return [int(part) for part in value.split(",") if part.strip().isdigit()]


def _either(english, german):
    return func.coalesce(func.nullif(english, ""), german)


def _lookup(id_column, name_column, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(db.select(id_column, name_column).where(id_column.in_(ids)))
    return {row_id: name for row_id, name in rows}
