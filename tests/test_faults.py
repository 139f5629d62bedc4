"""The database briefly locked or unreachable: a clear 503, nothing half-written."""

import sqlite3

import pytest

from summit import create_app
from summit.extensions import db
from summit.models import Event

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
