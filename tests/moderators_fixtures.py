"""Fixtures for the moderator tests: the demo programme and its people."""

from dataclasses import dataclass

import pytest

from summit.extensions import db
from summit.models import Event, EventSession
from summit.services.platform import demo, users

DEMO_PASSWORD = "demo-moderator"
LAURA = demo.MODERATORS[0][0]
NORBERT = demo.MODERATORS[1][0]
JANA = demo.MODERATORS[2][0]
SAM = demo.MODERATORS[3][0]
ORGANISER = demo.ORGANISER[0]


@dataclass
class Demo:
    slug: str
    event_id: int
    pitch_session_id: int
    user_ids: dict[str, int]


@pytest.fixture
def demo_data(app, runner) -> Demo:
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == demo.SLUG))
        pitch_session = db.session.scalar(db.select(EventSession).where(
            EventSession.event_id == event.id, EventSession.kind == "pitch"))
        ids = {email: users.find_by_email(email).id
               for email in (LAURA, NORBERT, JANA, SAM, ORGANISER)}
        return Demo(demo.SLUG, event.id, pitch_session.id, ids)


def login_as(client, email: str, password: str = DEMO_PASSWORD):
    from conftest import csrf_token

    page = client.get("/login")
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": csrf_token(page)})
