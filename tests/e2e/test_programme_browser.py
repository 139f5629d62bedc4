"""The pitch editor in a real browser: drag and drop reorders the pitches, and the times, the
agenda, the API and the .ics follow. Keyboard users reorder with the Up/Down buttons."""

import json
import urllib.request

import icalendar
import pytest
from programme_fixtures import ORGANISER_EMAIL, ORGANISER_PASSWORD

from .browser import log_in


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


@pytest.fixture
def browser_page(programme_demo, live_server, open_page):
    page = open_page(locale="de-DE", viewport={"width": 1200, "height": 1700})
    log_in(page, live_server.url, ORGANISER_EMAIL, ORGANISER_PASSWORD)
    page.goto(live_server.url + programme_demo.editor_url())
    return page, page.errors


def page_order(page) -> list[int]:
    return page.eval_on_selector_all("[data-pitch-id]",
                                     "rows => rows.map(r => Number(r.dataset.pitchId))")


def page_times(page) -> list[str]:
    return page.eval_on_selector_all("[data-starts]", "spans => spans.map(s => s.textContent)")


def test_drag_and_drop_reorders_and_everything_follows(browser_page, programme_demo,
                                                       live_server):
    page, errors = browser_page
    ids = programme_demo.pitch_ids
    assert page_order(page) == ids
    assert page_times(page)[:2] == ["11:00", "11:09"]

    rows = page.locator("[data-pitch-id]")
    rows.nth(9).locator(".drag-handle").drag_to(rows.nth(0), target_position={"x": 40, "y": 4})
    page.wait_for_function(
        "() => { const s = document.querySelector('[data-order-status]');"
        " return s.textContent && !s.textContent.includes('…'); }")
    assert "is-error" not in (page.get_attribute("[data-order-status]", "class") or "")
    expected = [ids[-1], *ids[:-1]]
    assert page_order(page) == expected
    assert page_times(page)[:2] == ["11:00", "11:09"]  # times updated in place, by position
    assert page.inner_text(f"#pitch-{ids[-1]} .pitch-time") == "11:00–11:08"
    assert page.inner_text(f"#pitch-{ids[0]} .pitch-time") == "11:09–11:17"
    assert page.inner_text(f"#pitch-{ids[-1]} [data-pos]") == "1"

    page.reload()
    assert page_order(page) == expected
    schedule = json.loads(fetch(f"{live_server.url}/api/v1/events/{programme_demo.slug}"
                                "/schedule"))
    session = next(s for s in schedule["sessions"] if s["id"] == programme_demo.pitch_session_id)
    assert [p["id"] for p in session["pitches"]] == expected
    assert session["pitches"][0]["starts_at"] == "2014-09-10T11:00:00+02:00"
    public = fetch(f"{live_server.url}/events/{programme_demo.slug}/sessions/"
                   f"{programme_demo.pitch_session_id}").decode()
    assert public.index("Barrierefreie Stadtpläne") < public.index("Lernpaten digital")
    cal = icalendar.Calendar.from_ical(fetch(
        f"{live_server.url}/events/{programme_demo.slug}/sessions/"
        f"{programme_demo.pitch_session_id}.ics"))
    moved = next(e for e in cal.walk("VEVENT") if str(e["UID"]).startswith(f"pitch-{ids[-1]}@"))
    assert moved.decoded("DTSTART").strftime("%H:%M") == "11:00"
    assert int(moved["SEQUENCE"]) == 1
    assert errors == []


def test_keyboard_users_move_pitches_with_the_buttons(browser_page, programme_demo):
    page, errors = browser_page
    ids = programme_demo.pitch_ids
    up = page.locator(f"#pitch-{ids[1]} button", has_text="↑")
    up.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page_order(page)[:2] == [ids[1], ids[0]]
    assert page.inner_text(f"#pitch-{ids[1]} .pitch-time") == "11:00–11:08"
    assert page.locator(f"#pitch-{ids[1]} button", has_text="↑").is_disabled()
    assert errors == []
