"""An organiser creates an event from nothing in Chromium: the form refuses empty input next
to its fields, then the event exists, gets its first category, and its public registration
page offers it. Every page on the way is screenshotted and axe-checked."""

import re
from datetime import date
from urllib.parse import urlsplit

from summit.services import events
from summit.services.platform import users

from .browser import PHONE, expect, log_in

ORGANISER = ("olga@example.org", "organiser-password")


def test_an_organiser_creates_an_event_from_nothing(app, live_server, open_page, checkpoint):
    with app.app_context():
        users.create_user(ORGANISER[0], role="organiser", password=ORGANISER[1], name="Olga")
    page = open_page(locale="en-GB")
    log_in(page, live_server.url, *ORGANISER)
    page.get_by_role("link", name="New event").first.click()
    expect(page.get_by_role("heading", name="New event", exact=True)).to_be_visible()
    checkpoint(page, "new-event")

    page.get_by_label("Short name in the address").fill("Gipfel 2031")  # a space: refused
    page.get_by_role("button", name="Create the event").click()
    expect(page.locator("#slug-error")).to_contain_text("Use lower-case letters")
    expect(page.locator("#name-error")).to_be_visible()
    checkpoint(page, "new-event-errors")
    page.errors.clear()  # the 422 Chromium logs is the expected refusal

    page.get_by_label("Short name in the address").fill("zukunftsgipfel-2031")
    page.locator("#name").fill("Zukunftsgipfel 2031 🌍")
    page.get_by_label("Venue").fill("Kühlhaus Berlin")
    page.get_by_label("First day").fill("2031-09-10")
    page.get_by_label("Last day").fill("2031-09-11")
    page.get_by_label("Registration opens").fill("2026-01-01T09:00")
    page.get_by_label("Event colour").fill("#8a1c7c")
    page.get_by_role("button", name="Create the event").click()
    expect(page.get_by_text("The event Zukunftsgipfel 2031 🌍 is created.")).to_be_visible()
    assert urlsplit(page.url).path == "/organiser/events/zukunftsgipfel-2031/categories"
    checkpoint(page, "categories-empty")

    new = page.locator("#new-category")
    new.get_by_label("Name (English)").fill("Attendee")
    new.get_by_label("Name (German)").fill("Teilnehmende")
    new.get_by_label("Places").fill("250")
    new.get_by_role("button", name="Add the category").click()
    expect(page.get_by_text("The category Attendee is added.")).to_be_visible()
    expect(page.get_by_role("heading", name="Attendee")).to_be_visible()
    checkpoint(page, "categories")

    new.get_by_role("link", name="Public page").click()
    expect(page.get_by_role("heading", name="Zukunftsgipfel 2031 🌍")).to_be_visible()
    expect(page.get_by_text("Registration is open.")).to_be_visible()
    page.get_by_role("link", name="Register now").click()
    expect(page.locator("#category")).to_contain_text("Attendee")
    checkpoint(page, "register")
    assert page.errors == []


def test_event_pages_in_german_on_a_phone(app, live_server, open_page, checkpoint):
    with app.app_context():
        olga = users.create_user(ORGANISER[0], role="organiser", password=ORGANISER[1],
                                 name="Olga")
        events.create_event(slug="gipfel-2030", name="Gipfel 2030", actor=olga,
                            starts_on=date(2030, 9, 10), ends_on=date(2030, 9, 11),
                            categories=[{"name": "Attendee", "name_de": "Teilnehmende",
                                         "capacity": 100},
                                        {"name": "Press", "name_de": "Presse",
                                         "capacity": 10, "is_public": False}])
    page = open_page(**PHONE, locale="de-DE")
    log_in(page, live_server.url, *ORGANISER)
    page.goto(f"{live_server.url}/organiser/events/new")
    expect(page.get_by_role("heading", name="Neue Veranstaltung")).to_be_visible()
    checkpoint(page, "neue-veranstaltung")
    page.goto(f"{live_server.url}/organiser/events/gipfel-2030/categories")
    page.get_by_role("button", name=re.compile(r"^Nach oben\W+Presse$")).click()
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Presse")
    page.locator("summary", has_text="Presse").click()
    expect(page.locator("[id$='-name_de']").first).to_be_visible()
    checkpoint(page, "kategorien")
    page.goto(f"{live_server.url}/organiser/events/gipfel-2030/copy")
    expect(page.locator("#starts_on")).to_have_value("2031-09-09")
    checkpoint(page, "kopieren")
    page.goto(f"{live_server.url}/organiser/archive")
    expect(page.get_by_role("heading", name="Archivierte Veranstaltungen")).to_be_visible()
    checkpoint(page, "archiv")
    assert page.errors == []
