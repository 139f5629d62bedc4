"""A workshop's places are never oversold: simultaneous sign-ups that choose the same option,
and cancellations racing them, against gunicorn with two workers (SQLite here, PostgreSQL when
SUMMIT_TEST_DATABASE_URL points at one)."""

from live_helpers import burst, call
from registration_fixtures import *  # noqa: F403

from summit.extensions import db
from summit.models import Event, QuestionOption
from summit.services.questions import admin
from summit.services.questions import answers as question_answers

SEATS = 4


def test_simultaneous_choices_never_overfill_an_option(app, make_event, live_server):
    make_event(categories=[{"name": "Attendee", "capacity": 100}])
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        question = admin.create(event, kind="multi", label="Workshops", label_de="Workshops",
                                help_text="", help_text_de="", required=True, category_ids=[],
                                options=[("Upcycling", "", SEATS), ("Solar", "", SEATS)])
        qid, (upcycling, solar) = question.id, [o.id for o in question.options]
    url = f"{live_server.url}/api/v1/events/test-summit/registrations"

    def signup(number, options):
        return lambda: call("POST", url, {
            "first_name": "Jörg", "last_name": f"Nr. {number}",
            "email": f"p{number}@example.org", "category": "Attendee", "consent": True,
            "answers": {str(qid): options}})

    # 24 people at once; every other one wants both workshops (one full one refuses both).
    results = burst([signup(n, [upcycling, solar] if n % 2 else [upcycling])
                     for n in range(24)])
    assert {status for status, _ in results} <= {201, 409}, results
    refused = [body for status, body in results if status == 409]
    assert all(f"answers.{qid}" in body["errors"] for body in refused)
    with app.app_context():
        taken = question_answers.taken_places([upcycling, solar])
        assert taken[upcycling] == SEATS and taken[solar] <= SEATS
        assert sum(status == 201 for status, _ in results) == SEATS

    # The people in Upcycling cancel while twelve more try to get in.
    tokens = [body["manage_url"].rsplit("/", 1)[1] for status, body in results
              if status == 201]
    cancels = [lambda token=token: call("DELETE", f"{live_server.url}/api/v1/registrations/"
                                                  f"{token}") for token in tokens]
    results = burst(cancels + [signup(n, [upcycling]) for n in range(100, 112)])
    assert {status for status, _ in results} <= {200, 201, 409}, results
    with app.app_context():
        assert question_answers.taken_places([upcycling])[upcycling] <= SEATS
        # Every successful write that filled the option took its lock first.
        assert db.session.get(QuestionOption, upcycling).lock_version >= SEATS
