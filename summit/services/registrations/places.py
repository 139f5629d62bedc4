"""Places in a category: the lock that keeps it from being oversold, and the waiting list.

Every write that can change how many people are confirmed in a category begins by bumping
that category's lock_version: on PostgreSQL the UPDATE row-locks the category until commit;
on SQLite the first write of a transaction takes the database's write lock (waiting up to
busy_timeout). Only then are the confirmed places counted and the change written, so two
sign-ups for the last place, or a cancellation racing a sign-up, are serialised per category.
"""

from datetime import UTC, datetime
from functools import cache

from sqlalchemy import Connection, and_, bindparam, func, or_, select

from ...extensions import db
from ...models import CONFIRMED, WAITLISTED, Category, Registration, utcnow
from ..mail import compose as mails
from ..mail import outbox

# The functions below run in the session's transaction, or in that of the Core `connection`
# given (the sign-up's busy path): one rule, whichever way the rows are written.

def lock_moment(connection: Connection | None = None) -> datetime:
    """Now, by the clock that orders the waiting lists, for a row written under the lock:
    the database server's on PostgreSQL, where the sign-up's busy path stamps its rows in
    the statement after the lock (busy_signup.py), so that every path puts people on the
    list in the order they had the lock; the app's own on SQLite (one machine, one clock)."""
    if db.engine.dialect.name == "postgresql":
        return (connection or db.session).scalar(
            select(func.clock_timestamp())).astimezone(UTC)
    return utcnow()


def lock_category(*category_ids: int) -> None:
    """The first write of the transaction: serialises every change to these categories."""
    for category_id in category_ids:
        db.session.execute(_bump(), {"category_id": category_id})


def lock_capacity(category_id: int, connection: Connection | None = None) -> int:
    """lock_category for one category, answering its capacity in the same statement (the
    row as it stands once the lock is ours)."""
    return (connection or db.session).execute(
        _bump_answering_capacity(), {"category_id": category_id}).scalar_one()


class locked:
    """with locked(ids): lock, run, commit (roll back on any error)."""

    def __init__(self, *category_ids: int):
        self.category_ids = category_ids

    def __enter__(self):
        lock_category(*self.category_ids)

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            db.session.commit()
        else:
            db.session.rollback()
        return False


def confirmed_count(category_id: int, connection: Connection | None = None) -> int:
    return (connection or db.session).scalar(
        _confirmed_count(), {"category_id": category_id}) or 0


def waiting_ahead(category_id: int, created_at: datetime, registration_id: int,
                  connection: Connection | None = None) -> int:
    """How many wait before this place in the category's list (by created_at, then id)."""
    return (connection or db.session).scalar(_waiting_ahead(), {
        "category_id": category_id, "created_at": created_at, "id": registration_id}) or 0


# The statements, built once per process: a sign-up runs each of them.

@cache
def _bump():
    table = Category.__table__
    return (table.update().where(table.c.id == bindparam("category_id"))
            .values(lock_version=table.c.lock_version + 1))


@cache
def _bump_answering_capacity():
    return _bump().returning(Category.__table__.c.capacity)


@cache
def _confirmed_count():
    table = Registration.__table__
    return select(func.count()).where(table.c.category_id == bindparam("category_id"),
                                      table.c.status == CONFIRMED)


@cache
def _waiting_ahead():
    table = Registration.__table__
    created_at = bindparam("created_at", type_=table.c.created_at.type)
    return select(func.count()).where(
        table.c.category_id == bindparam("category_id"), table.c.status == WAITLISTED,
        or_(table.c.created_at < created_at,
            and_(table.c.created_at == created_at, table.c.id < bindparam("id"))))


def capacity(category_id: int) -> int:
    return db.session.scalar(db.select(Category.capacity).where(Category.id == category_id))


def has_room(category_id: int) -> bool:
    return confirmed_count(category_id) < capacity(category_id)


def confirm(registration: Registration) -> None:
    registration.status, registration.confirmed_at = CONFIRMED, utcnow()
    outbox.queue(mails.promoted(registration))


def fill_free_places(category_id: int) -> list[Registration]:
    """Confirm the first waitlisted (by created_at, id) while there is room; caller holds lock."""
    db.session.flush()
    free = capacity(category_id) - confirmed_count(category_id)
    if free <= 0:
        return []
    promoted = list(db.session.scalars(
        db.select(Registration)
        .where(Registration.category_id == category_id, Registration.status == WAITLISTED)
        .order_by(Registration.created_at, Registration.id).limit(free)))
    for registration in promoted:
        confirm(registration)
    return promoted
