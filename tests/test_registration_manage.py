"""The attendee's manage page, own data, link resend, the API by token, the event page, and
the organiser-facing rules of the service (waiting list, category moves)."""

import json
import re
from datetime import UTC, datetime

import pytest
from conftest import csrf_token
from registration_fixtures import *  # noqa: F403
from registration_fixtures import counts, deliver, eml_messages, text_of

from summit.extensions import db
from summit.models import AuditEntry, Event, EventSession, Registration, Room
from summit.services import registrations

API = "/api/v1/events/test-summit/registrations"
GOOD = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org",
        "category": "Attendee", "consent": True}


def signup(client, **fields) -> str:
    response = client.post(API, json=GOOD | fields)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["manage_url"].rsplit("/", 1)[1]


def test_manage_page_shows_the_badge_qr_for_a_confirmed_place_only(app, client,
                                                                     make_event):
    """The QR itself is decoded in a browser (tests/e2e/test_attendee_browser.py); here:
    which registrations get one."""
    make_event(categories=[{"name": "Attendee", "capacity": 1}])
    confirmed = signup(client)
    waitlisted = signup(client, email="grace@example.org")
    page = client.get(f"/r/{confirmed}").get_data(as_text=True)
    assert page.count("<svg") == 1 and 'role="img"' in page
    assert 'aria-label="QR code of your badge, for the entrance"' in page
    assert f'href="/r/{confirmed}/badge.pdf"' in page
    on_the_waiting_list = client.get(f"/r/{waitlisted}").get_data(as_text=True)
    assert "<svg" not in on_the_waiting_list and "badge.pdf" not in on_the_waiting_list
    assert client.delete(f"/api/v1/registrations/{confirmed}").status_code == 200
    cancelled = client.get(f"/r/{confirmed}").get_data(as_text=True)
    assert "<svg" not in cancelled and "badge.pdf" not in cancelled


def test_manage_page_edits_own_details(app, client, make_event):
    make_event()
    token = signup(client)
    page = client.get(f"/r/{token}")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert 'value="Ada"' in page.get_data(as_text=True)
    saved = client.post(f"/r/{token}", data={
        "first_name": "Augusta Ada", "last_name": "King", "organisation": "Royal Society",
        "language": "de", "needs": "Vegetarisch", "public_listing": "y",
        "csrf_token": csrf_token(page)})
    assert saved.status_code == 302
    data = client.get(f"/api/v1/registrations/{token}").get_json()
    assert (data["first_name"], data["last_name"], data["language"]) == (
        "Augusta Ada", "King", "de")
    refused = client.post(f"/r/{token}", data={
        "first_name": "", "last_name": "K" * 10_000, "language": "en",
        "csrf_token": csrf_token(page)})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert 'id="first_name-error"' in body and 'id="last_name-error"' in body
    assert client.get(f"/api/v1/registrations/{token}").get_json()["first_name"] == "Augusta Ada"


def test_download_own_data_as_json(app, client, make_event):
    make_event()
    token = signup(client, organisation="Analytical Engines")
    response = client.get(f"/r/{token}/data.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="registration-test-summit.json"')
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.data)
    assert data["email"] == "ada@example.org" and data["status"] == "confirmed"
    assert data["organisation"] == "Analytical Engines"
    assert data["event"] == {"slug": "test-summit", "name": "Test Summit"}
    assert data["consent_at"] and data["manage_url"].endswith(token)


def test_unknown_tokens_are_404(client, make_event):
    make_event()
    for path in ("/r/nope", "/r/nope/cancel", "/r/nope/data.json", "/r/" + "x" * 300):
        assert client.get(path).status_code == 404
    assert client.get("/api/v1/registrations/nope").status_code == 404
    assert client.delete("/api/v1/registrations/nope").status_code == 404


def test_waitlisted_person_sees_their_position(app, client, make_event):
    make_event(categories=[{"name": "Attendee", "capacity": 1}])
    signup(client)
    signup(client, email="b@example.org")
    token = signup(client, email="c@example.org")
    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert "Waiting list" in page and "Position 2" in page
    assert client.get(f"/api/v1/registrations/{token}").get_json()["waitlist_position"] == 2


def test_page_registration_redirects_with_the_waitlist_position(app, client, make_event):
    from registration_fixtures import register_on_page

    make_event(categories=[{"name": "Attendee", "capacity": 0}])
    response = register_on_page(client)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "waiting list at position 1" in page


def test_cancelled_registration_cannot_be_edited_and_cancel_is_idempotent(app, client,
                                                                           make_event):
    make_event()
    token = signup(client)
    assert client.delete(f"/api/v1/registrations/{token}").get_json() == {"status": "cancelled"}
    assert client.delete(f"/api/v1/registrations/{token}").get_json() == {"status": "cancelled"}
    page = client.get(f"/r/{token}")
    body = page.get_data(as_text=True)
    assert "You have cancelled this registration." in body and 'name="first_name"' not in body
    client.post(f"/r/{token}", data={"first_name": "Mallory", "last_name": "X",
                                     "language": "en", "csrf_token": csrf_token(page)})
    assert client.get(f"/api/v1/registrations/{token}").get_json()["first_name"] == "Ada"
    assert client.get(f"/r/{token}/cancel").status_code == 302


def test_resend_never_reveals_whether_an_address_is_registered(app, client, make_event):
    make_event()
    signup(client)
    page = client.get("/events/test-summit/resend")
    answers = []
    for address in ("ADA@example.org", "nobody@example.org"):
        before = counts(app)
        response = client.post("/events/test-summit/resend", data={
            "email": address, "csrf_token": csrf_token(page)}, follow_redirects=True)
        # The page's CSRF token carries a timestamp: two answers a second apart differ there
        # and nowhere else, so compare the pages without it.
        answers.append((response.status_code,
                        re.sub(r'name="csrf_token"[^>]*', "", response.get_data(as_text=True))))
        queued = counts(app)[1] - before[1]
        assert queued == (1 if address.startswith("ADA") else 0)
    assert answers[0] == answers[1]
    assert "If this address is registered" in answers[0][1]
    deliver(app)
    link_mail = eml_messages(app)[-1]
    assert link_mail["Subject"] == "Your link to manage your registration for Test Summit"
    assert "http://localhost/r/" in text_of(link_mail)


def test_event_page_shows_programme_categories_and_the_call_to_action(app, client, make_event):
    make_event(categories=[{"name": "Attendee", "capacity": 1},
                           {"name": "Press", "capacity": 0},
                           {"name": "Staff", "capacity": 5, "is_public": False}])
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        room = Room(event=event, name="Plenarsaal")
        for title, day, hour in (("Opening keynote", 10, 9), ("Pitch session", 10, 11),
                                 ("Closing panel", 11, 14)):
            db.session.add(EventSession(
                event=event, room=room, title=title, kind="keynote",
                starts_at=datetime(2030, 9, day, hour - 2, 0, tzinfo=UTC),
                ends_at=datetime(2030, 9, day, hour - 1, 0, tzinfo=UTC)))
        db.session.commit()
    page = client.get("/events/test-summit").get_data(as_text=True)
    assert "Register now" in page and 'href="/events/test-summit/register"' in page
    assert page.index("Opening keynote") < page.index("Pitch session") < page.index(
        "Closing panel")
    assert "September 10, 2030" in page and "September 11, 2030" in page
    assert "9:00" in page and "Plenarsaal" in page  # Berlin time, not UTC
    assert "Places available" in page and "Waiting list" in page
    assert "Staff" not in page
    german = client.get("/events/test-summit", headers={"Accept-Language": "de"})
    assert "Jetzt registrieren" in german.get_data(as_text=True)


@pytest.fixture
def organiser(app, auth):
    auth.make_user()
    return auth


def test_confirm_from_waitlist_and_change_category(app, client, make_event, organiser):
    make_event(categories=[{"name": "Attendee", "capacity": 1},
                           {"name": "Press", "capacity": 1}])
    first, second, third = (signup(client, email=f"{n}@example.org") for n in "abc")
    with app.app_context():
        from summit.services.platform import users

        actor = users.find_by_email("organiser@example.org")
        event = db.session.scalar(db.select(Event))
        attendee, press = event.categories
        by_token = {t: registrations.get_by_token(t) for t in (first, second, third)}
        assert [by_token[t].status for t in (first, second, third)] == [
            "confirmed", "waitlisted", "waitlisted"]
        with pytest.raises(registrations.CategoryFull):
            registrations.confirm_from_waitlist(by_token[third], actor=actor)
        # Moving the first person to Press frees an Attendee place: the next one moves up.
        registrations.change_category(by_token[first], press, actor=actor)
        second_now = registrations.get_by_token(second)
        assert second_now.status == "confirmed"
        assert registrations.get_by_token(first).category_id == press.id
        assert registrations.waitlist_position(registrations.get_by_token(third)) == 1
        registrations.confirm_from_waitlist(by_token[third], actor=actor, over_capacity=True)
        assert registrations.get_by_token(third).status == "confirmed"
        # Press is full now: a confirmed person cannot be squeezed in without over_capacity.
        with pytest.raises(registrations.CategoryFull):
            registrations.change_category(second_now, press, actor=actor)
        actions = db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions == ["registration.change_category", "registration.confirm_from_waitlist"]
        organiser_added = registrations.register(
            event, category=attendee, first_name="Mod", last_name="Erator",
            email="mod@example.org", consent=False, actor=actor)
        assert organiser_added.status == "waitlisted"  # Attendee is over-full (2 of 1)
        assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 4


def test_promoted_mail_is_sent_in_the_promoted_persons_language(app, client, make_event):
    make_event(categories=[{"name": "Attendee", "capacity": 1}])
    first = signup(client)
    signup(client, email="de@example.org", language="de")
    client.delete(f"/api/v1/registrations/{first}")
    deliver(app)
    promoted = eml_messages(app)[-1]
    # "bei Test Summit" needs the article ("beim"); the event name leads instead.
    assert promoted["Subject"] == "Test Summit: Gute Nachricht – Ihr Platz ist bestätigt"
    assert "von der Warteliste nachgerückt" in text_of(promoted)
