"""The sign-up's busy path (busy_signup.sign_up_at_once: one message on PostgreSQL, a few Core
statements on SQLite) stores what the readable path (registrations.register) stores, queues
the same confirmation, writes nothing for anything that is not a plain sign-up, and leaves
the API's answers to everything else as they were."""

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa
from registration_fixtures import *  # noqa: F403
from registration_fixtures import counts, deliver, eml_messages

from summit.extensions import autocommit_connection, db
from summit.models import CANCELLED, Category, OutboxMessage, Registration, utcnow
from summit.services import checkin, events, registrations
from summit.services.questions import admin
from summit.services.registrations import attendees, busy_signup

SLUG = "test-summit"
API = f"/api/v1/events/{SLUG}/registrations"
PLAIN = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org",
         "category": "Attendee", "consent": True}
# Umlauts, a Chinese name, an emoji (and a quote, a backslash and a placeholder for the
# client-side binding on PostgreSQL): what the busy path must store as the readable one does.
DETAILS = {"first_name": " Zoë 小明 ", "last_name": "Müller-王", "language": "de",
           "organisation": "Lernbrücke 🌱 O'Brien \\ %(email)s", "needs": "Rollstuhl ♿\nvegan",
           "public_listing": True}
SAME = ("status", "first_name", "last_name", "organisation", "language", "needs",
        "public_listing", "sort_last", "sort_first", "event_id", "category_id",
        "cancelled_at", "checked_in_at", "badge_printed_at", "anonymised_at")


@pytest.fixture
def event(make_event):
    return make_event(categories=[
        {"name": "Attendee", "name_de": "Teilnehmende", "capacity": 10},
        {"name": "Staff", "capacity": 5, "is_public": False}])


@pytest.fixture
def summits(app, event, make_event, make_registration):
    """Besides the open event: a closed one, one not yet open, one that asks a required
    question; a registered and a cancelled address in the open one."""
    make_event("closed-summit", registration_closes_at=utcnow() - timedelta(hours=1))
    make_event("future-summit", registration_opens_at=utcnow() + timedelta(days=1))
    make_event("asking-summit")
    with app.app_context():
        admin.create(events.get_by_slug("asking-summit"), kind="text", label="Diet?",
                     label_de="Ernährung?", help_text="", help_text_de="", required=True,
                     category_ids=[])
    return {"taken": make_registration(email="taken@example.org"),
            "gone": make_registration(email="gone@example.org", status=CANCELLED,
                                      cancelled_at=utcnow())}


def _at_once(app, body, slug=SLUG, headers=None):
    from summit.i18n import current_language

    with app.test_request_context(headers=headers or {}):
        return busy_signup.sign_up_at_once(slug, body, language=current_language())


def _written(app) -> tuple:
    """Rows, outbox rows and every category's lock_version: all a sign-up could write."""
    with app.app_context():
        versions = tuple(db.session.scalars(sa.select(Category.lock_version)
                                            .order_by(Category.id)))
    return counts(app), versions


def _row(app, registration_id: int) -> dict:
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        return {column.name: getattr(registration, column.name)
                for column in Registration.__table__.columns}


def _queued(app) -> dict[int, OutboxMessage]:
    with app.app_context():
        rows = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return {row.registration_id: row for row in rows}


@contextmanager
def _checkouts(app):
    """The pool checkouts made inside the block (a list, one entry per checkout)."""
    with app.app_context():
        pool = db.engine.pool
    made = []

    def checked_out(*_args):
        made.append(pool.checkedout())

    sa.event.listen(pool, "checkout", checked_out)
    try:
        yield made
    finally:
        sa.event.remove(pool, "checkout", checked_out)
    assert pool.checkedout() == 0


def _shape(message, row: dict) -> list:
    """The mail's parts with what is the person's own (address, token, code, ids) and what
    differs on every composition (Date, Message-ID, boundaries, DTSTAMP) taken out."""
    def plain(text: str) -> str:
        text = text.replace("\r\n ", "").replace("\n ", "")  # unfold iCalendar lines
        for own, mark in ((row["manage_token"], "TOKEN"), (row["checkin_code"], "CODE"),
                          (row["email"], "EMAIL")):
            text = text.replace(own, mark)
        return re.sub(r"(DTSTAMP|UID):\S+", r"\1:", text)

    parts = [plain(f"{message['Subject']}|{message['To']}")]
    for part in message.walk():
        if part.is_multipart():
            parts.append(part.get_content_type())
        else:
            parts.append((part.get_content_type(), part.get_filename(),
                          plain(part.get_payload(decode=True).decode())))
    return parts


def test_the_busy_and_the_readable_path_store_and_mail_the_same(app, event):
    """Same details, another address: every stored column, the queued confirmation and the
    mail the sender composes from it are the same on both ways."""
    busy = _at_once(app, DETAILS | {"email": "erste@example.org", "category": "teilnehmende",
                                    "consent": True})
    assert busy is not None and (busy.status, busy.waitlist_position) == ("confirmed", None)
    with app.app_context():
        readable_id = registrations.register(events.get_by_slug(SLUG), category="Attendee",
                                             email="zweite@example.org", **DETAILS).id
    mine, theirs = _row(app, busy.id), _row(app, readable_id)
    assert {name: mine[name] for name in SAME} == {name: theirs[name] for name in SAME}
    assert (mine["first_name"], mine["organisation"]) == ("Zoë 小明", DETAILS["organisation"])
    assert (mine["status"], mine["language"], mine["public_listing"]) == ("confirmed", "de",
                                                                          True)
    assert mine["search_key"].replace("erste@", "zweite@") == theirs["search_key"]
    assert "mueller" in mine["search_key"]
    assert mine["manage_token"] == busy.manage_token
    for row, address in ((mine, "erste@example.org"), (theirs, "zweite@example.org")):
        assert (row["email"], row["email_normalised"]) == (address, address)
        assert row["consent_at"] == row["created_at"] == row["confirmed_at"] is not None
        assert row["consent_at"].utcoffset() == timedelta(0)
    assert abs(mine["created_at"] - theirs["created_at"]) < timedelta(minutes=5)  # same clock
    for name in ("manage_token", "checkin_code"):
        assert len(mine[name]) == len(theirs[name]) and mine[name] != theirs[name]
    queued = _queued(app)
    assert set(queued) == {busy.id, readable_id}

    def outbox_row(row):
        return (row.composer, row.waitlist_position, row.message, row.subject, row.status,
                row.attempts, row.last_error, row.sent_at)

    assert outbox_row(queued[busy.id]) == outbox_row(queued[readable_id]) == (
        "registration.confirmation", None, None, "", "pending", 0, "", None)
    assert (queued[busy.id].recipient, queued[readable_id].recipient) == (
        "erste@example.org", "zweite@example.org")

    assert len(deliver(app).sent) == 2
    by_address = {message["To"].addresses[0].addr_spec: message
                  for message in eml_messages(app)}
    first, second = by_address["erste@example.org"], by_address["zweite@example.org"]
    assert first["Subject"] == second["Subject"]
    assert "Test Summit" in first["Subject"] and "confirmed" not in first["Subject"]  # German
    assert "text/calendar" in [part.get_content_type() for part in first.iter_attachments()]
    assert _shape(first, mine) == _shape(second, theirs)


@pytest.mark.parametrize("case", [
    "unknown_slug", "closed", "not_yet_open", "asks_a_question", "staff_category",
    "unknown_category", "unknown_category_id", "consent_missing", "consent_yes",
    "extra_key", "answers", "int_first_name", "bool_category", "null_organisation",
    "bad_email", "non_ascii_local_part", "unknown_language", "taken", "taken_other_case",
    "cancelled", "not_an_object"])
def test_anything_but_a_plain_sign_up_writes_nothing_here(app, summits, case):
    """None, and not a row, an outbox row or a lock taken, for everything the readable way
    must judge; a duplicate address is caught by the unique key and rolled back."""
    body, slug = dict(PLAIN), SLUG
    change = {
        "unknown_slug": {}, "closed": {}, "not_yet_open": {}, "asks_a_question": {},
        "staff_category": {"category": "Staff"}, "unknown_category": {"category": "Nope"},
        "unknown_category_id": {"category": 99999}, "consent_yes": {"consent": "yes"},
        "extra_key": {"nickname": "Ada"}, "answers": {"answers": {}},
        "int_first_name": {"first_name": 5}, "bool_category": {"category": True},
        "null_organisation": {"organisation": None}, "bad_email": {"email": "not-an-email"},
        "non_ascii_local_part": {"email": "jürgen@example.org"},
        "unknown_language": {"language": "fr"}, "taken": {"email": "taken@example.org"},
        "taken_other_case": {"email": " Taken@EXAMPLE.org "},
        "cancelled": {"email": "gone@example.org"}, "consent_missing": {},
        "not_an_object": {},
    }[case]
    body.update(change)
    if case == "consent_missing":
        del body["consent"]
    slug = {"unknown_slug": "no-such-summit", "closed": "closed-summit",
            "not_yet_open": "future-summit", "asks_a_question": "asking-summit"}.get(case, slug)
    if case == "not_an_object":
        body = [PLAIN]
    before = _written(app)
    assert _at_once(app, body, slug) is None
    assert _written(app) == before
    # The same body made plain again is signed up here: the case alone made the difference.
    if case in ("staff_category", "extra_key", "bad_email", "taken"):
        signed_up = _at_once(app, PLAIN)
        assert signed_up is not None and signed_up.status == "confirmed"
        assert _row(app, signed_up.id)["email"] == "ada@example.org"
        (rows, queued), _versions = before
        assert _written(app)[0] == (rows + 1, queued + 1)


def test_the_api_answers_every_fallback_as_before(app, client, summits):
    """What the busy path hands on, the form and registrations.register answer as always."""
    before = counts(app)
    duplicate = client.post(API, json=PLAIN | {"email": "Taken@example.org"})
    assert duplicate.status_code == 409 and duplicate.json["reason"] == "duplicate"
    assert "/events/test-summit/resend" in duplicate.json["error"]["message"]
    closed = client.post("/api/v1/events/closed-summit/registrations", json=PLAIN)
    assert (closed.status_code, closed.json["reason"]) == (409, "registration_closed")
    future = client.post("/api/v1/events/future-summit/registrations", json=PLAIN)
    assert (future.status_code, future.json["reason"]) == (409, "registration_not_yet_open")
    assert client.post("/api/v1/events/no-such-summit/registrations",
                       json=PLAIN).status_code == 404
    bad = client.post(API, json=PLAIN | {"email": "not-an-email"})
    assert bad.status_code == 422 and set(bad.json["errors"]) == {"email"}
    assert bad.json["errors"]["email"] == ["Please enter a valid e-mail address."]
    asking = client.post("/api/v1/events/asking-summit/registrations", json=PLAIN)
    assert asking.status_code == 422
    assert [key.split(".")[0] for key in asking.json["errors"]] == ["answers"]
    assert counts(app) == before

    again = client.post(API, json=PLAIN | {"email": "gone@example.org", "first_name": "Grace"})
    assert again.status_code == 201 and again.json["id"] == summits["gone"]
    assert again.json["status"] == "confirmed"
    assert _row(app, summits["gone"])["first_name"] == "Grace"
    assert counts(app) == (before[0], before[1] + 1)  # taken up again: no new row
    # JSON's consent is a boolean: "yes" was refused before the busy path, and still is.
    yes = client.post(API, json=PLAIN | {"consent": "yes"})
    assert yes.status_code == 422 and yes.json["errors"] == {"consent": [
        "Must be true or false."]}
    assert counts(app) == (before[0], before[1] + 1)
    umlaut = client.post(API, json=PLAIN | {"email": "jürgen@example.org"})
    assert umlaut.status_code == 201 and umlaut.json["status"] == "confirmed"
    assert _row(app, umlaut.json["id"])["email"] == "jürgen@example.org"
    assert umlaut.headers["Location"].endswith(
        "/api/v1/registrations/" + umlaut.json["manage_url"].rsplit("/", 1)[1])


def test_the_waiting_list_positions_agree_everywhere(app, client, make_event):
    """Capacity 2, six sign-ups through the API: two confirmed, then places 1 to 4 in the
    order of sign-up, the same in the answer, in waitlist_position and in the outbox."""
    make_event(categories=[{"name": "Attendee", "capacity": 2}])
    answers = []
    with _checkouts(app) as made:
        for number in range(6):
            response = client.post(API, json=PLAIN | {"email": f"p{number}@example.org"})
            assert response.status_code == 201
            answers.append(response.json)
    assert len(made) == 6  # one connection each: every one went the busy way
    assert [answer["status"] for answer in answers] == ["confirmed"] * 2 + ["waitlisted"] * 4
    assert [answer["waitlist_position"] for answer in answers] == [None, None, 1, 2, 3, 4]
    queued = _queued(app)
    with app.app_context():
        for answer in answers:
            registration = db.session.get(Registration, answer["id"])
            assert registration.status == answer["status"]
            assert registrations.waitlist_position(registration) == \
                answer["waitlist_position"] == queued[answer["id"]].waitlist_position
            assert (registration.confirmed_at is None) == (answer["status"] == "waitlisted")
    assert [_row(app, answer["id"])["email"] for answer in answers] == [
        f"p{number}@example.org" for number in range(6)]


def test_both_paths_queue_people_in_the_order_they_had_the_lock(app, client, make_event):
    """Busy and readable sign-ups mixed on one waiting list (the readable one has a
    non-ASCII address): one clock orders them (places.lock_moment), so the positions told
    are the positions held, and a freed place goes to the first of them."""
    make_event(categories=[{"name": "Attendee", "capacity": 1}])
    emails = ["a@example.org", "b@example.org", "jürgen@example.org", "d@example.org"]
    answers = [client.post(API, json=PLAIN | {"email": email}).json for email in emails]
    assert [answer["waitlist_position"] for answer in answers] == [None, 1, 2, 3]
    with app.app_context():
        people = [db.session.get(Registration, answer["id"]) for answer in answers]
        assert [registrations.waitlist_position(person) for person in people] == [None, 1, 2, 3]
        registrations.cancel(people[0])
        assert [person.status for person in people] == [
            "cancelled", "confirmed", "waitlisted", "waitlisted"]
        assert [registrations.waitlist_position(person) for person in people[2:]] == [1, 2]


def test_a_number_names_the_category_as_the_form_reads_it(app, client, make_event):
    """The form reads a JSON number as text: a category named "7" before the one with id 7.
    The busy path picks the same one."""
    make_event(categories=[{"name": "Attendee", "capacity": 5}, {"name": "Press", "capacity": 5}])
    with app.app_context():
        attendee, press = db.session.scalars(sa.select(Category).order_by(Category.id)).all()
        press.name, attendee_id = str(attendee.id), attendee.id
        db.session.commit()
    busy = _at_once(app, PLAIN | {"category": attendee_id})
    readable = client.post(API, json=PLAIN | {"category": attendee_id, "answers": {},
                                              "email": "r@example.org"}).json
    assert _row(app, busy.id)["category_id"] == _row(app, readable["id"])["category_id"] \
        != attendee_id


@pytest.mark.parametrize("query, headers, expected", [
    ("", {"Accept-Language": "de"}, "de"),
    ("", {"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}, "de"),
    ("", {"Accept-Language": "de-CH, en;q=0.5"}, None),
    ("?lang=de", {"Accept-Language": "en"}, "de"),
    ("", {"Accept-Language": "fr"}, None),
    ("", {}, None),
])
def test_the_language_comes_from_the_request_as_on_the_readable_path(app, client, event,
                                                                     query, headers,
                                                                     expected):
    """Without `language` in the body, the busy path stores the request's language just as
    the form does for the same request (the form's way taken for `answers`)."""
    with _checkouts(app) as made:
        busy = client.post(API + query, json=PLAIN, headers=headers)
    assert busy.status_code == 201 and len(made) == 1
    readable = client.post(API + query, headers=headers,
                           json=PLAIN | {"email": "b@example.org", "answers": {}})
    assert readable.status_code == 201 and readable.json.keys() == busy.json.keys()
    for answer in (busy, readable):
        token = answer.json["manage_url"].removeprefix("http://localhost/r/")
        assert answer.headers["Location"] == f"http://localhost/api/v1/registrations/{token}"
        assert answer.json["badge_url"] == answer.json["manage_url"] + "/badge.pdf"
    stored = _row(app, busy.json["id"])["language"], _row(app, readable.json["id"])["language"]
    assert stored[0] == stored[1] == (expected or stored[1])
    explicit = client.post(API + query, json=PLAIN | {"email": "c@example.org",
                                                      "language": "en"}, headers=headers)
    assert _row(app, explicit.json["id"])["language"] == "en"


def test_a_busy_sign_up_is_found_by_the_desk_and_the_organiser_search(app, client, event):
    """'mueller', 'muller' and 'MÜLLER' find Müller signed up the busy way, on the desk's
    search and in the organiser's list (on SQLite through its trigram index)."""
    with _checkouts(app) as made:
        response = client.post(API, json=PLAIN | {"first_name": "Jörg", "last_name": "Müller",
                                                  "organisation": "Café 🌱"})
    assert response.status_code == 201 and len(made) == 1
    other = client.post(API, json=PLAIN | {"email": "x@example.org", "last_name": "Meier"})
    assert other.status_code == 201
    with app.app_context():
        found = events.get_by_slug(SLUG)
        for query in ("mueller", "muller", "MÜLLER", "jorg mueller", "cafe"):
            assert [r.id for r in checkin.search(found, query)] == [response.json["id"]], query
            listed = attendees.page_of_attendees(found, attendees.AttendeeQuery(search=query))
            assert [r.id for r in listed.items] == [response.json["id"]], query
            assert listed.total == 1


def test_a_plain_api_sign_up_takes_one_connection_and_gives_it_back(app, client, summits):
    """The busy path reads and writes on one pooled connection and the request takes no
    other; a duplicate, which the readable way then answers, takes a second."""
    with _checkouts(app) as made:
        response = client.post(API, json=PLAIN)
    assert response.status_code == 201 and response.json["status"] == "confirmed"
    assert made == [1]
    with _checkouts(app) as made:
        duplicate = client.post(API, json=PLAIN | {"first_name": "Augusta"})
    assert duplicate.status_code == 409 and len(made) == 2
    assert _row(app, response.json["id"])["first_name"] == "Ada"


def test_a_database_that_does_not_answer_in_time_gets_the_same_503(app, client, event):
    """PostgreSQL's busy path talks to psycopg itself: an error there is raised as
    SQLAlchemy raises it, so a lock wait cut off by lock_timeout is the readable path's
    503 with Retry-After, not a 500."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL's one-message write")
        db.engine.dispose()  # new connections, each with a short lock_timeout
        sa.event.listen(db.engine, "connect", _short_lock_timeout)
        category_id = db.session.scalar(sa.select(Category.id).where(Category.is_public))
        db.session.execute(sa.select(Category).where(Category.id == category_id)
                           .with_for_update())  # held by this session until rollback
        try:
            response = client.post(API, json=PLAIN)
        finally:
            db.session.rollback()
            sa.event.remove(db.engine, "connect", _short_lock_timeout)
    assert response.status_code == 503 and response.headers.get("Retry-After")
    assert client.post(API, json=PLAIN).status_code == 201  # nothing was kept


def _short_lock_timeout(dbapi_connection, _record) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '300ms'")
    dbapi_connection.commit()


@pytest.mark.parametrize("lost", ["deallocated", "forgotten", "rolled_back"])
def test_a_connection_that_lost_or_kept_the_prepared_write_still_signs_up_once(app, event,
                                                                                lost):
    """The write is a statement each connection prepares once. A connection whose statement
    is gone (DEALLOCATE ALL, which psycopg sends itself after rolling back a transaction in
    which it had prepared statements of its own) or that prepared it unknown to us (a
    pooler's shared connection) signs up exactly once all the same."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL's prepared write")
        db.engine.dispose()  # from now on one pooled connection, the same each time
    first = _at_once(app, PLAIN)
    with app.app_context():
        with autocommit_connection() as connection:
            raw = connection.connection.driver_connection
            assert raw in busy_signup._PREPARED
            if lost == "deallocated":
                connection.exec_driver_sql("DEALLOCATE ALL")
            elif lost == "forgotten":
                busy_signup._PREPARED.discard(raw)
        if lost == "rolled_back":  # a request's transaction, psycopg preparing its statements
            for _ in range(6):
                db.session.execute(sa.select(Category.id)).all()
            db.session.rollback()
        with autocommit_connection() as connection:
            left = connection.exec_driver_sql(
                "SELECT count(*) FROM pg_prepared_statements").scalar()
        assert (left == 0) == (lost != "forgotten")
        assert (raw in busy_signup._PREPARED) == (lost == "deallocated")
    before = counts(app)
    second = _at_once(app, PLAIN | {"email": "grace@example.org", "first_name": "Grace"})
    assert (first.status, second.status) == ("confirmed", "confirmed")
    assert counts(app) == (before[0] + 1, before[1] + 1)
    assert _row(app, second.id)["first_name"] == "Grace"
