"""The busy path of check-in: a scan of a known badge, the most frequent request of the day,
in as few round trips as it can take.

One UPDATE decides who is first (the database does, so two desks scanning the same badge at
the same moment can never both welcome the person); a badge that is in already is told since
when; both return what the desk's answer shows, and the scan's CheckIn row goes into the
same transaction. On PostgreSQL, where every statement is a round trip to the server, that is
one statement (a data-modifying WITH); SQLite, which cannot modify data in a WITH, takes the
same steps one by one on its local file. Anything else writes nothing here and goes the
readable way (scans.find_and_check_in): unknown codes, cancelled or waitlisted people, codes
typed in groups or through a swapped keyboard layout, a scan that raced another desk's.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import (
    Connection,
    Integer,
    Text,
    and_,
    bindparam,
    case,
    exists,
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
from ..platform import users
from .answers import ALREADY_CHECKED_IN, CHECKED_IN, attendee_answer, desk_label


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


def check_in_at_once(slug: str, code: str | None, *, desk: str = "", user_id: int | None,
                     now: datetime | None = None) -> Answer | None:
    """Scan exactly this (normalised) code of the event with this slug, on a connection of
    its own (autocommit on PostgreSQL, one short transaction on SQLite): check in its
    confirmed holder if not yet arrived, or tell since when they are in, and record the scan.
    None, with nothing written, for anything else (scans.find_and_check_in then finds out
    why). For a caller that knows its user and whose session holds no connection yet:
    objects the session loads later see the scan. (The API's scans bring a token instead:
    check_in_for_token_holder.)"""
    if code is None:
        return None
    if db.engine.dialect.name == "postgresql":
        with autocommit_connection() as connection:
            return scan_on(connection, slug, code, desk=desk, user_id=user_id, now=now)
    with db.engine.begin() as connection:
        return scan_on(connection, slug, code, desk=desk, user_id=user_id, now=now)


def check_in_for_token_holder(slug: str, code: str | None, *, token: str,
                              roles: tuple[str, ...], desk: str = "") -> Answer | None:
    """check_in_at_once for a request that brings an API token: the token's check (an active
    user holding it, with one of these roles, its use noted as users.user_for_token notes
    it) goes with the scan, in its statement on PostgreSQL: one round trip for the whole
    scan. None, with nothing written but the token's use, when the token's holder has none
    of these roles (the usual check then answers 401 or 403) or when check_in_at_once would
    answer None; the scan's record names the token's holder."""
    if code is None:
        return None
    stamps = users.use_stamps(token)
    if db.engine.dialect.name == "postgresql":
        values = _values(slug, code, desk=desk, now=stamps["now"]) | stamps
        with autocommit_connection() as connection:
            return _answer(connection.execute(_postgresql_scan(roles), values).first())
    with db.engine.begin() as connection:
        holder = users.holder_of_token(connection, token)
        if holder is None or holder.role not in roles:
            return None
        return scan_on(connection, slug, code, desk=desk, user_id=holder.id, now=stamps["now"])


def scan_on(connection: Connection, slug: str, code: str, *, desk: str = "",
            user_id: int | None, now: datetime | None = None) -> Answer | None:
    """check_in_at_once on the given connection, in its transaction (the caller commits)."""
    values = _values(slug, code, desk=desk, now=now or utcnow()) | {"user_id": user_id}
    if connection.dialect.name == "postgresql":
        return _answer(connection.execute(_postgresql_scan(), values).first())
    return _answer(_sqlite_scan(connection, values))


def _values(slug: str, code: str, *, desk: str, now: datetime) -> dict:
    """The scan statement's parameters but the user's. (None bears a column's name of a table
    the statement updates: SQLAlchemy would set that column too.)"""
    return {"slug": slug, "code": code, "now": now, "desk": desk_label(desk)}


def _answer(row) -> Answer | None:
    """The answer in the scan statement's row (None: it answered nothing)."""
    if row is None:
        return None
    welcomed = row.welcomed_at is not None
    return Answer(CHECKED_IN if welcomed else ALREADY_CHECKED_IN, row.id,
                  row.welcomed_at if welcomed else row.checked_in_at, row.first_name,
                  row.last_name, row.organisation or "", row.category or "",
                  row.category_de or "")


def _sqlite_scan(connection: Connection, values: dict):
    """SQLite cannot modify data in a WITH: the same steps one by one, on its local file
    (no round trips to save). An UPDATE that matched nothing wrote nothing."""
    row = connection.execute(_sqlite_welcome(), values).first()
    if row is None:
        row = connection.execute(_sqlite_found(), values).first()
        if row is None or row.status != CONFIRMED or row.checked_in_at is None:
            return None
    connection.execute(_sqlite_record(), {
        **values, "event_id": row.event_id, "registration_id": row.id,
        "result": CHECKED_IN if row.welcomed_at is not None else ALREADY_CHECKED_IN})
    return row


# Each statement is built once (then SQLAlchemy's compiled cache serves it).

@cache
def _sqlite_welcome():
    return _welcome(_found_where(), _attendee_columns())


@cache
def _sqlite_found():
    return _found().add_columns(null().label("welcomed_at"))


@cache
def _sqlite_record():
    return insert(CheckIn.__table__).values(_record(
        bindparam("event_id", type_=Integer), bindparam("registration_id", type_=Integer),
        bindparam("result", type_=Text), bindparam("user_id", type_=Integer)))


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


def _found(*conditions):
    """The badge's holder, as the answer names them; `conditions` narrow it further."""
    return select(*_attendee_columns()).where(*_found_where(), *conditions)


def _welcome(where: list, returning: list):
    """The UPDATE that decides who is first (the condition of scans._check_in's): where the
    person is confirmed and not yet in, now they are."""
    registrations = Registration.__table__
    return (update(registrations)
            .where(*where, registrations.c.checked_in_at.is_(None),
                   registrations.c.status == CONFIRMED)
            .values(checked_in_at=bindparam("now", type_=registrations.c.checked_in_at.type))
            .returning(*returning, registrations.c.checked_in_at.label("welcomed_at")))


def _record(event_id, registration_id, result, user_id) -> dict:
    """The scan's CheckIn row: each column and the value it takes."""
    return {"event_id": event_id, "registration_id": registration_id,
            "code": bindparam("code", type_=Text), "result": result,
            "desk": bindparam("desk", type_=Text), "user_id": user_id,
            "scanned_at": bindparam("now", type_=CheckIn.__table__.c.scanned_at.type),
            "offline_answer": literal(""), "flag": literal("")}


@cache
def _postgresql_scan(roles: tuple[str, ...] | None = None):
    """One round trip for the scan, its answer and its record:

        WITH found AS (the badge), welcomed AS (UPDATE … WHERE not yet in RETURNING),
             answered AS (welcomed, or found and in already),
             recorded AS (INSERT INTO checkins SELECT … FROM answered)
        SELECT * FROM answered

    Every part sees the same snapshot. Two desks scanning one badge at once: the second's
    UPDATE waits for the first's row, then finds it checked in and changes nothing, while
    its `found` still says "not in": answered is empty, nothing is written, and the readable
    way answers "already in" from what is committed by then.

    With `roles`, the API token's check comes first (check_in_for_token_holder):
    holder AS (users.token_holder), noted AS (its use stamped, whatever the holder's role, as
    the usual check stamps it), and a badge is found only for a holder with one of these
    roles, whose id the record takes.
    """
    registrations = Registration.__table__
    conditions, user_id, checked = [], bindparam("user_id", type_=Integer), []
    if roles is not None:
        holder = users.token_holder().cte("holder")
        # The roles as plain parameters: an IN of a list is expanded at every execution.
        allowed = holder.c.role.in_([literal(role) for role in roles])
        conditions.append(exists(select(holder.c.id).where(allowed)))
        user_id = select(holder.c.id).scalar_subquery()
        checked.append(users.token_use_noted(
            select(holder.c.token_id).scalar_subquery()).cte("noted"))
    found = _found(*conditions).cte("found")
    welcomed = _welcome([registrations.c.id.in_(select(found.c.id))],
                        [registrations.c.id]).cte("welcomed")
    answered = (select(*found.c, welcomed.c.welcomed_at)
                .select_from(found.outerjoin(welcomed, welcomed.c.id == found.c.id))
                .where(or_(welcomed.c.id.is_not(None),
                           and_(found.c.status == CONFIRMED, found.c.checked_in_at.is_not(None))))
                .cte("answered"))
    result = case((answered.c.welcomed_at.is_not(None), literal(CHECKED_IN)),
                  else_=literal(ALREADY_CHECKED_IN))
    record = _record(answered.c.event_id, answered.c.id, result, user_id)
    recorded = insert(CheckIn.__table__).from_select(
        list(record), select(*record.values()), include_defaults=False).cte("recorded")
    return select(answered).add_cte(recorded, *checked)
