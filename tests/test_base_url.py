"""SUMMIT_BASE_URL: where mails, calendar files and the API point. `make run PORT=5077` used
to leave it at http://127.0.0.1:5000 in every badge, calendar and mail link. Now the
Makefile derives it from HOST and PORT unless it is set, and pages link relatively, so a
page is right whatever address the browser used."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import app_settings
from programme_fixtures import MODERATOR_EMAIL, log_in
from registration_fixtures import deliver, eml_messages, html_of, ics_of, text_of

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://summit.test:5077"


def dry_run(*args: str, **env: str) -> list[str]:
    """What make would run (-n: nothing is executed, nothing installed), one line each."""
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    environment = {k: v for k, v in os.environ.items() if k != "SUMMIT_BASE_URL"} | env
    result = subprocess.run(["make", "-n", *args], cwd=ROOT, env=environment,
                            capture_output=True, text=True, check=True)
    return [line for line in result.stdout.splitlines()
            if re.search(r"/(flask|gunicorn) ", line)]


def test_make_run_derives_the_base_url_from_host_and_port():
    lines = dry_run("run", "PORT=5077")
    assert len(lines) == 4  # db upgrade, seed-demo, the mail loop, the server
    assert all("SUMMIT_BASE_URL='http://127.0.0.1:5077' " in line for line in lines)
    assert lines[-1].endswith("run --host 127.0.0.1 --port 5077")


def test_make_serve_binds_and_links_to_the_same_address():
    upgrade, gunicorn = dry_run("serve", "HOST=10.0.0.5", "PORT=8000")
    assert "SUMMIT_BASE_URL='http://10.0.0.5:8000' " in upgrade
    assert "SUMMIT_BASE_URL='http://10.0.0.5:8000' SUMMIT_BIND='10.0.0.5:8000' " in gunicorn


def test_a_base_url_set_in_the_environment_wins_over_host_and_port():
    lines = dry_run("run", "PORT=5077", SUMMIT_BASE_URL="https://summit.example.org")
    assert all("SUMMIT_BASE_URL='https://summit.example.org' " in line for line in lines)
    assert lines[-1].endswith("--port 5077")


@pytest.fixture
def app_config(tmp_path, database_url, monkeypatch):
    """The app as `make run` starts it: SUMMIT_BASE_URL from the environment only."""
    monkeypatch.setenv("SUMMIT_BASE_URL", BASE)
    settings = app_settings(database_url, tmp_path)
    del settings["SUMMIT_BASE_URL"]
    return settings


def test_pages_link_relatively_and_mails_carry_the_configured_base(app, client, runner):
    assert app.config["SUMMIT_BASE_URL"] == BASE
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    registered = client.post("/api/v1/events/vision-summit-2014/registrations", json={
        "first_name": "Zoë", "last_name": "Müller", "email": "zoe@example.org",
        "category": "Attendee", "consent": True}).get_json()
    # The API answers programs, which need whole addresses: the configured base.
    manage_url = registered["manage_url"]
    assert manage_url.startswith(BASE + "/r/")
    assert registered["badge_url"].startswith(BASE) and registered["calendar_url"]
    token = manage_url.rsplit("/", 1)[1]

    manage = client.get(f"/r/{token}").get_data(as_text=True)
    assert f'href="/r/{token}/badge.pdf"' in manage
    assert f'href="/r/{token}/calendar.ics"' in manage
    pages = {"manage": manage}
    for path in ("/events/vision-summit-2014", "/events/vision-summit-2014/register"):
        pages[path] = client.get(path).get_data(as_text=True)
    log_in(client, MODERATOR_EMAIL, "demo-moderator")
    pages["moderator"] = client.get("/moderator/").get_data(as_text=True)
    assert re.search(r'href="/moderator/calendar/[^"]+\.ics"', pages["moderator"])
    assert [name for name, html in pages.items() if "summit.test" in html] == []

    deliver(app)
    mail = next(m for m in eml_messages(app) if m["To"].addresses[0].addr_spec ==
                "zoe@example.org")
    assert manage_url in text_of(mail) and manage_url in html_of(mail)
    assert f"{manage_url}/badge.pdf" in text_of(mail)
    entry = ics_of(mail).walk("VEVENT")[0]
    assert str(entry["URL"]) == f"{BASE}/events/vision-summit-2014"
    calendar = client.get(f"/r/{token}/calendar.ics").get_data(as_text=True)
    assert f"{BASE}/events/vision-summit-2014" in calendar.replace("\r\n ", "")
