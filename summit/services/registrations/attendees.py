"""The organiser's view of an event's registrations: search, filter, sort, counts, erasure.

Registering, cancelling and moving people between categories live in registrations.py;
this module reads lists and erases personal data, and nothing else.
"""

from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound

from ...extensions import db
from ...models import (
    CANCELLED,
    CONFIRMED,
    STATUSES,
    TEXT,
    WAITLISTED,
    Answer,
    AuditEntry,
    Category,
    Event,
    OutboxMessage,
    Question,
    Registration,
    User,
    Vote,
    answer_options,
    utcnow,
)
from ...models.types import MAX_ID
from ...text import matches_every_word
from ..events import events
from ..platform import audit
from . import attendee_pages, codes

PER_PAGE = 50
SORTS = ("name", "registered", "category", "status")
# Keys that may hold personal data in audit details; erased with the person.
PERSONAL_KEYS = frozenset({"first_name", "last_name", "name", "full_name", "email",
                           "organisation", "needs", "old_email", "new_email"})


@dataclass(frozen=True)
class AttendeeQuery:
    """What the organiser asked the list for; every field has a harmless default."""

    search: str = ""
    category_id: int | None = None
    status: str | None = None
    sort: str = "name"
    descending: bool = False
    option_id: int | None = None  # people who chose this answer of a registration question

    def __post_init__(self):
        if self.sort not in SORTS:
            object.__setattr__(self, "sort", "name")
        if self.status not in STATUSES:
            object.__setattr__(self, "status", None)
        object.__setattr__(self, "search", (self.search or "").strip()[:200])


def get_registration(event: Event, registration_id: int) -> Registration:
    registration = db.session.scalar(
        db.select(Registration).where(Registration.id == registration_id,
                                      Registration.event_id == event.id))
    if registration is None:
        raise NotFound()
    return registration


def _conditions(event: Event, query: AttendeeQuery, category_id: int | None = None, *,
                search: bool = True) -> list:
    """The WHERE clauses of the list's filter and (unless `search` is false) search. A
    category (the filter's, or one step of the keyset walk of the sort by category; either is
    one of the event's, checked by the caller) replaces the event's condition, so that the
    category's index serves."""
    category_id = category_id or query.category_id
    conditions = ([Registration.category_id == category_id] if category_id
                  else [Registration.event_id == event.id])
    if query.status:
        conditions.append(Registration.status == query.status)
    if query.option_id:
        conditions.append(Registration.id.in_(
            select(Answer.registration_id).join(answer_options,
                                                answer_options.c.answer_id == Answer.id)
            .where(answer_options.c.option_id == query.option_id)))
    if query.search and search:
        # The desk's rule (summit/text.py): 'mueller', 'muller' and 'MÜLLER' find Müller.
        conditions.append(matches_every_word(Registration.search_key, query.search))
    return conditions


def select_attendees(event: Event, query: AttendeeQuery):
    """Every match in the list's order, for the CSV export (and the tests' reference)."""
    statement = (db.select(Registration).join(Registration.category)
                 .where(Registration.event_id == event.id, *_conditions(event, query)))
    return statement.order_by(*_ordering(query))


def _ordering(query: AttendeeQuery) -> list:
    def direction(column):
        return column.desc() if query.descending else column.asc()

    # Stored lower-case names (models/registration.py): one index serves the default sort.
    name = [direction(Registration.sort_last), direction(Registration.sort_first)]
    by = {
        "name": name,
        "registered": [direction(Registration.created_at)],
        "category": [direction(Category.position), direction(Category.name),
                     direction(Category.id), *name],
        "status": [direction(Registration.status), *name],
    }[query.sort]
    return [*by, direction(Registration.id)]


def page_of_attendees(event: Event, query: AttendeeQuery, *, after: str | None = None,
                      before: str | None = None, last: bool = False,
                      per_page: int = PER_PAGE, total: int | None = None
                      ) -> attendee_pages.AttendeePage:
    """The page after the cursor `after`, before `before`, the last page or the first one
    (keyset pagination, attendee_pages.py). A cursor that does not fit the query gives the
    first page; one past the end the last page. `total`: the number of matches if the
    caller knows it (known_total), else a COUNT finds it (a search's only up to a cap)."""
    if _foreign_category(event, query):
        return attendee_pages.AttendeePage([], 0, 0, 0, None, None)
    return attendee_pages.page(
        event, query,
        lambda segment, search=True: _conditions(event, query, segment, search=search),
        after=after,
        before=before, last=last, per_page=per_page, total=total)


def _foreign_category(event: Event, query: AttendeeQuery) -> bool:
    """True when the filter names a category of another event (a URL edited by hand)."""
    return bool(query.category_id) and all(c.id != query.category_id for c in event.categories)


def known_total(category_counts: list["CategoryCount"], query: AttendeeQuery) -> int | None:
    """The number of matches from the counts per category the page shows anyway (no second
    scan of the event), or None when a search or an answer filter needs a COUNT."""
    if query.search or query.option_id:
        return None
    total = 0
    for count in category_counts:
        if query.category_id and count.category.id != query.category_id:
            continue
        by_status = {CONFIRMED: count.confirmed, WAITLISTED: count.waitlisted,
                     CANCELLED: count.cancelled}
        total += by_status[query.status] if query.status else sum(by_status.values())
    return total


@dataclass
class CategoryCount:
    category: Category
    confirmed: int
    waitlisted: int
    cancelled: int

    @property
    def free(self) -> int:
        return max(0, self.category.capacity - self.confirmed)

    @property
    def over_capacity(self) -> int:
        return max(0, self.confirmed - self.category.capacity)

    @property
    def percent_full(self) -> int:
        if not self.category.capacity:
            return 100 if self.confirmed else 0
        return min(100, round(100 * self.confirmed / self.category.capacity))


def counts(event: Event) -> list[CategoryCount]:
    """Capacity, confirmed, waitlisted and cancelled per category, in category order."""
    per_category = events.category_counts(event)
    return [CategoryCount(category, per_category[category.id].get(CONFIRMED, 0),
                          per_category[category.id].get(WAITLISTED, 0),
                          per_category[category.id].get(CANCELLED, 0))
            for category in event.categories]


def checked_in_count(event: Event) -> int:
    return db.session.scalar(
        db.select(func.count()).select_from(Registration)
        .where(Registration.event_id == event.id, Registration.checked_in_at.is_not(None))) or 0


def audit_page(event: Event, page: int = 1, per_page: int = 100):
    """The event's audit log, newest first, with the acting users loaded. Entries of no
    event (who joined or left the team) belong to every event's log."""
    statement = (db.select(AuditEntry)
                 .where(or_(AuditEntry.event_id == event.id, AuditEntry.event_id.is_(None)))
                 .options(selectinload(AuditEntry.user))
                 .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()))
    return db.paginate(statement, page=_bounded(page), per_page=per_page, error_out=False)


def _bounded(page: int) -> int:
    """A page number from a URL, kept where its offset fits the database's BIGINT (page
    10**20 of 50 rows does not; PostgreSQL answers "bigint out of range")."""
    return min(max(1, page), MAX_ID)


def registration_history(registration: Registration) -> list[AuditEntry]:
    return list(db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.target_type == "Registration",
                                    AuditEntry.target_id == registration.id)
        .options(selectinload(AuditEntry.user))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())))


class AlreadyAnonymised(ValueError):
    pass


def anonymise(registration: Registration, *, actor: User | None) -> Registration:
    """Erase the person (GDPR art. 17) but keep the row, so every count stays true.

    Status, category, registration and check-in times stay; names, e-mail, organisation and
    needs go, the manage link stops working, audit entries about the person lose the
    personal details they carried, the mails to them (sent or not) leave the outbox, and
    their audience votes stay counted without saying whose they were.
    """
    if registration.anonymised_at is not None:
        raise AlreadyAnonymised("This registration is anonymised already.")
    personal = {value.lower() for value in (registration.first_name, registration.last_name,
                                            registration.email, registration.organisation)
                if value and len(value) > 2}
    db.session.execute(delete(OutboxMessage).where(or_(
        OutboxMessage.registration_id == registration.id,
        OutboxMessage.recipient == registration.email,
        func.lower(OutboxMessage.recipient) == registration.email_normalised)))
    placeholder = f"anonymised-{registration.id}@invalid"
    registration.first_name = "Anonymised"
    registration.last_name = f"#{registration.id}"
    registration.email = placeholder
    registration.email_normalised = placeholder
    registration.organisation = ""
    registration.needs = ""
    registration.public_listing = False
    # Written answers may say anything about the person; chosen options keep their places.
    db.session.execute(delete(Answer).where(
        Answer.registration_id == registration.id,
        Answer.question_id.in_(select(Question.id).where(Question.kind == TEXT))))
    registration.manage_token = codes.new_manage_token()
    registration.anonymised_at = utcnow()
    # Their audience votes stay counted but no longer say whose they were.
    db.session.execute(update(Vote).where(Vote.registration_id == registration.id)
                       .values(registration_id=None))
    _scrub_audit_entries(registration, personal)
    audit.record("registration.anonymise", actor=actor, event_id=registration.event_id,
                 target=registration, category=registration.category.name,
                 status=registration.status)
    db.session.commit()
    return registration


def _scrub_audit_entries(registration: Registration, personal: set[str]) -> None:
    entries = db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.target_type == "Registration", AuditEntry.target_id == registration.id))
    for entry in entries:
        kept = {key: value for key, value in (entry.details or {}).items()
                if key not in PERSONAL_KEYS
                and not (isinstance(value, str) and any(p in value.lower() for p in personal))}
        if kept != entry.details:
            db.session.execute(update(AuditEntry).where(AuditEntry.id == entry.id)
                               .values(details=kept))
