"""The run of show in real browsers against gunicorn (two workers): one moderator presses
start and next, the co-moderator's screen and the hall display follow by themselves."""

import os

import pytest
from moderators_fixtures import *  # noqa: F401,F403
from moderators_fixtures import DEMO_PASSWORD, LAURA, NORBERT

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Chromium")


def test_both_moderators_and_the_hall_display_follow_the_buttons(demo_data, live_server):
    sync_api = pytest.importorskip("playwright.sync_api")
    sid, slug = demo_data.pitch_session_id, demo_data.slug
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        errors: list[str] = []

        def open_page(viewport, email=None):
            context = browser.new_context(viewport=viewport, locale="en-GB")
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            if email:
                page.goto(live_server.url + "/login")
                page.fill("#email", email)
                page.fill("#password", DEMO_PASSWORD)
                with page.expect_navigation():
                    page.press("#password", "Enter")
                page.goto(f"{live_server.url}/moderator/sessions/{sid}/run")
            return page

        laura = open_page({"width": 1200, "height": 900}, LAURA)
        norbert = open_page({"width": 390, "height": 844}, NORBERT)
        hall = open_page({"width": 1920, "height": 1080})
        hall.goto(f"{live_server.url}/events/{slug}/sessions/{sid}/stage")
        sync_api.expect(hall.locator(".stage-label")).to_contain_text("Starts at 11:00")

        laura.click("form[data-action=start] button")
        sync_api.expect(laura.locator("[data-field=phase_label]")).to_have_text("Pitch")
        # No reload: the other screens poll the server once a second.
        sync_api.expect(norbert.locator("[data-field=phase_label]")).to_have_text("Pitch")
        sync_api.expect(hall.locator(".stage-title")).to_have_text("Lernpaten digital")
        sync_api.expect(hall.locator(".stage-label")).to_have_text("Now on stage")
        sync_api.expect(hall.locator(".stage-next-title")).to_contain_text(
            "Solar Kiosks for Rural Markets")
        first = hall.locator(".stage-countdown").text_content()
        assert first.startswith(("5:00", "4:5"))
        hall.wait_for_timeout(2200)
        assert hall.locator(".stage-countdown").text_content() != first  # it ticks

        norbert.click("form[data-action=next] button")
        sync_api.expect(hall.locator(".stage-phase")).to_have_text("Q&A")
        sync_api.expect(laura.locator("[data-field=phase_label]")).to_have_text("Q&A")
        assert laura.locator(".stage-countdown, [data-field=countdown]").first.text_content() \
            .startswith(("3:00", "2:5"))

        laura.click("form[data-action=next] button")
        sync_api.expect(hall.locator(".stage-label")).to_have_text("Coming up")
        sync_api.expect(hall.locator(".stage-title")).to_have_text(
            "Solar Kiosks for Rural Markets")
        # Buttons act on the state the screen shows: wait until Norbert's screen has it.
        sync_api.expect(norbert.locator("[data-field=phase_label]")).to_have_text("Changeover")
        norbert.click("form[data-action=back] button")
        sync_api.expect(hall.locator(".stage-phase")).to_have_text("Q&A")
        sync_api.expect(laura.locator("[data-field=phase_label]")).to_have_text("Q&A")
        browser.close()
    assert errors == []
