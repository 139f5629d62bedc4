"""Badge print runs: who gets a badge, in which order, and what was printed when.

The renderer (summit/badges/render.py) knows nothing of the database; this module selects
the registrations, streams them to it as plain ``BadgeData`` and records the print run.
The organiser page, the API, the CLI and the attendee's own download all call it.

Without a filter a print run is every confirmed registration of the event, every time:
reprinting is choosing "all" again. Waitlisted and cancelled people never get a badge (their
QR would be refused at the door), and neither do anonymised registrations (no name left).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func

from ...extensions import db
from ...i18n import format_date_range
from ...models import CONFIRMED, Category, Event, Registration, utcnow
from ..errors import FieldError
from .layouts import LAYOUTS, SheetLayout, get_layout
from .render import BadgeData, EmptySelection, MissingGlyphs, render_badges

# Rows fetched per round trip while streaming; PostgreSQL uses a server-side cursor.
STREAM_BATCH = 200
# Ids per UPDATE when marking badges printed (well under every driver's parameter limit).
MARK_BATCH = 500

__all__ = [
    "EmptySelection", "PrintRun", "Selection", "SelectionError", "badge_counts",
    "badges_for", "describe_missing", "find_people", "get_by_manage_token", "get_registration",
    "layout_choices", "missing_glyph_report", "print_badges", "refusal_reason",
    "resolve_category", "select",
]


class SelectionError(FieldError):
    """A filter that names nothing printable; ``field`` says which input is wrong."""


@dataclass(frozen=True)
class Selection:
    """Which registrations of an event a print run takes."""

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


@dataclass(frozen=True)
class PrintRun:
    """What a print run did: counts for the summary line, and the badges to look at."""

    count: int
    pages: int
    layout: str
    marked: int
    missing_glyphs: tuple[MissingGlyphs, ...] = field(default=())


def layout_choices() -> list[tuple[str, str]]:
    """(name, human title) of every layout, A6 first, then as declared."""
    return [(name, layout.title) for name, layout in LAYOUTS.items()]


def resolve_category(event: Event, value: str | int | None) -> Category | None:
    """The event's category named ``value`` (any case) or with that id; None for "all".

    An unknown one is a SelectionError that lists the event's categories.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    for category in event.categories:
        if text.casefold() in (category.name.casefold(), category.name_de.casefold()):
            return category
    if text.isdigit():
        for category in event.categories:
            if category.id == int(text):
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
    if registration.status == "waitlisted":
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


def badges_for(selection: Selection, locale: str, printed_ids: list[int] | None = None
               ) -> Iterator[BadgeData]:
    """The selection's badges in print order, streamed: only the columns a badge needs are
    read, ``STREAM_BATCH`` rows at a time, so memory stays flat for any event size.

    Order: category (as the organiser ordered them), then last and first name, so the desk
    can file each category's badges alphabetically. Every yielded id is appended to
    ``printed_ids``.
    """
    event = selection.event
    dates = format_date_range(event.starts_on, event.ends_on, locale=locale)
    statement = (
        db.select(Registration.id, Registration.first_name, Registration.last_name,
                  Registration.organisation, Registration.checkin_code, Category.name,
                  Category.name_de, Category.badge_colour)
        .join(Category, Category.id == Registration.category_id)
        .where(*selection.conditions())
        .order_by(Category.position, Category.id, func.lower(Registration.last_name),
                  func.lower(Registration.first_name), Registration.id)
        .execution_options(yield_per=STREAM_BATCH)
    )
    for row in db.session.execute(statement):
        (registration_id, first, last, organisation, code, name, name_de, colour) = row
        if printed_ids is not None:
            printed_ids.append(registration_id)
        yield BadgeData(
            first_name=first, last_name=last, organisation=organisation or "",
            category_name=name_de if locale == "de" and name_de else name,
            category_colour=colour or event.primary_colour, event_name=event.name,
            event_dates=dates,
            # Exactly what POST /events/<slug>/checkins accepts: the bare check-in code.
            qr_payload=code, reference=str(registration_id),
        )


def print_badges(event: Event, out: str | BinaryIO, *, layout: str | SheetLayout | None,
                 category: str | int | Category | None = None, only_unprinted: bool = False,
                 registration: Registration | None = None, crop_marks: bool = False,
                 mark_printed: bool = True, on_progress=None, locale: str | None = None
                 ) -> PrintRun:
    """Render the selected badges into ``out`` and, once the PDF is complete, mark them
    printed in one transaction.

    Raises ``UnknownLayout`` (with the valid names), ``SelectionError`` (field and message)
    or ``EmptySelection`` before anything is written or marked. ``locale`` is the language
    of the category name and dates on the badge (default: the app's default language).
    """
    sheet = layout if isinstance(layout, SheetLayout) else get_layout(layout)
    selection = select(event, category=category, only_unprinted=only_unprinted,
                       registration=registration)
    locale = locale or current_app.config.get("BABEL_DEFAULT_LOCALE", "en")
    printed: list[int] = []
    try:
        report = render_badges(badges_for(selection, locale, printed), out, layout=sheet,
                               crop_marks=crop_marks, on_progress=on_progress)
    except BaseException:
        # Close the read transaction (and a half-read server-side cursor); nothing is marked.
        db.session.rollback()
        raise
    marked = _mark_printed(printed) if mark_printed else 0
    return PrintRun(report.count, report.pages, report.layout, marked,
                    tuple(report.missing_glyphs))


def _mark_printed(ids: list[int]) -> int:
    now = utcnow()
    for start in range(0, len(ids), MARK_BATCH):
        chunk = ids[start:start + MARK_BATCH]
        db.session.execute(db.update(Registration).where(Registration.id.in_(chunk))
                           .values(badge_printed_at=now))
    db.session.commit()
    return len(ids)


def empty_message(selection_filters: bool) -> str:
    if selection_filters:
        return _("No confirmed registration matches this selection, so there is nothing to "
                 "print. Choose another category or include badges printed before.")
    return _("This event has no confirmed registrations yet, so there is nothing to print.")


@dataclass(frozen=True)
class CategoryBadgeCount:
    category: Category
    confirmed: int
    printed: int

    @property
    def not_printed(self) -> int:
        return self.confirmed - self.printed


def badge_counts(event: Event) -> list[CategoryBadgeCount]:
    """Per category: confirmed registrations and how many of their badges are printed."""
    rows = db.session.execute(
        db.select(Registration.category_id, func.count(),
                  func.count(Registration.badge_printed_at))
        .where(Registration.event_id == event.id, Registration.status == CONFIRMED,
               Registration.anonymised_at.is_(None))
        .group_by(Registration.category_id))
    found = {category_id: (confirmed, printed) for category_id, confirmed, printed in rows}
    return [CategoryBadgeCount(category, *found.get(category.id, (0, 0)))
            for category in event.categories]


@dataclass(frozen=True)
class GlyphProblem:
    registration_id: int
    name: str
    category: Category
    characters: str

    @property
    def code_points(self) -> list[tuple[str, str]]:
        return [(char, f"U+{ord(char):04X}") for char in self.characters]


def missing_glyph_report(event: Event) -> list[GlyphProblem]:
    """Confirmed people whose badge would show characters no shipped font has.

    Cheap enough to run on every page view (a set lookup per character), so the organiser
    sees the names before printing, not only after.
    """
    from .fonts import missing_glyphs

    categories = {category.id: category for category in event.categories}
    rows = db.session.execute(
        db.select(Registration.id, Registration.first_name, Registration.last_name,
                  Registration.organisation, Registration.category_id)
        .where(Registration.event_id == event.id, Registration.status == CONFIRMED,
               Registration.anonymised_at.is_(None))
        .order_by(Registration.last_name, Registration.first_name, Registration.id))
    problems = []
    for registration_id, first, last, organisation, category_id in rows:
        missing = missing_glyphs(f"{first} {last} {organisation}")
        if missing:
            problems.append(GlyphProblem(registration_id, f"{first} {last}".strip(),
                                         categories[category_id], "".join(sorted(missing))))
    return problems


def describe_missing(run: PrintRun) -> list[str]:
    """One line per badge with uncovered characters: "Name (registration 12): 😀 田"."""
    return [_("%(name)s (registration %(reference)s): %(characters)s",
              name=item.name, reference=item.reference, characters=" ".join(item.characters))
            for item in run.missing_glyphs]


def find_people(event: Event, query: str) -> list[Registration]:
    """Registrations of ``event`` for a one-person print: by check-in code (what the badge's
    QR holds), by e-mail, or by words of the name or organisation."""
    from ..checkin import scans as checkin

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


def get_by_manage_token(token: str) -> Registration:
    """The registration behind a manage link; 404 for an unknown (or anonymised) one."""
    from werkzeug.exceptions import NotFound

    registration = None
    if token and len(token) <= 64:
        registration = db.session.scalar(
            db.select(Registration).where(Registration.manage_token == token))
    if registration is None or registration.anonymised_at is not None:
        raise NotFound()
    return registration
