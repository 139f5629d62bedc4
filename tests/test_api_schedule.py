"""The programme API: the schedule, and organiser calls through the same rules as the pages."""

from datetime import datetime

import pytest
from programme_fixtures import *  # noqa: F401,F403

from summit.extensions import db
from summit.models import AuditEntry, EventSession, ModeratorAssignment, Pitch


def api(programme_demo, rest: str = "") -> str:
    return f"/api/v1/events/{programme_demo.slug}{rest}"


def pitch_session(client, programme_demo) -> dict:
    sessions = client.get(api(programme_demo, "/schedule")).get_json()["sessions"]
    return next(s for s in sessions if s["id"] == programme_demo.pitch_session_id)


def test_schedule_has_times_with_the_event_offset(client, programme_demo):
    body = client.get(api(programme_demo, "/schedule")).get_json()
    assert body["timezone"] == "Europe/Berlin"
    assert len(body["sessions"]) == 10
    session = pitch_session(client, programme_demo)
    assert session["starts_at"] == "2014-09-10T11:00:00+02:00"
    assert session["ends_at"] == "2014-09-10T12:30:00+02:00"
    assert (session["kind"], session["room"], session["language"]) == ("pitch", "Plenarsaal",
                                                                       "de")
    assert session["moderators"] == [{"name": "Laura Haverkamp", "role": "lead"},
                                     {"name": "Norbert Kunz", "role": "co"}]
    pitches = session["pitches"]
    assert [p["position"] for p in pitches] == list(range(1, 11))
    bilingual = {"description", "translations"}  # tests/test_bilingual.py
    assert {k: v for k, v in pitches[0].items() if k not in bilingual} | {"id": 0} == {
        "id": 0, "position": 1, "title": "Lernpaten digital",
        "presenter": "Miriam Öztürk (sample)", "organisation": "Lernbrücke gGmbH",
        "starts_at": "2014-09-10T11:00:00+02:00", "ends_at": "2014-09-10T11:08:00+02:00",
        "pitch_minutes": 5, "qa_minutes": 3, "changeover_minutes": 1}
    starts = [datetime.fromisoformat(p["starts_at"]) for p in pitches]
    assert starts == sorted(starts)
    assert client.get("/api/v1/events/nope/schedule").status_code == 404


def test_organiser_endpoints_need_an_organiser_token(client, auth, programme_demo):
    sid = programme_demo.pitch_session_id
    calls = [
        ("post", "/sessions", {"title": "X", "starts_at": "2014-09-11T16:00",
                               "ends_at": "2014-09-11T17:00"}),
        ("post", f"/sessions/{sid}/pitches", {"title": "X", "presenter": "Y"}),
        ("put", f"/sessions/{sid}/pitches/order", {"pitch_ids": programme_demo.pitch_ids}),
        ("post", f"/sessions/{sid}/moderators", {"email": "jana.muster@example.org"}),
        ("get", "/schedule/warnings", None),
    ]
    for method, rest, body in calls:
        url = api(programme_demo, rest)
        assert getattr(client, method)(url, json=body).status_code == 401
        bad = getattr(client, method)(url, json=body, headers={"Authorization": "Bearer x"})
        assert bad.status_code == 401
        moderator = getattr(client, method)(url, json=body, headers=auth.headers("moderator"))
        assert moderator.status_code == 403
    assert len(client.get(api(programme_demo, "/schedule")).get_json()["sessions"]) == 10


def test_create_session_reads_local_times_in_the_event_timezone(client, auth, programme_demo):
    headers = auth.headers()
    response = client.post(api(programme_demo, "/sessions"), headers=headers, json={
        "title": "Abendprogramm: Begegnungen", "kind": "panel",
        "starts_at": "2014-09-11T16:00", "ends_at": "2014-09-11T15:00:00Z", "language": "de"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["starts_at"] == "2014-09-11T16:00:00+02:00"
    assert body["ends_at"] == "2014-09-11T17:00:00+02:00"
    assert (body["room"], body["kind"], body["pitches"]) == (None, "panel", [])


def test_bad_session_input_gets_field_errors_and_changes_nothing(client, auth, app,
                                                                 programme_demo):
    headers = auth.headers()
    base = {"title": "Workshop", "starts_at": "2014-09-11T16:00", "ends_at": "2014-09-11T17:00"}
    for change, field in [
        ({"ends_at": "2014-09-11T15:00"}, "ends_at"),
        ({"kind": "party"}, "kind"),
        ({"language": "fr"}, "language"),
        ({"room_id": 999999}, "room_id"),
        ({"starts_at": "morgen"}, "starts_at"),
        ({"title": ""}, "title"),
    ]:
        response = client.post(api(programme_demo, "/sessions"), json=base | change,
                               headers=headers)
        assert response.status_code == 422, (change, response.get_json())
        errors = response.get_json()["errors"]
        assert field in errors, (change, errors)
    assert "end after it starts" in client.post(
        api(programme_demo, "/sessions"), headers=headers,
        json=base | {"ends_at": "2014-09-11T15:00"}).get_json()["errors"]["ends_at"][0]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(EventSession)) == 10


@pytest.mark.parametrize(("starts_at", "ends_at", "refused_field"), [
    # The first day, 10 September, begins at 00:00 in Berlin, which is 22:00 UTC on the 9th.
    ("2014-09-09T23:30", "2014-09-10T00:30", "starts_at"),
    ("2014-09-09T21:30:00Z", "2014-09-09T22:30:00Z", "starts_at"),  # 23:30 Berlin on the 9th
    ("2014-09-09T22:30:00Z", "2014-09-09T23:30:00Z", None),  # 00:30 Berlin on the 10th
    # The last day, 11 September, ends at midnight in Berlin, which is 22:00 UTC on the 11th.
    ("2014-09-11T23:00", "2014-09-12T00:00", None),  # ending at midnight: still that day
    ("2014-09-11T23:00", "2014-09-11T22:30:00Z", "ends_at"),  # 00:30 Berlin on the 12th
    ("2014-09-12T00:00", "2014-09-12T01:00", "starts_at"),
    ("2014-09-11T22:00:00Z", "2014-09-11T23:00:00Z", "starts_at"),  # 00:00 Berlin on the 12th
])
def test_sessions_outside_the_event_days_are_refused_in_the_event_timezone(
        client, auth, app, programme_demo, starts_at, ends_at, refused_field):
    response = client.post(api(programme_demo, "/sessions"), headers=auth.headers(), json={
        "title": "Nachtprogramm", "kind": "panel", "starts_at": starts_at, "ends_at": ends_at})
    with app.app_context():
        stored = db.session.scalar(db.select(db.func.count()).select_from(EventSession))
    if refused_field is None:
        assert response.status_code == 201, response.get_json()
        assert stored == 11
        return
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["errors"][refused_field] == [
        "The session must take place on the event's days: September 10–11, 2014 "
        "(times in Europe/Berlin)."]
    assert stored == 10


def test_the_refusal_names_the_days_in_the_readers_language(client, auth, programme_demo):
    response = client.post(api(programme_demo, "/sessions"), json={
        "title": "Vorabend", "starts_at": "2014-09-09T19:00", "ends_at": "2014-09-09T21:00"},
        headers=auth.headers() | {"Accept-Language": "de"})
    assert response.status_code == 422
    assert response.get_json()["errors"]["starts_at"] == [
        "Die Session muss an den Tagen der Veranstaltung stattfinden: 10.–11. September 2014 "
        "(Zeiten in Europe/Berlin)."]


def test_create_pitch_and_bad_minutes(client, auth, app, programme_demo):
    headers = auth.headers()
    url = api(programme_demo, f"/sessions/{programme_demo.pitch_session_id}/pitches")
    negative = client.post(url, headers=headers, json={"title": "Neu", "presenter": "Zoë",
                                                       "qa_minutes": -3, "pitch_minutes": 0})
    assert negative.status_code == 422
    errors = negative.get_json()["errors"]
    assert "negative" in errors["qa_minutes"][0] and "at least one minute" in \
        errors["pitch_minutes"][0]
    unknown = client.post(url, headers=headers, json={"title": "Neu", "presenter": "Zoë",
                                                      "presenter_email": "nobody@example.org"})
    assert unknown.status_code == 422 and "presenter_email" in unknown.get_json()["errors"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Pitch)) == 10

    created = client.post(url, headers=headers, json={
        "title": "Bienen für Berlin", "presenter": "Chloé Dubois", "organisation": "Stadtbienen",
        "pitch_minutes": 4, "qa_minutes": 2, "changeover_minutes": 0,
        "presenter_email": "Sample.002@example.org"})
    assert created.status_code == 201, created.get_json()
    last = created.get_json()["pitches"][-1]
    assert (last["position"], last["title"], last["starts_at"], last["ends_at"]) == (
        11, "Bienen für Berlin", "2014-09-10T12:30:00+02:00", "2014-09-10T12:36:00+02:00")
    with app.app_context():
        assert db.session.get(Pitch, last["id"]).registration_id is not None
    workshop = next(s for s in client.get(api(programme_demo, "/schedule")).get_json()["sessions"]
                    if s["kind"] == "workshop")
    refused = client.post(api(programme_demo, f"/sessions/{workshop['id']}/pitches"),
                          headers=headers, json={"title": "X", "presenter": "Y"})
    assert refused.status_code == 422 and "pitch sessions" in str(refused.get_json())


def test_reorder_moves_times_in_the_api(client, auth, app, programme_demo):
    headers = auth.headers()
    url = api(programme_demo, f"/sessions/{programme_demo.pitch_session_id}/pitches/order")
    new_order = programme_demo.pitch_ids[1:] + programme_demo.pitch_ids[:1]
    response = client.put(url, json={"pitch_ids": new_order}, headers=headers)
    assert response.status_code == 200, response.get_json()
    pitches = pitch_session(client, programme_demo)["pitches"]
    assert [p["id"] for p in pitches] == new_order
    assert pitches[0]["title"] == "Solar Kiosks for Rural Markets"
    assert pitches[0]["starts_at"] == "2014-09-10T11:00:00+02:00"
    assert pitches[-1]["title"] == "Lernpaten digital"
    assert pitches[-1]["starts_at"] == "2014-09-10T12:21:00+02:00"
    with app.app_context():
        assert db.session.scalar(db.select(AuditEntry).where(
            AuditEntry.action == "pitches.reordered")).user_id is not None


def test_reorder_refuses_a_list_that_is_not_exactly_the_sessions_pitches(
        client, auth, programme_demo):
    headers = auth.headers()
    other = client.post(api(programme_demo, "/sessions"), headers=headers, json={
        "title": "Zweite Runde", "kind": "pitch", "starts_at": "2014-09-11T16:00",
        "ends_at": "2014-09-11T17:00"}).get_json()
    stranger = client.post(api(programme_demo, f"/sessions/{other['id']}/pitches"),
                           headers=headers, json={"title": "Gast", "presenter": "Ólafur"}
                           ).get_json()["pitches"][0]["id"]
    url = api(programme_demo, f"/sessions/{programme_demo.pitch_session_id}/pitches/order")
    ids = programme_demo.pitch_ids
    for body, words in [
        ({"pitch_ids": ids[:-1] + [stranger]}, "belongs to another session"),
        ({"pitch_ids": ids[:-1]}, "missing"),
        ({"pitch_ids": ids + ids[:1]}, "only once"),
        ({"pitch_ids": []}, "new order"),
        ({"pitch_ids": ["eins"]}, ""),
    ]:
        response = client.put(url, json=body, headers=headers)
        assert response.status_code == 422, (body, response.get_json())
        errors = response.get_json()["errors"]
        assert any(key.startswith("pitch_ids") for key in errors)
        assert words in str(errors)
    assert [p["id"] for p in pitch_session(client, programme_demo)["pitches"]] == ids
    other_pitches = client.get(api(programme_demo, f"/sessions/{other['id']}")).get_json()
    assert [p["id"] for p in other_pitches["pitches"]] == [stranger]


def test_assign_moderator_by_hand_and_double_booking_is_a_conflict(client, auth, app,
                                                                   programme_demo):
    headers = auth.headers()
    created = client.post(api(programme_demo, "/sessions"), headers=headers, json={
        "title": "Workshop: Wirkung messen II", "kind": "workshop",
        "starts_at": "2014-09-10T12:00", "ends_at": "2014-09-10T13:00"}).get_json()
    url = api(programme_demo, f"/sessions/{created['id']}/moderators")
    busy = client.post(url, headers=headers, json={"email": "norbert.kunz@vision-summit.example",
                                                   "role": "lead"})
    assert busy.status_code == 409
    message = busy.get_json()["error"]["message"]
    assert "Norbert Kunz already moderates" in message and "overlaps" in message
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ModeratorAssignment)
                                 .where(ModeratorAssignment.session_id == created["id"])) == 0

    ok = client.post(url, headers=headers, json={"email": "jana.muster@example.org",
                                                 "role": "lead"})
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json()["moderators"] == [{"name": "Jana Muster (sample)", "role": "lead"}]
    assert ok.get_json()["sequence"] == 1
    with app.app_context():
        assignment = db.session.scalar(db.select(ModeratorAssignment).where(
            ModeratorAssignment.session_id == created["id"]))
        assert assignment.pinned
    assert client.post(url, headers=headers, json={"role": "co"}).status_code == 422
    assert client.post(url, headers=headers, json={"user_id": 999999}).status_code == 422
    assert client.post(url, headers=headers, json={"email": "jana.muster@example.org",
                                                   "role": "boss"}).status_code == 422


def test_assigning_without_a_role_keeps_the_lead_and_fills_an_empty_lead(client, auth,
                                                                          programme_demo):
    """Without a role the API used to assign co-moderator, demoting a lead assigned again."""
    headers = auth.headers()
    url = api(programme_demo, f"/sessions/{programme_demo.pitch_session_id}/moderators")
    again = client.post(url, headers=headers,
                        json={"email": "laura.haverkamp@vision-summit.example"})
    assert again.status_code == 200, again.get_json()
    assert again.get_json()["moderators"] == [{"name": "Laura Haverkamp", "role": "lead"},
                                              {"name": "Norbert Kunz", "role": "co"}]

    created = client.post(api(programme_demo, "/sessions"), headers=headers, json={
        "title": "Abendpanel", "kind": "panel",
        "starts_at": "2014-09-10T17:30", "ends_at": "2014-09-10T18:30"}).get_json()
    url = api(programme_demo, f"/sessions/{created['id']}/moderators")
    first = client.post(url, headers=headers, json={"email": "jana.muster@example.org"})
    assert first.get_json()["moderators"] == [{"name": "Jana Muster (sample)", "role": "lead"}]
    second = client.post(url, headers=headers, json={"email": "sam.example@example.org"})
    assert [m["role"] for m in second.get_json()["moderators"]] == ["lead", "co"]
    # One lead per session: naming a new one makes the previous lead co-moderator.
    third = client.post(url, headers=headers, json={"email": "sam.example@example.org",
                                                    "role": "lead"})
    assert third.get_json()["moderators"] == [{"name": "Sam Example (sample)", "role": "lead"},
                                              {"name": "Jana Muster (sample)", "role": "co"}]


def test_warnings_endpoint(client, auth, programme_demo):
    headers = auth.headers()
    assert client.get(api(programme_demo, "/schedule/warnings"), headers=headers
                      ).get_json() == {"warnings": []}
    client.post(api(programme_demo, "/sessions"), headers=headers, json={
        "title": "Doppelt", "kind": "panel", "room_id": _plenarsaal(client, programme_demo),
        "starts_at": "2014-09-10T12:00", "ends_at": "2014-09-10T12:15"})
    warnings = client.get(api(programme_demo, "/schedule/warnings"), headers=headers
                          ).get_json()["warnings"]
    assert {w["code"] for w in warnings} == {"room_overlap"}
    assert any("Plenarsaal" in w["message"] for w in warnings)


def _plenarsaal(client, programme_demo) -> int:
    from summit.models import Room

    with client.application.app_context():
        return db.session.scalar(db.select(Room.id).where(Room.name == "Plenarsaal"))


def test_a_moment_far_from_the_present_is_refused_not_a_500(client, auth, make_event):
    """Found by schemathesis: 0001-01-01T00:00:00+00:01 has no UTC equivalent, and before
    about 1900 Berlin had an offset of +00:53:28 that ISO 8601 cannot write."""
    make_event()
    headers = auth.headers()
    for starts_at in ("0001-01-01T00:00:00+00:01", "0001-01-01T00:00", "0009-11-01T00:00Z"):
        response = client.post("/api/v1/events/test-summit/sessions", headers=headers, json={
            "title": "Panel", "starts_at": starts_at, "ends_at": "2030-09-10T12:00"})
        assert response.status_code == 422, response.get_json()
        assert "1900" in response.get_json()["errors"]["starts_at"][0]


def test_the_document_admits_what_the_api_accepts(client, auth, programme_demo):
    """Found by schemathesis once it reached the demo event: null counts as absent (the
    default role) and the moderator's e-mail is not checked as an address, so "" passes."""
    created = client.post(api(programme_demo, "/sessions"), headers=auth.headers(), json={
        "title": "Workshop: Wirkung messen III", "kind": "workshop",
        "starts_at": "2014-09-11T18:00", "ends_at": "2014-09-11T19:00"}).get_json()
    url = api(programme_demo, f"/sessions/{created['id']}/moderators")
    moderator = client.post(url, headers=auth.headers(), json={
        "email": "", "role": None, "user_id": None})
    assert moderator.status_code == 422  # nobody named: null and "" both count as absent
    assigned = client.post(url, headers=auth.headers(), json={
        "email": "jana.muster@example.org", "role": None, "user_id": None})
    assert assigned.status_code == 200
    # No role given: the session has no lead yet, so the first moderator leads it.
    assert assigned.get_json()["moderators"] == [{"name": "Jana Muster (sample)", "role": "lead"}]
    spec = client.get("/api/v1/openapi.json").get_json()
    body = spec["paths"]["/events/{slug}/sessions/{session_id}/moderators"]["post"]
    properties = body["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert properties["role"]["type"] == ["string", "null"]
    assert None in properties["role"]["enum"]
    assert properties["user_id"]["type"] == ["integer", "null"]
    assert "format" not in properties["email"]
