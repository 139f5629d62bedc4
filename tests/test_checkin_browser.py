"""The desk in a real browser (Chromium) against gunicorn: a scanner types a code and Enter,
desk.js answers without a reload, and the focus stays in the scan input for the next badge."""

import shutil
from contextlib import contextmanager

import pytest
from checkin_fixtures import *  # noqa: F403
from checkin_fixtures import scan_rows
from conftest import PASSWORD

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


# Chromium on Linux has no BarcodeDetector; this stand-in "sees" whatever the test puts in
# window.shownCode, so the camera path of desk.js runs against a fake camera stream.
FAKE_DETECTOR = """
window.BarcodeDetector = class {
  static getSupportedFormats() { return Promise.resolve(["qr_code"]); }
  detect() { return Promise.resolve(window.shownCode ? [{rawValue: window.shownCode}] : []); }
};
"""


@contextmanager
def _browser(camera: bool):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"])
        context = browser.new_context(viewport={"width": 1366, "height": 768},
                                      permissions=["camera"] if camera else [])
        if camera:
            context.add_init_script(FAKE_DETECTOR)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text)
                if message.type == "error" else None)
        page.errors = errors
        yield page
        browser.close()


@pytest.fixture
def browser_page():
    with _browser(camera=False) as page:
        yield page


@pytest.fixture
def camera_page():
    with _browser(camera=True) as page:
        yield page


def _open_desk(auth, live_server, page) -> None:
    auth.make_user("desk@example.org", "staff")
    page.goto(f"{live_server.url}/login")
    page.fill("input[name=email]", "desk@example.org")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/desk/test-summit")


def test_scanner_typing_into_the_desk(app, auth, people, live_server, browser_page):
    page = browser_page
    _open_desk(auth, live_server, page)
    assert page.is_hidden("#camera")  # no BarcodeDetector in this browser: no camera button
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
    assert page.inner_text(".live-number") == "1"
    assert "Already checked in at" in scan(people.confirmed, "already_checked_in")
    assert "Unknown code" in scan("NOT-A-BADGE", "unknown")
    assert "Zoë Müller" not in page.inner_text("#desk-answer .answer")
    scan(people.waitlisted, "waitlisted")
    # A click somewhere on the page must not swallow the next badge's keystrokes.
    page.click("h1")
    scan(people.press, "checked_in")
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
