"""No overselling, ever: concurrent sign-ups and cancellations against a real server process
(gunicorn, two workers) on the test database (SQLite here, PostgreSQL when configured)."""

from live_helpers import burst, call
from registration_fixtures import *  # noqa: F403
from registration_fixtures import deliver

from summit.extensions import db
from summit.models import Category, Registration

CAPACITY = 10


def _state(app) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(db.select(Registration.status, db.func.count())
                                  .group_by(Registration.status))
        return dict(rows.all())


def test_concurrent_signups_and_cancellations_never_oversell(app, make_event, live_server):
    make_event(categories=[{"name": "Attendee", "capacity": CAPACITY}])
    url = f"{live_server.url}/api/v1/events/test-summit/registrations"

    def signup(number):
        return lambda: call("POST", url, {
            "first_name": "Person", "last_name": f"Nr. {number}",
            "email": f"person{number}@example.org", "category": "Attendee", "consent": True})

    # 40 people at once for 10 places.
    results = burst([signup(n) for n in range(40)])
    assert [status for status, _ in results if status != 201] == [], results
    statuses = [body["status"] for _, body in results]
    assert statuses.count("confirmed") == CAPACITY
    assert statuses.count("waitlisted") == 40 - CAPACITY
    assert _state(app) == {"confirmed": CAPACITY, "waitlisted": 30}

    # Five confirmed people cancel while twenty more sign up.
    confirmed_tokens = [body["manage_url"].rsplit("/", 1)[1]
                        for _, body in results if body["status"] == "confirmed"][:5]
    cancels = [lambda token=token: call("DELETE", f"{live_server.url}/api/v1/registrations/"
                                                  f"{token}") for token in confirmed_tokens]
    results = burst(cancels + [signup(n) for n in range(40, 60)])
    assert [status for status, _ in results if status not in (200, 201)] == [], results
    assert _state(app) == {"confirmed": CAPACITY, "waitlisted": 45, "cancelled": 5}

    with app.app_context():
        category = db.session.scalar(db.select(Category))
        assert category.lock_version == 40 + 25  # every write took the category lock
        # The five freed places went to the five longest waiting, in order.
        waiting_before = db.session.scalars(
            db.select(Registration).where(Registration.last_name.in_(
                [f"Nr. {n}" for n in range(40)]), Registration.status != "cancelled")
            .order_by(Registration.created_at, Registration.id)).all()
        assert all(r.status == "confirmed" for r in waiting_before[:CAPACITY])


def test_every_signup_of_a_burst_queues_its_own_mail(app, make_event, live_server):
    """Each sign-up of a burst queues its confirmation in its own transaction; the sender
    composes it: confirmed ones with the calendar entry named after their own row."""
    import email

    from icalendar import Calendar

    from summit.models import OutboxMessage

    make_event(categories=[{"name": "Attendee", "capacity": 6}])
    url = f"{live_server.url}/api/v1/events/test-summit/registrations"
    results = burst([lambda n=n: call("POST", url, {
        "first_name": "Person", "last_name": f"Nr. {n}", "email": f"mail{n}@example.org",
        "category": "Attendee", "consent": True}) for n in range(16)])
    assert sorted(status for status, _ in results) == [201] * 16, results
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 16
    assert len(deliver(app).sent) == 16
    with app.app_context():
        people = {r.email: r for r in db.session.scalars(db.select(Registration))}
        rows = db.session.scalars(db.select(OutboxMessage)).all()
        assert sorted(row.recipient for row in rows) == sorted(people)
        for row in rows:
            person = people[row.recipient]
            parsed = email.message_from_bytes(row.message)
            calendars = [part for part in parsed.walk()
                         if part.get_content_type() == "text/calendar"]
            if person.status == "confirmed":
                assert "confirmed" in row.subject
                entry = Calendar.from_ical(calendars[0].get_payload(decode=True))
                uids = [str(vevent["UID"]).split("@")[0] for vevent in entry.walk("VEVENT")]
                assert uids == [f"registration-{person.id}"]
            else:
                assert calendars == [] and "waiting list" in row.subject
        assert sum(r.status == "confirmed" for r in people.values()) == 6
