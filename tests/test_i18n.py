from datetime import UTC, date, datetime

import pytest
from conftest import csrf_token


def test_english_by_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html and "Log in" in html


def test_browser_preference_gives_german(client):
    html = client.get("/login", headers={"Accept-Language": "de-DE,de;q=0.9"}).get_data(
        as_text=True)
    # Log-in is "Einloggen": "Anmelden" and "Anmeldung" mean registering for the event.
    assert '<html lang="de">' in html and "Einloggen" in html and "Passwort" in html
    assert "Anmelden" not in html


def test_language_switch_is_remembered(client):
    page = client.get("/login")
    response = client.post("/language/de", data={"csrf_token": csrf_token(page),
                                                 "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    # The browser still asks for English, the choice wins.
    html = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Einloggen" in html
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
            assert gettext("Log in") == "Einloggen"


# --- English as Britain and the United States write dates ----------------------------------


@pytest.fixture
def session_at_half_past_two(app, make_event):
    """A session on 10 September 2014, 14:30–15:30 in Berlin; returns its public page."""
    from summit.extensions import db
    from summit.models import Event, EventSession

    make_event(slug="summit-2014", starts_on=date(2014, 9, 10), ends_on=date(2014, 9, 11))
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == "summit-2014"))
        session = EventSession(event=event, title="Pitch-Session I", kind="pitch",
                               starts_at=datetime(2014, 9, 10, 12, 30, tzinfo=UTC),
                               ends_at=datetime(2014, 9, 10, 13, 30, tzinfo=UTC))
        db.session.add(session)
        db.session.commit()
        return f"/events/summit-2014/sessions/{session.id}"


def _page(client, url, accept_language):
    response = client.get(url, headers={"Accept-Language": accept_language})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_british_english_gets_day_month_dates_and_24_hour_times(client,
                                                                 session_at_half_past_two):
    html = _page(client, session_at_half_past_two, "en-GB,en;q=0.8")
    assert '<html lang="en">' in html and "Programme" in html  # still the English text
    assert "10 September 2014" in html and "14:30" in html
    assert "September 10" not in html and "PM" not in html
    agenda = _page(client, "/events/summit-2014/programme", "en-GB,en;q=0.8")
    assert "10–11 September 2014" in agenda and "14:30" in agenda


def test_american_english_keeps_month_day_dates_and_12_hour_times(client,
                                                                   session_at_half_past_two):
    for accept in ("en-US,en;q=0.8", "en"):
        html = _page(client, session_at_half_past_two, accept)
        assert "September 10, 2014" in html and "2:30\u202fPM" in html
        assert "14:30" not in html
    agenda = _page(client, "/events/summit-2014/programme", "en-US")
    assert "September 10–11, 2014" in agenda


def test_german_regions_keep_german_text_and_dates(client, session_at_half_past_two):
    html = _page(client, session_at_half_past_two, "de-AT,de;q=0.9")
    assert '<html lang="de">' in html and "10. September 2014" in html and "14:30" in html


def test_switching_to_english_keeps_the_browsers_region(client, session_at_half_past_two):
    page = client.get("/login", headers={"Accept-Language": "en-GB,de;q=0.5"})
    client.post("/language/de", data={"csrf_token": csrf_token(page)})
    assert "10. September 2014" in _page(client, session_at_half_past_two, "en-GB,de;q=0.5")
    page = client.get("/login")
    client.post("/language/en", data={"csrf_token": csrf_token(page)})
    html = _page(client, session_at_half_past_two, "en-GB,de;q=0.5")
    assert '<html lang="en">' in html and "10 September 2014" in html and "14:30" in html
    # A German browser that switches to English gets English as Babel's "en" writes it.
    html = _page(client, session_at_half_past_two, "de-DE,de;q=0.9")
    assert '<html lang="en">' in html and "September 10, 2014" in html


def test_unknown_region_falls_back_to_the_language(client, session_at_half_past_two):
    html = _page(client, session_at_half_past_two, "en-XX,en;q=0.8")
    assert "September 10, 2014" in html
