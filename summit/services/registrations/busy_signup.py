"""The busy path of sign-up: a plain sign-up through the API, the request the opening of
registration sends a thousand times in a few minutes, in as few statements as it takes.

A plain sign-up is a JSON body of the registration form's own fields with their JSON types
(no answers), for an event that asks no questions of its own, in a public category, with
details and an address the registration rules accept (signup.clean_details, clean_email),
consent given, an address every transport delivers to (ASCII before the @), and no
registration of that address yet. Anything else writes nothing here and goes the readable
way (signup.register), which answers exactly as before: refusals, a duplicate, a cancelled
registration taken up again, questions, an address the mail server is asked about.

The rule is register's: the category's lock (places.py), then the count, then the rows, and
the confirmation queued in the same transaction for the sender to compose. What is left out
is the work around it: the event is read in one statement with its categories, the answer
needs no reload, and the unique key on (event, e-mail) says whether the person registered
before (the INSERT fails, nothing is kept, and the readable way tells them). On PostgreSQL
the lock and the write travel as one message (_write_in_one_round_trip says why that
matters); SQLite takes the same steps one by one on its local file.
"""

import hashlib
import re
import weakref
from dataclasses import dataclass
from functools import cache

import psycopg
from psycopg.pq import TransactionStatus
from sqlalchemy import Connection, Engine, Pool, bindparam, exists, insert, select
from sqlalchemy import event as sa_event
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DBAPIError, IntegrityError

from ...extensions import autocommit_connection, db
from ...models import (
    CONFIRMED,
    WAITLISTED,
    Category,
    Event,
    OutboxMessage,
    Question,
    Registration,
)
from ...models.event import category_named, registration_state
from ...models.registration import search_columns
from ..mail import addresses, compose, outbox
from . import codes, places
from .signup import RegistrationError, clean_details, clean_email

# The form's fields and the JSON types the busy path takes for them without asking the form.
_TEXTS = ("first_name", "last_name", "email", "organisation", "language", "needs")
_FIELDS = frozenset(_TEXTS + ("category", "consent", "public_listing"))
# The registration's columns given as values (the rest is decided under the lock).
_GIVEN = ("event_id", "category_id", "first_name", "last_name", "email", "email_normalised",
          "organisation", "language", "needs", "public_listing", "manage_token",
          "checkin_code", "search_key", "sort_last", "sort_first")


@dataclass(frozen=True)
class SignedUp:
    """What the API answers about a sign-up the busy path wrote."""
    id: int
    status: str
    waitlist_position: int | None
    manage_token: str


def sign_up_at_once(slug: str, body, *, language: str) -> SignedUp | None:
    """Sign up as registrations.register would, for a plain sign-up (above) to the event
    with this slug; None, with nothing written, for anything else. `language` is the one
    the form would preselect, for a body that names none. Runs on a connection of its own:
    call it before the request's session holds one."""
    person = _person(body, language)
    if person is None:
        return None
    if db.engine.dialect.name == "postgresql" and db.engine.dialect.driver == "psycopg":
        with autocommit_connection() as connection:
            return _sign_up(connection, slug, body["category"], person,
                            _write_in_one_round_trip)
    with db.engine.connect() as connection:
        return _sign_up(connection, slug, body["category"], person, _write_step_by_step)


def _person(body, language: str) -> dict | None:
    """The registration's own columns from a plain body, checked by the registration rules;
    None for anything else."""
    if not (isinstance(body, dict) and body.keys() <= _FIELDS
            and body.get("consent") is True
            and all(isinstance(body.get(name), str) for name in
                    ("first_name", "last_name", "email"))
            and all(isinstance(body.get(name, ""), str) for name in _TEXTS)
            and type(body.get("category")) in (str, int)
            and isinstance(body.get("public_listing", False), bool)):
        return None
    try:
        details = clean_details(
            first_name=body["first_name"], last_name=body["last_name"],
            organisation=body.get("organisation", ""), needs=body.get("needs", ""),
            language=body.get("language", language),
            public_listing=body.get("public_listing", False))
        address, normalised = clean_email(body["email"])
    except RegistrationError:
        return None
    if addresses.needs_smtputf8(address):
        return None  # the readable way asks the mail server whether it can deliver there
    return {**details, **search_columns(details["first_name"], details["last_name"],
                                        address, details["organisation"]),
            "email": address, "email_normalised": normalised}


def _sign_up(connection: Connection, slug: str, category_given, person: dict,
             write) -> SignedUp | None:
    rows = connection.execute(_event_statement(), {"slug": slug}).all()
    if not rows or rows[0].asks or registration_state(
            rows[0].archived_at, rows[0].registration_opens_at,
            rows[0].registration_closes_at) != "open":
        return None
    # As the form reads it: a JSON number is matched as its text (a name, then an id).
    category = category_named(rows, str(category_given))
    if category is None or not category.is_public:
        return None
    return write(connection, person | {
        "event_id": rows[0].event_id, "category_id": category.id,
        "manage_token": codes.new_manage_token(), "checkin_code": codes.new_checkin_code()})


def _write_step_by_step(connection: Connection, values: dict) -> SignedUp | None:
    """SQLite (and a PostgreSQL driver other than psycopg): the lock, the count and the rows
    one by one, in one transaction (on SQLite the lock is the database's write lock, taken by
    the first UPDATE)."""
    category_id = values["category_id"]
    try:
        capacity = places.lock_capacity(category_id, connection)
        confirmed = places.confirmed_count(category_id, connection)
        now = places.lock_moment(connection)
        has_room = confirmed < capacity
        status = CONFIRMED if has_room else WAITLISTED
        registration_id = connection.execute(_registration_statement(), {
            **values, "status": status, "consent_at": now, "created_at": now,
            "confirmed_at": now if has_room else None}).scalar_one()
        position = None if has_room else 1 + places.waiting_ahead(
            category_id, now, registration_id, connection)
        outbox.queue_to_compose(compose.CONFIRMATION, recipient=values["email"],
                                registration_id=registration_id,
                                waitlist_position=position, connection=connection)
        connection.commit()
    except IntegrityError:  # registered before (or a token collided): the readable way
        connection.rollback()
        return None
    return SignedUp(registration_id, status, position, values["manage_token"])


def _write_in_one_round_trip(connection: Connection, values: dict) -> SignedUp | None:
    """PostgreSQL: the lock and the write sent as one message of two statements, which the
    server runs as one transaction, each statement seeing what was committed before it
    began: the count sees every sign-up that held the lock before this one. The lock is
    held for the server's own work and the commit, not for round trips to a worker that
    is busy with other requests, and not for planning the write: that is a statement the
    connection prepared once (_Write), whose plan the server keeps."""
    params = values | {"composer": compose.CONFIRMATION, "recipient": values["email"][:254]}
    raw = connection.connection.driver_connection
    try:
        try:
            row = _send(raw, params, prepare=raw not in _PREPARED)
        except (psycopg.errors.InvalidSqlStatementName,
                psycopg.errors.DuplicatePreparedStatement) as exc:
            # The connection lost its prepared statement (a reset) or has it already (a
            # pooler's shared connection): nothing was written; once more, knowing that.
            row = _send(raw, params,
                        prepare=isinstance(exc, psycopg.errors.InvalidSqlStatementName))
    except psycopg.errors.UniqueViolation:  # registered before: the readable way
        return None
    except psycopg.Error as exc:
        # As SQLAlchemy would raise it (errors.py answers a lost database with a 503), and a
        # broken connection is not handed back to the pool.
        lost = connection.dialect.is_disconnect(exc, raw, None)
        if lost:
            connection.invalidate(exc)
        raise DBAPIError.instance("busy sign-up", params, exc, psycopg.Error,
                                  hide_parameters=True, connection_invalidated=lost,
                                  dialect=connection.dialect) from exc
    registration_id, status, position = row
    return SignedUp(registration_id, status, position, values["manage_token"])


# The psycopg connections that have prepared the write (see _Write).
_PREPARED: "weakref.WeakSet[psycopg.Connection]" = weakref.WeakSet()


@sa_event.listens_for(Pool, "reset")
def _forget_before_pool_rollback(dbapi_connection, _record, _state) -> None:
    _forget_if_rolled_back(dbapi_connection)


@sa_event.listens_for(Engine, "rollback")
def _forget_before_rollback(connection: Connection) -> None:
    if not (connection.closed or connection.invalidated):
        _forget_if_rolled_back(connection.connection.driver_connection)


def _forget_if_rolled_back(raw) -> None:
    """psycopg answers the rollback of an open transaction with DEALLOCATE ALL when it has
    prepared statements of its own: the write may be gone then. Not knowing costs a PREPARE
    refused before the lock (_write_in_one_round_trip); not knowing that it is gone would
    cost an EXECUTE refused after it."""
    if (isinstance(raw, psycopg.Connection)
            and raw.info.transaction_status != TransactionStatus.IDLE):
        _PREPARED.discard(raw)


def _send(raw: psycopg.Connection, params: dict, *, prepare: bool) -> tuple:
    """One message (client-side binding: a simple-protocol message may hold several
    statements): preparing the write if asked, the lock, the write; its row."""
    write = _write()
    message = (write.prepare + ";\n" if prepare else "") + _LOCK + ";\n" + write.execute
    try:
        with psycopg.ClientCursor(raw) as cursor:
            cursor.execute(message, params)
            while cursor.description is None and cursor.nextset():
                pass  # past PREPARE's and UPDATE's results, to the write's row
            row = cursor.fetchone()
    except psycopg.errors.UniqueViolation:
        _PREPARED.add(raw)  # PREPARE outlives the transaction the duplicate rolled back
        raise
    _PREPARED.add(raw)
    return row


# The lock: places.lock_capacity's UPDATE.
_LOCK = "UPDATE categories SET lock_version = lock_version + 1 WHERE id = %(category_id)s"


@dataclass(frozen=True)
class _Write:
    """The write as a prepared statement: `prepare` (PREPARE summit_sign_up_… (types) AS …,
    with $n for each parameter) and `execute` (EXECUTE summit_sign_up_… (%(name)s, …))."""
    prepare: str
    execute: str


@cache
def _write() -> _Write:
    names: list[str] = []

    def numbered(match) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    body = re.sub(r"%\((\w+)\)s", numbered, _write_sql())
    registrations, outbox_table = Registration.__table__.c, OutboxMessage.__table__.c
    types = [(registrations[name] if name in registrations else outbox_table[name]).type
             .compile(dialect=postgresql.dialect()) for name in names]
    # Named after its text: a connection shared with another version of Summit (through a
    # pooler) never runs a statement of the same name with other parameters.
    name = "summit_sign_up_" + hashlib.sha256(body.encode()).hexdigest()[:12]
    return _Write(prepare=f"PREPARE {name} ({', '.join(types)}) AS {body}",
                  execute=f"EXECUTE {name} (" + ", ".join(f"%({n})s" for n in names) + ")")


@cache
def _write_sql() -> str:
    """After the lock: the count, the registration and the outbox row naming its
    confirmation (what outbox.queue_to_compose writes). The times are the server's clock
    once the lock is held (places.lock_moment): the waiting list's order is the lock's
    order."""
    given = ", ".join(_GIVEN)
    values = ", ".join(f"%({name})s" for name in _GIVEN)
    return f"""\
WITH place AS (
    SELECT clock_timestamp() AS now,
           (SELECT count(*) FROM registrations
             WHERE category_id = %(category_id)s AND status = '{CONFIRMED}')
           < (SELECT capacity FROM categories WHERE id = %(category_id)s) AS has_room
), registered AS (
    INSERT INTO registrations ({given}, status, consent_at, created_at, confirmed_at)
    SELECT {values}, CASE WHEN has_room THEN '{CONFIRMED}' ELSE '{WAITLISTED}' END,
           now, now, CASE WHEN has_room THEN now END
    FROM place
    RETURNING id, status, created_at
), queued AS (
    INSERT INTO outbox (recipient, subject, composer, registration_id, waitlist_position,
                        status, attempts, next_attempt_at, last_error, created_at)
    SELECT %(recipient)s, '', %(composer)s, registered.id,
           CASE WHEN registered.status = '{WAITLISTED}' THEN 1 + (  -- as waitlist_position
               SELECT count(*) FROM registrations AS ahead
                WHERE ahead.category_id = %(category_id)s AND ahead.status = '{WAITLISTED}'
                  AND (ahead.created_at, ahead.id) < (registered.created_at, registered.id))
           END,
           '{outbox.PENDING}', 0, registered.created_at, '', registered.created_at
    FROM registered
    RETURNING waitlist_position
)
SELECT registered.id, registered.status, queued.waitlist_position FROM registered, queued"""


# -- the statements, built once per process -------------------------------------------------

@cache
def _event_statement():
    """The event's registration window, whether it asks questions, and its categories."""
    event, category = Event.__table__, Category.__table__
    asks = exists().where(Question.__table__.c.event_id == event.c.id)
    return (select(event.c.id.label("event_id"), event.c.archived_at,
                   event.c.registration_opens_at, event.c.registration_closes_at,
                   asks.label("asks"), category.c.id, category.c.name, category.c.name_de,
                   category.c.is_public)
            .join(category, category.c.event_id == event.c.id)
            .where(event.c.slug == bindparam("slug"))
            .order_by(category.c.position, category.c.id))  # as Event.categories


@cache
def _registration_statement():
    table = Registration.__table__
    names = _GIVEN + ("status", "consent_at", "created_at", "confirmed_at")
    return (insert(table).values({name: bindparam(name) for name in names})
            .returning(table.c.id))
