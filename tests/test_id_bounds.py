"""Ids from outside stay within the database's 32-bit ids. On PostgreSQL a larger number used
to reach the query and fail there ("integer out of range", a 500); now a URL with one is a
404 and a form or JSON body with one a 422. Run with SUMMIT_TEST_DATABASE_URL to see it on
PostgreSQL, where it matters (SQLite compares any integer)."""

import re

import pytest
from programme_fixtures import *  # noqa: F401,F403
from programme_fixtures import form_token

TOO_BIG = ["2147483648", "99999999999999999999"]
RULE_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def _routes_with_ids(app, slug: str, id_text: str):
    """(method, url) for every route with an id in its path, the id replaced by id_text."""
    for rule in app.url_map.iter_rules():
        converters = {converter for converter, _name in RULE_ARGUMENT.findall(rule.rule)}
        if "int" not in converters:
            continue

        def fill(match):
            converter, name = match.groups()
            return id_text if converter == "int" else (slug if name == "slug" else "next")

        url = RULE_ARGUMENT.sub(fill, rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, url


@pytest.mark.parametrize("id_text", TOO_BIG)
def test_an_id_too_big_for_the_database_in_any_url_is_a_404(app, organiser, auth,
                                                           programme_demo, id_text):
    headers = auth.headers()
    calls = list(_routes_with_ids(app, programme_demo.slug, id_text))
    assert len(calls) > 25  # pages, organiser pages, moderator pages and the API
    answers = {(method, url): organiser.open(url, method=method, headers=headers).status_code
               for method, url in calls}
    assert {call: status for call, status in answers.items() if status != 404} == {}
    # The largest id still reaches the view, which finds nothing.
    largest = f"/api/v1/events/{programme_demo.slug}/sessions/2147483647"
    assert organiser.get(largest).get_json()["error"]["status"] == 404


@pytest.mark.parametrize("id_text", TOO_BIG)
def test_an_id_too_big_in_a_json_body_is_a_422(client, auth, programme_demo, id_text):
    session = f"/api/v1/events/{programme_demo.slug}/sessions/{programme_demo.pitch_session_id}"
    too_big = int(id_text)
    reorder = client.put(session + "/pitches/order", headers=auth.headers(),
                         json={"pitch_ids": [*programme_demo.pitch_ids[1:], too_big]})
    assert reorder.status_code == 422
    last = f"pitch_ids[{len(programme_demo.pitch_ids) - 1}]"
    assert reorder.get_json()["errors"] == {last: ["There is nothing with this id."]}
    moderator = client.post(session + "/moderators", headers=auth.headers(),
                            json={"user_id": too_big})
    assert moderator.status_code == 422
    assert moderator.get_json()["errors"] == {"user_id": ["There is nothing with this id."]}


@pytest.mark.parametrize("id_text", TOO_BIG)
def test_an_id_too_big_in_a_page_form_is_refused(organiser, programme_demo, id_text):
    badges = f"/organiser/events/{programme_demo.slug}/badges"
    printed = organiser.post(badges, data={
        "registration": id_text, "layout": "a6", "csrf_token": form_token(organiser, badges)})
    assert printed.status_code == 422
    desk = f"/desk/{programme_demo.slug}"
    # The desk's buttons carry the id in a hidden field: a forged one is a bad request.
    checked_in = organiser.post(desk + "/checkin", data={
        "registration_id": id_text, "csrf_token": form_token(organiser, desk)})
    assert checked_in.status_code == 400


@pytest.mark.parametrize("page", [*TOO_BIG, "-3", "²", "two"])
def test_a_page_number_of_any_size_shows_a_page(organiser, programme_demo, page):
    for listing in ("attendees", "audit"):
        url = f"/organiser/events/{programme_demo.slug}/{listing}?page={page}"
        assert organiser.get(url).status_code == 200, url


def test_a_category_given_in_other_digits_is_a_422(client, programme_demo):
    """'²' counts as a digit to str.isdigit but not to int(): it used to end in a 500."""
    for category in ("²", "99999999999999999999"):
        response = client.post(f"/api/v1/events/{programme_demo.slug}/registrations", json={
            "first_name": "Zoë", "last_name": "Müller", "email": "zoe@example.org",
            "category": category, "consent": True})
        assert response.status_code == 422
        assert list(response.get_json()["errors"]) == ["category"]


def test_the_api_document_states_the_id_range(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    bounds = {"minimum": 1, "maximum": 2**31 - 1}
    order = paths["/events/{slug}/sessions/{session_id}/pitches/order"]["put"]
    session_id = next(p for p in order["parameters"] if p["name"] == "session_id")
    assert session_id["schema"] == {"type": "integer"} | bounds
    body = order["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["pitch_ids"]["items"].items() >= bounds.items()
    assign = paths["/events/{slug}/sessions/{session_id}/moderators"]["post"]
    user_id = assign["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert user_id["user_id"].items() >= bounds.items()
