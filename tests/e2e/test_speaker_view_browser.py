"""The speaker's view in real browsers against gunicorn (two workers): a moderator sends a
message, the speaker's tablet shows it and the moderators see "seen"; Page Down (a
presentation clicker) advances, B blacks out the speaker view and the hall display, P pauses.
Then the speaker view at tablet size, landscape and portrait, in every colour state."""

import re
from datetime import timedelta

from moderators_fixtures import *  # noqa: F401,F403
from moderators_fixtures import DEMO_PASSWORD, LAURA

from summit.extensions import db
from summit.models import EventSession, SessionRun, utcnow
from summit.services.live import run_of_show as ros
from summit.services.live import speaker, stage_controls, stage_messages

from .browser import expect, log_in

LANDSCAPE = {"width": 1024, "height": 768}
PORTRAIT = {"width": 768, "height": 1024}


def _link(app, sid) -> str:
    with app.app_context():
        return speaker.renew_token(db.session.get(EventSession, sid), actor=None)


def test_a_message_reaches_the_speaker_and_seen_comes_back(app, demo_data, live_server,
                                                          open_page, checkpoint):
    sid, slug = demo_data.pitch_session_id, demo_data.slug
    token = _link(app, sid)
    laura = open_page(viewport={"width": 1200, "height": 1000})
    log_in(laura, live_server.url, LAURA, DEMO_PASSWORD)
    laura.goto(f"{live_server.url}/moderator/sessions/{sid}/run")
    tablet = open_page(viewport=LANDSCAPE, has_touch=True)
    tablet.goto(f"{live_server.url}/stage/{token}")
    hall = open_page(viewport={"width": 1280, "height": 720})
    hall.goto(f"{live_server.url}/events/{slug}/sessions/{sid}/stage")

    laura.click("form[data-action=start] button")
    expect(tablet.locator(".sp-title").first).to_have_text("Lernpaten digital")
    laura.get_by_role("button", name="Bitte zum Ende kommen").click()
    laura.get_by_label("Your message").fill("Noch 2 Fragen 🙋 – 谢谢")
    laura.get_by_role("button", name="Send to the stage").click()
    expect(tablet.locator(".sp-message")).to_have_count(2)
    expect(tablet.locator(".sp-message").first).to_have_text("Noch 2 Fragen 🙋 – 谢谢")
    # The tablet showed them: the moderators read "seen at …" without a reload.
    expect(laura.locator("[data-message-list] [data-seen]").first).to_contain_text("seen at")
    expect(laura.locator("[data-message-list] [data-seen]").nth(1)).to_contain_text("seen at")
    checkpoint(laura, "run-with-messages")
    laura.locator("[data-message-list] li").first.get_by_role("button", name="Dismiss").click()
    expect(tablet.locator(".sp-message")).to_have_count(1)

    # Keys, as a presentation clicker sends them (the focus is not in a text field).
    laura.locator("h1").click()
    laura.keyboard.press("PageDown")
    expect(laura.locator("[data-field=phase_label]")).to_have_text("Q&A")
    expect(tablet.locator(".sp-phase")).to_have_text("Q&A")
    laura.keyboard.press("PageUp")
    expect(laura.locator("[data-field=phase_label]")).to_have_text("Pitch")
    laura.keyboard.press("p")
    expect(tablet.locator(".sp-paused")).to_be_visible()
    expect(laura.get_by_role("button", name="Resume")).to_be_visible()
    laura.keyboard.press("P")
    expect(tablet.locator(".sp-paused")).to_be_hidden()
    laura.keyboard.press("b")
    expect(tablet.locator("body")).to_have_class(re.compile("is-blackout"))
    expect(tablet.locator(".sp-screen")).to_be_hidden()
    expect(hall.locator("body")).to_have_class(re.compile("is-blackout"))
    laura.keyboard.press("b")
    expect(hall.locator("body")).not_to_have_class(re.compile("is-blackout"))
    # Typing a "b" or a "p" in the message field is text, not a shortcut.
    laura.get_by_label("Your message").fill("")
    laura.get_by_label("Your message").press_sequentially("bp")
    expect(laura.get_by_label("Your message")).to_have_value("bp")
    expect(tablet.locator(".sp-paused")).to_be_hidden()
    with app.app_context():
        run = db.session.get(SessionRun, sid)
        assert not run.blackout and run.phase == "pitch"
    assert laura.errors + tablet.errors + hall.errors == []


def test_the_speaker_view_in_every_colour_state_on_a_tablet(app, demo_data, live_server,
                                                           open_page, screenshot):
    sid = demo_data.pitch_session_id
    token = _link(app, sid)
    pages = {"landscape": open_page(viewport=LANDSCAPE, has_touch=True),
             "portrait": open_page(viewport=PORTRAIT, has_touch=True)}
    for page in pages.values():
        page.goto(f"{live_server.url}/stage/{token}")

    def shoot(name):
        for shape, page in pages.items():
            screenshot(page, f"{name}-{shape}")

    def colour_is(name):
        for page in pages.values():
            expect(page.locator("body")).to_have_class(re.compile(f"colour-{name}"))

    def restart(seconds_ago, *, pause=False):
        with app.app_context():
            session = db.session.get(EventSession, sid)
            now = utcnow()
            # A fresh run each time (scaffolding for the pictures, not a moderator's path).
            db.session.execute(db.delete(SessionRun).where(SessionRun.session_id == sid))
            db.session.commit()
            ros.start(session, now=now - timedelta(seconds=seconds_ago))
            if pause:
                stage_controls.pause(session, now=now)

    shoot("idle")
    restart(2)
    colour_is("normal")
    with app.app_context():
        stage_messages.send(db.session.get(EventSession, sid),
                            "Bitte zum Ende kommen – noch 1 Minute", actor=None)
    for page in pages.values():
        expect(page.locator(".sp-message")).to_have_count(1)
    shoot("normal-message")
    restart(270)
    colour_is("warning")
    shoot("warning")
    restart(300, pause=True)  # stopped at exactly 0:00
    colour_is("danger")
    shoot("danger-paused")
    restart(383)
    colour_is("over")
    shoot("overrun-blinking")
    for page in pages.values():
        page.emulate_media(reduced_motion="reduce")
    shoot("overrun-reduced-motion")
    restart(120, pause=True)
    colour_is("normal")
    for page in pages.values():
        expect(page.locator(".sp-countdown")).to_have_text("3:00")
    shoot("paused")
    with app.app_context():
        stage_controls.set_blackout(db.session.get(EventSession, sid), True)
    for page in pages.values():
        expect(page.locator(".sp-screen")).to_be_hidden()
    shoot("blackout")
    assert sum((page.errors for page in pages.values()), []) == []
