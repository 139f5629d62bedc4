"""An organiser can require two-factor log-in for every organiser account of the installation:
only an organiser who has it may switch it on; while it is on, an organiser without it reaches
only the set-up page (and log-out) and nobody can switch their own off; both ways are audited."""

import pyotp
from conftest import PASSWORD, csrf_token
from test_two_factor import enrol, post

from summit.extensions import db
from summit.models import AuditEntry
from summit.services.platform import security, users

SECURITY = "/organiser/security"


def require(client, on: bool):
    data = {"require_two_factor": "y"} if on else {}
    return post(client, SECURITY, **data)


def test_only_an_organiser_with_two_factor_may_require_it(app, client, auth):
    auth.login()
    page = client.get(SECURITY)
    assert page.status_code == 200 and b"Require two-factor log-in" in page.data
    refused = require(client, True)
    assert refused.status_code == 422
    assert b"Set up two-factor log-in for your own account first" in refused.data
    with app.app_context():
        assert security.two_factor_required() is False
        assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)) == 0

    enrol(client)
    assert require(client, True).status_code == 302
    assert require(client, True).status_code == 302  # a double submit changes nothing
    assert require(client, False).status_code == 302
    with app.app_context():
        entries = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [(e.action, e.details["required"]) for e in entries] == [
            ("security.two_factor_required", True), ("security.two_factor_required", False)]
        assert security.two_factor_required() is False


def test_an_organiser_without_it_is_sent_to_the_set_up_and_nowhere_else(app, client, auth):
    auth.login()
    secret, _codes = enrol(client)
    assert require(client, True).status_code == 302
    # Their own second factor cannot be switched off while it is required.
    refused = post(client, "/account", "/account/two-factor/disable",
                   **{"tf-current_password": PASSWORD, "tf-code": pyotp.TOTP(secret).now()})
    assert refused.status_code == 422 and b"cannot be switched off" in refused.data
    auth.logout()

    other = "zweite.organisatorin@example.org"
    response = auth.login(other)
    assert response.status_code == 302
    for path in ("/organiser/", response.headers["Location"], "/account", "/organiser/team",
                 "/organiser/security"):
        answer = client.get(path)
        assert answer.status_code == 302 and answer.headers["Location"].endswith(
            "/account/two-factor"), path
    setup = client.get("/account/two-factor")
    assert setup.status_code == 200 and b"required for every organiser" in setup.data
    enrol(client)
    assert client.get("/organiser/").status_code == 200

    # Moderators are not affected; log-out always works.
    auth.logout()
    home = auth.login("mod@example.org", role="moderator").headers["Location"]
    assert client.get(home).status_code == 200
    page = client.get("/")
    assert client.post("/logout", data={"csrf_token": csrf_token(page)}).status_code == 302


def test_the_api_and_public_pages_are_not_blocked(app, client, auth):
    auth.login()
    enrol(client)
    require(client, True)
    auth.logout()
    auth.login("ohne@example.org")
    assert client.get("/").headers.get("Location", "").endswith("/account/two-factor")
    headers = auth.headers()
    assert client.get("/api/v1/events", headers=headers).status_code == 200
    with app.app_context():
        assert users.find_by_email("ohne@example.org").totp_secret is None
