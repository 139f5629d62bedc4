"""The call for pitches: applying on the page and through the API, the manage link, the
confirmation mail, decks (PDF only), a closed call."""

import io
from datetime import timedelta
from email.header import decode_header, make_header

from application_fixtures import *  # noqa: F403
from application_fixtures import APPLICANT, apply_on_page, pdf_bytes
from conftest import csrf_token
from registration_fixtures import eml_messages, text_of

from summit.extensions import db
from summit.models import Application, ApplicationDeck, Event, OutboxMessage, utcnow
from summit.services import applications


def _rows(app, model):
    with app.app_context():
        return db.session.scalars(db.select(model)).all()


def test_apply_on_the_page_in_german_sends_the_manage_link(app, client, open_call):
    open_call()
    form = client.get("/events/test-summit/apply", headers={"Accept-Language": "de"})
    assert form.status_code == 200
    assert "Bewerbung" in form.get_data(as_text=True)
    answer = apply_on_page(client, deck=(io.BytesIO(pdf_bytes()), "Präsentation 📊.pdf"))
    assert answer.status_code == 302
    manage = client.get(answer.location)
    assert "Lastenräder für alle 🚲" in manage.get_data(as_text=True)
    (application,) = _rows(app, Application)
    assert application.email == "zoë@münchen.de" and application.status == "submitted"
    with app.app_context():
        assert db.session.get(ApplicationDeck, 1).pages == 1
    from summit.services.mail import outbox
    with app.app_context():
        outbox.deliver_due(app.config)
    (mail,) = eml_messages(app)
    assert "Bewerbung" in str(mail["Subject"])
    assert f"/a/{application.manage_token}" in text_of(mail)


def test_a_german_applicant_reads_the_german_event_name(app, client, open_call):
    open_call()
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == "test-summit"))
        event.name_de = "Gipfel für soziale Innovation"
        db.session.commit()
    assert apply_on_page(client).status_code == 302
    from summit.services.mail import outbox
    with app.app_context():
        outbox.deliver_due(app.config)
    (mail,) = eml_messages(app)
    subject = str(make_header(decode_header(str(mail["Subject"]))))
    assert "Gipfel für soziale Innovation" in subject
    assert "Gipfel für soziale Innovation" in text_of(mail)


def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_is_stored(app, client, open_call):
    open_call()
    fake = io.BytesIO(b"%PDF-1.4 but not really a pdf at all")
    answer = apply_on_page(client, deck=(fake, "deck.pdf"))
    assert answer.status_code == 422
    assert "PDF" in answer.get_data(as_text=True)
    html = io.BytesIO(b"<html><script>alert(1)</script></html>")
    assert apply_on_page(client, deck=(html, "deck.pdf")).status_code == 422
    assert _rows(app, Application) == [] and _rows(app, OutboxMessage) == []


def test_a_deck_over_the_limit_is_refused(app, client, open_call):
    open_call()
    big = pdf_bytes() + b"%" * (11 * 1024 * 1024)
    answer = apply_on_page(client, deck=(io.BytesIO(big), "big.pdf"))
    assert answer.status_code == 413
    assert "10 MB" in answer.get_data(as_text=True)
    assert _rows(app, Application) == []
    just_over = pdf_bytes() + b"%" * (10 * 1024 * 1024 - len(pdf_bytes()) + 1)
    answer = apply_on_page(client, deck=(io.BytesIO(just_over), "big.pdf"))
    assert answer.status_code == 422 and _rows(app, Application) == []


def test_missing_fields_show_their_message(app, client, open_call):
    open_call()
    answer = apply_on_page(client, title="", website="www.example.org")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "title" in text and _rows(app, Application) == []


def test_the_applicant_edits_and_withdraws(app, client, open_call):
    open_call()
    token = apply_on_page(client).location.rsplit("/", 1)[-1]
    page = client.get(f"/a/{token}")
    data = {k: v for k, v in APPLICANT.items() if k not in ("email", "consent")}
    answer = client.post(f"/a/{token}", data=data | {"title": "张伟的茶园",
                                                     "csrf_token": csrf_token(page)})
    assert answer.status_code == 302
    assert _rows(app, Application)[0].title == "张伟的茶园"
    page = client.get(f"/a/{token}/withdraw")
    client.post(f"/a/{token}/withdraw", data={"csrf_token": csrf_token(page)})
    assert _rows(app, Application)[0].status == "withdrawn"


def test_the_api_applies_and_refuses_duplicates_and_bad_input(app, client, open_call):
    open_call()
    body = {"first_name": "伟", "last_name": "张", "email": "wei@example.org",
            "organisation": "茶园", "title": "Tea for all", "summary": "Fair tea.",
            "consent": True}
    created = client.post("/api/v1/events/test-summit/applications", json=body)
    assert created.status_code == 201, created.json
    assert created.json["status"] == "submitted"
    assert created.json["manage_url"].endswith(
        _rows(app, Application)[0].manage_token)
    again = client.post("/api/v1/events/test-summit/applications",
                        json=body | {"email": "WEI@example.org"})
    assert again.status_code == 409
    bad = client.post("/api/v1/events/test-summit/applications",
                      json=body | {"email": "x@example.org", "summary": ""})
    assert bad.status_code == 422 and "summary" in bad.json["errors"]
    assert client.post("/api/v1/events/nowhere/applications", json=body).status_code == 404


def test_a_closed_call_says_so(app, client, open_call):
    open_call(closes_at=utcnow() - timedelta(days=1), opens_at=utcnow() - timedelta(days=9))
    page = client.get("/events/test-summit/apply")
    assert page.status_code == 200 and "closed" in page.get_data(as_text=True)
    answer = client.post("/api/v1/events/test-summit/applications",
                         json={"first_name": "A", "last_name": "B", "email": "a@b.org",
                               "title": "T", "summary": "S", "consent": True})
    assert answer.status_code == 409


def test_the_event_page_links_to_an_open_call(app, client, open_call):
    open_call()
    assert "/events/test-summit/apply" in client.get("/events/test-summit").get_data(
        as_text=True)


def test_an_event_without_call_has_no_form(app, client, make_event):
    make_event()
    assert "/apply" not in client.get("/events/test-summit").get_data(as_text=True)
    assert "no call" in client.get("/events/test-summit/apply").get_data(as_text=True)


def test_open_call_creates_default_criteria(app, open_call):
    open_call()
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        call = applications.get_call(event)
        assert [c.name for c in call.criteria][0] == "Impact"


def test_the_applicant_downloads_their_data_and_an_organiser_erases_it(app, client, auth,
                                                                        open_call):
    open_call()
    token = apply_on_page(client, deck=(io.BytesIO(pdf_bytes()), "d.pdf")).location.rsplit(
        "/", 1)[-1]
    data = client.get(f"/a/{token}/data.json")
    assert data.json["email"] == "zoë@münchen.de" and data.json["deck"] == "d.pdf"
    assert data.headers["Content-Disposition"].startswith("attachment")
    auth.login()
    (application,) = _rows(app, Application)
    page = client.get(f"/organiser/events/test-summit/applications/{application.id}")
    client.post(f"/organiser/events/test-summit/applications/{application.id}/erase",
                data={"csrf_token": csrf_token(page)})
    (erased,) = _rows(app, Application)
    assert erased.anonymised_at and "Zoë" not in erased.first_name
    assert erased.email.endswith("@invalid") and _rows(app, ApplicationDeck) == []
    assert client.get(f"/a/{token}").status_code == 404
    assert _rows(app, OutboxMessage) == []


def test_applying_twice_with_the_same_address_is_refused_next_to_the_field(app, client,
                                                                          open_call):
    open_call()
    assert apply_on_page(client).status_code == 302
    again = apply_on_page(client, email="ZOË@münchen.de", title="Noch einmal")
    assert again.status_code == 409
    assert 'id="email-error"' in again.get_data(as_text=True)
    assert len(_rows(app, Application)) == 1


def test_the_api_document_has_no_file_field(client):
    schema = client.get("/api/v1/openapi.json").json["paths"][
        "/events/{slug}/applications"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]
    assert "deck" not in schema["properties"] and "title" in schema["properties"]


def test_a_large_deck_within_the_limit_is_taken(app, client, open_call):
    """3 MB: more than any other form may send (MAX_CONTENT_LENGTH), within the deck's."""
    open_call()
    deck = pdf_bytes() + b"\n%" + b"x" * (3 * 1024 * 1024)
    assert apply_on_page(client, deck=(io.BytesIO(deck), "gross.pdf")).status_code == 302
    (stored,) = _rows(app, ApplicationDeck)
    assert stored.size == len(deck)
