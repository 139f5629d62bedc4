"""Print runs: registrations streamed to the database-free renderer, marked printed, reported on."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func

from ...extensions import db
from ...i18n import format_date_range
from ...models import Category, Event, Registration, in_language, localised, utcnow
from ..registrations import codes
from .fonts import missing_glyphs
from .layouts import SheetLayout, get_layout
from .render import BadgeData, MissingGlyphs, render_badges
from .selection import Selection, select

# Rows fetched per round trip while streaming; PostgreSQL uses a server-side cursor.
STREAM_BATCH = 200
# Ids per UPDATE when marking badges printed (well under every driver's parameter limit).
MARK_BATCH = 500


@dataclass(frozen=True)
class PrintRun:
    """What a print run did: counts for the summary line, and the badges to look at."""

    count: int
    pages: int
    layout: str
    marked: int
    missing_glyphs: tuple[MissingGlyphs, ...] = field(default=())


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
    event_name = localised(event, "name", locale)
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
            category_name=in_language(locale, english=name, german=name_de),
            category_colour=colour or event.primary_colour, event_name=event_name,
            event_dates=dates,
            # Exactly what POST /events/<slug>/checkins accepts: the bare check-in code.
            qr_payload=code, reference=str(registration_id), code_label=codes.grouped(code),
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


def describe_missing(run: PrintRun) -> list[str]:
    """One line per badge with uncovered characters: "Name (registration 12): 😀 田"."""
    return [_("%(name)s (registration %(reference)s): %(characters)s",
              name=item.name, reference=item.reference, characters=" ".join(item.characters))
            for item in run.missing_glyphs]


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
        .where(*Selection(event).conditions())
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


def _missing_on_badge(first: str, last: str, organisation: str | None) -> str:
    """Characters of the badge's name and organisation that no font has, sorted."""
    return "".join(sorted(missing_glyphs(f"{first} {last} {organisation or ''}")))


def missing_characters(registration: Registration) -> str:
    """What the person's own badge prints as "�": told on their manage page, so that the
    attendee is not left with a badge they did not expect."""
    return _missing_on_badge(registration.first_name, registration.last_name,
                             registration.organisation)


def missing_glyph_report(event: Event) -> list[GlyphProblem]:
    """Confirmed people whose badge would show characters no shipped font has.

    Cheap enough to run on every page view (a set lookup per character), so the organiser
    sees the names before printing, not only after.
    """
    categories = {category.id: category for category in event.categories}
    rows = db.session.execute(
        db.select(Registration.id, Registration.first_name, Registration.last_name,
                  Registration.organisation, Registration.category_id)
        .where(*Selection(event).conditions())
        .order_by(Registration.last_name, Registration.first_name, Registration.id))
    problems = []
    for registration_id, first, last, organisation, category_id in rows:
        missing = _missing_on_badge(first, last, organisation)
        if missing:
            problems.append(GlyphProblem(registration_id, f"{first} {last}".strip(),
                                         categories[category_id], missing))
    return problems
