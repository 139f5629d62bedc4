"""The desk in a real browser (Chromium) against gunicorn: a scanner types a code and Enter,
desk.js answers without a reload, and the focus stays in the scan input for the next badge."""

import shutil

import pytest
from checkin_fixtures import *  # noqa: F403
from checkin_fixtures import scan_rows
from conftest import PASSWORD

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


@pytest.fixture
def browser_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text)
                if message.type == "error" else None)
        page.errors = errors
        yield page
        browser.close()


def test_scanner_typing_into_the_desk(app, auth, people, live_server, browser_page):
    auth.make_user("desk@example.org", "staff")
    page = browser_page
    page.goto(f"{live_server.url}/login")
    page.fill("input[name=email]", "desk@example.org")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/desk/test-summit")
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
