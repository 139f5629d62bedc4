"""A user's own account through its pages: forgotten password by mail, changing password and
e-mail, and other browsers logged out after a password change."""

import re
from unittest import mock

import pytest
from conftest import PASSWORD, csrf_token
from registration_fixtures import deliver, eml_messages, html_of, text_of

from summit.extensions import db
from summit.models import OutboxMessage, User
from summit.services.platform import accounts, users

EMAIL = "organiser@example.org"
NEW_PASSWORD = "a brand new passphrase"


def post_form(client, page_url, url=None, **data):
    page = client.get(page_url)
    return client.post(url or page_url, data={**data, "csrf_token": csrf_token(page)})


def outbox_count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage))


def ask_for_link(client, email=EMAIL):
    return post_form(client, "/login/forgot", email=email)


def link_from_mail(app) -> str:
    deliver(app)
    message = eml_messages(app)[-1]
    match = re.search(r"https?://\S+/login/reset/\S+", text_of(message))
    assert match, text_of(message)
    return match.group(0)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def log_in(client, email=EMAIL, password=PASSWORD):
    return post_form(client, "/login", email=email, password=password)


def password_of(app, email=EMAIL) -> str:
    with app.app_context():
        return users.find_by_email(email).password_hash


# -- forgot password --------------------------------------------------------------------------

def test_login_page_links_to_forgot_password(client):
    assert b'href="/login/forgot"' in client.get("/login").data


def test_forgotten_password_is_set_through_the_mailed_link(app, client, auth):
    auth.make_user()
    response = ask_for_link(client)
    assert response.status_code == 200
    assert b"Check your mail" in response.data
    url = link_from_mail(app)
    message = eml_messages(app)[-1]
    assert message["To"].addresses[0].addr_spec == EMAIL
    assert path_of(url) in html_of(message)

    page = client.get(path_of(url))
    assert page.status_code == 200 and EMAIL.encode() in page.data
    response = post_form(client, path_of(url), new_password=NEW_PASSWORD,
                         repeat_password=NEW_PASSWORD)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert log_in(client, password=PASSWORD).status_code == 401
    assert log_in(client, password=NEW_PASSWORD).status_code == 302

    # Single use: the new password spent the link.
    again = client.get(path_of(url))
    assert again.status_code == 410
    assert b"This link no longer works" in again.data and b'href="/login/forgot"' in again.data


def test_unknown_address_gets_the_same_answer_and_no_mail(app, client, auth):
    auth.make_user()
    known = ask_for_link(client, EMAIL)
    unknown = ask_for_link(client, "nobody@example.org")
    assert unknown.status_code == known.status_code == 200
    strip = lambda data, email: re.sub(rb'value="[^"]+"', b"", data).replace(  # noqa: E731
        email.encode(), b"ADDRESS")
    assert strip(unknown.data, "nobody@example.org") == strip(known.data, EMAIL)
    assert outbox_count(app) == 1


def test_unknown_address_does_the_same_composing_work(app, client):
    with mock.patch.object(accounts.mails, "password_reset",
                           wraps=accounts.mails.password_reset) as compose:
        ask_for_link(client, "nobody@example.org")
    assert compose.call_count == 1
    assert outbox_count(app) == 0


def test_invalid_address_is_shown_next_to_the_field(client):
    response = ask_for_link(client, "not an address")
    assert response.status_code == 422
    assert b'id="email-error"' in response.data


def test_inactive_account_gets_no_link(app, client, auth):
    auth.make_user()
    with app.app_context():
        users.find_by_email(EMAIL).active = False
        db.session.commit()
    assert ask_for_link(client).status_code == 200
    assert outbox_count(app) == 0


def test_expired_link_changes_nothing(app, client, auth):
    auth.make_user()
    ask_for_link(client)
    url = link_from_mail(app)
    before = password_of(app)
    with mock.patch.object(accounts, "RESET_LINK_SECONDS", -1):
        page = client.get(path_of(url))
        assert page.status_code == 410
        response = client.post(path_of(url), data={
            "new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD,
            "csrf_token": csrf_token(client.get("/login"))})
    assert response.status_code == 410
    assert password_of(app) == before


@pytest.mark.parametrize("tamper", [lambda t: t[:-2] + ("AA" if t[-2:] != "AA" else "BB"),
                                    lambda t: "x" * 400, lambda t: "garbage"])
def test_forged_link_is_refused(app, client, auth, tamper):
    auth.make_user()
    with app.app_context():
        token = accounts.reset_token(users.find_by_email(EMAIL))
    response = client.get(f"/login/reset/{tamper(token)}")
    assert response.status_code == 410
    assert b"Send me a new link" in response.data


def test_link_of_another_app_secret_is_refused(app, client, auth):
    auth.make_user()
    with app.app_context():
        user = users.find_by_email(EMAIL)
        app.config["SECRET_KEY"], secret = "another secret", app.config["SECRET_KEY"]
        token = accounts.reset_token(user)
        app.config["SECRET_KEY"] = secret
    assert client.get(f"/login/reset/{token}").status_code == 410


def test_reset_form_checks_length_and_repeat(app, client, auth):
    auth.make_user()
    ask_for_link(client)
    url = path_of(link_from_mail(app))
    before = password_of(app)
    short = post_form(client, url, new_password="short", repeat_password="short")
    assert short.status_code == 422 and b'id="new_password-error"' in short.data
    differ = post_form(client, url, new_password=NEW_PASSWORD, repeat_password=NEW_PASSWORD + "x")
    assert differ.status_code == 422 and b'id="repeat_password-error"' in differ.data
    assert password_of(app) == before
    assert client.get(url).status_code == 200  # the link still works


def test_reset_pages_in_german(app, client, auth):
    auth.make_user()
    client.post("/language/de", data={"csrf_token": csrf_token(client.get("/"))})
    assert "Passwort vergessen?" in client.get("/login").get_data(as_text=True)
    response = ask_for_link(client)
    assert "Sehen Sie in Ihrem Postfach nach" in response.get_data(as_text=True)
    link_from_mail(app)
    message = eml_messages(app)[-1]
    assert str(message["Subject"]) == "Neues Passwort für Summit festlegen"
    assert "hoffentlich Sie" in text_of(message) and "Guten Tag" in text_of(message)
    assert "Dieser Link funktioniert nicht mehr" in client.get(
        "/login/reset/garbage").get_data(as_text=True)


def test_per_address_limit(app, app_config):
    from conftest import Auth

    from summit import create_app

    app = create_app({**app_config, "RATELIMIT_ENABLED": True,
                      "SUMMIT_RESET_ADDRESS_LIMIT": "2 per hour"})
    client = app.test_client()
    Auth(app, client).make_user()
    # One address in any spelling counts once; another address has its own allowance.
    statuses = [ask_for_link(client, email).status_code
                for email in (EMAIL, EMAIL.upper(), f" {EMAIL} ")]
    assert statuses == [200, 200, 429]
    assert ask_for_link(client, "other@example.org").status_code == 200
    assert outbox_count(app) == 2


# -- the account page ----------------------------------------------------------------------------

def test_account_page_needs_login(client):
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def change_password(client, current=PASSWORD, new=NEW_PASSWORD, repeat=None):
    return post_form(client, "/account", "/account/password", current_password=current,
                     new_password=new, repeat_password=new if repeat is None else repeat)


def test_password_change_logs_out_other_browsers_only(app, auth):
    auth.make_user()
    this, other = app.test_client(), app.test_client()
    log_in(this)
    log_in(other)
    api_token = auth.token(EMAIL)
    assert other.get("/organiser/").status_code == 200

    response = change_password(this)
    assert response.status_code == 302
    assert this.get("/account").status_code == 200  # the browser that changed it stays
    assert "/login" in other.get("/organiser/").headers["Location"]
    assert this.get("/api/v1/events/x/schedule/warnings",
                    headers={"Authorization": f"Bearer {api_token}"}).status_code == 404
    assert log_in(other, password=NEW_PASSWORD).status_code == 302


def test_remember_cookie_of_the_old_password_is_refused(app, auth):
    auth.make_user()
    this, other = app.test_client(), app.test_client()
    log_in(this)
    post_form(other, "/login", email=EMAIL, password=PASSWORD, remember="y")
    other.delete_cookie("session")  # the browser was closed: only the remember cookie is left
    assert other.get("/organiser/").status_code == 200
    change_password(this)
    other.delete_cookie("session")
    assert other.get("/organiser/").status_code == 302


@pytest.mark.parametrize("current,new,repeat,field", [
    ("wrong password", NEW_PASSWORD, None, "current_password"),
    (PASSWORD, "short", None, "new_password"),
    (PASSWORD, NEW_PASSWORD, "something else", "repeat_password"),
    ("", NEW_PASSWORD, None, "current_password"),
])
def test_password_change_refused(app, client, auth, current, new, repeat, field):
    auth.login()
    before = password_of(app)
    response = change_password(client, current, new, repeat)
    assert response.status_code == 422
    assert f'id="{field}-error"'.encode() in response.data
    assert password_of(app) == before


def change_email(client, email, password=PASSWORD):
    return post_form(client, "/account", "/account/email",
                     **{"change-email": email, "change-current_password": password})


def test_email_change(app, client, auth):
    auth.login()
    response = change_email(client, "  Neue.Adresse@Example.org ")
    assert response.status_code == 302
    with app.app_context():
        assert users.find_by_email("neue.adresse@example.org").email == "Neue.Adresse@example.org"
    auth.logout()
    assert log_in(client, "neue.adresse@example.org").status_code == 302


def test_internationalised_email(app, client, auth):
    auth.login()
    assert change_email(client, "jürgen@münchen.de").status_code == 302
    with app.app_context():
        assert users.find_by_email("jürgen@münchen.de") is not None


@pytest.mark.parametrize("email,password,status,field", [
    ("OTHER@example.org", PASSWORD, 409, "change-email"),
    ("not an address", PASSWORD, 422, "change-email"),
    ("new@example.org", "wrong password", 422, "change-current_password"),
])
def test_email_change_refused(app, client, auth, email, password, status, field):
    auth.make_user("other@example.org", role="moderator")
    auth.login()
    response = change_email(client, email, password)
    assert response.status_code == status
    assert f'id="{field}-error"'.encode() in response.data
    with app.app_context():
        assert db.session.scalar(db.select(User.email).where(User.role == "organiser")) == EMAIL


def test_account_page_in_german(client, auth):
    auth.login()
    client.post("/language/de", data={"csrf_token": csrf_token(client.get("/"))})
    text = client.get("/account").get_data(as_text=True)
    assert "Ihr Konto" in text and "Passwort ändern" in text
    response = change_password(client, current="falsch")
    assert "Das ist nicht Ihr aktuelles Passwort." in response.get_data(as_text=True)
