"""The run of show in real browsers against gunicorn (two workers): one moderator presses
start and next, the co-moderator's screen and the hall display follow by themselves."""

from moderators_fixtures import *  # noqa: F401,F403
from moderators_fixtures import DEMO_PASSWORD, LAURA, NORBERT

from .browser import expect, log_in


def test_both_moderators_and_the_hall_display_follow_the_buttons(demo_data, live_server,
                                                                 open_page):
    sid, slug = demo_data.pitch_session_id, demo_data.slug
    run_url = f"{live_server.url}/moderator/sessions/{sid}/run"

    def moderator_page(viewport, email):
        page = open_page(viewport=viewport)
        log_in(page, live_server.url, email, DEMO_PASSWORD)
        page.goto(run_url)
        return page

    laura = moderator_page({"width": 1200, "height": 900}, LAURA)
    norbert = moderator_page({"width": 390, "height": 844}, NORBERT)
    hall = open_page(viewport={"width": 1920, "height": 1080})
    hall.goto(f"{live_server.url}/events/{slug}/sessions/{sid}/stage")
    expect(hall.locator(".stage-label")).to_contain_text("Starts at 11:00")

    laura.click("form[data-action=start] button")
    expect(laura.locator("[data-field=phase_label]")).to_have_text("Pitch")
    # No reload: the other screens poll the server once a second.
    expect(norbert.locator("[data-field=phase_label]")).to_have_text("Pitch")
    expect(hall.locator(".stage-title")).to_have_text("Lernpaten digital")
    expect(hall.locator(".stage-label")).to_have_text("Now on stage")
    expect(hall.locator(".stage-next-title")).to_contain_text("Solar Kiosks for Rural Markets")
    first = hall.locator(".stage-countdown").text_content()
    assert first.startswith(("5:00", "4:5"))
    expect(hall.locator(".stage-countdown")).not_to_have_text(first)  # it ticks

    norbert.click("form[data-action=next] button")
    expect(hall.locator(".stage-phase")).to_have_text("Q&A")
    expect(laura.locator("[data-field=phase_label]")).to_have_text("Q&A")
    assert laura.locator(".stage-countdown, [data-field=countdown]").first.text_content() \
        .startswith(("3:00", "2:5"))

    laura.click("form[data-action=next] button")
    expect(hall.locator(".stage-label")).to_have_text("Coming up")
    expect(hall.locator(".stage-title")).to_have_text("Solar Kiosks for Rural Markets")
    # Buttons act on the state the screen shows: wait until Norbert's screen has it.
    expect(norbert.locator("[data-field=phase_label]")).to_have_text("Changeover")
    norbert.click("form[data-action=back] button")
    expect(hall.locator(".stage-phase")).to_have_text("Q&A")
    expect(laura.locator("[data-field=phase_label]")).to_have_text("Q&A")
    assert laura.errors + norbert.errors + hall.errors == []
