"""Internationalised e-mail addresses (RFC 6531, IDNA) at every door where one is entered:
the public form, the API, the organiser's "add person" and the CSV import. They are stored as
written, duplicates are found whatever the case or domain form, and mail reaches them over
SMTP (IDNA domain; SMTPUTF8 where the server offers it) or as .eml files."""

import io

import pytest
from attendee_admin_fixtures import post_form, registrations_of, url
from conftest import csrf_token
from registration_fixtures import *  # noqa: F403
from registration_fixtures import (
    SmtpServer,
    counts,
    deliver,
    eml_messages,
    free_port,
    register_on_page,
)

from summit.extensions import db
from summit.models import Event, OutboxMessage

API = "/api/v1/events/test-summit/registrations"
# As written -> as it travels in the SMTP envelope.
ADDRESSES = {
    "jürgen@example.org": "jürgen@example.org",
    "info@münchen.de": "info@xn--mnchen-3ya.de",
    "用户@example.org": "用户@example.org",
}
NEEDS_SMTPUTF8 = ["jürgen@example.org", "用户@example.org"]


@pytest.fixture
def event(make_event):
    return make_event()


def api_register(client, address, first_name="Jürgen"):
    return client.post(API, json={"first_name": first_name, "last_name": "Weiß",
                                  "email": address, "category": "Attendee", "consent": True})


def add_person(client, app, address):
    with app.app_context():
        category_id = db.session.scalar(db.select(Event)).categories[0].id
    return post_form(client, url("/new"), {
        "first_name": "Jürgen", "last_name": "Weiß", "email": address,
        "category": category_id, "language": "de"})


def import_csv(client, lines):
    body = "\n".join(["first_name,last_name,email,category", *lines]).encode()
    return post_form(client, url("/import"), {
        "file": (io.BytesIO(body), "people.csv"), "send_mail": "y"},
        content_type="multipart/form-data")


def stored(app) -> list[tuple[str, str]]:
    return [(r.email, r.email_normalised) for r in registrations_of(app)]


def stored_ids(app) -> list[int]:
    return [r.id for r in registrations_of(app)]


def outbox_recipients(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(db.select(OutboxMessage.recipient)
                                       .order_by(OutboxMessage.id)))


def serve_smtp(app, *, smtputf8: bool) -> SmtpServer:
    server = SmtpServer(smtputf8=smtputf8).start()
    app.config["SUMMIT_MAIL_URL"] = server.url
    return server


# -- every door accepts them ----------------------------------------------------------------

@pytest.mark.parametrize("address", ADDRESSES)
def test_api_registers_and_mails_an_international_address(app, client, runner, event,
                                                          address):
    response = api_register(client, address)
    assert response.status_code == 201, response.get_json()
    assert stored(app) == [(address, address)]
    assert outbox_recipients(app) == [address]
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0 and "1 sent" in result.output, result.output
    [message] = eml_messages(app)
    # The .eml holds the address as it travels: IDNA domain, UTF-8 local part.
    assert str(message["To"]) == f"Jürgen Weiß <{ADDRESSES[address]}>"


@pytest.mark.parametrize("address", ADDRESSES)
def test_the_public_form_registers_an_international_address(app, client, event, address):
    response = register_on_page(client, email=address)
    assert response.status_code == 302 and "/r/" in response.headers["Location"]
    assert stored(app) == [(address, address)]


@pytest.mark.parametrize("address", ADDRESSES)
def test_the_organiser_adds_a_person_with_an_international_address(app, auth, client, event,
                                                                   address):
    auth.login()
    response = add_person(client, app, address)
    assert response.status_code == 302, response.data.decode()[-2000:]
    assert stored(app) == [(address, address)]


def test_the_csv_import_takes_international_addresses(app, auth, client, event):
    auth.login()
    response = import_csv(client, [f"Person,{n},{address},Attendee"
                                   for n, address in enumerate(ADDRESSES)])
    assert response.status_code == 302, response.data.decode()[-3000:]
    assert sorted(stored(app)) == sorted((address, address) for address in ADDRESSES)
    assert sorted(outbox_recipients(app)) == sorted(ADDRESSES)


@pytest.mark.parametrize("address", ADDRESSES)
def test_erasing_the_person_takes_their_mail_out_of_the_outbox(app, auth, client, event,
                                                               address):
    """The outbox keeps the address as written, so erasure finds the mail to it."""
    auth.login()
    assert api_register(client, address).status_code == 201
    assert api_register(client, "ada@example.org", first_name="Ada").status_code == 201
    person = stored_ids(app)[0]
    response = post_form(client, url(f"/{person}/anonymise"), {})
    assert response.status_code == 302
    assert outbox_recipients(app) == ["ada@example.org"]


# -- duplicates stay duplicates -------------------------------------------------------------

@pytest.mark.parametrize("first, again", [
    ("jürgen@example.org", "JÜRGEN@example.org"),
    ("JÜRGEN@Example.ORG", "jürgen@example.org"),
    ("info@münchen.de", "info@xn--mnchen-3ya.de"),
    ("info@xn--mnchen-3ya.de", "INFO@MÜNCHEN.DE"),
    ("用户@example.org", "用户@EXAMPLE.org"),
])
def test_the_same_address_in_another_form_is_a_duplicate(app, client, event, first, again):
    assert api_register(client, first).status_code == 201
    before = counts(app)
    response = api_register(client, again, first_name="Zweit")
    assert response.status_code == 409 and response.get_json()["reason"] == "duplicate"
    assert counts(app) == before


def test_the_csv_import_finds_duplicates_whatever_the_form(app, auth, client, event):
    auth.login()
    assert api_register(client, "info@münchen.de").status_code == 201
    before = counts(app)
    response = import_csv(client, ["A,B,jürgen@example.org,Attendee",
                                   "C,D,JÜRGEN@EXAMPLE.ORG,Attendee",
                                   "E,F,info@xn--mnchen-3ya.de,Attendee"])
    assert response.status_code == 422
    page = response.data.decode()
    assert "JÜRGEN@example.org appears twice in the file (first on line 2)" in page
    assert "info@münchen.de is already registered for this event" in page
    assert counts(app) == before


# -- over SMTP ------------------------------------------------------------------------------

def test_a_server_with_smtputf8_gets_every_address(app, client, event):
    server = serve_smtp(app, smtputf8=True)
    try:
        for address in ADDRESSES:
            assert api_register(client, address).status_code == 201
        report = deliver(app)
    finally:
        server.stop()
    assert len(report.sent) == 3 and not report.retrying and not report.failed
    assert [rcpt for _sender, rcpt in server.envelopes] == [[wire] for wire in
                                                            ADDRESSES.values()]
    for raw, wire in zip(server.raw, ADDRESSES.values(), strict=True):
        to = next(line for line in raw.split(b"\r\n") if line.startswith(b"To:"))
        assert to.endswith(f"<{wire}>".encode())  # UTF-8 as it is (RFC 6532), not encoded


def test_a_server_without_smtputf8_gets_an_idna_domain(app, client, event):
    server = serve_smtp(app, smtputf8=False)
    try:
        assert api_register(client, "info@münchen.de").status_code == 201
        report = deliver(app)
    finally:
        server.stop()
    assert len(report.sent) == 1
    assert server.envelopes[0][1] == ["info@xn--mnchen-3ya.de"]
    assert server.messages[0]["To"].addresses[0].addr_spec == "info@xn--mnchen-3ya.de"


@pytest.mark.parametrize("address", NEEDS_SMTPUTF8)
def test_without_smtputf8_every_door_refuses_what_it_cannot_deliver(app, client, auth, event,
                                                                    address):
    server = serve_smtp(app, smtputf8=False)
    auth.login()
    before = counts(app)
    try:
        api = api_register(client, address)
        page = register_on_page(client, email=address)
        organiser = add_person(client, app, address)
        upload = import_csv(client, ["Ada,Lovelace,ada@example.org,Attendee",
                                     f"Jürgen,Weiß,{address},Attendee"])
    finally:
        server.stop()
    assert api.status_code == 422
    assert list(api.get_json()["errors"]) == ["email"]
    message = api.get_json()["errors"]["email"][0]
    assert "cannot deliver" in message and "another e-mail address" in message
    for response in (page, organiser):
        assert response.status_code == 422
        html = response.data.decode()
        assert 'id="email-error"' in html and "cannot deliver" in html
    assert upload.status_code == 422
    assert f"{address}: Our mail server cannot deliver" in upload.data.decode()
    assert counts(app) == before  # nothing written, Ada's row included


def test_mail_to_an_address_the_server_cannot_take_fails_with_its_reason(app, client, runner,
                                                                        event):
    """Registered while the server could not be asked; it then turns out to lack SMTPUTF8:
    that message fails at once with the reason, and the next one still goes out."""
    port = free_port()  # nothing listens yet
    app.config["SUMMIT_MAIL_URL"] = f"smtp://127.0.0.1:{port}"
    assert api_register(client, "jürgen@example.org").status_code == 201
    assert api_register(client, "ada@example.org", first_name="Ada").status_code == 201
    server = SmtpServer(port, smtputf8=False).start()
    try:
        result = runner.invoke(args=["send-mail"])
    finally:
        server.stop()
    assert result.exit_code == 0, result.output
    assert ("FAILED #1 to jürgen@example.org, given up: Undeliverable: the mail server does "
            "not offer SMTPUTF8") in result.output
    assert "sent #2 to ada@example.org" in result.output
    assert "1 sent, 0 to retry, 1 failed; 0 pending" in result.output
    with app.app_context():
        failed = db.session.scalar(db.select(OutboxMessage).where(
            OutboxMessage.recipient == "jürgen@example.org"))
        assert (failed.status, failed.attempts) == ("failed", 1)
        assert "does not offer SMTPUTF8" in failed.last_error
    assert server.envelopes == [("noreply@summit.localhost", ["ada@example.org"])]


def test_the_page_keeps_the_address_when_it_is_refused(app, client, event):
    server = serve_smtp(app, smtputf8=False)
    try:
        response = register_on_page(client, email="用户@example.org")
    finally:
        server.stop()
    assert response.status_code == 422
    assert 'value="用户@example.org"' in response.data.decode()
    assert csrf_token(response)


def test_the_api_documents_internationalised_addresses(client):
    schema = client.get("/api/v1/openapi.json").get_json()["paths"][
        "/events/{slug}/registrations"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]
    assert schema["properties"]["email"]["format"] == "idn-email"
