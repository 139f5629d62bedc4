"""Push: whenever a session's live state is committed, every open screen of it gets the new
snapshot within a second.

The hook sits at one place, the database session: a write to a session's run (SessionRun,
by the ORM or by run_of_show's versioned UPDATE), to its pitches or to the session itself
marks the session; a model of another live feature joins by naming its session column in
`__live_session_key__`. Marks survive only a commit (a rollback drops them). When the
unit of work ends (the request's or CLI command's app context), each marked session's public
snapshot is computed ONCE and published on `session:<id>`, and the event's "now" board on
`event:<id>`; open streams only forward that text, so a thousand viewers cost no query.

Moderator screens listen to the same public stream and fetch their own state.json on each
event: the controls (`can`, `undo`) are theirs alone and checked per request, and there are
a handful of moderator screens against a thousand phones.
"""

from __future__ import annotations

import json
import logging
import queue
from collections.abc import Iterator

from flask import Flask, current_app
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BinaryExpression, BindParameter

from ...extensions import db
from ...models import EventSession, Pitch, SessionRun
from .broker import CLOSED, LocalBroker, RedisBroker

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15  # proxies cut streams that stay silent for a minute or so
RETRY_MS = 2000  # how long EventSource waits before it reconnects
MARKED, PENDING = "summit_live_marked", "summit_live_pending"
# The whole answer while push cannot reach this screen: it polls instead.
UNAVAILABLE = "event: unavailable\ndata: {}\n\n"


def init_app(app: Flask) -> None:
    url = app.config.get("SUMMIT_REDIS_URL")
    prefix = app.config.get("SUMMIT_LIVE_PREFIX", "summit") + ":live:"
    app.extensions["summit_live"] = RedisBroker(url, prefix) if url else LocalBroker()
    app.teardown_appcontext(_publish_at_teardown)


def broker() -> LocalBroker:
    return current_app.extensions["summit_live"]


def can_stream(*, concurrent: bool, several_processes: bool) -> bool:
    """Whether a stream opened now gets every state (else the screen polls): the server
    must hold many requests at once (gevent, threads; a sync worker would be held by one
    screen), and a process without Redis reaches only its own streams, so it must be the
    only one (`flask run`, one worker). From the WSGI server's wsgi.multithread and
    wsgi.multiprocess."""
    hub = broker()
    if not concurrent or (several_processes and not isinstance(hub, RedisBroker)):
        return False
    return hub.healthy


# --- the hook: which sessions changed in a committed transaction -------------------------


def mark(session: OrmSession, session_id: int | None) -> None:
    if session_id is not None:
        session.info.setdefault(MARKED, set()).add(session_id)


def _session_of(instance) -> int | None:
    if isinstance(instance, EventSession):
        return instance.id
    key = getattr(type(instance), "__live_session_key__", None)
    if isinstance(instance, (SessionRun, Pitch)):
        key = "session_id"
    return getattr(instance, key) if key else None


@sa_event.listens_for(OrmSession, "after_flush")
def _after_flush(session, _context) -> None:
    for instance in (*session.new, *session.dirty, *session.deleted):
        mark(session, _session_of(instance))


@sa_event.listens_for(OrmSession, "do_orm_execute")
def _on_execute(state) -> None:
    """run_of_show writes with `UPDATE session_runs ... WHERE session_id = :id AND version`:
    read the session id from that WHERE clause."""
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is None or table.name != SessionRun.__tablename__:
        return
    for criterion in getattr(state.statement, "_where_criteria", ()):
        for node in visitors.iterate(criterion):
            if (isinstance(node, BinaryExpression) and isinstance(node.right, BindParameter)
                    and getattr(node.left, "key", None) == "session_id"):
                mark(state.session, node.right.effective_value)


@sa_event.listens_for(OrmSession, "after_commit")
def _after_commit(session) -> None:
    marked = session.info.pop(MARKED, None)
    if marked:
        session.info.setdefault(PENDING, set()).update(marked)


@sa_event.listens_for(OrmSession, "after_rollback")
def _after_rollback(session) -> None:
    session.info.pop(MARKED, None)


# --- publishing ----------------------------------------------------------------------------


def _publish_at_teardown(_exc) -> None:
    try:
        publish_pending()
    except Exception:  # noqa: BLE001  (a failed push must never fail the request)
        log.exception("live push: publishing failed; screens catch up on their next event")


def publish_pending() -> list[int]:
    """Publish every session committed since the last call; the ids published."""
    pending = db.session.info.pop(PENDING, None)
    if not pending:
        return []
    db.session.rollback()  # a fresh transaction: read what was committed
    events = set()
    for session_id in sorted(pending):
        session = db.session.get(EventSession, session_id)
        if session is not None:
            publish(session)
            events.add(session.event)
    from .board import board

    for event in events:
        broker().publish(f"event:{event.id}", json.dumps(board(event)))
    return sorted(pending)


def public_snapshot(session: EventSession) -> dict:
    """What the hall sees (screens.for_hall): no controls, no messages to the speaker."""
    from .screens import for_hall, snapshot

    return for_hall(snapshot(session))


def publish(session: EventSession) -> None:
    broker().publish(f"session:{session.id}", json.dumps(public_snapshot(session)))


# --- streams ---------------------------------------------------------------------------


def stream(channel: str, current) -> Iterator[str]:
    """Server-Sent Events: the state right now (`current()`, read after subscribing, so
    nothing published meanwhile is missed), then every payload published on `channel`, a
    comment every HEARTBEAT_SECONDS, until the client leaves or the broker loses Redis (the
    screen then polls). The caller's database session is free again before the first byte."""
    subscription = broker().subscribe(channel)
    try:
        first = json.dumps(current())
    except BaseException:
        subscription.close()
        raise
    return _events(subscription, first)


def _events(subscription, first: str) -> Iterator[str]:
    try:
        yield f"retry: {RETRY_MS}\nevent: state\ndata: {first}\n\n"
        while True:
            try:
                payload = subscription.get(timeout=HEARTBEAT_SECONDS)
            except queue.Empty:
                yield ": keep-alive\n\n"
                continue
            if payload is CLOSED:
                return
            yield f"event: state\ndata: {payload}\n\n"
    finally:
        subscription.close()
