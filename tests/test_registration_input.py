"""Bad input gets a clear message and writes nothing; duplicates; the registration window;
rate limits; CSRF."""

from datetime import timedelta

import pytest
from conftest import csrf_token
from registration_fixtures import *  # noqa: F403
from registration_fixtures import counts, register_on_page

from summit.models import utcnow

API = "/api/v1/events/test-summit/registrations"
GOOD = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org",
        "organisation": "Analytical Engines", "category": "Attendee", "consent": True}


@pytest.fixture
def event(make_event):
    return make_event(categories=[
        {"name": "Attendee", "name_de": "Teilnehmende", "capacity": 5},
        {"name": "Staff", "capacity": 5, "is_public": False}])


@pytest.mark.parametrize("change, field", [
    ({"first_name": None, "last_name": None, "email": None, "category": None,
      "consent": None}, {"first_name", "last_name", "email", "category", "consent"}),
    ({"email": "not-an-email"}, {"email"}),
    ({"email": "ada@example"}, {"email"}),
    ({"first_name": "A" * 10_000}, {"first_name"}),
    ({"last_name": "B" * 10_000, "organisation": "C" * 10_000}, {"last_name", "organisation"}),
    ({"first_name": "   "}, {"first_name"}),
    ({"first_name": "Ada\r\nBcc: x@example.org"}, {"first_name"}),
    ({"consent": False}, {"consent"}),
    ({"consent": "no"}, {"consent"}),
    ({"category": "Nope"}, {"category"}),
    ({"category": 99999}, {"category"}),
    ({"category": "Staff"}, {"category"}),  # assigned by organisers only
    ({"language": "fr"}, {"language"}),
])
def test_api_bad_input_is_a_422_with_the_field_and_writes_nothing(app, client, event, change,
                                                                  field):
    body = {key: value for key, value in (GOOD | change).items() if value is not None}
    before = counts(app)
    response = client.post(API, json=body)
    assert response.status_code == 422, response.get_json()
    errors = response.get_json()["errors"]
    assert set(errors) == field
    assert all(messages and all(messages) for messages in errors.values())
    assert counts(app) == before


@pytest.mark.parametrize("data", ['{"first_name": "Ada"', "first_name=Ada", "[1, 2]", '"x"',
                                  ""])
def test_api_non_json_bodies_are_a_400(app, client, event, data):
    before = counts(app)
    response = client.post(API, data=data, content_type="application/json")
    assert response.status_code == 400
    assert "JSON object" in response.get_json()["error"]["message"]
    assert client.post(API, data="first_name=Ada",
                       content_type="application/x-www-form-urlencoded").status_code == 400
    assert counts(app) == before


def test_api_accepts_the_category_by_id_or_name(app, client, event):
    attendee_id = client.get("/api/v1/events/test-summit").get_json()["categories"][0]["id"]
    assert client.post(API, json=GOOD | {"category": attendee_id}).status_code == 201
    by_name = client.post(API, json=GOOD | {"email": "b@example.org", "category": "attendee"})
    assert by_name.status_code == 201
    german = client.post(API, json=GOOD | {"email": "c@example.org", "category": "Teilnehmende"})
    assert german.status_code == 201
    body = german.get_json()
    assert body["manage_url"].startswith("http://localhost/r/")
    assert body["badge_url"] == body["manage_url"] + "/badge.pdf"
    assert body["calendar_url"] == body["manage_url"] + "/calendar.ics"


def test_unknown_event_is_a_404(client, event):
    assert client.post("/api/v1/events/nope/registrations", json=GOOD).status_code == 404
    assert client.get("/events/nope/register").status_code == 404


def test_duplicate_email_is_refused_case_insensitively(app, client, event):
    assert client.post(API, json=GOOD).status_code == 201
    before = counts(app)
    again = client.post(API, json=GOOD | {"email": "ADA@Example.ORG", "first_name": "Ada2"})
    assert again.status_code == 409
    assert again.get_json()["reason"] == "duplicate"
    assert "/events/test-summit/resend" in again.get_json()["error"]["message"]
    assert counts(app) == before


def test_duplicate_on_the_page_offers_to_send_the_link_again(app, client, event):
    assert register_on_page(client, email="zoe@example.org").status_code == 302
    before = counts(app)
    response = register_on_page(client, email="Zoe@EXAMPLE.org")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "already registered for this event" in page
    assert 'action="/events/test-summit/resend"' in page
    assert 'name="email" value="Zoe@example.org"' in page
    assert counts(app) == before
    sent = client.post("/events/test-summit/resend", data={
        "email": "zoe@example.org", "csrf_token": csrf_token(response)})
    assert sent.status_code == 302
    assert counts(app) == (before[0], before[1] + 1)  # the manage-link mail is queued


def test_a_cancelled_person_may_register_again(app, client, event):
    token = client.post(API, json=GOOD).get_json()["manage_url"].rsplit("/", 1)[1]
    assert client.delete(f"/api/v1/registrations/{token}").get_json() == {"status": "cancelled"}
    again = client.post(API, json=GOOD | {"first_name": "Augusta Ada"})
    assert again.status_code == 201 and again.get_json()["status"] == "confirmed"
    assert counts(app)[0] == 1
    assert client.get(f"/api/v1/registrations/{token}").get_json()["first_name"] == "Augusta Ada"


@pytest.mark.parametrize("field, message", [
    ("first_name", "Please enter your first name."),
    ("email", "Please enter your e-mail address."),
    ("consent", "Please agree to the privacy notice to register."),
])
def test_page_shows_the_message_next_to_the_field(app, client, event, field, message):
    before = counts(app)
    response = register_on_page(client, **{field: None})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'<p class="error" id="{field}-error" role="alert">{message}</p>' in page
    assert counts(app) == before


@pytest.mark.parametrize("fields, field", [
    ({"email": "zoe@@example.org"}, "email"),
    ({"first_name": "Z" * 10_000}, "first_name"),
    ({"category": "99999"}, "category"),
    ({"category": "Staff"}, "category"),
])
def test_page_refuses_bad_values(app, client, event, fields, field):
    before = counts(app)
    response = register_on_page(client, **fields)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert counts(app) == before


def test_the_form_offers_public_categories_only(client, event):
    page = client.get("/events/test-summit/register").get_data(as_text=True)
    assert ">Attendee</option>" in page and "Staff" not in page
    german = client.get("/events/test-summit/register",
                        headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert ">Teilnehmende</option>" in german


@pytest.mark.parametrize("window, state, text", [
    ({"registration_opens_at": timedelta(days=3)}, "registration_not_yet_open",
     "Registration opens on"),
    ({"registration_closes_at": timedelta(days=-1)}, "registration_closed",
     "Registration for this event is closed."),
])
def test_outside_the_window_there_is_a_clear_message_and_no_form(app, client, make_event,
                                                                   window, state, text):
    make_event(**{key: utcnow() + delta for key, delta in window.items()})
    page = client.get("/events/test-summit/register")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert text in body and 'name="first_name"' not in body
    assert text in client.get("/events/test-summit").get_data(as_text=True)
    assert "Register now" not in client.get("/events/test-summit").get_data(as_text=True)
    before = counts(app)
    posted = client.post("/events/test-summit/register", data={
        "first_name": "A", "last_name": "B", "email": "a@example.org", "category": "1",
        "consent": "y", "language": "en", "csrf_token": csrf_token(client.get("/"))})
    assert posted.status_code == 409
    api = client.post(API, json=GOOD)
    assert api.status_code == 409 and api.get_json()["reason"] == state
    assert counts(app) == before


def test_inside_the_window_the_form_is_shown(client, make_event):
    make_event(registration_opens_at=utcnow() - timedelta(days=1),
               registration_closes_at=utcnow() + timedelta(days=1))
    page = client.get("/events/test-summit/register").get_data(as_text=True)
    assert 'name="first_name"' in page
    assert "Registration is open until" in client.get("/events/test-summit").get_data(
        as_text=True)


def test_forms_need_a_csrf_token(app, client, event):
    app.config["WTF_CSRF_ENABLED"] = True
    before = counts(app)
    response = client.post("/events/test-summit/register", data={
        "first_name": "A", "last_name": "B", "email": "a@example.org", "category": "1",
        "consent": "y", "language": "en"})
    assert response.status_code == 400
    assert client.post("/events/test-summit/resend",
                       data={"email": "a@example.org"}).status_code == 400
    assert counts(app) == before
    token = client.post(API, json=GOOD).get_json()["manage_url"].rsplit("/", 1)[1]
    assert client.post(f"/r/{token}/cancel").status_code == 400
    assert client.post(f"/r/{token}", data={"first_name": "Mallory", "last_name": "X",
                                            "language": "en"}).status_code == 400
    state = client.get(f"/api/v1/registrations/{token}").get_json()
    assert state["status"] == "confirmed" and state["first_name"] == "Ada"


def test_registration_and_resend_are_rate_limited(app_config, make_event):
    from summit import create_app

    limited = create_app({**app_config, "RATELIMIT_ENABLED": True,
                          "SUMMIT_PUBLIC_LIMIT": "3 per minute"})
    client = limited.test_client()
    make_event()
    api = [client.post(API, json=GOOD | {"email": f"p{n}@example.org"}).status_code
           for n in range(4)]
    assert api == [201, 201, 201, 429]
    page = client.get("/events/test-summit/resend")
    token = csrf_token(page)
    resend = [client.post("/events/test-summit/resend", data={
        "email": "p1@example.org", "csrf_token": token}).status_code for _ in range(4)]
    assert resend == [302, 302, 302, 429]
    form = register_on_page(client, email="html1@example.org")
    assert form.status_code == 302
    assert client.get("/events/test-summit/register").status_code == 200  # GETs stay free
