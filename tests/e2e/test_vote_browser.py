"""The audience vote in a real browser: a person is checked in at the desk, the moderator
opens the vote on the run page, the person votes from a phone by typing their badge code,
the hall display counts the votes (never the standings), and after the reveal shows the bars
and the winner."""

from playwright.sync_api import expect
from programme_fixtures import ORGANISER_EMAIL, ORGANISER_PASSWORD

from summit.extensions import db
from summit.models import Pitch, Registration, localised
from summit.services.registrations import codes

from .browser import PHONE, log_in


def _guest(app, slug) -> str:
    with app.app_context():
        from summit.models import Category, Event

        event = db.session.scalar(db.select(Event).where(Event.slug == slug))
        category = db.session.scalar(db.select(Category).where(Category.event_id == event.id))
        registration = Registration(
            event=event, category=category, status="confirmed", first_name="Zoë",
            last_name="Wähler-李", email="zoe.waehler@example.org",
            email_normalised="zoe.waehler@example.org", manage_token=codes.new_manage_token(),
            checkin_code=codes.new_checkin_code())
        db.session.add(registration)
        db.session.commit()
        return registration.checkin_code


def test_check_in_open_vote_on_a_phone_reveal_on_the_hall_display(
        app, programme_demo, live_server, open_page, checkpoint):
    slug, session_id = programme_demo.slug, programme_demo.pitch_session_id
    code = _guest(app, slug)
    with app.app_context():
        # The phone reads German: the pitches' German titles.
        first = localised(db.session.get(Pitch, programme_demo.pitch_ids[0]), "title", "de")
        second = localised(db.session.get(Pitch, programme_demo.pitch_ids[1]), "title", "de")

    # The desk checks the person in by their badge code.
    staff = open_page()
    log_in(staff, live_server.url, ORGANISER_EMAIL, ORGANISER_PASSWORD)
    staff.goto(f"{live_server.url}/desk/{slug}")
    staff.fill("input[name=code]", codes.grouped(code))
    staff.press("input[name=code]", "Enter")
    staff.wait_for_selector("#desk-answer [data-result=checked_in]")

    # The organiser takes the first pitch off the ballot while the vote is still closed.
    staff.goto(f"{live_server.url}/organiser/events/{slug}/votes/{session_id}")
    staff.uncheck(f"#ballot-{programme_demo.pitch_ids[0]}")
    staff.click("text=Save ballot")
    staff.wait_for_selector("text=The ballot is saved.")
    assert not staff.is_checked(f"#ballot-{programme_demo.pitch_ids[0]}")
    checkpoint(staff, "vote-ballot-saved")

    # The moderator (here the organiser) opens the vote from the run of show.
    staff.goto(f"{live_server.url}/moderator/sessions/{session_id}/run")
    staff.click("text=Open the vote")
    staff.wait_for_selector("text=Voting is open.")

    # The hall display shows the QR code and counts.
    hall = open_page(viewport={"width": 1920, "height": 1080})
    hall.goto(f"{live_server.url}/events/{slug}/sessions/{session_id}/stage")
    assert hall.is_visible(".stage-vote-qr svg")
    assert hall.inner_text("[data-vote-total]") == "0"

    # A phone: the vote page from the QR code, the code typed as printed (lower case).
    phone = open_page(**PHONE, locale="de-DE")
    phone.goto(f"{live_server.url}/events/{slug}/sessions/{session_id}/vote")
    checkpoint(phone, "vote-page-open-de")
    assert first not in phone.inner_text("#ballot-form") and second in phone.inner_text("main")
    phone.fill("input[name=code]", codes.grouped(code).lower())
    phone.check(f"input[name=pitch_id][value='{programme_demo.pitch_ids[1]}']")
    phone.click("button.vote-submit")
    phone.wait_for_selector(".vote-ok")
    assert "Ihre Stimme ist gezählt" in phone.inner_text(".vote-ok")
    checkpoint(phone, "vote-counted-de")
    # The same again: changed, not counted twice.
    phone.fill("input[name=code]", code)
    phone.check(f"input[name=pitch_id][value='{programme_demo.pitch_ids[1]}']")
    phone.click("button.vote-submit")
    phone.wait_for_selector(".vote-ok")
    assert "geändert" in phone.inner_text(".vote-ok")

    # The hall display's poll counts the vote, without standings.
    expect(hall.locator("[data-vote-total]")).to_have_text("1", timeout=15_000)
    assert hall.is_hidden(".stage-vote-result")
    checkpoint(hall, "hall-display-open")

    # Close and reveal; the hall display shows the bars and the winner.
    staff.click("text=Close the vote")
    staff.wait_for_selector("text=Reveal the result")
    staff.click("text=Reveal the result")
    staff.wait_for_selector("text=Hide the result")
    checkpoint(staff, "run-page-vote-revealed")
    hall.wait_for_selector(".stage-vote-result:not([hidden])", timeout=20_000)
    winner = hall.inner_text(".stage-vote-bar.is-winner")
    assert second in winner and "Winner" in winner
    assert first not in hall.inner_text(".stage-vote-result")
    checkpoint(hall, "hall-display-revealed")

    # After the close, the phone is told so.
    phone.goto(f"{live_server.url}/events/{slug}/sessions/{session_id}/vote")
    assert "Ergebnis" in phone.inner_text("main")

    # The organiser's results page: counts, turnout, both awards.
    staff.goto(f"{live_server.url}/organiser/events/{slug}/votes/{session_id}")
    assert "Audience award" in staff.inner_text("main")
    checkpoint(staff, "vote-results")
    narrow = open_page(viewport={"width": 360, "height": 800})
    log_in(narrow, live_server.url, ORGANISER_EMAIL, ORGANISER_PASSWORD)
    narrow.goto(f"{live_server.url}/organiser/events/{slug}/votes/{session_id}")
    checkpoint(narrow, "vote-results-phone")
    assert phone.errors == [] and hall.errors == [] and staff.errors == [] == narrow.errors
