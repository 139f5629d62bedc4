"""One folding rule for finding people (summit/text.py): the organiser's attendee list and the
check-in desk find the same people for the same words, whatever the spelling of umlauts,
accents and case, and the stored search key follows every change of a name."""

import html
import io
import re

import pytest
from attendee_admin_fixtures import *  # noqa: F403
from attendee_admin_fixtures import post_form, url
from conftest import csrf_token

from summit.extensions import db
from summit.models import Registration

ROW_NAME = re.compile(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>')
DESK_NAME = re.compile(r'<li class="search-result">\s*<div[^>]*>\s*<strong>([^<]+)</strong>')

# query -> who both doors must find (as "First Last")
EXPECTED = {
    "mueller": {"Zoë Müller", "Hans Mueller"},
    "muller": {"Zoë Müller"},
    "Müller": {"Zoë Müller", "Hans Mueller"},
    "MÜLLER": {"Zoë Müller", "Hans Mueller"},
    "zoe muller": {"Zoë Müller"},
    "Jose": {"José García"},
    "garcia": {"José García"},
    "lukasz": {"Łukasz Wiśniewski"},
    "WISNIEWSKI": {"Łukasz Wiśniewski"},
    "strasse": {"Anna Straße"},
    "Straße": {"Anna Straße"},
    "example.net": {"Łukasz Wiśniewski"},
    "nobody": set(),
}


@pytest.fixture
def folks(make_event, make_registration):
    make_event(categories=[{"name": "Attendee", "capacity": 50}])
    # E-mail addresses that do not spell the names, so only the names can match.
    make_registration(first_name="Zoë", last_name="Müller", email="zm@example.org")
    make_registration(first_name="Hans", last_name="Mueller", email="hm@example.org")
    make_registration(first_name="José", last_name="García", email="jg@example.org")
    make_registration(first_name="Łukasz", last_name="Wiśniewski", email="lw@example.net")
    make_registration(first_name="Anna", last_name="Straße", email="as@example.org")


def organiser_finds(client, query: str) -> set[str]:
    response = client.get(url(""), query_string={"q": query})
    assert response.status_code == 200
    found = {html.unescape(name) for name in ROW_NAME.findall(response.get_data(as_text=True))}
    return {" ".join(reversed(name.split(", ", 1))) for name in found}


def desk_finds(client, query: str) -> set[str]:
    response = client.get("/desk/test-summit", query_string={"q": query})
    assert response.status_code == 200
    return {html.unescape(name).strip()
            for name in DESK_NAME.findall(response.get_data(as_text=True))}


@pytest.mark.parametrize("query", EXPECTED)
def test_organiser_list_and_desk_find_the_same_people(client, auth, folks, query):
    auth.login()  # organisers may use the desk too
    assert organiser_finds(client, query) == EXPECTED[query]
    assert desk_finds(client, query) == EXPECTED[query]


def test_the_search_key_follows_changes_of_the_name(app, client, auth, make_event):
    make_event()
    signed_up = client.post("/api/v1/events/test-summit/registrations", json={
        "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org",
        "category": "Attendee", "consent": True})
    assert signed_up.status_code == 201
    token = signed_up.get_json()["manage_url"].rsplit("/", 1)[1]
    page = client.get(f"/r/{token}")
    saved = client.post(f"/r/{token}", data={
        "first_name": "Ada", "last_name": "Łukasiewicz", "organisation": "Königliche Gesellschaft",
        "language": "en", "csrf_token": csrf_token(page)})
    assert saved.status_code == 302
    auth.login()
    assert organiser_finds(client, "lukasiewicz") == {"Ada Łukasiewicz"}
    assert organiser_finds(client, "koenigliche") == {"Ada Łukasiewicz"}
    assert organiser_finds(client, "lovelace") == set()
    assert desk_finds(client, "LUKASIEWICZ") == {"Ada Łukasiewicz"}

    with app.app_context():
        person = db.session.scalar(db.select(Registration.id))
    post_form(client, url(f"/{person}/anonymise"), {})
    assert organiser_finds(client, "lukasiewicz") == set()
    assert desk_finds(client, "lukasiewicz") == set()


def test_an_imported_person_is_found_folded(client, auth, make_event):
    make_event()
    auth.login()
    data = "first_name;last_name;email;category\nJürgen;Weiß;jw@example.org;Attendee\n"
    page = client.get(url("/import"))
    response = client.post(url("/import"), data={
        "file": (io.BytesIO(data.encode()), "people.csv"),
        "csrf_token": csrf_token(page)}, content_type="multipart/form-data")
    assert response.status_code == 302
    assert organiser_finds(client, "juergen weiss") == {"Jürgen Weiß"}
    assert desk_finds(client, "jurgen") == {"Jürgen Weiß"}
