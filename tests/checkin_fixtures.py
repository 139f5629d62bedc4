"""Fixtures for the check-in tests: an event with people in every state, and a second event."""

from dataclasses import dataclass

import pytest

from summit.extensions import db
from summit.models import CheckIn, Registration

CATEGORIES = [{"name": "Attendee", "capacity": 100},
              {"name": "Press", "capacity": 10, "name_de": "Presse"}]


@dataclass
class DeskPeople:
    confirmed: str      # check-in codes
    press: str
    cancelled: str
    waitlisted: str
    other_event: str
    confirmed_id: int


@pytest.fixture
def people(app, make_event, make_registration) -> DeskPeople:
    make_event(categories=CATEGORIES)
    make_event(slug="other-summit", categories=[{"name": "Attendee", "capacity": 5}])
    ids = {
        "confirmed": make_registration(first_name="Zoë", last_name="Müller",
                                       organisation="Loop Textiles"),
        "press": make_registration(category="Press", first_name="Jörg", last_name="Weiß",
                                   organisation="Tagesspiegel"),
        "cancelled": make_registration(status="cancelled", first_name="Ana",
                                       last_name="Ferreira"),
        "waitlisted": make_registration(status="waitlisted", first_name="Søren",
                                        last_name="Dvořák"),
        "other_event": make_registration(slug="other-summit", first_name="Other",
                                         last_name="Person"),
    }
    with app.app_context():
        found = {key: db.session.get(Registration, value).checkin_code
                 for key, value in ids.items()}
    return DeskPeople(confirmed_id=ids["confirmed"], **found)


def scan_rows(app) -> list[tuple[str, str, int | None]]:
    """(code, result, registration_id) of every recorded scan, oldest first."""
    with app.app_context():
        return [(row.code, row.result, row.registration_id) for row in db.session.scalars(
            db.select(CheckIn).order_by(CheckIn.id))]


def checked_in_at(app, registration_id: int):
    with app.app_context():
        return db.session.get(Registration, registration_id).checked_in_at
