"""Four journeys through the demo in Chromium, one per kind of user: every page they see is
screenshotted and axe-checked (`checkpoint`), every download is opened as what it claims
to be."""

import re

import icalendar
from badges_fixtures import read_pdf
from programme_fixtures import ORGANISER_EMAIL, ORGANISER_PASSWORD

from summit.extensions import db
from summit.models import Category, Registration
from summit.services.platform import demo

from .browser import PHONE, expect, log_in

MODERATOR_EMAIL, MODERATOR_PASSWORD = demo.MODERATORS[0][:2]
DESK_EMAIL, DESK_PASSWORD = demo.DESK[:2]


def download(page, click_target, tmp_path) -> tuple[str, bytes]:
    """Click what starts a download; (suggested file name, content)."""
    with page.expect_download() as started:
        click_target.click()
    saved = tmp_path / started.value.suggested_filename
    started.value.save_as(saved)
    return saved.name, saved.read_bytes()


def checkin_codes(app, *, email=None, category=None) -> dict[str, str]:
    """Full name -> check-in code of the confirmed registrations asked for."""
    with app.app_context():
        query = db.select(Registration).where(Registration.status == "confirmed")
        if email:
            query = query.where(Registration.email_normalised == email.lower())
        if category:
            query = query.join(Category).where(Category.name == category)
        return {r.full_name: r.checkin_code
                for r in db.session.scalars(query.order_by(Registration.id))}


def test_attendee_registers_in_german_on_a_phone_and_cancels(programme_demo, live_server,
                                                             open_page, checkpoint, mailbox,
                                                             app, tmp_path):
    address = "zoe.oersted@example.org"
    page = open_page(locale="de-DE", **PHONE)
    page.goto(f"{live_server.url}/events/{programme_demo.slug}")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    checkpoint(page, "event")

    page.get_by_role("link", name="Jetzt registrieren").click()
    page.get_by_role("button", name="Registrieren").click()  # empty: the errors come first
    expect(page.locator(".form-summary")).to_be_visible()
    checkpoint(page, "form-errors")
    # Chromium logs the refusal (422) as an error; it is the one expected here.
    assert [error for error in page.errors if "422" not in error] == []
    page.errors.clear()
    page.get_by_label("Vorname").fill("Zoë")
    page.get_by_label("Nachname").fill("Ørsted")
    page.get_by_label("E-Mail", exact=False).first.fill(address)
    page.get_by_label("Ich bin einverstanden").check()
    expect(page.get_by_label("Bevorzugte Sprache")).to_have_value("de")
    checkpoint(page, "form-filled")
    page.get_by_role("button", name="Registrieren").click()
    expect(page.locator(".flash-success")).to_contain_text("Ihr Platz ist bestätigt")
    checkpoint(page, "registered")

    manage_url = mailbox.link_in_last_mail_to(address, r"/r/[^/\s]+$")
    assert "Guten Tag Zoë Ørsted," in mailbox.messages_to(address)[-1].get_body(
        preferencelist=("plain",)).get_content()
    page.goto(manage_url)
    expect(page.get_by_role("heading", name="Ihre Anmeldung", exact=True)).to_be_visible()
    checkpoint(page, "manage-page")

    name, badge = download(page, page.get_by_role("link", name="Namensschild (PDF)"), tmp_path)
    assert name.endswith(".pdf") and badge.startswith(b"%PDF-")
    [badge_page] = read_pdf(badge)
    assert badge_page.codes == list(checkin_codes(app, email=address).values())
    assert "Zoë Ørsted" in badge_page.text
    name, ics = download(page, page.get_by_role("link", name="In den Kalender"), tmp_path)
    assert name.endswith(".ics")
    events = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert any("Vision Summit 2014" in str(event["SUMMARY"]) for event in events)

    page.get_by_role("link", name="Meine Anmeldung stornieren").click()
    expect(page.get_by_role("button", name="Ja, Anmeldung stornieren")).to_be_visible()
    checkpoint(page, "cancel-confirmation")
    page.get_by_role("button", name="Ja, Anmeldung stornieren").click()
    expect(page.locator(".flash-info")).to_contain_text("Ihre Anmeldung ist storniert")
    expect(page.locator(".status-cancelled")).to_have_text("Storniert")
    checkpoint(page, "cancelled")
    assert checkin_codes(app, email=address) == {}
    assert page.errors == []


def test_organiser_builds_the_pitch_session_and_prints_badges(programme_demo, live_server,
                                                              open_page, checkpoint, app,
                                                              tmp_path):
    page = open_page(viewport={"width": 1280, "height": 1400})
    log_in(page, live_server.url, ORGANISER_EMAIL, ORGANISER_PASSWORD)
    page.goto(live_server.url + programme_demo.editor_url())
    checkpoint(page, "pitch-session")

    page.get_by_role("link", name="Add pitch").click()
    page.get_by_label("Title (English)").fill("Mobile Repair Cafés")
    page.get_by_role("textbox", name="Presenter", exact=True).fill("Ada Łęcka")
    page.get_by_label("Organisation").fill("Reparatur Kollektiv")
    checkpoint(page, "new-pitch")
    page.get_by_role("button", name="Add pitch").click()
    rows = page.locator("[data-pitch-id]")
    expect(rows).to_have_count(11)
    expect(rows.last).to_contain_text("Mobile Repair Cafés")
    expect(rows.last.locator("[data-starts]")).to_have_text(re.compile("^12:30"))
    checkpoint(page, "pitch-added")

    # Drag the new pitch to the top: it starts the session, every other one moves down.
    rows.last.locator(".drag-handle").drag_to(rows.first, target_position={"x": 40, "y": 4})
    expect(page.locator("[data-order-status]")).to_have_text(
        "New order saved; the times follow it.")
    expect(rows.first).to_contain_text("Mobile Repair Cafés")
    expect(rows.first.locator("[data-starts]")).to_have_text(re.compile("^11:00"))
    expect(rows.nth(1)).to_contain_text("Lernpaten digital")
    expect(rows.nth(1).locator("[data-starts]")).to_have_text(re.compile("^11:09"))
    checkpoint(page, "reordered")
    page.reload()
    expect(rows.first).to_contain_text("Mobile Repair Cafés")

    page.get_by_role("link", name="Assign moderators").click()
    page.get_by_role("button", name="Assign automatically").click()
    expect(page.locator("#summary-title")).to_have_text("Result of the automatic assignment")
    expect(page.locator("#summary")).to_contain_text("Fully staffed: 8 of 8 sessions.")
    checkpoint(page, "moderators-assigned")

    page.goto(f"{live_server.url}/organiser/events/{programme_demo.slug}/badges")
    page.select_option("select[name=category]", label="Social Entrepreneur")
    checkpoint(page, "badges")
    name, pdf = download(page, page.get_by_role("button", name="Print badges (PDF)"), tmp_path)
    assert name.endswith(".pdf")
    printed = {code for badge_page in read_pdf(pdf) for code in badge_page.codes}
    assert printed == set(checkin_codes(app, category="Social Entrepreneur").values())
    expect(page.locator(".flash-success")).to_contain_text("Printed 10 badges")
    checkpoint(page, "badges-printed")
    assert page.errors == []


def test_moderator_runs_the_pitch_session_and_the_hall_display_follows(
        programme_demo, live_server, open_page, checkpoint):
    session_id = programme_demo.pitch_session_id
    moderator = open_page()
    log_in(moderator, live_server.url, MODERATOR_EMAIL, MODERATOR_PASSWORD)
    moderator.get_by_role("link", name="Moderation").click()
    checkpoint(moderator, "my-sessions")
    moderator.goto(f"{live_server.url}/moderator/sessions/{session_id}/run")
    checkpoint(moderator, "run-before-start")
    hall = open_page(viewport={"width": 1920, "height": 1080})
    hall.goto(f"{live_server.url}/events/{programme_demo.slug}/sessions/{session_id}/stage")
    expect(hall.locator(".stage-label")).to_contain_text("Starts at 11:00")
    checkpoint(hall, "hall-before-start")

    moderator.click("form[data-action=start] button")
    expect(moderator.locator("[data-field=phase_label]")).to_have_text("Pitch")
    timer = moderator.locator("[data-field=countdown]").first
    expect(timer).to_have_text(re.compile(r"^[45]:\d\d$"))
    expect(timer).not_to_have_text(timer.text_content())  # the timer runs
    checkpoint(moderator, "run-pitch")
    # The hall display polls the server: it follows within a few seconds, without a reload.
    expect(hall.locator(".stage-title")).to_have_text("Lernpaten digital", timeout=5000)
    expect(hall.locator(".stage-label")).to_have_text("Now on stage", timeout=5000)
    checkpoint(hall, "hall-pitch")

    moderator.click("form[data-action=next] button")
    expect(moderator.locator("[data-field=phase_label]")).to_have_text("Q&A")
    checkpoint(moderator, "run-qa")
    expect(hall.locator(".stage-phase")).to_have_text("Q&A", timeout=5000)
    checkpoint(hall, "hall-qa")
    assert moderator.errors + hall.errors == []


def test_desk_checks_in_by_scanner_and_by_name(programme_demo, live_server, open_page,
                                               checkpoint, app):
    (scanned, code), (walk_in, _code) = list(checkin_codes(app, category="Attendee").items())[:2]
    page = open_page(viewport={"width": 1366, "height": 768})
    log_in(page, live_server.url, DESK_EMAIL, DESK_PASSWORD)
    page.get_by_role("link", name="Check-in").click()
    page.get_by_role("link", name="Vision Summit 2014").click()
    scanner = page.get_by_label("Badge code")
    expect(scanner).to_be_focused()
    checkpoint(page, "desk")

    # A handheld scanner is a keyboard: it types the code and presses Enter.
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    answer = page.locator("#desk-answer")
    expect(answer.locator("[data-result=checked_in]")).to_contain_text(scanned)
    expect(scanner).to_be_focused()
    expect(scanner).to_have_value("")
    checkpoint(page, "checked-in")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    expect(answer.locator("[data-result=already_checked_in]")).to_contain_text(
        "Already checked in at")
    checkpoint(page, "already-checked-in")

    page.get_by_label("Find a person without a badge").fill(walk_in)
    page.get_by_role("button", name="Search", exact=True).click()
    result = page.locator(".search-result", has_text=walk_in).first
    checkpoint(page, "found-by-name")
    result.get_by_role("button", name="Check in").click()
    expect(answer.locator("[data-result=checked_in]")).to_contain_text(walk_in)
    checkpoint(page, "checked-in-by-name")
    assert page.errors == []
