"""GET /api/v1/events/{slug}/badges.pdf: the print run for scripts."""

import pytest
from badges_fixtures import *  # noqa: F401,F403
from badges_fixtures import SLUG, check_in_all, check_pdf, printed_at

from summit.services.badges.layouts import LAYOUTS

URL = f"/api/v1/events/{SLUG}/badges.pdf"


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_layout_scans_and_checks_in(app, client, auth, people, layout):
    headers = auth.headers()
    response = client.get(URL, query_string={"layout": layout}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=badges-{SLUG}-{layout}.pdf")
    pages = check_pdf(response.data, people, people.confirmed.values())
    assert response.headers["X-Badge-Count"] == "11"
    assert response.headers["X-Badge-Pages"] == str(len(pages))
    assert response.headers["X-Badge-Missing-Glyphs"] == str(people.glyph_person)
    check_in_all(client, headers, [code for page in pages for code in page.codes])


def test_default_is_every_confirmed_every_time_and_filters(app, client, auth, people):
    headers = auth.headers()
    for _ in range(2):
        response = client.get(URL, headers=headers)
        check_pdf(response.data, people, people.confirmed.values())
    assert len(check_pdf(client.get(URL, headers=headers).data, people,
                         people.confirmed.values())) == 11  # A6: one page each

    again = client.get(URL, query_string={"unprinted": "true"}, headers=headers)
    assert again.status_code == 409
    assert "nothing to print" in again.get_json()["error"]["message"]


def test_category_and_not_printed(app, client, auth, people):
    headers = auth.headers()
    press = client.get(URL, query_string={"category": "press", "layout": "a4-4xa6"},
                       headers=headers)
    check_pdf(press.data, people, people.by_category["Press"])
    rest = client.get(URL, query_string={"unprinted": "1", "layout": "a4-8xa7"},
                      headers=headers)
    check_pdf(rest.data, people, set(people.confirmed.values()) - people.by_category["Press"])


def test_test_print_marks_nothing(app, client, auth, people):
    response = client.get(URL, query_string={"mark": "false"}, headers=auth.headers())
    check_pdf(response.data, people, people.confirmed.values())
    assert all(value is None for value in printed_at(app).values())


@pytest.mark.parametrize("query, field, text", [
    ({"layout": "a5"}, "layout", "a4-8xa7"),
    ({"category": "Speakers"}, "category", "Attendee, Press, Staff"),
    ({"unprinted": "maybe"}, "unprinted", "true or false"),
])
def test_bad_parameters_are_422_with_the_field(app, client, auth, people, query, field, text):
    response = client.get(URL, query_string=query, headers=auth.headers())
    assert response.status_code == 422
    body = response.get_json()
    assert text in body["errors"][field][0]
    assert all(value is None for value in printed_at(app).values())


def test_unknown_event_empty_event_and_auth(app, client, auth, make_event, people):
    headers = auth.headers()
    assert client.get("/api/v1/events/nope/badges.pdf", headers=headers).status_code == 404
    make_event(slug="quiet-summit")
    empty = client.get("/api/v1/events/quiet-summit/badges.pdf", headers=headers)
    assert empty.status_code == 409
    assert "no confirmed registrations" in empty.get_json()["error"]["message"]
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get(URL, headers=auth.headers("moderator")).status_code == 403
    assert client.get(URL, headers=auth.headers("staff")).status_code == 403
    assert all(value is None for value in printed_at(app).values())


def test_documented_as_pdf_with_query_parameters(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/events/{slug}/badges.pdf"]["get"]
    assert "application/pdf" in operation["responses"]["200"]["content"]
    assert {"409", "422", "404", "401", "403"} <= set(operation["responses"])
    names = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
    assert {"layout", "category", "unprinted"} <= names
    layout = next(p for p in operation["parameters"] if p["name"] == "layout")
    assert set(layout["schema"]["enum"]) == set(LAYOUTS)
