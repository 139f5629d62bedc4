"""Push in real browsers against gunicorn (two workers, Redis between them): the moderator
presses Next, and the hall display in another browser context changes without a reload and
without polling; the moderator's own screen only fetches its state when told to."""

import uuid

import pytest
from moderators_fixtures import *  # noqa: F401,F403
from moderators_fixtures import DEMO_PASSWORD, LAURA, ORGANISER

from .browser import expect, log_in

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def pushed_server(demo_data, monkeypatch, request):
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    monkeypatch.setenv("SUMMIT_REDIS_URL", REDIS_URL)
    monkeypatch.setenv("SUMMIT_LIVE_PREFIX", "summit-test-" + uuid.uuid4().hex[:8])
    return request.getfixturevalue("live_server")


def test_the_hall_display_follows_a_press_without_polling(demo_data, pushed_server,
                                                          open_page):
    sid, slug, base = demo_data.pitch_session_id, demo_data.slug, pushed_server.url
    moderator = open_page(viewport={"width": 1200, "height": 900})
    log_in(moderator, base, LAURA, DEMO_PASSWORD)
    moderator.goto(f"{base}/moderator/sessions/{sid}/run")
    hall = open_page(viewport={"width": 1920, "height": 1080})
    hall_requests, moderator_requests = [], []
    hall.on("request", lambda r: hall_requests.append(r.url))
    moderator.on("request", lambda r: moderator_requests.append(r.url))
    hall.goto(f"{base}/events/{slug}/sessions/{sid}/stage")
    expect(hall.locator(".stage-label")).to_contain_text("Starts at 11:00")

    moderator.click("form[data-action=start] button")
    expect(hall.locator(".stage-title")).to_have_text("Lernpaten digital")
    moderator.click("form[data-action=next] button")
    expect(hall.locator(".stage-phase")).to_have_text("Q&A")
    hall.wait_for_timeout(2500)  # a polling screen would have asked twice by now
    assert not [url for url in hall_requests if "stage.json" in url]
    assert [url for url in hall_requests if url.endswith("/stage/stream")]
    # The moderator's screen fetched its controls once per pushed state, never in between.
    fetched = [url for url in moderator_requests if url.endswith("/state.json")]
    before = len(fetched)
    moderator.wait_for_timeout(2500)
    assert len([u for u in moderator_requests if u.endswith("/state.json")]) == before
    expect(moderator.locator("[data-field=phase_label]")).to_have_text("Q&A")
    assert hall.errors + moderator.errors == []


def test_the_now_board_follows_the_rooms(demo_data, pushed_server, open_page):
    sid, slug, base = demo_data.pitch_session_id, demo_data.slug, pushed_server.url
    organiser = open_page(viewport={"width": 1280, "height": 900})
    log_in(organiser, base, ORGANISER, "demo-organiser")
    organiser.goto(f"{base}/organiser/events/{slug}/now")
    room = organiser.locator(".now-room").filter(has_text="Lernpaten digital")
    expect(room).to_have_count(0)
    moderator = open_page()
    log_in(moderator, base, LAURA, DEMO_PASSWORD)
    moderator.goto(f"{base}/moderator/sessions/{sid}/run")
    moderator.click("form[data-action=start] button")
    expect(room).to_have_count(1)  # no reload
    expect(room.locator("[data-field=phase]")).to_have_text("Pitch")
    assert organiser.errors + moderator.errors == []
