"""POST /api/v1/events/{slug}/checkins: every answer, what a badge's QR holds, bad input."""

from checkin_fixtures import *  # noqa: F403
from checkin_fixtures import checked_in_at, scan_rows

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
    forged = people.confirmed[:-1] + ("A" if people.confirmed[-1] != "A" else "B")
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
    assert {"code", "desk"} == set(schema["properties"])
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert spec["components"]["schemas"][ok.rsplit("/", 1)[1]]["properties"]["result"]["enum"] \
        == ["checked_in", "already_checked_in"]
    for name in ("Checkin", "CheckinAttendee", "CheckinRefused", "CheckinUnknown"):
        assert name in spec["components"]["schemas"]
