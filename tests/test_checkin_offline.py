"""Scans made offline and sent later: exactly once by nonce, the earliest scan decides, conflicts
between two desks, cancelled-after-snapshot flags, the snapshot (hashes, never codes)."""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from checkin_fixtures import *  # noqa: F403
from checkin_fixtures import checked_in_at
from conftest import csrf_token

from summit.extensions import db
from summit.models import CheckIn, Registration

URL = "/api/v1/events/test-summit/checkins"
DESK = "/desk/test-summit"
T0 = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def _at(minutes: int) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat()


def _rows(app):
    with app.app_context():
        return [(row.nonce, row.desk, row.result, row.flag, row.scanned_at)
                for row in db.session.scalars(db.select(CheckIn).order_by(CheckIn.scanned_at,
                                                                         CheckIn.id))]


def _sync(client, scans):
    token = csrf_token(client.get(DESK))
    return client.post(f"{DESK}/sync", json={"scans": scans},
                       headers={"X-CSRFToken": token, "Accept": "application/json"})


def _batches(people):
    desk1 = [
        {"code": people.confirmed, "scanned_at": _at(5), "nonce": "desk1-0001",
         "desk": "Desk 1", "local_answer": "checked_in"},
        {"code": people.press, "scanned_at": _at(6), "nonce": "desk1-0002", "desk": "Desk 1",
         "local_answer": "checked_in"},
        {"code": people.confirmed, "scanned_at": _at(7), "nonce": "desk1-0003",
         "desk": "Desk 1", "local_answer": "already_checked_in"},
    ]
    desk2 = [
        {"code": people.confirmed, "scanned_at": _at(3), "nonce": "desk2-0001",
         "desk": "Desk 2", "local_answer": "checked_in"},
        {"code": people.cancelled, "scanned_at": _at(4), "nonce": "desk2-0002",
         "desk": "Desk 2", "local_answer": "checked_in"},
        {"code": "BOGUS-CODE", "scanned_at": _at(4), "nonce": "desk2-0003", "desk": "Desk 2",
         "local_answer": "unknown"},
    ]
    return desk1, desk2


def test_same_batch_twice_and_out_of_order_counts_once(app, client, auth, people):
    auth.login("desk@example.org", role="staff")
    desk1, desk2 = _batches(people)
    # Desk 1 (later scans) arrives first, in reverse; then desk 2; then both again.
    first = _sync(client, list(reversed(desk1)))
    assert first.status_code == 200, first.get_data(as_text=True)
    assert _sync(client, desk2).status_code == 200
    again = _sync(client, desk2 + desk1)
    results = {item["nonce"]: item["result"] for item in again.get_json()["results"]}
    assert results == {"desk2-0001": "checked_in", "desk2-0002": "cancelled",
                       "desk2-0003": "unknown", "desk1-0001": "conflict",
                       "desk1-0002": "checked_in", "desk1-0003": "already_checked_in"}
    rows = _rows(app)
    assert len(rows) == 6  # every scan once
    assert checked_in_at(app, people.confirmed_id) == T0 + timedelta(minutes=3)
    flags = {nonce: flag for nonce, _desk, _result, flag, _at in rows}
    assert flags["desk2-0002"] == "cancelled" and flags["desk1-0001"] == ""
    with app.app_context():
        checked = db.session.scalar(db.select(db.func.count()).select_from(Registration)
                                    .where(Registration.checked_in_at.is_not(None)))
        assert checked == 2


def test_an_earlier_offline_scan_moves_the_online_check_in(app, client, auth, people):
    headers = auth.headers("staff")
    online = client.post(URL, json={"code": people.confirmed}, headers=headers)
    assert online.get_json()["result"] == "checked_in"
    earlier = datetime.now(UTC) - timedelta(minutes=10)
    body = {"code": people.confirmed, "scanned_at": earlier.isoformat(), "nonce": "offline-01",
            "desk": "Desk 3"}
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 200
    assert response.get_json()["result"] == "checked_in"
    assert response.get_json()["nonce"] == "offline-01"
    assert checked_in_at(app, people.confirmed_id) == earlier
    assert [row[2] for row in _rows(app)] == ["checked_in", "already_checked_in"]
    # The same nonce again: the same answer, nothing new recorded.
    assert client.post(URL, json=body, headers=headers).get_json()["result"] == "checked_in"
    assert len(_rows(app)) == 2


def test_api_refuses_bad_offline_input(app, client, auth, people):
    headers = auth.headers("staff")
    for body, field in (
        ({"code": people.confirmed, "scanned_at": _at(1), "nonce": "x"}, "nonce"),
        ({"code": people.confirmed, "scanned_at": "yesterday", "nonce": "abcdefgh1"},
         "scanned_at"),
        ({"code": people.confirmed, "scanned_at": "2026-11-30T08:00:00", "nonce": "abcdefgh2"},
         "scanned_at"),
        ({"code": people.confirmed, "nonce": "abcdefgh3",
          "scanned_at": (datetime.now(UTC) + timedelta(hours=2)).isoformat()}, "scanned_at"),
    ):
        response = client.post(URL, json=body, headers=headers)
        assert response.status_code == 422, body
        assert field in response.get_json()["error"]["fields"] \
            if "fields" in response.get_json()["error"] else field in str(response.get_json())
    assert _rows(app) == []


def test_unknown_and_cancelled_offline_scans_answer_like_online(app, client, auth, people):
    headers = auth.headers("staff")
    unknown = client.post(URL, json={"code": "nope", "scanned_at": _at(1),
                                     "nonce": "unknown-01"}, headers=headers)
    assert unknown.status_code == 404
    cancelled = client.post(URL, json={"code": people.cancelled, "scanned_at": _at(1),
                                       "nonce": "cancel-01"}, headers=headers)
    assert cancelled.status_code == 409
    assert [row[3] for row in _rows(app)] == ["", "cancelled"]


def test_sync_needs_login_csrf_and_a_list(app, client, auth, people):
    scans = [{"code": people.confirmed, "scanned_at": _at(1), "nonce": "nolog-001"}]
    assert client.post(f"{DESK}/sync", json={"scans": scans}).status_code in (302, 400)
    auth.login("desk@example.org", role="staff")
    assert client.post(f"{DESK}/sync", json={"scans": scans}).status_code == 400  # no CSRF
    assert _sync(client, "not a list").status_code == 422
    bad = _sync(client, [{"code": people.confirmed, "scanned_at": _at(1), "nonce": "短"},
                         "junk"]).get_json()["results"]
    assert [item["result"] for item in bad] == ["invalid", "invalid"]
    assert _rows(app) == []


def test_snapshot_holds_hashes_never_codes(app, client, auth, people):
    assert client.get(f"{URL}/snapshot").status_code == 401
    response = client.get(f"{URL}/snapshot", headers=auth.headers("staff"))
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    for code in (people.confirmed, people.press, people.cancelled, people.other_event):
        assert code not in text
    body = response.get_json()
    key = bytes.fromhex(body["key"])
    by_hash = {item["code_hash"]: item for item in body["registrations"]}
    mine = by_hash[hmac.new(key, people.confirmed.encode(), hashlib.sha256).hexdigest()]
    assert (mine["first_name"], mine["last_name"], mine["category"], mine["status"],
            mine["checked_in_at"]) == ("Zoë", "Müller", "Attendee", "confirmed", None)
    assert len(body["registrations"]) == 4  # this event only
    # The desk page reads it through the session; each user has their own key.
    auth.login("desk@example.org", role="staff")
    desk = client.get(f"{DESK}/snapshot.json")
    assert desk.status_code == 200 and desk.headers["Cache-Control"] == "no-store"
    assert desk.get_json()["key"] != body["key"]


def test_organiser_sees_conflicts_and_flags(app, client, auth, people):
    auth.login("desk@example.org", role="staff")
    desk1, desk2 = _batches(people)
    _sync(client, desk1 + desk2)
    auth.logout()
    auth.login()
    page = client.get("/organiser/events/test-summit/checkins").get_data(as_text=True)
    assert "Müller" in page and "Desk 1" in page and "Desk 2" in page
    assert "Ferreira" in page  # scanned after being cancelled
