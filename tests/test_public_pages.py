"""The event's public list of attendees (only those who chose it) and its privacy notice."""

from summit.models import CANCELLED, WAITLISTED


def test_only_confirmed_people_who_chose_it_are_listed(client, make_event, make_registration):
    make_event()
    make_registration(first_name="Łukasz", last_name="Żółć", organisation="Stiftung Nord",
                      public_listing=True)
    make_registration(first_name="Anna", last_name="Adler", public_listing=True)
    make_registration(first_name="Hidden", last_name="Person", public_listing=False)
    make_registration(first_name="Waiting", last_name="Listed", public_listing=True,
                      status=WAITLISTED)
    make_registration(first_name="Gone", last_name="Away", public_listing=True,
                      status=CANCELLED)
    html = client.get("/events/test-summit/attendees").get_data(as_text=True)
    assert "2 people are listed." in html
    assert html.index("Anna Adler") < html.index("Łukasz Żółć")
    assert "Stiftung Nord" in html
    for name in ("Hidden", "Waiting", "Gone"):
        assert name not in html


def test_an_empty_list_says_so_in_german(client, make_event):
    make_event()
    html = client.get("/events/test-summit/attendees",
                      headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Wer kommt" in html and "Noch niemand" in html


def test_names_are_escaped(client, make_event, make_registration):
    make_event()
    make_registration(first_name="<script>alert(1)</script>", public_listing=True)
    html = client.get("/events/test-summit/attendees").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_privacy_notice_is_linked_from_the_form_and_the_event(client, make_event):
    make_event()
    link = 'href="/events/test-summit/privacy"'
    assert link in client.get("/events/test-summit/register").get_data(as_text=True)
    assert link in client.get("/events/test-summit").get_data(as_text=True)
    html = client.get("/events/test-summit/privacy").get_data(as_text=True)
    assert "The organisers of Test Summit are responsible" in html
    german = client.get("/events/test-summit/privacy",
                        headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Datenschutzhinweis" in german


def test_unknown_event_gives_404(client):
    assert client.get("/events/nope/attendees").status_code == 404
    assert client.get("/events/nope/privacy").status_code == 404
