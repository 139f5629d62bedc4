"""A badge run or a CSV export of thousands of people, served by gunicorn's gevent worker,
leaves that worker answering its other requests while it works (services/platform/turns.py).

Before, on SQLite, a worker drawing badges answered nothing else until the PDF was done
(0 health checks here, where it answers 40-160 now): not a desk's scan, not a live screen,
not gunicorn's heartbeat, which got it killed when the run took longer than the timeout.
On PostgreSQL the run already let others in while it waited for each batch of rows; the
tests hold both databases to the same."""

import threading
import time
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
# health checks answered meanwhile, short enough for the suite.
BADGES = 4000
EXPORTED = 20000
# Health checks the worker must answer while the long request runs (none, before).
ANSWERED_MEANWHILE = 5


@pytest.fixture
def one_worker(monkeypatch, request):
    """The live server with one worker: every request below goes to the same process."""
    monkeypatch.setenv("SUMMIT_TEST_WORKERS", "1")
    return request.getfixturevalue("live_server")


def seed_crowd(app, make_event, speakers: int, attendees: int) -> None:
    make_event(SLUG, categories=[{"name": "Speaker", "capacity": speakers or 1},
                                 {"name": "Attendee", "capacity": attendees or 1}])
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


def answered_meanwhile(base: str, long_request) -> tuple[object, int]:
    """Run long_request() while another client asks /healthz again and again, each time on
    a new connection: its result, and how many health checks were sent after it and
    answered before it was."""
    finished = threading.Event()
    checks: list[tuple[float, float]] = []

    def ask_again_and_again():
        while not finished.is_set():
            sent = time.monotonic()
            with urllib.request.urlopen(base + "/healthz", timeout=120) as response:
                response.read()
            checks.append((sent, time.monotonic()))

    asking = threading.Thread(target=ask_again_and_again)
    asking.start()
    began = time.monotonic()
    try:
        result = long_request()
    finally:
        ended = time.monotonic()
        finished.set()
        asking.join(120)
    return result, sum(1 for sent, answered in checks if sent > began and answered < ended)


def test_a_badge_run_leaves_the_worker_answering(app, make_event, auth, one_worker):
    seed_crowd(app, make_event, speakers=BADGES, attendees=10)
    request = urllib.request.Request(
        f"{one_worker.url}/api/v1/events/{SLUG}/badges.pdf?category=Speaker",
        headers=auth.headers())

    def print_badges():
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.headers["X-Badge-Count"], response.read()

    (status, count, pdf), answered = answered_meanwhile(one_worker.url, print_badges)
    assert (status, count) == (200, str(BADGES))
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert answered >= ANSWERED_MEANWHILE


def test_a_csv_export_leaves_the_worker_answering(app, make_event, auth, one_worker):
    seed_crowd(app, make_event, speakers=10, attendees=EXPORTED - 10)
    auth.make_user()
    organiser = Browser(one_worker.url)
    organiser.login("organiser@example.org", PASSWORD)

    def export():
        return organiser.request(f"/organiser/events/{SLUG}/attendees.csv")

    (status, text), answered = answered_meanwhile(one_worker.url, export)
    assert status == 200
    lines = text.removeprefix("\ufeff").splitlines()
    assert len(lines) == EXPORTED + 1 and "Müller" in lines[-1]
    assert answered >= ANSWERED_MEANWHILE
