"""Screenshots of the main pages, on the Vision Summit 2014 demo, for the README and docs.

Run from the repo root (needs Debian's Chromium at /usr/bin/chromium and poppler-utils):
    .venv/bin/python docs/screenshots/take.py
It seeds the demo into a temporary instance folder, serves it on a free port, visits the pages
as an attendee, the organiser, a moderator and the desk would, and writes PNGs next to itself.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
FLASK = [sys.executable, "-m", "flask", "--app", "summit"]
SLUG = "vision-summit-2014"
PHONE, LAPTOP, HALL = (390, 844), (1280, 860), (1600, 900)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(instance: str, port: int) -> dict:
    return os.environ | {"SUMMIT_INSTANCE_PATH": instance, "SUMMIT_RATELIMIT_ENABLED": "false",
                         "SUMMIT_BASE_URL": f"http://127.0.0.1:{port}"}


def serve(env: dict, port: int) -> subprocess.Popen:
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run(FLASK + command, env=env, cwd=ROOT, check=True, capture_output=True)
    server = subprocess.Popen(FLASK + ["run", "--port", str(port)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the demo server did not start")


def manage_link(instance: str) -> tuple[str, str]:
    """The manage page path and check-in code of one sample pitcher (Łukasz Żółć)."""
    os.environ["SUMMIT_INSTANCE_PATH"] = instance
    sys.path.insert(0, str(ROOT))
    from summit import create_app
    from summit.extensions import db
    from summit.models import Registration

    with create_app().app_context():
        registration = db.session.scalar(db.select(Registration).where(
            Registration.email == "pitch.06@example.org"))
        return f"/r/{registration.manage_token}", registration.checkin_code


def main() -> None:
    with tempfile.TemporaryDirectory() as instance:
        port = free_port()
        env = environment(instance, port)
        server = serve(env, port)
        base = f"http://127.0.0.1:{port}"
        manage, code = manage_link(instance)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", headless=True,
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
                shoot = Shooter(browser, base)
                shoot.attendee(manage)
                shoot.organiser()
                badge_sheet(env, instance)
                shoot.moderator()
                shoot.desk(code)
                browser.close()
        finally:
            server.terminate()
            server.wait()
    print(f"screenshots in {OUT.relative_to(ROOT)}")


def badge_sheet(env: dict, instance: str) -> None:
    """The first A4 sheet of four A6 badges (pitchers, whose names need the Unicode font)."""
    pdf = Path(instance) / "badges.pdf"
    subprocess.run(FLASK + ["badges", SLUG, "--output", str(pdf), "--layout", "a4-4xa6",
                            "--category", "Social Entrepreneur", "--no-mark"],
                   env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(OUT / "badges-a4-4xa6")], check=True)
    print("badges-a4-4xa6")


class Shooter:
    def __init__(self, browser, base: str):
        self.browser, self.base = browser, base

    def page(self, size, locale="en-GB", login=None):
        context = self.browser.new_context(viewport={"width": size[0], "height": size[1]},
                                           locale=locale, accept_downloads=True)
        page = context.new_page()
        if login:
            page.goto(self.base + "/login")
            page.fill("#email", login[0])
            page.fill("#password", login[1])
            page.click("form:has(#password) button[type=submit]")
        return page

    def snap(self, page, name: str, path: str | None = None, full_page=True):
        if path:
            page.goto(self.base + path)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=OUT / f"{name}.png", full_page=full_page)
        print(name)

    def attendee(self, manage: str):
        page = self.page(LAPTOP)
        self.snap(page, "event", f"/events/{SLUG}")
        phone = self.page(PHONE, locale="de-DE")
        self.snap(phone, "register-phone-de", f"/events/{SLUG}/register")
        self.snap(phone, "manage-phone-de", manage)
        self.snap(page, "agenda", f"/events/{SLUG}/programme")

    def organiser(self):
        page = self.page(LAPTOP, login=("organiser@vision-summit.example", "demo-organiser"))
        self.snap(page, "organiser-dashboard", "/organiser/")
        self.snap(page, "organiser-attendees", f"/organiser/events/{SLUG}/attendees",
                  full_page=False)
        page.goto(self.base + f"/organiser/events/{SLUG}/programme")
        page.get_by_role("link", name="Pitch session: ten social entrepreneurs").first.click()
        self.snap(page, "organiser-pitch-session")
        self.snap(page, "organiser-moderators", f"/organiser/events/{SLUG}/moderators",
                  full_page=False)
        self.snap(page, "organiser-badges", f"/organiser/events/{SLUG}/badges")

    def moderator(self):
        page = self.page(LAPTOP, login=("laura.haverkamp@vision-summit.example",
                                        "demo-moderator"))
        self.snap(page, "moderator-sessions", "/moderator/")
        page.get_by_role("link", name="Run of show").first.click()
        page.locator("[data-action=start] button").click()
        page.wait_for_timeout(2500)
        self.snap(page, "moderator-run-of-show")
        stage = page.url.replace("/moderator/sessions/", f"/events/{SLUG}/sessions/")
        hall = self.page(HALL)
        hall.goto(stage.replace("/run", "/stage"))
        hall.wait_for_timeout(2500)
        self.snap(hall, "hall-display", full_page=False)

    def desk(self, code: str):
        page = self.page(LAPTOP, login=("desk@vision-summit.example", "demo-desk"))
        page.goto(self.base + f"/desk/{SLUG}")
        for _ in range(2):
            page.fill("#code", code)
            page.press("#code", "Enter")
            page.wait_for_timeout(800)
        self.snap(page, "desk-already-checked-in")


if __name__ == "__main__":
    main()
