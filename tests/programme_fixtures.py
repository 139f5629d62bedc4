"""Fixtures for the programme tests: the seeded demo and an organiser's client."""

from dataclasses import dataclass

import pytest
from conftest import csrf_token

from summit.extensions import db
from summit.models import Event, EventSession, Pitch
from summit.services.platform import demo

SLUG = demo.SLUG
ORGANISER_EMAIL, ORGANISER_PASSWORD = demo.ORGANISER[0], demo.ORGANISER[1]
MODERATOR_EMAIL = demo.MODERATORS[0][0]


@dataclass
class ProgrammeDemo:
    slug: str
    event_id: int
    pitch_session_id: int
    pitch_ids: list[int]  # in running order
    session_ids: list[int]  # every session, in time order

    def editor_url(self, session_id: int | None = None) -> str:
        return (f"/organiser/events/{self.slug}/programme/sessions/"
                f"{session_id or self.pitch_session_id}")


@pytest.fixture
def programme_demo(app, runner) -> ProgrammeDemo:
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == SLUG))
        sessions = db.session.scalars(db.select(EventSession).where(
            EventSession.event_id == event.id).order_by(EventSession.starts_at)).all()
        pitch_session = next(s for s in sessions if s.kind == "pitch")
        pitch_ids = db.session.scalars(db.select(Pitch.id).where(
            Pitch.session_id == pitch_session.id).order_by(Pitch.position)).all()
        return ProgrammeDemo(SLUG, event.id, pitch_session.id, list(pitch_ids),
                             [s.id for s in sessions])


def log_in(client, email: str, password: str):
    page = client.get("/login")
    response = client.post("/login", data={"email": email, "password": password,
                                           "csrf_token": csrf_token(page)})
    assert response.status_code == 302, response.data[:500]
    return response


@pytest.fixture
def organiser(client, programme_demo):
    """The test client, logged in as the demo organiser."""
    log_in(client, ORGANISER_EMAIL, ORGANISER_PASSWORD)
    return client


def form_token(client, url: str) -> str:
    return csrf_token(client.get(url))
