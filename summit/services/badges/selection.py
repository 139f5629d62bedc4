"""Who gets a badge: a print run's filters checked against the event, and one person found."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func

from ...extensions import db
from ...models import CONFIRMED, WAITLISTED, Category, Event, Registration
from ..checkin import scans as checkin
from ..errors import FieldError


class SelectionError(FieldError):
    """A filter that names nothing printable; ``field`` says which input is wrong."""


@dataclass(frozen=True)
class Selection:
    """Which registrations of an event a print run takes.

    Without a filter that is every confirmed registration, every time: reprinting is
    choosing "all" again. Waitlisted and cancelled people never get a badge (their QR would
    be refused at the door), and neither do anonymised registrations (no name left).
    """

    event: Event
    category: Category | None = None
    only_unprinted: bool = False
    registration: Registration | None = None

    def conditions(self) -> list:
        where = [Registration.event_id == self.event.id, Registration.status == CONFIRMED,
                 Registration.anonymised_at.is_(None)]
        if self.category is not None:
            where.append(Registration.category_id == self.category.id)
        if self.only_unprinted:
            where.append(Registration.badge_printed_at.is_(None))
        if self.registration is not None:
            where.append(Registration.id == self.registration.id)
        return where


def resolve_category(event: Event, value: str | int | None) -> Category | None:
    """The event's category named ``value`` (any case) or with that id; None for "all".

    An unknown one is a SelectionError that lists the event's categories.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    category = event.category(text)
    if category is not None:
        return category
    names = ", ".join(category.name for category in event.categories)
    raise SelectionError("category", _(
        "Unknown category “%(value)s”. Categories of this event: %(names)s.",
        value=text, names=names))


def refusal_reason(registration: Registration) -> str | None:
    """Why this person gets no badge, or None when they do."""
    if registration.anonymised_at is not None:
        return _("This registration was anonymised; it has no badge.")
    if registration.status == CONFIRMED:
        return None
    if registration.status == WAITLISTED:
        return _("This registration is on the waiting list. The badge is available once "
                 "the place is confirmed.")
    return _("This registration is cancelled, so there is no badge for it.")


def select(event: Event, *, category: str | int | Category | None = None,
           only_unprinted: bool = False, registration: Registration | None = None
           ) -> Selection:
    """Check the filters against the event; raises SelectionError with the field name."""
    if not isinstance(category, Category):
        category = resolve_category(event, category)
    elif category.event_id != event.id:
        raise SelectionError("category", _("This category belongs to another event."))
    if registration is not None:
        if registration.event_id != event.id:
            raise SelectionError("registration",
                                 _("This person is registered for another event."))
        reason = refusal_reason(registration)
        if reason:
            raise SelectionError("registration", reason)
    return Selection(event, category, only_unprinted, registration)


def count(selection: Selection) -> int:
    return db.session.scalar(
        db.select(func.count()).select_from(Registration).where(*selection.conditions())) or 0


def empty_message(selection_filters: bool) -> str:
    if selection_filters:
        return _("No confirmed registration matches this selection, so there is nothing to "
                 "print. Choose another category or include badges printed before.")
    return _("This event has no confirmed registrations yet, so there is nothing to print.")


def find_people(event: Event, query: str) -> list[Registration]:
    """Registrations of ``event`` for a one-person print: by check-in code (what the badge's
    QR holds), by e-mail, or by words of the name or organisation."""
    text = (query or "").strip()
    if not text:
        return []
    if checkin.normalise_code(text):
        found = checkin.find_by_code(event, text)
        return [found] if found is not None else []
    if "@" in text:
        found = db.session.scalar(db.select(Registration).where(
            Registration.event_id == event.id, Registration.anonymised_at.is_(None),
            Registration.email_normalised == text.lower()))
        if found is not None:
            return [found]
    return checkin.search(event, text)


def get_registration(event: Event, registration_id: int | None) -> Registration:
    """The event's registration with this id, or a SelectionError naming the field."""
    registration = db.session.get(Registration, registration_id) if registration_id else None
    if registration is None or registration.event_id != event.id:
        raise SelectionError("registration", _("No registration of this event has this id."))
    return registration


