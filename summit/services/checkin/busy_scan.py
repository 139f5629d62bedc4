"""The busy path of check-in: a scan of a known badge, the most frequent request of the day,
in as few round trips as it can take.

One UPDATE decides who is first (the database does, so two desks scanning the same badge at
the same moment can never both welcome the person); a badge that is in already is told since
when; both return what the desk's answer shows, and the scan's CheckIn row goes into the
same transaction. On PostgreSQL, where every statement is a round trip to the server, that is
one statement (a data-modifying WITH); SQLite, which cannot modify data in a WITH, takes the
same steps one by one on its local file. Anything else writes nothing here and goes the
readable way (scans.scan): unknown codes, cancelled or waitlisted people, codes typed in
groups or through a swapped keyboard layout, a scan that raced another desk's.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Integer,
    Text,
    and_,
    bindparam,
    case,
    insert,
    literal,
    null,
    or_,
    select,
    update,
)

from ...extensions import autocommit_connection, db
from ...models import CONFIRMED, Category, CheckIn, Event, Registration, utcnow
from ...models.bilingual import in_language

CHECKED_IN = "checked_in"
ALREADY_CHECKED_IN = "already_checked_in"
_DESK_COLUMN_LENGTH = 60


@dataclass(frozen=True)
class Answer:
    """A scan of a known badge that the busy path answered: welcome, or already in since."""
    result: str
    registration_id: int
    checked_in_at: datetime
    first_name: str
    last_name: str
    organisation: str
    category: str
    category_de: str

    def attendee(self, language: str) -> dict:
        return attendee_answer(self.first_name, self.last_name, self.organisation,
                               in_language(language, english=self.category,
                                           german=self.category_de))


def attendee_answer(first_name: str, last_name: str, organisation: str, category: str) -> dict:
    """Who a scan is about, as the desk's answer and the API show it."""
    return {"first_name": first_name, "last_name": last_name, "category": category,
            "organisation": organisation}


def desk_label(desk: str | None) -> str:
    return (desk or "").strip()[:_DESK_COLUMN_LENGTH]


def check_in_at_once(slug: str, code: str | None, *, desk: str = "", user_id: int | None,
                     now: datetime | None = None) -> Answer | None:
    """Scan exactly this (normalised) code of the event with this slug: check in its
    confirmed holder if not yet arrived, or tell since when they are in, and record the scan
    (committed). None, with nothing written, for anything else (scans.scan then finds out
    why). On PostgreSQL it runs in autocommit on a connection of its own: what the request's
    session holds does not see it until read again."""
    if code is None:
        return None
    now = now or utcnow()
    values = {"slug": slug, "code": code, "now": now, "desk": desk_label(desk),
              "user_id": user_id}
    if db.engine.dialect.name == "postgresql":
        with autocommit_connection() as connection:
            row = connection.execute(_statement("postgresql"), values).first()
    else:
        row = _sqlite_scan(values)
    if row is None:
        return None
    welcomed = row.welcomed_at is not None
    return Answer(CHECKED_IN if welcomed else ALREADY_CHECKED_IN, row.id,
                  row.welcomed_at if welcomed else row.checked_in_at, row.first_name,
                  row.last_name, row.organisation or "", row.category or "",
                  row.category_de or "")


def _sqlite_scan(values: dict):
    """SQLite cannot modify data in a WITH: the same steps one by one in the session's
    transaction, on its local file (no round trips to save)."""
    row = db.session.execute(_statement("sqlite"), values).first()
    if row is None:
        row = db.session.execute(_statement("sqlite-found"), values).first()
        if row is None or row.status != CONFIRMED or row.checked_in_at is None:
            db.session.rollback()
            return None
    db.session.execute(_statement("sqlite-record"), {
        **values, "event_id": row.event_id, "registration_id": row.id,
        "result": CHECKED_IN if row.welcomed_at is not None else ALREADY_CHECKED_IN})
    db.session.commit()
    return row


_STATEMENTS: dict[str, object] = {}


def _statement(name: str):
    """Built once each (then SQLAlchemy's compiled cache serves them)."""
    if not _STATEMENTS:
        _STATEMENTS.update({
            "postgresql": _postgresql_scan(), "sqlite": _welcome(_found_where()),
            "sqlite-found": _found().add_columns(null().label("welcomed_at")),
            "sqlite-record": insert(CheckIn.__table__).values(_record(
                bindparam("event_id", type_=Integer), bindparam("registration_id", type_=Integer),
                bindparam("result", type_=Text)))})
    return _STATEMENTS[name]


def _found_where() -> list:
    """Exactly this code, of the event with this slug."""
    registrations, events = Registration.__table__, Event.__table__
    event_id = (select(events.c.id).where(events.c.slug == bindparam("slug", type_=Text))
                .scalar_subquery())
    return [registrations.c.checkin_code == bindparam("code", type_=Text),
            registrations.c.event_id == event_id]


def _attendee_columns() -> list:
    registrations, categories = Registration.__table__, Category.__table__

    def category(column):
        return (select(column).where(categories.c.id == registrations.c.category_id)
                .scalar_subquery())

    return [registrations.c.id, registrations.c.event_id, registrations.c.status,
            registrations.c.checked_in_at, registrations.c.first_name,
            registrations.c.last_name, registrations.c.organisation,
            category(categories.c.name).label("category"),
            category(categories.c.name_de).label("category_de")]


def _found():
    return select(*_attendee_columns()).where(*_found_where())


def _welcome(where: list):
    """The UPDATE that decides who is first (the condition of scans._check_in's): where the
    person is confirmed and not yet in, now they are."""
    registrations = Registration.__table__
    return (update(registrations)
            .where(*where, registrations.c.checked_in_at.is_(None),
                   registrations.c.status == CONFIRMED)
            .values(checked_in_at=bindparam("now", type_=registrations.c.checked_in_at.type))
            .returning(*_attendee_columns(),
                       registrations.c.checked_in_at.label("welcomed_at")))


def _record(event_id, registration_id, result) -> dict:
    """The scan's CheckIn row: each column and the value it takes."""
    return {"event_id": event_id, "registration_id": registration_id,
            "code": bindparam("code", type_=Text), "result": result,
            "desk": bindparam("desk", type_=Text), "user_id": bindparam("user_id", type_=Integer),
            "scanned_at": bindparam("now", type_=CheckIn.__table__.c.scanned_at.type),
            "offline_answer": literal(""), "flag": literal("")}


def _postgresql_scan():
    """One round trip for the scan, its answer and its record:

        WITH found AS (the badge), welcomed AS (UPDATE … WHERE not yet in RETURNING),
             answered AS (welcomed, or found and in already),
             recorded AS (INSERT INTO checkins SELECT … FROM answered)
        SELECT * FROM answered

    Every part sees the same snapshot. Two desks scanning one badge at once: the second's
    UPDATE waits for the first's row, then finds it checked in and changes nothing, while
    its `found` still says "not in": answered is empty, nothing is written, and the readable
    way answers "already in" from what is committed by then.
    """
    registrations = Registration.__table__
    found = _found().cte("found")
    welcomed = _welcome([registrations.c.id.in_(select(found.c.id))]).cte("welcomed")
    answered = (select(*found.c, welcomed.c.welcomed_at)
                .select_from(found.outerjoin(welcomed, welcomed.c.id == found.c.id))
                .where(or_(welcomed.c.id.is_not(None),
                           and_(found.c.status == CONFIRMED, found.c.checked_in_at.is_not(None))))
                .cte("answered"))
    result = case((answered.c.welcomed_at.is_not(None), literal(CHECKED_IN)),
                  else_=literal(ALREADY_CHECKED_IN))
    record = _record(answered.c.event_id, answered.c.id, result)
    recorded = insert(CheckIn.__table__).from_select(
        list(record), select(*record.values()), include_defaults=False).cte("recorded")
    return select(answered).add_cte(recorded)
