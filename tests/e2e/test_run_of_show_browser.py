"""The run of show in real browsers against gunicorn (two workers): one moderator presses
start and next, the co-moderator's screen and the hall display follow by themselves; "End"
asks first and a resume brings the hall display back; the organiser changes the running
order of a live session and the pitch on stage stays on stage."""

from moderators_fixtures import *  # noqa: F401,F403
from moderators_fixtures import DEMO_PASSWORD, LAURA, NORBERT, ORGANISER

from .browser import PHONE, expect, log_in


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
    expect(hall.locator(".stage-next-title")).to_contain_text("Solarkioske für ländliche Märkte")
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
    expect(hall.locator(".stage-title")).to_have_text("Solarkioske für ländliche Märkte")
    # Buttons act on the state the screen shows: wait until Norbert's screen has it.
    expect(norbert.locator("[data-field=phase_label]")).to_have_text("Changeover")
    norbert.click("form[data-action=back] button")
    expect(hall.locator(".stage-phase")).to_have_text("Q&A")
    expect(laura.locator("[data-field=phase_label]")).to_have_text("Q&A")
    assert laura.errors + norbert.errors + hall.errors == []


def test_end_asks_first_and_the_hall_display_follows_a_resume(demo_data, live_server,
                                                             open_page, checkpoint,
                                                             screenshot):
    sid, slug = demo_data.pitch_session_id, demo_data.slug
    state_url = f"/moderator/sessions/{sid}/state.json"
    laura = open_page(**PHONE)  # where a double tap happens
    log_in(laura, live_server.url, LAURA, DEMO_PASSWORD)
    laura.goto(f"{live_server.url}/moderator/sessions/{sid}/run")
    hall = open_page(viewport={"width": 1920, "height": 1080})
    hall.goto(f"{live_server.url}/events/{slug}/sessions/{sid}/stage")
    laura.click("form[data-action=start] button")
    expect(hall.locator(".stage-title")).to_have_text("Lernpaten digital")
    screenshot(laura, "running")

    # From the keyboard: the question opens with the focus on Cancel; Enter keeps it running.
    end = laura.locator("a.ros-end")
    end.focus()
    laura.keyboard.press("Enter")
    dialog = laura.locator("#end-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    checkpoint(laura, "end-question")
    laura.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    end.focus()
    laura.keyboard.press("Enter")
    laura.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    state = laura.evaluate(f"fetch('{state_url}').then(r => r.json())")
    assert (state["state"], state["version"]) == ("running", 1)
    expect(hall.locator(".stage-label")).to_have_text("Now on stage")

    end.click()
    dialog.get_by_role("button", name="End the session").click()
    expect(hall.locator(".stage-label")).to_have_text("Thank you!")
    expect(dialog).to_be_hidden()
    resume = laura.locator("form[data-action=undo] button")
    expect(resume).to_have_text("Resume the session")
    expect(resume).to_be_focused()
    expect(laura.locator("[data-field=undo_until]")).to_contain_text("possible until")
    expect(end).to_be_hidden()
    checkpoint(laura, "ended")
    screenshot(hall, "hall-ended")

    laura.keyboard.press("Enter")
    expect(hall.locator(".stage-label")).to_have_text("Now on stage")
    expect(hall.locator(".stage-title")).to_have_text("Lernpaten digital")
    expect(laura.locator("[data-field=state_label]")).to_have_text("Running")
    expect(end).to_be_visible()
    screenshot(hall, "hall-resumed")
    laura.goto(live_server.url + end.get_attribute("href"))  # asks where there is no dialog
    checkpoint(laura, "question-page")
    assert laura.errors + hall.errors == []


def test_the_organiser_reorders_a_live_session_and_the_stage_stays(demo_data, live_server,
                                                                  open_page, checkpoint,
                                                                  screenshot):
    sid, slug = demo_data.pitch_session_id, demo_data.slug
    organiser = open_page(viewport={"width": 1200, "height": 1400})
    log_in(organiser, live_server.url, ORGANISER, "demo-organiser")
    organiser.goto(f"{live_server.url}/moderator/sessions/{sid}/run")
    organiser.click("form[data-action=start] button")
    expect(organiser.locator("[data-field=phase_label]")).to_have_text("Pitch")
    hall = open_page(viewport={"width": 1920, "height": 1080})
    hall.goto(f"{live_server.url}/events/{slug}/sessions/{sid}/stage")
    expect(hall.locator(".stage-title")).to_have_text("Lernpaten digital")

    organiser.goto(f"{live_server.url}/organiser/events/{slug}/programme/sessions/{sid}")
    expect(organiser.locator(".live-banner")).to_contain_text("This session is running on stage.")
    expect(organiser.locator("#order-live-warning")).to_be_visible()
    checkpoint(organiser, "editor-live")
    organiser.get_by_role("button", name="Move “Lernpaten digital” down").click()
    expect(organiser.locator(".pitch-row").nth(1)).to_contain_text("Lernpaten digital")
    expect(organiser.locator(".pitch-row").nth(1).locator(".on-stage-badge")).to_be_visible()
    screenshot(organiser, "editor-after-move")
    # The hall display keeps the pitch on stage and names the one still to come next.
    with hall.expect_response(lambda response: "stage.json" in response.url):
        pass  # a poll made after the move
    expect(hall.locator(".stage-title")).to_have_text("Lernpaten digital")
    expect(hall.locator(".stage-next-title")).to_contain_text("Solarkioske für ländliche Märkte")

    organiser.locator(".pitch-row").nth(1).locator(".pitch-title").click()
    expect(organiser.locator("#delete-live-warning")).to_contain_text("on stage right now")
    expect(organiser.get_by_role("button", name="Delete pitch")).to_be_disabled()
    checkpoint(organiser, "pitch-on-stage")
    assert organiser.errors + hall.errors == []


def test_without_javascript_end_asks_on_a_page_of_its_own(demo_data, live_server, open_page,
                                                          screenshot):
    # Screenshots only: axe needs JavaScript. The question page is axe-checked above.
    sid = demo_data.pitch_session_id
    norbert = open_page(java_script_enabled=False, **PHONE)
    log_in(norbert, live_server.url, NORBERT, DEMO_PASSWORD)
    norbert.goto(f"{live_server.url}/moderator/sessions/{sid}/run")
    norbert.click("form[data-action=start] button")
    norbert.get_by_role("link", name="End session…").click()
    expect(norbert.get_by_role("heading", name="End the session?")).to_be_visible()
    screenshot(norbert, "question-page")
    norbert.get_by_role("link", name="Cancel").click()
    expect(norbert.locator("[data-field=state_label]")).to_have_text("Running")
    norbert.get_by_role("link", name="End session…").click()
    norbert.get_by_role("button", name="End the session").click()
    expect(norbert.locator("[data-field=state_label]")).to_have_text("Ended")
    screenshot(norbert, "ended")
    norbert.get_by_role("button", name="Resume the session").click()
    expect(norbert.locator("[data-field=state_label]")).to_have_text("Running")
