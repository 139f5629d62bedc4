"""Fixtures for the browser tests: one Chromium per session, pages with their errors
collected, the demo data, captured mail, screenshots and an axe check per page.

The app itself runs under gunicorn on a free port against this test's fresh database
(`live_server` in tests/conftest.py). Without Chromium or playwright these tests are left
out (deselected) and the summary says in one line how to enable them.
"""

import os
import re
from pathlib import Path

import pytest
from programme_fixtures import programme_demo  # noqa: F401  (the seeded demo, for journeys)

from .browser import LAUNCH_ARGS, Mailbox, Screenshots, axe_check, missing_browser

HERE = Path(__file__).parent
NOT_RUN_KEY = pytest.StashKey[int]()


def pytest_collection_modifyitems(config, items):
    if not missing_browser():
        return
    browser_tests = [item for item in items if HERE in item.path.parents]
    if browser_tests:
        config.hook.pytest_deselected(items=browser_tests)
        items[:] = [item for item in items if item not in browser_tests]
        config.stash[NOT_RUN_KEY] = len(browser_tests)


def pytest_terminal_summary(terminalreporter, config):
    if config.stash.get(NOT_RUN_KEY, 0):
        terminalreporter.write_line(f"{config.stash[NOT_RUN_KEY]} browser tests not run: "
                                    f"{missing_browser()}", yellow=True)


@pytest.fixture(scope="session")
def browser():
    reason = missing_browser()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    from .browser import CHROMIUM

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser):
    """open_page(**context_options) -> a page in its own context (own cookies, locale and
    viewport). Its JavaScript errors are collected in ``page.errors``."""
    contexts = []

    def factory(init_script: str | None = None, **options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        options.setdefault("locale", "en-GB")
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        if init_script:
            context.add_init_script(init_script)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on("console", lambda message: page.errors.append(message.text)
                if message.type == "error" else None)
        return page

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot(request, tmp_path_factory):
    """screenshot(page, name): a numbered full-page PNG in this test's folder, under
    $SUMMIT_SCREENSHOTS if set, else under pytest's base temporary directory."""
    root = os.environ.get("SUMMIT_SCREENSHOTS")
    base = Path(root) if root else tmp_path_factory.getbasetemp() / "screenshots"
    folder = base / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):  # a folder reused under $SUMMIT_SCREENSHOTS
        old.unlink()
    return Screenshots(folder)


@pytest.fixture
def checkpoint(screenshot):
    """checkpoint(page, name): screenshot the page as it is, then axe-check it."""
    def check(page, name: str) -> None:
        screenshot(page, name)
        axe_check(page)
    return check


@pytest.fixture
def mailbox(app):
    return Mailbox(app)
