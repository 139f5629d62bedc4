"""The database briefly locked or unreachable, a server worker killed mid-request: a clear
503 or a retry that works, nothing half-written."""

import os
import signal
import sqlite3
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from live_helpers import burst, call, socket_inodes, worker_pids

from summit import create_app
from summit.extensions import db
from summit.models import Category, Event, OutboxMessage, Registration

EVENT = {"slug": "locked-out", "name": "Locked", "starts_on": "2030-01-01",
         "ends_on": "2030-01-02", "categories": [{"name": "Attendee", "capacity": 5}]}


def test_locked_sqlite_database_answers_503_and_writes_nothing(app, app_config, auth):
    url = app_config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite"):
        pytest.skip("SQLite's database-wide write lock")
    headers = auth.headers()
    impatient = create_app({**app_config, "SUMMIT_DB_LOCK_TIMEOUT": 0.2})
    client = impatient.test_client()
    blocker = sqlite3.connect(url.removeprefix("sqlite:///"))
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        response = client.post("/api/v1/events", json=EVENT, headers=headers)
    finally:
        blocker.rollback()
        blocker.close()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert "briefly unavailable" in response.get_json()["error"]["message"]
    with app.app_context():
        assert db.session.scalars(db.select(Event)).all() == []
    # Once the lock is gone the same request goes through.
    assert client.post("/api/v1/events", json=EVENT, headers=headers).status_code == 201


def test_unreachable_database_answers_503(app_config, tmp_path):
    broken = create_app({
        **app_config,
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}},
    })
    client = broken.test_client()
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json() == {"status": "degraded", "database": "unreachable"}
    api = client.get("/api/v1/events")
    assert api.status_code == 503 and api.get_json()["error"]["status"] == 503
    page = client.get("/events/anything")
    assert page.status_code == 503 and b"briefly unavailable" in page.data


# --- a gunicorn worker killed in the middle of a registration burst -------------------------

BURST = 60
PLACES = 20


@pytest.fixture
def three_workers(monkeypatch, request):
    """The live server with three workers, so that two carry on while one is killed."""
    monkeypatch.setenv("SUMMIT_TEST_WORKERS", "3")
    return request.getfixturevalue("live_server")


@contextmanager
def write_lock_held(app, database_url: str):
    """Hold the database's write lock (SQLite) or the category rows (PostgreSQL), so that
    every registration that arrives stops inside its transaction, waiting for it."""
    if database_url.startswith("sqlite"):
        blocker = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            blocker.rollback()
            blocker.close()
        return
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        connection.execute(sa.text("SELECT id FROM categories FOR UPDATE"))
        try:
            yield
        finally:
            transaction.rollback()
            connection.close()


def _waiting_for_lock(app, database_url: str, workers: list[int]) -> int | None:
    """Once as many registrations as there are workers wait for the category's lock, a
    worker that is inside one of them. SQLite cannot say (the caller gives the requests
    time to arrive): the first worker. On PostgreSQL, the worker whose connection's port is
    one of the waiting sessions' (a gevent worker holds many requests: the waiting sessions
    may all be one worker's)."""
    if database_url.startswith("sqlite"):
        return workers[0]
    with app.app_context():
        ports = set(db.session.scalars(sa.text(
            "SELECT client_port FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            # A connection's first busy sign-up prepares its write before the lock.
            "AND (query ILIKE 'UPDATE categories%' OR query LIKE 'PREPARE summit_sign_up%')")))
        db.session.remove()
    if len(ports) < len(workers):
        return None
    return next((pid for pid in workers if ports & _local_tcp_ports(pid)), None)


def _local_tcp_ports(pid: int) -> set[int]:
    """The local ports of the process's TCP sockets (Linux /proc: its socket inodes, looked
    up in the namespace's TCP tables)."""
    inodes = socket_inodes(pid)
    ports = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes:
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def _registrations(app) -> int:
    with app.app_context():
        count = db.session.scalar(db.select(db.func.count()).select_from(Registration))
        db.session.remove()
        return count


def test_worker_killed_mid_burst_leaves_no_half_written_registration(
        app, app_config, make_event, three_workers):
    make_event(categories=[{"name": "Attendee", "capacity": PLACES}])
    database_url = app_config["SQLALCHEMY_DATABASE_URI"]
    url = f"{three_workers.url}/api/v1/events/test-summit/registrations"

    def person(number: int) -> dict:
        return {"first_name": "Person", "last_name": f"Nr. {number}",
                "email": f"person{number}@example.org", "category": "Attendee",
                "consent": True}

    results: list = []
    firing = threading.Thread(target=lambda: results.extend(burst(
        [lambda n=n: call("POST", url, person(n)) for n in range(BURST)])))
    with write_lock_held(app, database_url):
        firing.start()
        deadline = time.monotonic() + 30
        workers = worker_pids(three_workers.process.pid)
        while (inside := _waiting_for_lock(app, database_url, workers)) is None:
            assert time.monotonic() < deadline, "the workers never reached the lock"
            time.sleep(0.1)
        if database_url.startswith("sqlite"):
            time.sleep(2)  # SQLite cannot tell who waits: give every worker time to get there
        # That worker is inside a registration now: kill it outright.
        os.kill(inside, signal.SIGKILL)
    # Once the burst is under way again, kill another one wherever it happens to be.
    deadline = time.monotonic() + 60
    while _registrations(app) < BURST // 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(worker_pids(three_workers.process.pid)[-1], signal.SIGKILL)
    firing.join(180)

    cut_off = [n for n, (status, _) in enumerate(results) if status == 0]
    assert cut_off, "no request was cut off, so no worker died mid-request"
    assert {status for status, _ in results} <= {0, 201}, results
    # The clients that got no answer try again: they are either registered now (the killed
    # transaction was rolled back) or find that they already were (it had committed).
    for number in cut_off:
        status, body = call("POST", url, person(number))
        assert status in (201, 409), body

    with app.app_context():
        registrations = db.session.scalars(db.select(Registration)).all()
        category = db.session.scalar(db.select(Category))
        mails = db.session.scalars(db.select(OutboxMessage.recipient)).all()
        statuses = Counter(r.status for r in registrations)
        # Everyone exactly once, and nothing half-written: each row has its codes and its
        # mail, and took the category lock exactly once (the increment is in the same
        # transaction, so a killed transaction leaves neither).
        assert sorted(r.email for r in registrations) == sorted(
            person(n)["email"] for n in range(BURST))
        assert all(r.checkin_code and r.manage_token for r in registrations)
        assert len({r.checkin_code for r in registrations}) == BURST
        assert sorted(mails) == sorted(r.email for r in registrations)
        assert category.lock_version == BURST
        assert statuses == {"confirmed": PLACES, "waitlisted": BURST - PLACES}
        assert all(r.confirmed_at is not None for r in registrations if r.status == "confirmed")

    status, event = call("GET", f"{three_workers.url}/api/v1/events/test-summit")
    assert status == 200
    [counts] = event["categories"]
    assert (counts["confirmed"], counts["waitlisted"]) == (PLACES, BURST - PLACES)
