"""Fixtures: a fresh app and database per test (SQLite file, or a PostgreSQL schema when
SUMMIT_TEST_DATABASE_URL points at a server), the test client, the CLI runner, log-in and
API-token helpers, and small factories."""

import os
import re
import uuid
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from summit import create_app
from summit.extensions import db
from summit.models import CONFIRMED, Category, Event, Registration
from summit.services.platform import users
from summit.services.registrations import codes

PG_URL = os.environ.get("SUMMIT_TEST_DATABASE_URL")
PASSWORD = "correct horse battery"


def _postgres_schema_url(base_url: str, schema: str) -> str:
    from summit.config import normalise_database_url

    url = normalise_database_url(base_url)
    separator = "&" if "?" in url else "?"
    # public after the test's own schema: there lives pg_trgm (see fresh_database).
    return f"{url}{separator}options=-csearch_path%3D{schema},public"


@contextmanager
def fresh_database(folder: Path):
    """A database nobody else uses: a SQLite file in folder, or a fresh PostgreSQL schema
    (dropped afterwards) when SUMMIT_TEST_DATABASE_URL points at a server."""
    if not PG_URL:
        yield f"sqlite:///{folder / 'summit-test.db'}"
        return
    from summit.config import normalise_database_url

    schema = "t_" + uuid.uuid4().hex[:12]
    engine = sa.create_engine(normalise_database_url(PG_URL), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        # The search index needs pg_trgm. Installed once in public, where every test finds it;
        # installed by the app it would land in a test's schema and vanish when that is dropped.
        try:
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
        except sa.exc.DBAPIError:  # a parallel run installed it at this very moment
            pass
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield _postgres_schema_url(PG_URL, schema)
    finally:
        with engine.connect() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


def app_settings(database_url: str, folder: Path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_ENABLED": False,
        "SUMMIT_MAIL_URL": "",
        "SUMMIT_MAIL_DIR": str(folder / "mail"),
        "SUMMIT_BASE_URL": "http://localhost",
        "SERVER_NAME": "localhost",
    }


@pytest.fixture
def database_url(tmp_path):
    with fresh_database(tmp_path) as url:
        yield url


@pytest.fixture
def app_config(tmp_path, database_url):
    return app_settings(database_url, tmp_path)


@contextmanager
def built_app(config: dict):
    """An app on its own database with the tables created; connections closed afterwards."""
    app = create_app(config)
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(app_config, tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMIT_INSTANCE_PATH", str(tmp_path / "instance"))
    with built_app(app_config) as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def csrf_token(response) -> str:
    match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', response.data)
    assert match, "page has no CSRF token"
    return match.group(1).decode()


class Auth:
    def __init__(self, app, client):
        self.app, self.client = app, client

    def make_user(self, email="organiser@example.org", role="organiser", name="", **kwargs):
        with self.app.app_context():
            existing = users.find_by_email(email)
            if existing:
                return existing.id
            return users.create_user(email, role=role, password=PASSWORD, name=name,
                                     **kwargs).id

    def login(self, email="organiser@example.org", role="organiser", password=PASSWORD):
        self.make_user(email, role)
        page = self.client.get("/login")
        return self.client.post("/login", data={
            "email": email, "password": password, "csrf_token": csrf_token(page)})

    def logout(self):
        page = self.client.get("/")
        return self.client.post("/logout", data={"csrf_token": csrf_token(page)})

    def token(self, email="api-organiser@example.org", role="organiser") -> str:
        self.make_user(email, role)
        with self.app.app_context():
            return users.issue_api_token(users.find_by_email(email))

    def headers(self, role="organiser") -> dict:
        return {"Authorization": f"Bearer {self.token(f'api-{role}@example.org', role)}"}


@pytest.fixture
def auth(app, client):
    return Auth(app, client)


@pytest.fixture
def make_event(app):
    """An event with categories; returns its slug. Defaults: one public category of 10."""
    def factory(slug="test-summit", categories=None, **fields):
        with app.app_context():
            event = Event(slug=slug, name=fields.pop("name", "Test Summit"),
                          venue=fields.pop("venue", "Allianz Forum"),
                          starts_on=fields.pop("starts_on", date(2030, 9, 10)),
                          ends_on=fields.pop("ends_on", date(2030, 9, 11)), **fields)
            for position, spec in enumerate(categories or [{"name": "Attendee", "capacity": 10}]):
                event.categories.append(Category(position=position, **spec))
            db.session.add(event)
            db.session.commit()
            return event.slug
    return factory


@pytest.fixture
def make_registration(app):
    """A registration written directly (bypassing the service); returns its id."""
    def factory(slug="test-summit", category="Attendee", email=None, status=CONFIRMED,
                **fields):
        with app.app_context():
            event = db.session.scalar(db.select(Event).where(Event.slug == slug))
            cat = next(c for c in event.categories if c.name == category)
            email = email or f"person-{uuid.uuid4().hex[:8]}@example.org"
            registration = Registration(
                event=event, category=cat, status=status,
                first_name=fields.pop("first_name", "Zoë"),
                last_name=fields.pop("last_name", "Müller"), email=email,
                email_normalised=email.lower(), manage_token=codes.new_manage_token(),
                checkin_code=codes.new_checkin_code(), **fields)
            db.session.add(registration)
            db.session.commit()
            return registration.id
    return factory


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """The app served by gunicorn in its own processes, against the test database."""

    def __init__(self, url: str, process):
        self.url, self.process = url, process


@contextmanager
def gunicorn_server(command: list[str], *, cwd: Path, env: dict, log_file: Path, url: str):
    """Run a gunicorn command until the block ends; ready once `url`/healthz answers 200."""
    import subprocess
    import time
    import urllib.request

    with open(log_file, "w") as log:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60  # a start-up limit, not a measurement
            while True:
                try:
                    with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start: " + log_file.read_text())
                time.sleep(0.2)
            yield LiveServer(url, process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def live_server(app, app_config, tmp_path):
    """gunicorn with two workers on a free port; the tables exist (the app fixture made them).

    Use `live_server.url` as the base URL. Tests that need other settings can set
    SUMMIT_* variables with monkeypatch before requesting this fixture.
    """
    import sys

    port = _free_port()
    env = dict(os.environ)
    env.update({
        "SUMMIT_DATABASE_URL": app_config["SQLALCHEMY_DATABASE_URI"],
        "SUMMIT_INSTANCE_PATH": str(tmp_path / "server-instance"),
        "SUMMIT_SECRET_KEY": app_config["SECRET_KEY"],
        "SUMMIT_RATELIMIT_ENABLED": env.get("SUMMIT_RATELIMIT_ENABLED", "false"),
        "SUMMIT_BASE_URL": f"http://127.0.0.1:{port}",
    })
    command = [sys.executable, "-m", "gunicorn", "-w", env.get("SUMMIT_TEST_WORKERS", "2"),
               "-b", f"127.0.0.1:{port}", "--timeout", "60", "wsgi:app"]
    # The test process sends the mail (as `flask send-mail` would, beside the server) and
    # composes sign-ups' confirmations: with the server's base URL, as an installation does.
    app.config["SUMMIT_BASE_URL"] = env["SUMMIT_BASE_URL"]
    with gunicorn_server(command, cwd=Path(__file__).resolve().parent.parent, env=env,
                         log_file=tmp_path / "gunicorn.log",
                         url=f"http://127.0.0.1:{port}") as server:
        yield server
