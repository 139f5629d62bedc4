"""Events and their categories and rooms."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from ...extensions import db
from ...models import CONFIRMED, WAITLISTED, Category, Event, Registration, utcnow
from ..errors import FieldError
from ..platform import audit


class EventError(FieldError):
    """An event refused as given; a slug in use already is a conflict (409)."""


def list_events(*, archived: bool = False) -> list[Event]:
    """The current events, newest first; with archived=True the archived ones instead."""
    query = db.select(Event).where(
        Event.archived_at.is_not(None) if archived else Event.archived_at.is_(None))
    return list(db.session.scalars(query.order_by(Event.starts_on.desc(), Event.id.desc())))


def get_by_slug(slug: str) -> Event:
    event = db.session.scalar(db.select(Event).where(Event.slug == slug))
    if event is None:
        raise NotFound()
    return event


def check_slug_free(slug: str) -> None:
    if db.session.scalar(db.select(Event.id).where(Event.slug == slug)):
        raise _slug_taken()


def _slug_taken() -> EventError:
    return EventError("slug", _("An event with this slug already exists."), status=409)


def insert_event(event: Event) -> None:
    """Write the new event. Two organisers taking the same slug at the same moment both pass
    check_slug_free; the unique index lets one win, and the other gets the same answer."""
    db.session.add(event)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        check_slug_free(event.slug)
        raise


def _check_dates(values: dict) -> None:
    if values["ends_on"] < values["starts_on"]:
        raise EventError("ends_on", _("The event cannot end before it starts."))
    opens, closes = values.get("registration_opens_at"), values.get("registration_closes_at")
    if opens and closes and closes <= opens:
        raise EventError("registration_closes_at",
                         _("Registration must close after it opens."))


def create_event(*, slug: str, name: str, starts_on: date, ends_on: date, venue: str = "",
                 timezone: str = "Europe/Berlin", categories: list[dict] | None = None,
                 actor=None, **details) -> Event:
    """The one way to make an event: the API and the organiser's page both come here."""
    check_slug_free(slug)
    _check_dates({"starts_on": starts_on, "ends_on": ends_on} | details)
    event = Event(slug=slug, name=name, starts_on=starts_on, ends_on=ends_on, venue=venue,
                  timezone=timezone, **details)
    names = set()
    for position, spec in enumerate(categories or []):
        if spec["name"].lower() in names:
            raise EventError("categories", _("The category %(name)s is listed twice.",
                                               name=spec["name"]))
        names.add(spec["name"].lower())
        event.categories.append(Category(position=position, **spec))
    insert_event(event)
    if actor is not None:
        audit.record("event.create", actor=actor, event_id=event.id, target=event)
    db.session.commit()
    return event


def set_archived(event: Event, archived: bool, *, actor) -> bool:
    """Archive the event (or take it back out); returns whether anything changed."""
    if (event.archived_at is not None) == archived:
        return False
    event.archived_at = utcnow() if archived else None
    if archived:
        audit.record("event.archive", actor=actor, event_id=event.id, target=event)
    else:
        audit.record("event.unarchive", actor=actor, event_id=event.id, target=event)
    db.session.commit()
    return True


SETTINGS = ("name", "name_de", "venue", "address", "description", "description_de",
            "starts_on", "ends_on", "registration_opens_at", "registration_closes_at",
            "primary_colour")


def update_event(event: Event, *, actor, **fields) -> list[str]:
    """Change the event's details; returns the names of the fields that changed (audited)."""
    unknown = set(fields) - set(SETTINGS)
    if unknown:
        raise TypeError(f"update_event() cannot change {', '.join(sorted(unknown))}")
    values = {name: getattr(event, name) for name in SETTINGS} | fields
    _check_dates(values)
    if not (values["name"] or "").strip() and not (values["name_de"] or "").strip():
        raise EventError("name", _("Please fill in the English or the German text, or both."))
    if values["ends_on"] < values["starts_on"]:
        raise EventError("ends_on", _("The event cannot end before it starts."))
    opens, closes = values["registration_opens_at"], values["registration_closes_at"]
    if opens and closes and closes <= opens:
        raise EventError("registration_closes_at",
                         _("Registration must close after it opens."))
    changed = [name for name in SETTINGS if values[name] != getattr(event, name)]
    for name in changed:
        setattr(event, name, values[name])
    if changed:
        audit.record("event.update", actor=actor, event_id=event.id, target=event,
                     fields=",".join(changed))
    db.session.commit()
    return changed


def category_counts(event: Event) -> dict[int, dict[str, int]]:
    """Per category id: confirmed and waitlisted (and cancelled) counts, in one query."""
    rows = db.session.execute(
        db.select(Registration.category_id, Registration.status, func.count())
        .where(Registration.event_id == event.id)
        .group_by(Registration.category_id, Registration.status)
    )
    counts: dict[int, dict[str, int]] = {
        c.id: {CONFIRMED: 0, WAITLISTED: 0, "cancelled": 0} for c in event.categories
    }
    for category_id, status, count in rows:
        counts.setdefault(category_id, {})[status] = count
    return counts


def public_categories(event: Event) -> list[tuple[Category, bool]]:
    """The categories offered on the registration form, each with whether it has room."""
    counts = category_counts(event)
    return [(category, counts[category.id][CONFIRMED] < category.capacity)
            for category in event.categories if category.is_public]


def listed_attendees(event: Event) -> list[tuple[str, str, str]]:
    """(first name, last name, organisation) of the confirmed people who chose to be listed
    publicly, by last name. Nobody else's name ever reaches the public list."""
    rows = db.session.execute(
        db.select(Registration.first_name, Registration.last_name, Registration.organisation)
        .where(Registration.event_id == event.id, Registration.status == CONFIRMED,
               Registration.public_listing.is_(True))
        .order_by(func.lower(Registration.last_name), func.lower(Registration.first_name))
    )
    return [tuple(row) for row in rows]
