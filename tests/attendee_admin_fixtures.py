"""Fixtures for the organiser's attendee pages: a logged-in organiser and form helpers."""

import csv
import io

import pytest
from conftest import csrf_token
from sqlalchemy.orm import selectinload

from summit.extensions import db
from summit.models import AuditEntry, Event, Registration

SLUG = "test-summit"


@pytest.fixture
def organiser(client, auth):
    """The test client, logged in as an organiser."""
    auth.login()
    return client


def post_form(client, page_url: str, data: dict, post_url: str | None = None, **kwargs):
    """Open the page, take its CSRF token and post the form, as a browser would."""
    page = client.get(page_url)
    assert page.status_code == 200, page.status_code
    return client.post(post_url or page_url, data={**data, "csrf_token": csrf_token(page)},
                       **kwargs)


def url(path: str = "", slug: str = SLUG) -> str:
    return f"/organiser/events/{slug}/attendees{path}"


def registration(app, registration_id: int) -> Registration:
    with app.app_context():
        found = db.session.get(Registration, registration_id)
        db.session.expunge(found)
        return found


def registrations_of(app, slug: str = SLUG) -> list[Registration]:
    with app.app_context():
        found = list(db.session.scalars(
            db.select(Registration).join(Event).where(Event.slug == slug)
            .options(selectinload(Registration.category)).order_by(Registration.id)))
        for item in found:
            db.session.expunge(item)
        return found


def audit_actions(app) -> list[tuple[str, int | None, int | None, dict]]:
    with app.app_context():
        return [(entry.action, entry.user_id, entry.target_id, entry.details) for entry in
                db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]


def parse_csv(body: bytes) -> list[dict]:
    assert body.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
