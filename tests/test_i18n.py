from datetime import UTC, datetime

from conftest import csrf_token


def test_english_by_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html and "Log in" in html


def test_browser_preference_gives_german(client):
    html = client.get("/login", headers={"Accept-Language": "de-DE,de;q=0.9"}).get_data(
        as_text=True)
    assert '<html lang="de">' in html and "Anmelden" in html and "Passwort" in html


def test_language_switch_is_remembered(client):
    page = client.get("/login")
    response = client.post("/language/de", data={"csrf_token": csrf_token(page),
                                                 "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    # The browser still asks for English, the choice wins.
    html = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Anmelden" in html
    page = client.get("/login")
    client.post("/language/en", data={"csrf_token": csrf_token(page)})
    assert "Log in" in client.get("/login").get_data(as_text=True)


def test_unknown_language_is_ignored(client):
    page = client.get("/login")
    client.post("/language/xx", data={"csrf_token": csrf_token(page)})
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)


def test_dates_and_times_per_locale_in_event_timezone(app):
    from summit import i18n

    moment = datetime(2014, 9, 10, 7, 30, tzinfo=UTC)  # 09:30 in Berlin (summer time)
    with app.test_request_context(headers={"Accept-Language": "de"}):
        assert i18n.format_time(moment, "Europe/Berlin") == "09:30"
        assert i18n.format_date(moment, "Europe/Berlin") == "10. September 2014"
        assert i18n.format_date_range(datetime(2014, 9, 10).date(),
                                      datetime(2014, 9, 11).date()) == "10.–11. September 2014"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert i18n.format_time(moment, "Europe/Berlin") == "9:30\u202fAM"
        assert i18n.format_date(moment, "America/New_York") == "September 10, 2014"
        assert i18n.format_date_range(datetime(2014, 9, 10).date(),
                                      datetime(2014, 9, 11).date()) == "September 10–11, 2014"


def test_error_pages_in_german(client):
    html = client.get("/nope", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Diese Seite gibt es nicht" in html


def test_api_errors_in_german(client):
    body = client.post("/api/v1/events", json={}, headers={"Accept-Language": "de"}).get_json()
    assert "API-Token" in body["error"]["message"]


def test_translations_work_outside_a_request(app):
    from flask_babel import force_locale, gettext

    with app.app_context():
        assert gettext("Log in") == "Log in"
        with force_locale("de"):
            assert gettext("Log in") == "Anmelden"
