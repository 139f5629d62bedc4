"""A badge run or a CSV export of thousands of people, served by gunicorn's gevent worker,
leaves that worker answering its other requests while it works (services/platform/turns.py):
here a desk that keeps scanning badges, each scan a write.

Before, on SQLite, a worker drawing badges answered nothing else until the PDF was done
(not one scan here, where 39-224 are answered now): not a desk's scan, not a live screen,
not gunicorn's heartbeat, which got it killed when the run took longer than the timeout.
On PostgreSQL the run already let others in while it waited for each batch of rows; the
tests hold both databases to the same."""

import json
import threading
import urllib.request

import pytest
import sqlalchemy as sa
from conftest import PASSWORD
from live_helpers import Browser

from summit.extensions import db
from summit.models import CONFIRMED, Event, Registration
from summit.services.registrations import codes

SLUG = "crowd-summit"
# Enough that the run lasts about a second on a quiet machine: long enough to count the
# scans answered meanwhile, short enough for the suite.
BADGES = 4000
EXPORTED = 20000
# Scans the worker must answer while the long request runs (none, before).
ANSWERED_MEANWHILE = 5


@pytest.fixture
def one_worker(monkeypatch, request):
    """The live server with one worker: every request below goes to the same process."""
    monkeypatch.setenv("SUMMIT_TEST_WORKERS", "1")
    return request.getfixturevalue("live_server")


def seed_crowd(app, make_event, speakers: int, attendees: int) -> list[str]:
    """Confirmed speakers and attendees, written in bulk; the attendees' check-in codes."""
    make_event(SLUG, categories=[{"name": "Speaker", "capacity": speakers},
                                 {"name": "Attendee", "capacity": attendees}])
    with app.app_context():
        event = db.session.scalar(sa.select(Event).where(Event.slug == SLUG))
        rows = []
        for category, count in zip(event.categories, (speakers, attendees), strict=True):
            for number in range(count):
                email = f"person{number}@{category.name.lower()}.example.org"
                rows.append({
                    "event_id": event.id, "category_id": category.id, "status": CONFIRMED,
                    "first_name": "Zoë", "last_name": f"Müller {number}",
                    "organisation": "Stiftung Straßenkinder", "email": email,
                    "email_normalised": email, "manage_token": codes.new_manage_token(),
                    "checkin_code": codes.new_checkin_code()})
        for start in range(0, len(rows), 5000):
            db.session.execute(sa.insert(Registration), rows[start:start + 5000])
        db.session.commit()
    return [row["checkin_code"] for row in rows[speakers:]]


def scans_meanwhile(base: str, desk_headers: dict, badges: list[str], long_request):
    """Run long_request() while a desk scans the badges, one after another, again and
    again: its result, and how many scans were sent after it and answered before it was.
    Every scan must be answered as a scan is (200)."""
    finished, started = threading.Event(), threading.Event()
    answers: list[tuple[int, bool]] = []  # (status, sent and answered while it ran)

    def scan_again_and_again():
        number = 0
        while not finished.is_set():
            during = started.is_set()
            request = urllib.request.Request(
                f"{base}/api/v1/events/{SLUG}/checkins", method="POST",
                data=json.dumps({"code": badges[number % len(badges)], "desk": "Desk A"}).encode(),
                headers={**desk_headers, "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=120) as response:
                    status = response.status
            except OSError as exc:  # an HTTP error or none at all: the test says which
                status = getattr(exc, "code", repr(exc))
            answers.append((status, during and not finished.is_set()))
            number += 1

    desk = threading.Thread(target=scan_again_and_again)
    desk.start()
    started.set()
    try:
        result = long_request()
    finally:
        finished.set()
        desk.join(120)
    assert {status for status, _during in answers} == {200}
    return result, sum(1 for _status, during in answers if during)


def test_a_badge_run_leaves_the_worker_answering(app, make_event, auth, one_worker):
    badges = seed_crowd(app, make_event, speakers=BADGES, attendees=10)
    request = urllib.request.Request(
        f"{one_worker.url}/api/v1/events/{SLUG}/badges.pdf?category=Speaker",
        headers=auth.headers())

    def print_badges():
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.headers["X-Badge-Count"], response.read()

    (status, count, pdf), answered = scans_meanwhile(
        one_worker.url, auth.headers("staff"), badges, print_badges)
    assert (status, count) == (200, str(BADGES))
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert answered >= ANSWERED_MEANWHILE


def test_a_csv_export_leaves_the_worker_answering(app, make_event, auth, one_worker):
    badges = seed_crowd(app, make_event, speakers=10, attendees=EXPORTED - 10)
    email = "organiser@example.org"
    auth.make_user(email)
    organiser = Browser(one_worker.url)
    organiser.login(email, PASSWORD)

    def export():
        return organiser.request(f"/organiser/events/{SLUG}/attendees.csv")

    (status, text), answered = scans_meanwhile(
        one_worker.url, auth.headers("staff"), badges, export)
    assert status == 200
    lines = text.removeprefix("\ufeff").splitlines()
    assert len(lines) == EXPORTED + 1 and "Müller" in lines[-1]
    assert answered >= ANSWERED_MEANWHILE
