import json
import re

EVENT = {
    "slug": "vision-summit-2026", "name": "Vision Summit 2026", "venue": "Allianz Forum",
    "timezone": "Europe/Berlin", "starts_on": "2026-09-10", "ends_on": "2026-09-11",
    "categories": [{"name": "Attendee", "capacity": 800}, {"name": "Press", "capacity": 20}],
}


def test_list_and_get_events(client, make_event, make_registration):
    make_event(categories=[{"name": "Attendee", "capacity": 2}])
    make_registration()
    make_registration(status="waitlisted")
    listed = client.get("/api/v1/events").get_json()
    assert listed == [{"slug": "test-summit", "name": "Test Summit", "venue": "Allianz Forum",
                       "timezone": "Europe/Berlin", "starts_on": "2030-09-10",
                       "ends_on": "2030-09-11",
                       "translations": {"en": {"name": "Test Summit", "description": ""},
                                        "de": {"name": "", "description": ""}}}]
    event = client.get("/api/v1/events/test-summit").get_json()
    category = event["categories"][0]
    assert (category["name"], category["capacity"], category["confirmed"],
            category["waitlisted"]) == ("Attendee", 2, 1, 1)
    assert isinstance(category["id"], int)


def test_unknown_event_is_a_json_404(client):
    response = client.get("/api/v1/events/nope")
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404


def test_create_event_needs_an_organiser_token(client, auth):
    assert client.post("/api/v1/events", json=EVENT).status_code == 401
    bad = client.post("/api/v1/events", json=EVENT, headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    moderator = client.post("/api/v1/events", json=EVENT, headers=auth.headers("moderator"))
    assert moderator.status_code == 403
    assert client.get("/api/v1/events").get_json() == []


def test_organiser_creates_an_event(client, auth):
    response = client.post("/api/v1/events", json=EVENT, headers=auth.headers())
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["slug"] == "vision-summit-2026"
    assert [(c["name"], c["capacity"]) for c in body["categories"]] == [
        ("Attendee", 800), ("Press", 20)]
    assert client.get("/api/v1/events/vision-summit-2026").status_code == 200


def test_duplicate_slug_is_a_conflict(client, auth):
    headers = auth.headers()
    client.post("/api/v1/events", json=EVENT, headers=headers)
    again = client.post("/api/v1/events", json=EVENT, headers=headers)
    assert again.status_code == 409
    assert "already exists" in again.get_json()["error"]["message"]
    german = client.post("/api/v1/events", json=EVENT,
                         headers=headers | {"Accept-Language": "de"})
    assert german.get_json()["error"]["message"] == (
        "Eine Veranstaltung mit diesem Kurznamen gibt es schon.")


def test_malformed_bodies_get_clear_errors_and_change_nothing(client, auth):
    headers = auth.headers()
    not_json = client.post("/api/v1/events", data="{nope", headers=headers,
                           content_type="application/json")
    assert not_json.status_code == 400
    assert "JSON object" in not_json.get_json()["error"]["message"]
    a_list = client.post("/api/v1/events", json=[1, 2], headers=headers)
    assert a_list.status_code == 400
    bad = dict(EVENT, slug="Not A Slug", ends_on="2026-09-01", timezone="Mars/Olympus",
               categories=[{"name": "", "capacity": -5}])
    response = client.post("/api/v1/events", json=bad, headers=headers)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) >= {"slug", "ends_on", "timezone", "categories[0].name",
                           "categories[0].capacity"}
    missing = client.post("/api/v1/events", json={}, headers=headers).get_json()["errors"]
    assert {"slug", "name", "starts_on", "ends_on"} <= set(missing)
    assert client.get("/api/v1/events").get_json() == []


def test_duplicate_category_names_are_refused(client, auth):
    body = dict(EVENT, categories=[{"name": "Press", "capacity": 1},
                                   {"name": "press", "capacity": 2}])
    response = client.post("/api/v1/events", json=body, headers=auth.headers())
    assert response.status_code == 422
    assert "categories" in response.get_json()["errors"]
    assert client.get("/api/v1/events").get_json() == []


def test_api_token_cli_prints_a_working_token(app, runner, auth, client):
    auth.make_user("cli@example.org", "organiser")
    result = runner.invoke(args=["create-api-token", "cli@example.org"])
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    response = client.post("/api/v1/events", json=EVENT,
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201
    from summit.extensions import db
    from summit.models import ApiToken

    with app.app_context():
        stored = db.session.scalars(db.select(ApiToken.token_hash)).all()
        assert token not in stored and len(stored[0]) == 64


def test_api_token_cli_unknown_user(runner):
    result = runner.invoke(args=["create-api-token", "ghost@example.org"])
    assert result.exit_code != 0 and "No user" in result.output


def test_api_errors_are_json(client):
    assert client.delete("/api/v1/events").status_code == 405
    assert client.delete("/api/v1/events").get_json()["error"]["status"] == 405
    assert client.get("/api/v1/nothing").get_json()["error"]["status"] == 404


def test_openapi_describes_every_endpoint(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.openapi_document":
            path = rule.rule.removeprefix("/api/v1").replace("<", "{").replace(">", "}")
            path = path.replace("{int:", "{")
            routes |= {(path, method) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == documented
    create = spec["paths"]["/events"]["post"]
    schema = create["requestBody"]["content"]["application/json"]["schema"]
    assert {"slug", "starts_on", "ends_on"} <= set(schema["required"])
    # The name in English or German (or both): neither alone is required.
    assert {"name", "name_de", "translations"} <= set(schema["properties"])
    assert schema["properties"]["categories"]["type"] == "array"
    assert create["security"] == [{"bearerAuth": []}]
    json.dumps(spec)


def test_wrong_json_types_are_named(client, auth):
    body = dict(EVENT, slug=False, categories=[{"name": "A", "capacity": "many"}, 7])
    response = client.post("/api/v1/events", json=body, headers=auth.headers())
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["slug"] == ["Must be a text."]
    assert errors["categories[0].capacity"] == ["Must be a whole number."]
    assert errors["categories[1]"] == ["Must be an object."]


def test_an_event_brings_its_own_colour(client, auth):
    headers = auth.headers()
    created = client.post("/api/v1/events", json=EVENT | {"primary_colour": "#8A1C7C"},
                          headers=headers)
    assert created.status_code == 201 and created.get_json()["primary_colour"] == "#8a1c7c"
    assert "theme.css?c=8a1c7c" in client.get(f"/events/{EVENT['slug']}").get_data(as_text=True)
    bad = client.post("/api/v1/events", json=EVENT | {"slug": "other", "primary_colour": "red"},
                      headers=headers)
    assert bad.status_code == 422 and "primary_colour" in bad.get_json()["errors"]
    assert client.get("/api/v1/events/other").status_code == 404


def test_an_empty_optional_colour_is_accepted_and_documented_as_such(client, auth):
    """Found by schemathesis: the form lets "" through Optional(), so the schema must too."""
    created = client.post("/api/v1/events", json=EVENT | {"primary_colour": ""},
                          headers=auth.headers())
    assert created.status_code == 201 and created.get_json()["primary_colour"] == "#0b5d66"
    schema = client.get("/api/v1/openapi.json").get_json()["paths"]["/events"]["post"]
    body = schema["requestBody"]["content"]["application/json"]["schema"]
    pattern = body["properties"]["primary_colour"]["pattern"]
    assert re.search(pattern, "") and re.search(pattern, "#8a1c7c")
    assert not re.search(pattern, "red")


def test_a_blank_colour_counts_as_none_given(client, auth):
    """Found by schemathesis: white space passed Optional() and was stored as the colour."""
    created = client.post("/api/v1/events", json=EVENT | {
        "primary_colour": "\f\v ", "categories": [
            {"name": "Attendee", "capacity": 5, "badge_colour": " \t"}]},
        headers=auth.headers())
    assert created.status_code == 201
    body = created.get_json()
    assert body["primary_colour"] == "#0b5d66"
    assert body["categories"][0]["badge_colour"] == "#0b5d66"
