"""POST /api/v1/events/{slug}/checkins: every answer, what a badge's QR holds, bad input."""

from checkin_fixtures import *  # noqa: F403
from checkin_fixtures import checked_in_at, scan_rows

from summit.extensions import db
from summit.models import Registration
from summit.services.registrations import codes

URL = "/api/v1/events/test-summit/checkins"


def test_check_in_then_already_checked_in(app, client, auth, people):
    headers = auth.headers("staff")
    first = client.post(URL, json={"code": people.confirmed}, headers=headers)
    assert first.status_code == 200, first.get_json()
    body = first.get_json()
    assert body["result"] == "checked_in"
    assert body["attendee"] == {"first_name": "Zoë", "last_name": "Müller",
                                "category": "Attendee", "organisation": "Loop Textiles"}
    assert body["checked_in_at"] == checked_in_at(app, people.confirmed_id).isoformat()
    again = client.post(URL, json={"code": people.confirmed, "desk": "Desk 4"}, headers=headers)
    assert again.status_code == 200
    assert again.get_json()["result"] == "already_checked_in"
    assert again.get_json()["checked_in_at"] == body["checked_in_at"]
    assert [row[1] for row in scan_rows(app)] == ["checked_in", "already_checked_in"]


def test_organisers_may_check_in_too(client, auth, people):
    response = client.post(URL, json={"code": people.press}, headers=auth.headers("organiser"))
    assert response.status_code == 200
    assert response.get_json()["attendee"]["category"] == "Press"


def test_the_code_inside_a_url_and_as_a_scanner_sends_it(client, auth, people):
    headers = auth.headers("staff")
    url = f"https://summit.example/c/{people.confirmed}"
    assert client.post(URL, json={"code": url}, headers=headers).get_json()["result"] == \
        "checked_in"
    noisy = f"  {people.press.lower()}\r\n"
    assert client.post(URL, json={"code": noisy}, headers=headers).get_json()["result"] == \
        "checked_in"


def test_cancelled_and_waitlisted_are_conflicts(app, client, auth, people):
    headers = auth.headers("staff")
    for code, status in ((people.cancelled, "cancelled"), (people.waitlisted, "waitlisted")):
        response = client.post(URL, json={"code": code}, headers=headers)
        assert response.status_code == 409
        body = response.get_json()
        assert (body["status"], body["result"], body["error"]["status"]) == (status, status, 409)
        assert body["error"]["message"]
    assert [row[1] for row in scan_rows(app)] == ["cancelled", "waitlisted"]


def test_unknown_forged_truncated_and_other_event_codes_are_404(app, client, auth, people):
    headers = auth.headers("staff")
    # Forged inside the alphabet: one letter changed.
    forged = people.confirmed[:-1] + ("B" if people.confirmed[-1] != "B" else "C")
    for code in (forged, people.confirmed[:-1], people.other_event, "hello",
                 f"https://evil.example/{people.confirmed}?x"):
        response = client.post(URL, json={"code": code}, headers=headers)
        assert response.status_code == 404, code
        body = response.get_json()
        assert body["result"] == "unknown" and "attendee" not in body
        assert "Other" not in response.get_data(as_text=True)
    assert [row[1] for row in scan_rows(app)] == ["unknown"] * 5
    assert checked_in_at(app, people.confirmed_id) is None
    # The other event's own desk still gets a welcome for that code.
    other = client.post("/api/v1/events/other-summit/checkins",
                        json={"code": people.other_event}, headers=headers)
    assert other.get_json()["result"] == "checked_in"


def test_the_code_typed_in_groups_spaces_or_lower_case(app, client, auth, people):
    """The badge prints the code as "BCDF-GHJK-…" so that people can type it."""
    headers = auth.headers("staff")
    grouped = codes.grouped(people.confirmed)
    assert grouped.count("-") == 8
    for typed, result in ((grouped, "checked_in"), (grouped.lower(), "already_checked_in"),
                          (grouped.replace("-", " "), "already_checked_in"),
                          (f" {people.press[:18].lower()} {people.press[18:]}\n", "checked_in")):
        response = client.post(URL, json={"code": typed}, headers=headers)
        assert response.status_code == 200, typed
        assert response.get_json()["result"] == result
    # The record names the badge's code, not the typing.
    assert [row[0] for row in scan_rows(app)] == [people.confirmed] * 3 + [people.press]


def _give_legacy_code(app, code: str, checkin_code: str) -> None:
    with app.app_context():
        registration = db.session.scalar(db.select(Registration).where(
            Registration.checkin_code == checkin_code))
        registration.checkin_code = code
        db.session.commit()


LEGACY = "YZ3456789ABCDEFGHJKMNPQRSTZ"  # old alphabet, with the Y and Z a QWERTZ PC swaps
LEGACY_SWAPPED = "ZY3456789ABCDEFGHJKMNPQRSTY"


def test_old_codes_check_in_also_through_a_swapped_keyboard_layout(app, client, auth, people):
    _give_legacy_code(app, LEGACY, people.confirmed)
    headers = auth.headers("staff")
    swapped = client.post(URL, json={"code": LEGACY_SWAPPED}, headers=headers)
    assert swapped.status_code == 200, swapped.get_json()
    assert swapped.get_json()["result"] == "checked_in"
    assert swapped.get_json()["attendee"]["last_name"] == "Müller"
    assert client.post(URL, json={"code": LEGACY.lower()}, headers=headers).get_json()[
        "result"] == "already_checked_in"
    assert [row[:2] for row in scan_rows(app)] == [(LEGACY, "checked_in"),
                                                   (LEGACY, "already_checked_in")]


def test_the_swap_finds_no_other_event_and_no_forgery(app, client, auth, people):
    _give_legacy_code(app, LEGACY, people.other_event)
    headers = auth.headers("staff")
    forged = "ZY3456789ABCDEFGHJKMNPQRSTX"  # swapped, and one more letter wrong
    for code in (LEGACY, LEGACY_SWAPPED, forged, codes.grouped(LEGACY_SWAPPED)):
        response = client.post(URL, json={"code": code}, headers=headers)
        assert response.status_code == 404, code
        assert response.get_json()["result"] == "unknown"
    assert checked_in_at(app, people.confirmed_id) is None


def test_missing_or_empty_code_is_422_and_records_nothing(app, client, auth, people):
    headers = auth.headers("staff")
    for body in ({}, {"code": ""}, {"code": None}, {"desk": "Desk 1"}):
        response = client.post(URL, json=body, headers=headers)
        assert response.status_code == 422
        assert "code" in response.get_json()["errors"]
    assert client.post(URL, data="nope", headers=headers,
                       content_type="application/json").status_code == 400
    assert scan_rows(app) == []


def test_tokens_and_roles(app, client, auth, people):
    assert client.post(URL, json={"code": people.confirmed}).status_code == 401
    bad = client.post(URL, json={"code": people.confirmed},
                      headers={"Authorization": "Bearer smt_nope"})
    assert bad.status_code == 401
    moderator = client.post(URL, json={"code": people.confirmed},
                            headers=auth.headers("moderator"))
    assert moderator.status_code == 403
    assert scan_rows(app) == []
    unknown_event = client.post("/api/v1/events/nope/checkins", json={"code": people.confirmed},
                                headers=auth.headers("staff"))
    assert unknown_event.status_code == 404


def test_openapi_documents_the_endpoint(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/events/{slug}/checkins"]["post"]
    assert operation["security"] == [{"bearerAuth": []}]
    assert set(operation["responses"]) >= {"200", "401", "403", "404", "409", "422"}
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["code"]
    assert {"code", "desk", "scanned_at", "nonce"} == set(schema["properties"])
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert spec["components"]["schemas"][ok.rsplit("/", 1)[1]]["properties"]["result"]["enum"] \
        == ["checked_in", "already_checked_in", "conflict"]
    for name in ("Checkin", "CheckinAttendee", "CheckinRefused", "CheckinUnknown"):
        assert name in spec["components"]["schemas"]


def test_the_category_in_the_desks_language(client, auth, people):
    """A German desk reads "Presse", in the scan's answer and in the offline snapshot."""
    german = {**auth.headers("staff"), "Accept-Language": "de"}
    answer = client.post(URL, json={"code": people.press}, headers=german).get_json()
    assert answer["attendee"]["category"] == "Presse"
    snapshot = client.get(f"{URL}/snapshot", headers=german).get_json()
    assert {r["category"] for r in snapshot["registrations"]} >= {"Presse"}
    english = client.get(f"{URL}/snapshot", headers=auth.headers("staff")).get_json()
    assert "Presse" not in {r["category"] for r in english["registrations"]}
