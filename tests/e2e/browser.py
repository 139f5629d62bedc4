"""Helpers for the browser tests: what a person does (log in) and what every page must pass
(axe: no serious or critical violation). Fixtures that use them live in conftest.py."""

from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # the tests are left out with a notice (conftest.py)
    expect = sync_playwright = None

CHROMIUM = "/usr/bin/chromium"
ENABLE_HINT = ("they need Chromium at /usr/bin/chromium and playwright; enable them with "
               "`apt-get install chromium` (and `pip install -e '.[test]'`)")
# The fake media flags only matter to the desk's camera test; harmless for every other page.
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}
BLOCKING_IMPACTS = ("serious", "critical")
# axe measures colours as they are painted, and a screenshot shows them: let fade-ins (the
# desk's answer) finish first.
ANIMATIONS_SETTLED = """() => document.getAnimations().every(animation =>
    animation.playState !== "running"
    || animation.effect.getComputedTiming().endTime === Infinity)"""


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if sync_playwright is None or not Path(CHROMIUM).exists():
        return ENABLE_HINT
    return None


def log_in(page, base_url: str, email_address: str, password: str) -> None:
    """Log in through the login page, as a person would, and wait for the next page."""
    page.goto(base_url + "/login")
    page.fill("#email", email_address)
    page.fill("#password", password)
    with page.expect_navigation():
        page.press("#password", "Enter")


def settle(page) -> None:
    """Wait until no finite animation is running on the page."""
    page.wait_for_function(ANIMATIONS_SETTLED)


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page once its animations ended."""
    from axe_playwright_python.sync_playwright import Axe

    settle(page)
    results = Axe().run(page)
    return [violation for violation in results.response["violations"]
            if violation["impact"] in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: "
                         f"{node.get('failureSummary', '').splitlines()[-1].strip()}")
    return "\n".join(lines)


def axe_check(page) -> None:
    """Fail on any serious or critical accessibility violation on the page."""
    violations = axe_violations(page)
    assert not violations, f"axe on {page.url}:\n{describe_violations(violations)}"


class Screenshots:
    """Numbered full-page screenshots of one test in one folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0

    def __call__(self, page, name: str) -> Path:
        self.count += 1
        settle(page)
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


class Mailbox:
    """The mail the app sent: the outbox is delivered to .eml files (the default transport,
    as `flask send-mail` does) and read back."""

    def __init__(self, app):
        self.app = app
        self.folder = Path(app.config["SUMMIT_MAIL_DIR"])

    def messages_to(self, address: str) -> list[email.message.EmailMessage]:
        from summit.services.mail import outbox

        with self.app.app_context():
            outbox.deliver_due(self.app.config)
        found = []
        for path in sorted(self.folder.glob("*.eml"), key=lambda path: int(path.stem)):
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            if address.lower() in str(message["To"]).lower():
                found.append(message)
        return found

    def link_in_last_mail_to(self, address: str, pattern: str) -> str:
        """The first link in the newest mail to ``address`` whose URL matches ``pattern``."""
        messages = self.messages_to(address)
        assert messages, f"no mail to {address}"
        text = messages[-1].get_body(preferencelist=("plain",)).get_content()
        for url in re.findall(r"https?://\S+", text):
            if re.search(pattern, url):
                return url.rstrip(".,)>")
        raise AssertionError(f"no link matching {pattern!r} in:\n{text}")
