from datetime import timedelta

from conftest import PASSWORD, csrf_token

from summit.extensions import db
from summit.models import ApiToken


def test_login_page_has_labelled_fields(client):
    page = client.get("/login")
    assert page.status_code == 200
    assert b'<label for="email">' in page.data and b'<label for="password">' in page.data


def test_organiser_logs_in_and_out(client, auth):
    response = auth.login()
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/organiser/")
    assert client.get("/organiser/").status_code == 200
    auth.logout()
    assert client.get("/organiser/").status_code == 302


def test_wrong_password_is_refused_with_a_message(client, auth):
    auth.make_user()
    page = client.get("/login")
    response = client.post("/login", data={"email": "organiser@example.org",
                                           "password": "wrong", "csrf_token": csrf_token(page)})
    assert response.status_code == 401
    assert b"Wrong e-mail or password" in response.data
    assert client.get("/organiser/").status_code == 302


def test_unknown_email_gets_the_same_message(client):
    page = client.get("/login")
    response = client.post("/login", data={"email": "nobody@example.org",
                                           "password": PASSWORD, "csrf_token": csrf_token(page)})
    assert response.status_code == 401
    assert b"Wrong e-mail or password" in response.data


def test_anonymous_is_sent_to_login(client):
    response = client.get("/organiser/")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_moderator_cannot_open_organiser_pages(client, auth):
    response = auth.login("mod@example.org", role="moderator")
    assert response.headers["Location"].endswith("/moderator/")
    assert client.get("/organiser/").status_code == 403
    assert client.get("/moderator/").status_code == 200
    assert client.get("/desk/").status_code == 403


def test_staff_opens_the_desk_only(client, auth):
    auth.login("desk@example.org", role="staff")
    assert client.get("/desk/").status_code == 200
    assert client.get("/organiser/").status_code == 403


def test_login_redirect_stays_on_site(client, auth):
    auth.make_user()
    page = client.get("/login?next=https://evil.example/")
    response = client.post("/login", data={
        "email": "organiser@example.org", "password": PASSWORD, "next": "https://evil.example/",
        "csrf_token": csrf_token(page)})
    assert response.headers["Location"].endswith("/organiser/")


def test_form_post_without_csrf_token_is_refused(app, client, auth):
    app.config["WTF_CSRF_ENABLED"] = True
    auth.make_user()
    response = client.post("/login", data={"email": "organiser@example.org",
                                           "password": PASSWORD})
    assert response.status_code == 400
    assert b"reload the page" in response.data
    assert client.get("/organiser/").status_code == 302


def test_logout_needs_csrf_token(client, auth):
    auth.login()
    assert client.post("/logout").status_code == 400
    assert client.get("/organiser/").status_code == 200


def test_login_is_rate_limited(app, app_config):
    from conftest import Auth

    from summit import create_app

    app = create_app({**app_config, "RATELIMIT_ENABLED": True})
    client = app.test_client()
    Auth(app, client).make_user()
    page = client.get("/login")
    token = csrf_token(page)
    statuses = [client.post("/login", data={"email": "organiser@example.org", "password": "x",
                                            "csrf_token": token}).status_code
                for _ in range(12)]
    assert statuses[:10] == [401] * 10
    assert statuses[-1] == 429


def test_session_cookie_is_httponly_and_samesite(client, auth):
    response = auth.login()
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_passwords_are_hashed(app, auth):
    auth.make_user()
    from summit.services.platform.users import find_by_email

    with app.app_context():
        user = find_by_email("organiser@example.org")
        assert PASSWORD not in user.password_hash and user.password_hash.startswith("scrypt")


def test_api_token_use_is_recorded_at_most_once_a_minute(app, client, auth):
    headers = auth.headers()

    def last_used():
        with app.app_context():
            return db.session.scalar(db.select(ApiToken.last_used_at))

    url = "/api/v1/events/nowhere/schedule/warnings"
    assert last_used() is None
    assert client.get(url, headers=headers).status_code == 404
    first = last_used()
    assert first is not None
    # Within the minute a request reads the token but does not write it again.
    assert client.get(url, headers=headers).status_code == 404
    assert last_used() == first
    # Once the recorded use is older than that, the next request records itself.
    with app.app_context():
        db.session.execute(db.update(ApiToken).values(last_used_at=first - timedelta(minutes=2)))
        db.session.commit()
    client.get(url, headers=headers)
    assert last_used() > first - timedelta(minutes=2)
