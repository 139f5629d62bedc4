"""One error type for refused input: a FieldError raised by a service shows under its field on
the page (forms_common.show_error) and becomes `{errors: {field: [message]}}` in the API
(api/core.py), with the same text, through the real doors."""

import re

import pytest
from conftest import csrf_token
from programme_fixtures import *  # noqa: F401,F403
from programme_fixtures import form_token
from registration_fixtures import register_on_page

from summit.extensions import db
from summit.forms_common import show_error
from summit.models import EventSession, Registration
from summit.services.errors import FieldError
from summit.services.registrations import RegistrationError, signup

SUMMARY = re.compile(r'<div class="form-summary" role="alert" tabindex="-1">(.*?)</div>', re.S)


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error" role="alert">(.*?)</p>', html)
    assert match, f"no message under {field}"
    return match.group(1)


# --- programme: a field of the form, and one the form does not have -----------------------


def test_programme_refusal_on_the_page_and_in_the_api(app, client, auth, organiser,
                                                      programme_demo):
    sid = programme_demo.pitch_session_id
    pitch = {"title": "Neu", "presenter": "Zoë Ørsted", "pitch_minutes": 5, "qa_minutes": 3,
             "changeover_minutes": 1, "presenter_email": "nobody@example.org"}
    url = f"/organiser/events/{programme_demo.slug}/programme/sessions/{sid}/pitches/new"
    page = organiser.post(url, data=pitch | {"csrf_token": form_token(organiser, url)})
    assert page.status_code == 422
    message = field_error(page.get_data(as_text=True), "presenter_email")
    assert message == "Nobody with this e-mail address is registered."

    api = client.post(f"/api/v1/events/{programme_demo.slug}/sessions/{sid}/pitches",
                      json=pitch, headers=auth.headers())
    assert api.status_code == 422
    assert api.get_json()["errors"] == {"presenter_email": [message]}
    assert api.get_json()["error"] == {"status": 422, "message": "Some of the data is not valid."}


def test_a_refusal_the_form_has_no_field_for_is_shown_above_it(app, client, auth, organiser,
                                                               programme_demo):
    with app.app_context():
        keynote = db.session.scalar(db.select(EventSession.id).where(
            EventSession.event_id == programme_demo.event_id, EventSession.kind == "keynote"))
    url = f"/organiser/events/{programme_demo.slug}/programme/sessions/{keynote}/pitches/new"
    pitch = {"title": "Neu", "presenter": "Zoë", "pitch_minutes": 5, "qa_minutes": 3,
             "changeover_minutes": 1}
    page = organiser.post(url, data=pitch | {"csrf_token": form_token(organiser, url)})
    assert page.status_code == 422
    assert SUMMARY.findall(page.get_data(as_text=True)) == ["Only pitch sessions have pitches."]

    api = client.post(f"/api/v1/events/{programme_demo.slug}/sessions/{keynote}/pitches",
                      json=pitch, headers=auth.headers())
    assert api.status_code == 422
    assert api.get_json()["errors"] == {"session": ["Only pitch sessions have pitches."]}


def test_a_conflict_keeps_its_status_in_the_api(client, auth, programme_demo):
    headers = auth.headers()
    created = client.post(f"/api/v1/events/{programme_demo.slug}/sessions", headers=headers,
                          json={"title": "Workshop II", "kind": "workshop",
                                "starts_at": "2014-09-10T12:00",
                                "ends_at": "2014-09-10T13:00"}).get_json()
    busy = client.post(
        f"/api/v1/events/{programme_demo.slug}/sessions/{created['id']}/moderators",
        headers=headers, json={"email": "norbert.kunz@vision-summit.example", "role": "lead"})
    assert busy.status_code == 409
    body = busy.get_json()
    assert body["error"]["status"] == 409 and "overlaps" in body["error"]["message"]
    assert body["errors"] == {"user_id": [body["error"]["message"]]}


# --- events: 409 for a slug in use, 422 for the rest ------------------------------------------


EVENT = {"slug": "vision-summit-2026", "name": "Vision Summit 2026", "timezone": "Europe/Berlin",
         "starts_on": "2026-09-10", "ends_on": "2026-09-11",
         "categories": [{"name": "Attendee", "capacity": 800}]}


def test_event_refusals_in_the_api(client, auth):
    headers = auth.headers()
    assert client.post("/api/v1/events", json=EVENT, headers=headers).status_code == 201
    again = client.post("/api/v1/events", json=EVENT, headers=headers)
    assert again.status_code == 409
    message = "An event with this slug already exists."
    assert again.get_json()["error"]["message"] == message
    assert again.get_json()["errors"] == {"slug": [message]}
    twice = client.post("/api/v1/events", headers=headers, json=EVENT | {
        "slug": "other", "categories": [{"name": "Press", "capacity": 1},
                                        {"name": "press", "capacity": 2}]})
    assert twice.status_code == 422
    assert twice.get_json()["errors"] == {"categories": ["The category press is listed twice."]}


# --- badges: a field of the form, and a hidden one --------------------------------------------


@pytest.fixture
def badge_event(make_event, make_registration):
    make_event(categories=[{"name": "Attendee", "capacity": 10}])
    make_registration()
    return make_registration(status="waitlisted")


def test_badge_refusals_on_the_page_and_in_the_api(app, client, auth, badge_event):
    api = client.get("/api/v1/events/test-summit/badges.pdf", query_string={"category": "Nope"},
                     headers=auth.headers())
    assert api.status_code == 422
    assert api.get_json()["errors"] == {"category": [
        "Unknown category “Nope”. Categories of this event: Attendee."]}

    auth.login()
    page_url = "/organiser/events/test-summit/badges"
    page = client.post(page_url, data={"csrf_token": csrf_token(client.get(page_url)),
                                       "layout": "a6", "registration": str(badge_event)})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    # The person was picked with a button, not typed into a field: said above the form.
    assert SUMMARY.findall(html) == ["This registration is on the waiting list. The badge is "
                                     "available once the place is confirmed."]
    assert 'class="error"' not in html


# --- registrations: one wording for one rule, from the service ------------------------------


@pytest.mark.parametrize("field, service_message", [
    ("first_name", signup.FIRST_NAME_MISSING),
    ("last_name", signup.LAST_NAME_MISSING),
])
@pytest.mark.parametrize("language", ["en", "de"])
def test_a_missing_name_reads_the_same_on_the_page_in_the_api_and_in_the_service(
        app, client, make_event, field, service_message, language):
    make_event()
    headers = {"Accept-Language": language}
    page = register_on_page(client, headers=headers, **{field: "  "})
    assert page.status_code == 422
    on_page = field_error(page.get_data(as_text=True), field)

    body = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org",
            "category": "Attendee", "consent": True, field: ""}
    api = client.post("/api/v1/events/test-summit/registrations", json=body, headers=headers)
    assert api.status_code == 422
    assert api.get_json()["errors"] == {field: [on_page]}

    with app.test_request_context(headers=headers):
        with pytest.raises(RegistrationError) as refused:
            signup.clean_details(**{"first_name": "Ada", "last_name": "Lovelace", field: ""})
        assert refused.value.field == field
        assert str(refused.value.message) == str(service_message) == on_page
    assert on_page == {"en": {"first_name": "Please enter your first name.",
                              "last_name": "Please enter your last name."},
                       "de": {"first_name": "Bitte geben Sie Ihren Vornamen ein.",
                              "last_name": "Bitte geben Sie Ihren Nachnamen ein."}
                       }[language][field]


def test_a_service_refusal_on_the_manage_page(app, client, make_event):
    """The form lets a control character through in `needs`; the service refuses it."""
    make_event()
    assert register_on_page(client).status_code == 302
    with app.app_context():
        token = db.session.scalar(db.select(Registration.manage_token))
    page = client.get(f"/r/{token}")
    response = client.post(f"/r/{token}", data={
        "csrf_token": csrf_token(page), "first_name": "Zoë", "last_name": "Müller",
        "language": "en", "needs": "Rollstuhl\x07"})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "needs") == (
        "Please remove line breaks and control characters.")


# --- the helper itself ------------------------------------------------------------------------


def test_show_error_puts_the_message_under_its_field_a_fallback_or_above_the_form(app):
    from flask_wtf import FlaskForm
    from wtforms import HiddenField, StringField

    class Form(FlaskForm):
        class Meta:
            csrf = False

        name = StringField()
        picked = HiddenField()

    with app.test_request_context():
        form = Form(formdata=None)
        show_error(form, FieldError("name", "Wrong name."))
        show_error(form, FieldError("nowhere", "Under the name.", status=409), fallback="name")
        show_error(form, FieldError("picked", "Above the form."))
        show_error(form, FieldError("nowhere", "Also above."))
        assert form.name.errors == ["Wrong name.", "Under the name."]
        assert form.picked.errors == ()
        assert form.form_errors == ["Above the form.", "Also above."]
