"""Two desks lose the network, keep checking people in from their snapshot, one reloads while
offline, both come back: the server holds one check-in per badge, every scan once, and the
organiser sees the badge both desks let in."""

import pytest
from checkin_fixtures import *  # noqa: F403
from conftest import PASSWORD

from summit.extensions import db
from summit.models import CheckIn, Registration
from summit.services.registrations import signup

from .browser import log_in

DESK_SCREEN = {"width": 1366, "height": 768}


def _open_desk(auth, live_server, page, email: str, name: str) -> None:
    auth.make_user(email, "staff")
    log_in(page, live_server.url, email, PASSWORD)
    page.goto(f"{live_server.url}/desk/test-summit")
    page.fill("#desk-name-form input[name=desk]", name)
    page.press("#desk-name-form input[name=desk]", "Tab")  # change: saved with fetch
    page.wait_for_selector("#desk-saved:has-text('Saved')")
    page.wait_for_selector("#desk-page[data-snapshot-at][data-cached=true]")


def _scan(page, code: str, result: str) -> str:
    """Type the code into the desk's field and Enter, as a handheld scanner does."""
    before = page.query_selector("#desk-answer > *")
    page.click("input[name=code]")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    if before is not None:
        before.wait_for_element_state("hidden")  # the last answer is replaced, not reread
    page.wait_for_selector(f"#desk-answer [data-result={result}]")
    assert page.input_value("input[name=code]") == ""
    return page.inner_text("#desk-answer")


@pytest.fixture
def desks(open_page):
    return open_page(viewport=DESK_SCREEN), open_page(viewport=DESK_SCREEN)


def test_two_desks_offline_then_sync(app, auth, people, live_server, desks, open_page,
                                     checkpoint):
    one, two = desks
    _open_desk(auth, live_server, one, "desk1@example.org", "Desk 1")
    _open_desk(auth, live_server, two, "desk2@example.org", "Desk 2")
    for page in desks:
        page.context.set_offline(True)
        page.wait_for_selector("#desk-status.is-offline")

    # Jörg cancels after the desks took their snapshot: desk 1 still lets him in.
    with app.app_context():
        press = db.session.scalar(db.select(Registration).where(
            Registration.checkin_code == people.press))
        signup.cancel(press)
    assert "Welcome" in _scan(one, people.confirmed, "checked_in")
    assert "Weiß" in _scan(one, people.press.lower(), "checked_in")
    assert "here" in _scan(one, people.confirmed, "already_checked_in")
    # Desk 2 has not heard of desk 1: it lets Zoë in too.
    assert "Zoë Müller" in _scan(two, people.confirmed, "checked_in")
    assert "cancelled" in _scan(two, people.cancelled, "cancelled")
    assert two.get_attribute("#desk-status", "data-waiting") == "2"

    # A reload while offline: the page comes from the service worker's cache and still works.
    two.reload()
    two.wait_for_selector("#desk-page[data-snapshot-at]")
    two.wait_for_selector("#desk-status[data-waiting='2']")
    assert "Offline" in two.inner_text("#desk-status")
    assert "2 scans waiting" in two.inner_text("#desk-status")
    _scan(two, "NOT-A-BADGE", "unknown")
    two.fill("form[role=search] input[name=q]", "mueller")
    two.press("form[role=search] input[name=q]", "Enter")
    two.wait_for_selector(".offline-results li")
    assert "Zoë Müller" in two.inner_text(".offline-results")
    checkpoint(two, "offline-desk-after-reload")
    two.set_viewport_size({"width": 360, "height": 740})
    checkpoint(two, "offline-desk-on-a-phone")

    for page in desks:
        page.context.set_offline(False)
    for page in desks:
        page.wait_for_selector("#desk-status.is-online[data-waiting='0']", timeout=20_000)

    # Log-out wipes the snapshot and this desk's log from the device (and the cached pages).
    with one.expect_navigation():
        one.click("text=Log out")
    assert one.evaluate("""() => new Promise(resolve => {
        const open = indexedDB.open("summit-desk", 1);
        open.onsuccess = () => {
          const t = open.result.transaction(["snapshot", "log"], "readonly");
          const a = t.objectStore("snapshot").count(), b = t.objectStore("log").count();
          t.oncomplete = () => resolve(a.result + b.result);
        };
      })""") == 0
    assert one.evaluate("caches.keys()") == []

    with app.app_context():
        rows = list(db.session.scalars(db.select(CheckIn).order_by(CheckIn.scanned_at)))
        assert len(rows) == 6  # every scan once
        assert len({row.nonce for row in rows}) == 6
        per_badge = {}
        for row in rows:
            if row.result == "checked_in":
                per_badge[row.registration_id] = per_badge.get(row.registration_id, 0) + 1
        assert list(per_badge.values()) == [1]  # Zoë once; Jörg was cancelled
        zoe = db.session.get(Registration, people.confirmed_id)
        assert zoe.checked_in_at == rows[0].scanned_at
        assert sorted(row.result for row in rows if row.registration_id == zoe.id) == \
            ["already_checked_in", "checked_in", "conflict"]
        # Ana was cancelled in the snapshot (the desk refused her): nothing to flag. Jörg was
        # let in from a snapshot older than his cancellation: flagged.
        flags = {row.registration_id: row.flag for row in rows if row.result == "cancelled"}
        assert sorted(flags.values()) == ["", "cancelled"]

    organiser = open_page()
    auth.make_user()
    log_in(organiser, live_server.url, "organiser@example.org", PASSWORD)
    organiser.goto(f"{live_server.url}/organiser/events/test-summit/checkins")
    table = organiser.inner_text("#conflicts")
    assert "Zoë Müller" in table and "Desk 1" in table and "Desk 2" in table
    assert "Jörg Weiß" in organiser.inner_text("#flagged")
    checkpoint(organiser, "organiser-conflicts")
    organiser.set_viewport_size({"width": 360, "height": 740})
    checkpoint(organiser, "organiser-conflicts-on-a-phone")
    for page in (*desks, organiser):
        # Offline, the live counts' polling fails to load: expected, nothing else.
        assert [error for error in page.errors
                if not error.startswith("Failed to load resource")] == []


def test_a_desk_whose_server_does_not_answer_answers_from_its_snapshot(
        app, auth, people, live_server, open_page):
    """Venue Wi-Fi that stays connected while its uplink is gone: the browser says online,
    the scan gets no answer. The desk answers from its snapshot, queues the scan, and sends
    it once the server answers again."""
    desk = open_page(viewport=DESK_SCREEN)
    _open_desk(auth, live_server, desk, "desk3@example.org", "Desk 3")
    desk.route("**/desk/test-summit/scan", lambda route: route.abort("internetdisconnected"))
    assert "Zoë Müller" in _scan(desk, people.confirmed, "checked_in")
    desk.wait_for_selector("#desk-status.is-offline[data-waiting='1']")
    with app.app_context():
        assert db.session.scalar(db.select(Registration.checked_in_at).where(
            Registration.id == people.confirmed_id)) is None
    desk.unroute("**/desk/test-summit/scan")
    desk.evaluate("window.summitDesk.sync()")
    desk.wait_for_selector("#desk-status.is-online[data-waiting='0']")
    with app.app_context():
        rows = list(db.session.scalars(db.select(CheckIn)))
        assert [row.result for row in rows] == ["checked_in"]
        assert db.session.get(Registration, people.confirmed_id).checked_in_at is not None
    # Back online, scans go to the server again.
    assert "already" in _scan(desk, people.confirmed, "already_checked_in").lower()
    assert [error for error in desk.errors
            if not error.startswith("Failed to load resource")] == []
