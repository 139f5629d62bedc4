"""The organiser's pages that the journeys do not pass through, on a phone, where their
tables scroll sideways: each one screenshotted and axe-checked."""

import pytest
from programme_fixtures import ORGANISER_EMAIL, ORGANISER_PASSWORD

from .browser import PHONE, log_in

ORGANISER_PAGES = ["/organiser/", "programme", "programme/warnings", "programme/rooms",
                   "programme/sessions/new", "attendees", "attendees/new", "attendees/import",
                   "audit", "badges", "moderators", "now", "settings", "categories", "copy",
                   "questions", "/organiser/team", "/organiser/events/new", "/organiser/archive",
                   "/organiser/security", "votes", "call", "applications",
                   "applications/decision-mails", "applications/stage", "checkins"]


@pytest.fixture
def organiser_page(programme_demo, live_server, open_page):
    page = open_page(**PHONE)
    log_in(page, live_server.url, ORGANISER_EMAIL, ORGANISER_PASSWORD)
    return page


def test_organiser_pages_on_a_phone(organiser_page, programme_demo, live_server, checkpoint):
    event_url = f"{live_server.url}/organiser/events/{programme_demo.slug}/"
    for path in ORGANISER_PAGES:
        url = live_server.url + path if path.startswith("/") else event_url + path
        organiser_page.goto(url)
        checkpoint(organiser_page, path.strip("/").replace("/", "-") or "dashboard")
    assert organiser_page.errors == []


PUBLIC_PAGES = ["", "/programme", "/attendees", "/privacy", "/resend", "/apply"]


def test_public_pages_in_german_on_a_phone(programme_demo, live_server, open_page, checkpoint):
    page = open_page(**PHONE, locale="de-DE")
    for path in PUBLIC_PAGES:
        page.goto(f"{live_server.url}/events/{programme_demo.slug}{path}")
        assert page.locator("html").get_attribute("lang") == "de"
        checkpoint(page, "event" + path.replace("/", "-"))
    assert page.errors == []


def test_switching_language_shows_the_german_texts(programme_demo, live_server, open_page,
                                                   checkpoint):
    """English first, then the language switch: the programme shows the sessions' German
    titles, and the organiser's pitch form shows both languages side by side, axe-clean."""
    page = open_page(locale="en-GB", viewport={"width": 1200, "height": 900})
    page.goto(f"{live_server.url}/events/{programme_demo.slug}/programme")
    title = page.locator("h3", has_text="ten social entrepreneurs")
    assert title.inner_text() == "Pitch session: ten social entrepreneurs"
    page.get_by_role("button", name="DE").click()
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("link", name="Pitch-Session: zehn Social Entrepreneurs").is_visible()
    assert page.get_by_text("Pitch session: ten social entrepreneurs").count() == 0
    log_in(page, live_server.url, ORGANISER_EMAIL, ORGANISER_PASSWORD)
    session_id = programme_demo.pitch_session_id
    page.goto(f"{live_server.url}/organiser/events/{programme_demo.slug}/programme/sessions/"
              f"{session_id}/pitches/{programme_demo.pitch_ids[1]}")
    english, german = page.get_by_label("Titel (Englisch)"), page.get_by_label("Titel (Deutsch)")
    assert english.input_value() == "Solar Kiosks for Rural Markets"
    assert german.input_value() == "Solarkioske für ländliche Märkte"
    left, right = english.bounding_box(), german.bounding_box()
    assert right["x"] > left["x"] + left["width"] - 1  # side by side on a desktop
    checkpoint(page, "pitch-form-bilingual-desktop")
    page.set_viewport_size({"width": 360, "height": 800})
    left, right = english.bounding_box(), german.bounding_box()
    assert right["y"] > left["y"]  # stacked on a phone
    checkpoint(page, "pitch-form-bilingual-phone")
    assert page.errors == []


def test_speaker_view_report_and_session_page_of_a_run_session(app, organiser_page,
                                                              programme_demo, live_server,
                                                              open_page, checkpoint):
    """The speaker view (warning colours, a message, German), the planned-vs-actual report
    of a running session and the session page with its speaker-view card, axe-checked."""
    from datetime import timedelta

    from summit.extensions import db
    from summit.models import EventSession, utcnow
    from summit.services.live import run_of_show, speaker, stage_messages

    sid = programme_demo.pitch_session_id
    with app.app_context():
        session = db.session.get(EventSession, sid)
        token = speaker.renew_token(session, actor=None)
        run_of_show.start(session, now=utcnow() - timedelta(seconds=250))
        stage_messages.send(session, "Noch eine Frage 🙋", actor=None)
    for viewport in ({"width": 1024, "height": 768}, {"width": 768, "height": 1024}):
        tablet = open_page(viewport=viewport, locale="de-DE")
        tablet.goto(f"{live_server.url}/stage/{token}")
        checkpoint(tablet, f"speaker-{viewport['width']}")
        assert tablet.errors == []
    organiser_page.goto(f"{live_server.url}/moderator/sessions/{sid}/report")
    checkpoint(organiser_page, "report")
    organiser_page.goto(f"{live_server.url}/moderator/sessions/{sid}/run")
    checkpoint(organiser_page, "run-with-controls")
    organiser_page.goto(f"{live_server.url}/organiser/events/{programme_demo.slug}"
                        f"/programme/sessions/{sid}")
    checkpoint(organiser_page, "session-with-speaker-link")
    assert organiser_page.errors == []
