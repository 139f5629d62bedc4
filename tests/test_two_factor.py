"""Two-factor log-in for organisers through its pages: enrol with a first code, log in with a
code or a single-use recovery code, switch it off with password and code."""

import re

import pyotp
import pytest
from conftest import PASSWORD, csrf_token

from summit.extensions import db
from summit.models import RecoveryCode
from summit.services.platform import users

EMAIL = "organiser@example.org"


def post(client, page_url, url=None, **data):
    page = client.get(page_url)
    return client.post(url or page_url, data={**data, "csrf_token": csrf_token(page)})


def enrol(client) -> tuple[str, list[str]]:
    page = client.get("/account/two-factor")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert '<svg role="img" aria-labelledby="qr-label"' in text
    secret = re.search(r"<code>([A-Z2-7]{16,})</code>", text).group(1)
    wrong = client.post("/account/two-factor", data={"code": "000000" if pyotp.TOTP(
        secret).now() != "000000" else "111111", "csrf_token": csrf_token(page)})
    assert wrong.status_code == 422 and b'id="code-error"' in wrong.data
    done = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now(),
                                                    "csrf_token": csrf_token(page)})
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def test_enrol_and_log_in_with_a_code(app, client, auth):
    auth.login()
    secret, _codes = enrol(client)
    with app.app_context():
        user = users.find_by_email(EMAIL)
        assert user.totp_secret == secret
        stored = db.session.scalars(db.select(RecoveryCode.code_hash)).all()
        assert len(stored) == 10 and all(len(h) == 64 for h in stored)  # hashed, not kept
    auth.logout()
    response = auth.login()
    assert response.headers["Location"].endswith("/login/code")
    assert client.get("/organiser/").status_code == 302  # not logged in yet
    wrong = post(client, "/login/code", code="12345")
    assert wrong.status_code == 401 and b'id="code-error"' in wrong.data
    ok = post(client, "/login/code", code=pyotp.TOTP(secret).now())
    assert ok.status_code == 302 and ok.headers["Location"].endswith("/organiser/")
    assert client.get("/organiser/").status_code == 200


def test_recovery_code_works_once(app, client, auth):
    auth.login()
    _secret, codes = enrol(client)
    auth.logout()
    auth.login()
    assert post(client, "/login/code", code=codes[0].upper()).status_code == 302
    auth.logout()
    auth.login()
    assert post(client, "/login/code", code=codes[0]).status_code == 401


def test_code_page_without_a_password_goes_to_login(client):
    assert client.get("/login/code").headers["Location"].endswith("/login")


def test_disable_needs_password_and_code(app, client, auth):
    auth.login()
    secret, _codes = enrol(client)
    bad = post(client, "/account", "/account/two-factor/disable",
               **{"tf-current_password": "wrong", "tf-code": pyotp.TOTP(secret).now()})
    assert bad.status_code == 422 and b'id="tf-current_password-error"' in bad.data
    bad = post(client, "/account", "/account/two-factor/disable",
               **{"tf-current_password": PASSWORD, "tf-code": "000"})
    assert bad.status_code == 422 and b'id="tf-code-error"' in bad.data
    with app.app_context():
        assert users.find_by_email(EMAIL).totp_secret == secret
    ok = post(client, "/account", "/account/two-factor/disable",
              **{"tf-current_password": PASSWORD, "tf-code": pyotp.TOTP(secret).now()})
    assert ok.status_code == 302
    with app.app_context():
        assert users.find_by_email(EMAIL).totp_secret is None
        assert db.session.scalar(db.select(db.func.count()).select_from(RecoveryCode)) == 0
    auth.logout()
    assert auth.login().headers["Location"].endswith("/organiser/")


@pytest.mark.parametrize("role", ["moderator", "staff"])
def test_offered_to_organisers_only(client, auth, role):
    auth.login(f"{role}@example.org", role=role)
    assert client.get("/account/two-factor").status_code == 403
    assert b"two-factor" not in client.get("/account").data


def test_pages_in_german(client, auth):
    auth.login()
    client.post("/language/de", data={"csrf_token": csrf_token(client.get("/"))})
    text = client.get("/account/two-factor").get_data(as_text=True)
    assert "Zwei-Faktor-Authentifizierung einrichten" in text
