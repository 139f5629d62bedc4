"""The check-in's busy path (one statement on PostgreSQL that scans a known badge, answers and
records it) gives the answers the readable path gives, and writes nothing for anything else;
the API token is checked without a transaction of the request's."""

from datetime import timedelta

import pytest
from checkin_fixtures import *  # noqa: F403
from checkin_fixtures import checked_in_at, scan_rows

from summit.extensions import db
from summit.models import ApiToken, CheckIn, Registration
from summit.services import checkin, events
from summit.services.platform import users

SLUG = "test-summit"


def _rows(app) -> list[tuple]:
    with app.app_context():
        return [(row.code, row.result, row.registration_id, row.desk, row.user_id,
                 row.scanned_at) for row in db.session.scalars(
                     db.select(CheckIn).order_by(CheckIn.id))]


def _id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(db.select(Registration.id)
                                 .where(Registration.checkin_code == code))


def test_first_scan_and_repeat_answer_and_record_like_the_readable_path(app, people, auth):
    user_id = auth.make_user("desk@summit.example", role="staff")
    with app.app_context():
        first = checkin.check_in_at_once(SLUG, people.confirmed, desk="  Desk 1  ",
                                         user_id=user_id)
        again = checkin.check_in_at_once(SLUG, people.confirmed, desk="Desk 2" + "x" * 80,
                                         user_id=None)
    assert (first.result, again.result) == ("checked_in", "already_checked_in")
    assert first.registration_id == again.registration_id == people.confirmed_id
    # "Already in at 09:12": the time of the first scan, as stored.
    assert first.checked_in_at == again.checked_in_at == checked_in_at(app, people.confirmed_id)
    assert first.attendee("de") == {"first_name": "Zoë", "last_name": "Müller",
                                    "category": "Attendee", "organisation": "Loop Textiles"}
    rows = _rows(app)
    assert [row[:5] for row in rows] == [
        (people.confirmed, "checked_in", people.confirmed_id, "Desk 1", user_id),
        (people.confirmed, "already_checked_in", people.confirmed_id, "Desk 2" + "x" * 54,
         None)]
    assert rows[0][5] == first.checked_in_at
    # The readable path, given the same badge now, agrees.
    with app.app_context():
        readable = checkin.scan(events.get_by_slug(SLUG), people.confirmed)
        assert (readable.result, readable.checked_in_at) == (again.result,
                                                              again.checked_in_at)
        assert readable.registration.checked_in_at == again.checked_in_at


def test_category_in_the_desks_language(app, people):
    with app.app_context():
        answer = checkin.check_in_at_once(SLUG, people.press, user_id=None)
    assert answer.attendee("de")["category"] == "Presse"
    assert answer.attendee("en")["category"] == "Press"


@pytest.mark.parametrize("case", ["cancelled", "waitlisted", "other_event", "unknown",
                                  "grouped", "wrong_event_slug", "none"])
def test_anything_else_writes_nothing_here(app, people, case):
    code = {"cancelled": people.cancelled, "waitlisted": people.waitlisted,
            "other_event": people.other_event, "unknown": "BCDFGHJKNPRSTXBCDFGHJKNPRSTXBCDFGHJK",
            "grouped": "-".join([people.confirmed[:4], people.confirmed[4:]]),
            "wrong_event_slug": people.confirmed, "none": None}[case]
    slug = "other-summit" if case == "wrong_event_slug" else SLUG
    with app.app_context():
        assert checkin.check_in_at_once(slug, code, user_id=None) is None
    assert scan_rows(app) == []
    assert checked_in_at(app, people.confirmed_id) is None


def test_the_api_answers_from_the_busy_path_as_before(app, client, people, auth):
    url = f"/api/v1/events/{SLUG}/checkins"
    headers = auth.headers("staff")
    first = client.post(url, json={"code": people.press.lower(), "desk": "Tür Süd"},
                        headers={**headers, "Accept-Language": "de"})
    repeat = client.post(url, json={"code": people.press}, headers=headers)
    grouped = client.post(url, json={"code": " ".join(
        [people.press[:9], people.press[9:]])}, headers=headers)
    assert first.status_code == repeat.status_code == grouped.status_code == 200
    assert first.json["result"] == "checked_in"
    assert first.json["attendee"] == {"first_name": "Jörg", "last_name": "Weiß",
                                      "category": "Presse", "organisation": "Tagesspiegel"}
    assert repeat.json["result"] == grouped.json["result"] == "already_checked_in"
    assert repeat.json["checked_in_at"] == first.json["checked_in_at"]
    assert repeat.json["attendee"]["category"] == "Press"
    press = _id(app, people.press)
    assert [row[:4] for row in _rows(app)] == [
        (people.press, "checked_in", press, "Tür Süd"),
        (people.press, "already_checked_in", press, "API"),
        (people.press, "already_checked_in", press, "API")]
    cancelled = client.post(url, json={"code": people.cancelled}, headers=headers)
    unknown = client.post(url, json={"code": "BCDFGHJKNPRSTXBCDFGHJKNPRSTXBCDFGHJK"},
                          headers=headers)
    missing = client.post("/api/v1/events/no-such-summit/checkins",
                          json={"code": people.press}, headers=headers)
    assert (cancelled.status_code, unknown.status_code, missing.status_code) == (409, 404, 404)
    assert len(_rows(app)) == 5


def test_the_token_check_opens_no_transaction_and_keeps_its_rules(app, auth):
    auth.make_user("desk@summit.example", role="staff")
    with app.app_context():
        user = users.find_by_email("desk@summit.example")
        token = users.issue_api_token(user, "Desk")
        db.session.remove()
        found = users.user_for_token(token)
        assert found.email == "desk@summit.example" and found in db.session
        # The token's read gave its connection back: the session holds none, so no BEGIN.
        assert db.engine.pool.checkedout() == 0
        assert not db.session.dirty
        # A user that came from the token behaves as one the session loaded.
        found.name = "Einlass Süd"
        db.session.commit()
        assert users.find_by_email("desk@summit.example").name == "Einlass Süd"
        stamp = db.session.scalar(db.select(ApiToken.last_used_at))
        assert stamp is not None
        # Written at most once a minute ...
        users.user_for_token(token)
        assert db.session.scalar(db.select(ApiToken.last_used_at)) == stamp
        # ... and again when it is older than that.
        db.session.execute(db.update(ApiToken).values(last_used_at=stamp - timedelta(minutes=2)))
        db.session.commit()
        users.user_for_token(token)
        assert db.session.scalar(db.select(ApiToken.last_used_at)) > stamp
        assert users.user_for_token(token + "x") is None
        users.find_by_email("desk@summit.example").active = False
        db.session.commit()
        assert users.user_for_token(token) is None


def test_the_desk_pages_scan_runs_on_the_sessions_own_connection(app, people):
    """The desk's page has loaded the event (and its user) on the session's connection: the
    scan must not take a second one from the pool, or a busy worker's desks would wait for
    each other's connections."""
    import sqlalchemy as sa

    with app.app_context():
        event = events.get_by_slug(SLUG)
        held = db.engine.pool.checkedout()
        extra = []

        def checked_out(*_args):
            extra.append(db.engine.pool.checkedout())

        sa.event.listen(db.engine.pool, "checkout", checked_out)
        try:
            first = checkin.scan(event, people.confirmed, desk="Desk 1")
            again = checkin.scan(event, people.confirmed.lower(), desk="Desk 1")
        finally:
            sa.event.remove(db.engine.pool, "checkout", checked_out)
        assert held == 1 and all(count <= 1 for count in extra)
        assert (first.result, again.result) == ("checked_in", "already_checked_in")
        assert first.registration.checked_in_at == again.checked_in_at
        assert first.registration.category.name == "Attendee"


def test_an_unknown_event_answers_404_before_the_body_is_judged(client, auth):
    headers = auth.headers("staff")
    for body in ({}, {"code": 5}, {"code": ""}):
        response = client.post("/api/v1/events/no-such-summit/checkins", json=body,
                               headers=headers)
        assert response.status_code == 404, body
    response = client.post("/api/v1/events/no-such-summit/checkins", data="not json",
                           headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 404


def _last_used(app, token: str):
    with app.app_context():
        return db.session.scalar(db.select(ApiToken.last_used_at)
                                 .where(ApiToken.token_hash == users._token_hash(token)))


def test_the_token_is_checked_in_the_scans_own_statement(app, people, auth):
    token = auth.token("tür@summit.example", "staff")
    holder = _id_of_user(app, "tür@summit.example")
    with app.app_context():
        first = checkin.check_in_for_token_holder(SLUG, people.confirmed, token=token,
                                                  roles=("organiser", "staff"), desk="Süd 🚪")
    assert first.result == "checked_in"
    # The record names the token's holder; the token's use is noted.
    assert [row[:5] for row in _rows(app)] == [
        (people.confirmed, "checked_in", people.confirmed_id, "Süd 🚪", holder)]
    stamp = _last_used(app, token)
    assert stamp is not None
    # Noted at most once a minute, as the usual check notes it ...
    with app.app_context():
        again = checkin.check_in_for_token_holder(SLUG, people.confirmed, token=token,
                                                  roles=("staff",))
    assert again.result == "already_checked_in"
    assert again.checked_in_at == first.checked_in_at
    assert _last_used(app, token) == stamp
    # ... and again once the stamp is older than that.
    with app.app_context():
        db.session.execute(db.update(ApiToken).values(last_used_at=stamp - timedelta(minutes=2)))
        db.session.commit()
        checkin.check_in_for_token_holder(SLUG, people.press, token=token, roles=("staff",))
    assert _last_used(app, token) > stamp
    assert len(_rows(app)) == 3


def _id_of_user(app, email: str) -> int:
    with app.app_context():
        return users.find_by_email(email).id


@pytest.mark.parametrize("case", ["wrong_role", "unknown_token", "inactive"])
def test_a_token_that_may_not_scan_writes_nothing(app, people, auth, case):
    token = auth.token("jemand@summit.example",
                   "moderator" if case == "wrong_role" else "staff")
    if case == "inactive":
        with app.app_context():
            users.find_by_email("jemand@summit.example").active = False
            db.session.commit()
    with app.app_context():
        answer = checkin.check_in_for_token_holder(
            SLUG, people.confirmed, token=token + ("x" if case == "unknown_token" else ""),
            roles=("organiser", "staff"))
    assert answer is None
    assert scan_rows(app) == []
    assert checked_in_at(app, people.confirmed_id) is None
    # A holder of the wrong role used the token, as the usual check (then 403) notes too.
    assert (_last_used(app, token) is not None) == (case == "wrong_role")


def test_the_api_checks_the_token_with_the_scan_and_answers_as_before(app, client, people,
                                                                       auth):
    url = f"/api/v1/events/{SLUG}/checkins"
    token = auth.token("einlass@summit.example", "staff")
    headers = {"Authorization": f"Bearer {token}"}
    for refused, status in (({"Authorization": f"Bearer {token}x"}, 401),
                            ({}, 401), (auth.headers("moderator"), 403)):
        response = client.post(url, json={"code": people.confirmed}, headers=refused)
        assert response.status_code == status
    assert scan_rows(app) == []
    first = client.post(url, json={"code": people.confirmed, "desk": "Nord"}, headers=headers)
    assert (first.status_code, first.json["result"]) == (200, "checked_in")
    assert _rows(app)[0][3:5] == ("Nord", _id_of_user(app, "einlass@summit.example"))
    # A body the busy path leaves alone gets the form's answer, and writes nothing.
    for body in ({"code": people.press, "desk": "Nord\nSüd"},
                 {"code": people.press, "desk": "x" * 61}):
        response = client.post(url, json=body, headers=headers)
        assert response.status_code == 422 and "desk" in response.json["errors"], body
    # One the form takes as well (a desk of null is no desk) is answered the usual way.
    other = client.post(url, json={"code": people.press, "desk": None}, headers=headers)
    assert (other.status_code, other.json["result"]) == (200, "checked_in")
    unknown = client.post(url, json={"code": "BCDFGHJKNPRSTXBCDFGHJKNPRSTXBCDFGHJK"},
                          headers=headers)
    assert (unknown.status_code, unknown.json["result"]) == (404, "unknown")
    assert [row[1] for row in _rows(app)] == ["checked_in", "checked_in", "unknown"]
    assert {row[4] for row in _rows(app)} == {_id_of_user(app, "einlass@summit.example")}


def test_the_busy_path_takes_only_bodies_the_scan_form_takes(app):
    """plain_scan may send to the form what the form would take, never the other way."""
    from werkzeug.datastructures import MultiDict

    from summit.api.core import _flatten
    from summit.checkin.forms import ScanForm, plain_scan

    texts = ["", " ", "\t", "A", "BCDF-GHJK", "Tür Süd 🚪", "x" * 60, "x" * 61, "a\nb",
             "\x7f", "Desk 1\r", "x" * 2000, "y" * 2001, "%(code)s", "王"]
    bodies = [{"code": code} for code in texts + [None, 5, True]]
    bodies += [{"code": "BCDF", "desk": desk} for desk in texts + [None, 7]]
    bodies += [{"code": "BCDF", "nonce": "n" * 10}, {"code": "BCDF", "scanned_at": ""},
               [], "BCDF", None]
    with app.test_request_context():
        for body in bodies:
            if plain_scan(body):
                form = ScanForm(formdata=MultiDict(_flatten(body)), meta={"csrf": False})
                assert form.validate(), (body, form.errors)
        assert plain_scan({"code": "BCDF", "desk": "Tür Süd 🚪"})
