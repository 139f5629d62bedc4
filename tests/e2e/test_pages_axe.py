"""The organiser's pages that the journeys do not pass through, on a phone, where their
tables scroll sideways: each one screenshotted and axe-checked."""

import pytest
from programme_fixtures import ORGANISER_EMAIL, ORGANISER_PASSWORD

from .browser import PHONE, log_in

ORGANISER_PAGES = ["/organiser/", "programme", "programme/warnings", "programme/rooms",
                   "attendees", "attendees/new", "attendees/import", "audit", "badges",
                   "moderators", "settings", "/organiser/team"]


@pytest.fixture
def organiser_page(programme_demo, live_server, open_page):
    page = open_page(**PHONE)
    log_in(page, live_server.url, ORGANISER_EMAIL, ORGANISER_PASSWORD)
    return page


def test_organiser_pages_on_a_phone(organiser_page, programme_demo, live_server, checkpoint):
    event_url = f"{live_server.url}/organiser/events/{programme_demo.slug}/"
    for path in ORGANISER_PAGES:
        url = live_server.url + path if path.startswith("/") else event_url + path
        organiser_page.goto(url)
        checkpoint(organiser_page, path.strip("/").replace("/", "-") or "dashboard")
    assert organiser_page.errors == []


PUBLIC_PAGES = ["", "/programme", "/attendees", "/privacy", "/resend"]


def test_public_pages_in_german_on_a_phone(programme_demo, live_server, open_page, checkpoint):
    page = open_page(**PHONE, locale="de-DE")
    for path in PUBLIC_PAGES:
        page.goto(f"{live_server.url}/events/{programme_demo.slug}{path}")
        assert page.locator("html").get_attribute("lang") == "de"
        checkpoint(page, "event" + path.replace("/", "-"))
    assert page.errors == []
