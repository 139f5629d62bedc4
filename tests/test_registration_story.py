"""The story of the issue: a person registers in German on the public page, gets the mail
(.eml in the default set-up) with the manage link and the event as .ics, opens the link,
cancels, and the first person on the waiting list is confirmed and mailed."""

import re
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from conftest import csrf_token
from registration_fixtures import *  # noqa: F403
from registration_fixtures import (
    deliver,
    eml_messages,
    html_of,
    ics_of,
    register_on_page,
    registration_by_email,
    text_of,
)

GERMAN = {"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}
BERLIN = ZoneInfo("Europe/Berlin")


def test_register_in_german_cancel_and_the_waiting_list_moves_up(app, client, make_event):
    make_event(categories=[{"name": "Attendee", "name_de": "Teilnehmende", "capacity": 1}],
               address="Pariser Platz 6, 10117 Berlin")

    form = client.get("/events/test-summit/register", headers=GERMAN)
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert "Registrieren" in page and "Teilnehmende" in page
    assert '<option selected value="de">' in page  # the language follows the browser

    response = register_on_page(client, headers=GERMAN, language="de",
                                email="Zoe.Mueller@Example.org")
    assert response.status_code == 302
    zoe = registration_by_email(app, "zoe.mueller@example.org")
    assert zoe["status"] == "confirmed" and zoe["language"] == "de"
    landing = client.get(response.headers["Location"], headers=GERMAN).get_data(as_text=True)
    assert "Ihr Platz ist bestätigt" in landing

    # The next person finds the category full and waits (through the API, in English).
    waiting = client.post("/api/v1/events/test-summit/registrations", json={
        "first_name": "Kwame", "last_name": "Mensah", "email": "kwame@example.org",
        "category": "Attendee", "consent": True, "language": "en"})
    assert waiting.status_code == 201
    assert waiting.get_json()["status"] == "waitlisted"
    assert waiting.get_json()["waitlist_position"] == 1

    report = deliver(app)
    assert len(report.sent) == 2 and not report.retrying
    confirmation, waitlisted = eml_messages(app)
    assert confirmation["To"].addresses[0].addr_spec == "Zoe.Mueller@example.org"
    assert confirmation["Subject"] == "Test Summit: Ihre Anmeldung ist bestätigt"
    assert confirmation["Content-Language"] == "de"
    body = text_of(confirmation)
    # The formal "Sie" goes with the full name, never the first name alone.
    assert "Guten Tag Zoë Müller," in body and "Teilnehmende" in body
    assert "Ihr Platz für die Veranstaltung „Test Summit“ ist bestätigt." in body
    manage_url = f"http://localhost/r/{zoe['token']}"
    assert manage_url in body and manage_url in html_of(confirmation)
    assert "10.–11. September 2030" in body

    calendar = ics_of(confirmation)
    [entry] = calendar.walk("VEVENT")
    assert str(entry["UID"]) == f"registration-{zoe['id']}@localhost"
    # No programme yet: the event's days, in the event's time (calendars.DAY_STARTS/ENDS).
    assert entry.decoded("DTSTART") == datetime(2030, 9, 10, 9, tzinfo=BERLIN)
    assert entry.decoded("DTEND") == datetime(2030, 9, 11, 18, tzinfo=BERLIN)
    assert entry["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert str(entry["TRANSP"]) == "OPAQUE"
    assert str(entry["LOCATION"]).startswith("Allianz Forum")
    assert str(entry["SUMMARY"]) == "Test Summit"

    assert waitlisted["Subject"] == "You are on the waiting list for Test Summit"
    assert "Your position on the waiting list: 1" in text_of(waitlisted)
    assert ics_of(waitlisted) is None  # no calendar entry without a place

    # Zoë opens the link from her mail and cancels, with a confirmation step.
    path = urlsplit(re.search(r"http://localhost/r/\S+", body).group(0)).path
    manage = client.get(path, headers=GERMAN)
    assert manage.status_code == 200 and "Ihre Anmeldung" in manage.get_data(as_text=True)
    confirm_page = client.get(path + "/cancel", headers=GERMAN)
    assert "wirklich stornieren" in confirm_page.get_data(as_text=True)
    assert registration_by_email(app, "zoe.mueller@example.org")["status"] == "confirmed"
    cancelled = client.post(path + "/cancel", data={"csrf_token": csrf_token(confirm_page)},
                            headers=GERMAN)
    assert cancelled.status_code == 302
    after = client.get(path, headers=GERMAN).get_data(as_text=True)
    assert "Sie haben diese Anmeldung storniert" in after

    # The first on the waiting list is confirmed at once and told by mail.
    assert registration_by_email(app, "kwame@example.org")["status"] == "confirmed"
    report = deliver(app)
    assert len(report.sent) == 2
    cancel_mail, promoted_mail = eml_messages(app)[2:]
    assert cancel_mail["Subject"] == "Test Summit: Ihre Anmeldung ist storniert"
    assert promoted_mail["To"].addresses[0].addr_spec == "kwame@example.org"
    assert promoted_mail["Subject"] == "Good news: your place at Test Summit is confirmed"
    assert "moved up from the waiting list" in text_of(promoted_mail)
    assert ics_of(promoted_mail).walk("VEVENT")[0].decoded("DTSTART") == datetime(
        2030, 9, 10, 9, tzinfo=BERLIN)
    kwame_token = registration_by_email(app, "kwame@example.org")["token"]
    kwame = client.get(f"/api/v1/registrations/{kwame_token}")
    assert kwame.get_json()["status"] == "confirmed"
    assert kwame.get_json()["waitlist_position"] is None
