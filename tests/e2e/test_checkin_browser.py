"""The desk in a real browser (Chromium) against gunicorn: a scanner types a code and Enter,
desk.js answers without a reload, and the focus stays in the scan input for the next badge."""

import pytest
from checkin_fixtures import *  # noqa: F403
from checkin_fixtures import scan_rows
from conftest import PASSWORD

from .browser import log_in

# Chromium on Linux has no BarcodeDetector; this stand-in "sees" whatever the test puts in
# window.shownCode, so the camera path of desk.js runs against a fake camera stream.
FAKE_DETECTOR = """
window.BarcodeDetector = class {
  static getSupportedFormats() { return Promise.resolve(["qr_code"]); }
  detect() { return Promise.resolve(window.shownCode ? [{rawValue: window.shownCode}] : []); }
};
"""
DESK_SCREEN = {"width": 1366, "height": 768}


@pytest.fixture
def browser_page(open_page):
    return open_page(viewport=DESK_SCREEN)


@pytest.fixture
def camera_page(open_page):
    return open_page(viewport=DESK_SCREEN, permissions=["camera"], init_script=FAKE_DETECTOR)


def _open_desk(auth, live_server, page) -> None:
    auth.make_user("desk@example.org", "staff")
    log_in(page, live_server.url, "desk@example.org", PASSWORD)
    page.goto(f"{live_server.url}/desk/test-summit")


def test_scanner_typing_into_the_desk(app, auth, people, live_server, browser_page,
                                      checkpoint):
    page = browser_page
    _open_desk(auth, live_server, page)
    # No BarcodeDetector in this browser: the camera button comes with the vendored decoder
    # (tests/e2e/test_checkin_camera_browser.py scans with it).
    assert page.evaluate("'BarcodeDetector' in window") is False
    assert page.is_visible("#camera-toggle")
    assert page.evaluate("document.activeElement.name") == "code"
    page.evaluate("window.notReloaded = true")

    def scan(text: str, result: str) -> str:
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        page.wait_for_selector(f"#desk-answer [data-result={result}]")
        assert page.evaluate("window.notReloaded") is True
        assert page.evaluate("document.activeElement.name") == "code"
        assert page.input_value("input[name=code]") == ""
        return page.inner_text("#desk-answer")

    welcome = scan(people.confirmed.lower(), "checked_in")
    assert "Zoë Müller" in welcome and "Loop Textiles" in welcome
    assert page.inner_text("#desk-answer .answer .undo-form") == "Undo check-in of Zoë Müller"
    checkpoint(page, "welcome-with-undo")
    assert page.inner_text(".live-number") == "1"
    assert "Already checked in at" in scan(people.confirmed, "already_checked_in")
    assert "Unknown code" in scan("NOT-A-BADGE", "unknown")
    assert "Zoë Müller" not in page.inner_text("#desk-answer .answer")
    # Undo belongs to a welcome: under a red answer it would undo the previous guest.
    assert page.locator(".undo-form").count() == 0
    checkpoint(page, "unknown-without-undo")
    scan(people.waitlisted, "waitlisted")
    assert page.locator(".undo-form").count() == 0
    # A click somewhere on the page must not swallow the next badge's keystrokes.
    page.click("h1")
    scan(people.press, "checked_in")
    assert page.inner_text(".undo-form") == "Undo check-in of Jörg Weiß"
    page.click(".undo-form button")
    page.wait_for_selector("#desk-answer [data-result=undone]")
    assert page.evaluate("document.activeElement.name") == "code"
    assert page.inner_text(".live-number") == "1"
    assert [row[1] for row in scan_rows(app)] == [
        "checked_in", "already_checked_in", "unknown", "waitlisted", "checked_in"]
    assert page.errors == []


def test_camera_scans_a_badge_once_while_it_is_in_view(app, auth, people, live_server,
                                                      camera_page):
    page = camera_page
    _open_desk(auth, live_server, page)
    page.click("#camera-toggle")
    page.wait_for_selector("#camera-video:not([hidden])")
    page.evaluate("code => { window.shownCode = 'https://summit.example/b/' + code; }",
                  people.confirmed)
    page.wait_for_selector("#desk-answer [data-result=checked_in]")
    page.wait_for_timeout(1000)  # the badge stays in front of the camera: still one scan
    assert [row[1] for row in scan_rows(app)] == ["checked_in"]
    page.evaluate("window.shownCode = ''")
    page.wait_for_timeout(1800)  # taken away ...
    page.evaluate("code => { window.shownCode = code; }", people.confirmed)
    page.wait_for_selector("#desk-answer [data-result=already_checked_in]")  # ... and back
    assert page.evaluate("document.activeElement.name") == "code"
    page.click("#camera-toggle")
    assert page.is_hidden("#camera-video")
    assert [row[1] for row in scan_rows(app)] == ["checked_in", "already_checked_in"]
    assert page.errors == []
