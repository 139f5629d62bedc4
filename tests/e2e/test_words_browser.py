"""Words people read on the event day, in a real browser: the German audit log as sentences,
the hand assignment that says who moves to co-moderator, British dates, "Einloggen"."""

import re

from playwright.sync_api import expect
from programme_fixtures import ORGANISER_EMAIL, ORGANISER_PASSWORD
from test_audit_log import record_every_action

from .browser import log_in


def test_german_organiser_reads_the_log_and_assigns_a_lead(app, programme_demo, live_server,
                                                           open_page, checkpoint):
    record_every_action(app)
    page = open_page(locale="de-DE")
    page.goto(f"{live_server.url}/login")
    expect(page.get_by_role("heading", name="Einloggen")).to_be_visible()
    log_in(page, live_server.url, ORGANISER_EMAIL, ORGANISER_PASSWORD)

    page.goto(f"{live_server.url}/organiser/events/{programme_demo.slug}/audit")
    table = page.locator("table.audit-table")
    expect(table).to_contain_text("Demo Organiser hat die Pitches in der Session "
                                  "„Pitch-Session II“ in diese Reihenfolge gebracht")
    expect(table).to_contain_text("in einer gelöschten Session")
    # No internal key such as "pitches.reordered"; e-mail addresses (team invitations) and
    # the imported file's name are words people wrote, not keys.
    readable = re.sub(r"\S+@\S+", "", table.inner_text()).replace("nachmeldungen.csv", "")
    assert not re.search(r"\b[a-z]+\.[a-z_]+\b", readable)
    checkpoint(page, "audit-de")

    page.goto(f"{live_server.url}/organiser/events/{programme_demo.slug}/moderators")
    form = page.locator(f"#session-{programme_demo.pitch_session_id} form.form-row")
    expect(form.get_by_label("Rolle")).to_have_value("")  # the person's current role
    form.get_by_label("Moderator*in").select_option(label="Norbert Kunz")
    form.get_by_label("Rolle").select_option(label="Hauptmoderation")
    form.get_by_role("button", name="Zuteilen").click()
    expect(page.locator(".flash-success")).to_contain_text(
        "Norbert Kunz übernimmt jetzt die Hauptmoderation von „Pitch-Session: zehn Social "
        "Entrepreneurs“. Laura Haverkamp wechselt in die Co-Moderation.")
    checkpoint(page, "moderators-assigned-de")
    assert page.errors == []


def test_british_english_reads_day_month_and_24_hours(programme_demo, live_server, open_page,
                                                      checkpoint):
    page = open_page(locale="en-GB")
    page.goto(f"{live_server.url}/events/{programme_demo.slug}/programme")
    expect(page.locator("main")).to_contain_text("10–11 September 2014")
    expect(page.locator("main")).to_contain_text("15:30")
    checkpoint(page, "programme-en-gb")
    assert page.errors == []
