"""The organiser's attendee pages: list, add, change, cancel, confirm, anonymise, audit."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from attendee_admin_fixtures import *  # noqa: F403
from attendee_admin_fixtures import (
    audit_actions,
    post_form,
    registration,
    registrations_of,
    url,
)
from conftest import csrf_token

from summit.extensions import db
from summit.models import CANCELLED, CONFIRMED, WAITLISTED, Event, OutboxMessage, Registration

ROW_NAME = re.compile(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>')


def listed(response) -> list[str]:
    assert response.status_code == 200
    return [html.unescape(name) for name in ROW_NAME.findall(response.data.decode())]


@pytest.fixture
def people(make_event, make_registration):
    make_event(categories=[{"name": "Attendee", "capacity": 3},
                           {"name": "Moderator", "capacity": 1, "is_public": False}])
    t0 = datetime(2030, 1, 1, 9, tzinfo=UTC)
    ids = {
        "mueller": make_registration(first_name="Jürgen", last_name="Müller",
                                     email="j.mueller@example.org", created_at=t0),
        "upper": make_registration(first_name="ÖZLEM", last_name="MÜLLER-LÜDENSCHEIDT",
                                   email="oezlem@example.com", created_at=t0 + timedelta(1),
                                   organisation="Stiftung Nord"),
        "schmidt": make_registration(first_name="Anna", last_name="Schmidt",
                                     email="anna@beispiel.de", organisation="Müllerei GmbH",
                                     created_at=t0 + timedelta(2)),
        "waiting": make_registration(first_name="Zoë", last_name="Adams", status=WAITLISTED,
                                     email="zoe@example.org", created_at=t0 + timedelta(3)),
        "gone": make_registration(first_name="Bob", last_name="Weiß", status=CANCELLED,
                                  email="bob@example.org", created_at=t0 + timedelta(4)),
        "moderator": make_registration(category="Moderator", first_name="Laura",
                                       last_name="Haverkamp", email="laura@example.org",
                                       created_at=t0 + timedelta(5)),
    }
    return ids


def test_search_is_case_insensitive_across_alphabets(organiser, people):
    found = listed(organiser.get(url("?q=müller")))
    # Name (also all capitals with umlauts) and organisation match; sorted by last name.
    assert found == ["Müller, Jürgen", "MÜLLER-LÜDENSCHEIDT, ÖZLEM", "Schmidt, Anna"]
    assert listed(organiser.get(url("?q=LÜDENSCHEIDT"))) == ["MÜLLER-LÜDENSCHEIDT, ÖZLEM"]
    assert listed(organiser.get(url("?q=özlem"))) == ["MÜLLER-LÜDENSCHEIDT, ÖZLEM"]
    assert listed(organiser.get(url("?q=BEISPIEL.DE"))) == ["Schmidt, Anna"]
    assert listed(organiser.get(url("?q=stiftung nord"))) == ["MÜLLER-LÜDENSCHEIDT, ÖZLEM"]
    assert listed(organiser.get(url("?q=Jürgen Müller"))) == ["Müller, Jürgen"]
    # SQL wildcards are searched for literally.
    assert listed(organiser.get(url("?q=%25"))) == []
    assert b"No one matches." in organiser.get(url("?q=nobody")).data


def test_filter_by_category_and_status(organiser, app, people):
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        moderator_id = next(c.id for c in event.categories if c.name == "Moderator")
    assert listed(organiser.get(url(f"?category={moderator_id}"))) == ["Haverkamp, Laura"]
    assert listed(organiser.get(url("?status=waitlisted"))) == ["Adams, Zoë"]
    assert listed(organiser.get(url("?status=cancelled"))) == ["Weiß, Bob"]
    assert listed(organiser.get(url(f"?status=waitlisted&category={moderator_id}"))) == []
    # Nonsense in the query string shows everything instead of failing.
    assert len(listed(organiser.get(url("?status=bogus&category=x&sort=evil&page=-3")))) == 6


def test_sorting(organiser, people):
    by_name = listed(organiser.get(url()))
    assert by_name == ["Adams, Zoë", "Haverkamp, Laura", "Müller, Jürgen",
                       "MÜLLER-LÜDENSCHEIDT, ÖZLEM", "Schmidt, Anna", "Weiß, Bob"]
    assert listed(organiser.get(url("?sort=name&direction=desc"))) == by_name[::-1]
    newest_first = listed(organiser.get(url("?sort=registered&direction=desc")))
    assert newest_first[:2] == ["Haverkamp, Laura", "Weiß, Bob"]
    assert newest_first[-1] == "Müller, Jürgen"
    by_category = listed(organiser.get(url("?sort=category")))
    assert by_category[-1] == "Haverkamp, Laura"
    by_status = listed(organiser.get(url("?sort=status")))
    assert by_status[0] == "Weiß, Bob"  # cancelled < confirmed < waitlisted
    assert by_status[-1] == "Adams, Zoë"


def _hundred_and_twenty(app, make_event, first_name: str, last_name: str) -> None:
    """An event with 120 confirmed people, last names numbered through `last_name`."""
    from summit.services.registrations import codes

    make_event(categories=[{"name": "Attendee", "capacity": 200}])
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        for number in range(120):
            email = f"p{number:03d}@example.org"
            db.session.add(Registration(
                event=event, category=event.categories[0], status=CONFIRMED,
                first_name=first_name, last_name=last_name.format(number), email=email,
                email_normalised=email, manage_token=codes.new_manage_token(),
                checkin_code=codes.new_checkin_code()))
        db.session.commit()


def test_pagination_shows_fifty_per_page(organiser, app, make_event):
    _hundred_and_twenty(app, make_event, "Person", "N{:03d}")
    first = organiser.get(url())
    assert len(listed(first)) == 50
    assert listed(first)[0] == "N000, Person"
    assert "1–50 of 120 people" in first.data.decode()
    assert link(first, "prev") is None
    second = organiser.get(link(first, "next"))
    assert listed(second)[0] == "N050, Person" and "51–100 of 120 people" in second.data.decode()
    third = organiser.get(link(second, "next"))
    assert listed(third)[0] == "N100, Person" and len(listed(third)) == 20
    assert "101–120 of 120 people" in third.data.decode() and link(third, "next") is None
    # Backwards from the third page, and the Last link: the last 50, counted from the end.
    assert listed(organiser.get(link(third, "prev"))) == listed(second)
    last = organiser.get(url("?last=1"))
    assert listed(last)[0] == "N070, Person" and "71–120 of 120 people" in last.data.decode()
    assert listed(organiser.get(link(last, "prev")))[0] == "N020, Person"
    # Old page numbers and cursors that do not fit the sort show the first page.
    for old in ("?page=3", "?page=99", "?after=bogus", "?before=%25%25",
                "?sort=registered&after=" + link(second, "next").split("after=")[1]):
        assert listed(organiser.get(url(old)))[0] in ("N000, Person", "N119, Person")
    # A cursor past the end shows the last page.
    assert listed(organiser.get(link(third, "prev").replace("before=", "after=")))
    # The filter stays in the page links.
    filtered = organiser.get(url("?q=person"))
    assert link(filtered, "next").startswith("/organiser/events/test-summit/attendees?after=")
    assert link(filtered, "next").endswith("&q=person")
    assert listed(organiser.get(link(filtered, "next")))[0] == "N050, Person"


def link(response, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', response.data.decode())
    return html.unescape(found.group(1)) if found else None


def test_counts_per_category_at_the_top(organiser, people):
    page = organiser.get(url()).data.decode()
    table = page.split('class="table counts-table"')[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    cells = [re.findall(r'<td class="num">(\d+)', row) for row in rows]
    # capacity, confirmed, waitlisted, cancelled
    assert cells[1] == ["3", "3", "1", "1"]  # Attendee
    assert cells[2] == ["1", "1", "0", "0"]  # Moderator
    assert cells[3] == ["4", "4", "1", "1"]  # Total
    assert "not public" in rows[2]


def test_dashboard_links_to_the_attendee_list(organiser, people):
    page = organiser.get("/organiser/").data.decode()
    assert 'href="/organiser/events/test-summit/attendees"' in page
    assert 'href="/organiser/events/test-summit/audit"' in page


def test_add_a_moderator_beyond_capacity(organiser, app, people):
    data = {"first_name": "Norbert", "last_name": "Kunz", "email": "Norbert@Example.org",
            "organisation": "", "language": "de", "needs": ""}
    with app.app_context():
        moderator = db.session.scalar(db.select(Event)).categories[1]
        data["category"] = moderator.id
    response = post_form(organiser, url("/new"), {**data, "allow_over_capacity": "y"})
    assert response.status_code == 302
    added = registrations_of(app)[-1]
    assert (added.full_name, added.status, added.category_id) == (
        "Norbert Kunz", CONFIRMED, data["category"])
    action, user_id, target_id, details = audit_actions(app)[-1]
    assert (action, target_id, details["over_capacity"]) == ("registration.create", added.id,
                                                            True)
    assert user_id is not None
    # Without the tick, the full category puts the next person on its waiting list.
    response = post_form(organiser, url("/new"), {**data, "email": "second@example.org"})
    assert response.status_code == 302
    assert registrations_of(app)[-1].status == WAITLISTED
    follow = organiser.get(response.headers["Location"])
    assert "waiting list" in follow.data.decode()


def test_organiser_adds_people_while_registration_is_closed(organiser, app, make_event):
    make_event(registration_closes_at=datetime(2000, 1, 1, tzinfo=UTC))
    with app.app_context():
        category_id = db.session.scalar(db.select(Event)).categories[0].id
    response = post_form(organiser, url("/new"), {
        "first_name": "Late", "last_name": "Comer", "email": "late@example.org",
        "category": category_id, "language": "en"})
    assert response.status_code == 302
    assert registrations_of(app)[0].status == CONFIRMED


def test_bad_input_shows_errors_and_changes_nothing(organiser, app, people):
    with app.app_context():
        category_id = db.session.scalar(db.select(Event)).categories[0].id
    before = len(registrations_of(app))
    response = post_form(organiser, url("/new"), {
        "first_name": "", "last_name": "X", "email": "not-an-address",
        "category": category_id, "language": "en"})
    assert response.status_code == 422
    page = response.data.decode()
    assert 'id="first_name-error"' in page and 'id="email-error"' in page
    duplicate = post_form(organiser, url("/new"), {
        "first_name": "J", "last_name": "M", "email": "J.Mueller@example.org",
        "category": category_id, "language": "en"})
    assert duplicate.status_code == 422
    assert "already registered" in duplicate.data.decode()
    assert len(registrations_of(app)) == before


def test_change_category_gives_the_old_place_to_the_next_waitlisted(organiser, app, people):
    with app.app_context():
        moderator_id = db.session.scalar(db.select(Event)).categories[1].id
    detail = url(f"/{people['mueller']}")
    # The moderator category is full: refused without the tick, nothing changes.
    refused = post_form(organiser, detail, {"category": moderator_id},
                        post_url=detail + "/category")
    assert refused.status_code == 422 and "full" in refused.data.decode()
    assert registration(app, people["mueller"]).category_id != moderator_id
    response = post_form(organiser, detail, {"category": moderator_id,
                                             "allow_over_capacity": "y"},
                         post_url=detail + "/category")
    assert response.status_code == 302
    moved = registration(app, people["mueller"])
    assert (moved.category_id, moved.status) == (moderator_id, CONFIRMED)
    assert registration(app, people["waiting"]).status == CONFIRMED  # moved up
    actions = [entry[0] for entry in audit_actions(app)]
    assert actions == ["registration.change_category"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.recipient == "zoe@example.org")) == 1


def test_cancel_needs_a_confirmation_step(organiser, app, people):
    cancel_url = url(f"/{people['mueller']}/cancel")
    page = organiser.get(cancel_url)
    assert page.status_code == 200 and "Yes, cancel the registration" in page.data.decode()
    assert registration(app, people["mueller"]).status == CONFIRMED  # GET changes nothing
    response = post_form(organiser, cancel_url, {})
    assert response.status_code == 302
    assert registration(app, people["mueller"]).status == CANCELLED
    assert registration(app, people["waiting"]).status == CONFIRMED
    action, user_id, target_id, details = audit_actions(app)[-1]
    assert (action, target_id, details["promoted"]) == ("registration.cancel",
                                                        people["mueller"], 1)


def test_confirm_from_the_waiting_list(organiser, app, people):
    detail = url(f"/{people['waiting']}")
    assert "position 1 on the waiting list" in organiser.get(detail).data.decode()
    refused = post_form(organiser, detail, {}, post_url=detail + "/confirm")
    assert refused.status_code == 422 and "This category is full." in refused.data.decode()
    assert registration(app, people["waiting"]).status == WAITLISTED
    response = post_form(organiser, detail, {"allow_over_capacity": "y"},
                         post_url=detail + "/confirm")
    assert response.status_code == 302
    assert registration(app, people["waiting"]).status == CONFIRMED
    assert audit_actions(app)[-1][:3] == ("registration.confirm_from_waitlist",
                                          audit_actions(app)[-1][1], people["waiting"])


def test_audit_log_page_says_who_what_and_when_in_event_time(organiser, app, auth, people):
    post_form(organiser, url(f"/{people['mueller']}/cancel"), {})
    page = organiser.get("/organiser/events/test-summit/audit")
    assert page.status_code == 200
    text = page.data.decode()
    # One sentence: who, what, whom (by name, linked to the registration), what followed.
    assert re.search(r"organiser\S* cancelled the registration of <a href=\"[^\"]+/attendees/"
                     rf"{people['mueller']}\">Jürgen Müller</a>\. 1 person moved up from the "
                     r"waiting list\.", text), text[text.find("<tbody>"):text.find("</tbody>")]
    with app.app_context():
        from summit.i18n import format_datetime
        from summit.models import AuditEntry

        entry = db.session.scalar(db.select(AuditEntry))
        with app.test_request_context():
            shown = format_datetime(entry.created_at, "Europe/Berlin", "short")
    assert html.escape(shown) in text or shown in text


def test_anonymise_keeps_the_counts_true(organiser, app, people):
    from summit.services.registrations import attendees

    def counts():
        with app.app_context():
            event = db.session.scalar(db.select(Event))
            return [(c.confirmed, c.waitlisted, c.cancelled) for c in attendees.counts(event)]

    person = people["upper"]
    with app.app_context():
        from email.message import EmailMessage

        from summit.services.mail import outbox

        for recipient in ("oezlem@example.com", "someone.else@example.org"):
            message = EmailMessage()
            message["To"], message["Subject"] = recipient, "Hello ÖZLEM"
            message.set_content("x")
            outbox.queue(message)
        db.session.commit()
    before = counts()
    anonymise_url = url(f"/{person}/anonymise")
    assert "Yes, erase the personal data" in organiser.get(anonymise_url).data.decode()
    response = post_form(organiser, anonymise_url, {})
    assert response.status_code == 302
    erased = registration(app, person)
    assert erased.email == f"anonymised-{person}@invalid"
    assert "ÖZLEM" not in erased.full_name and erased.organisation == ""
    assert erased.anonymised_at is not None and erased.status == CONFIRMED
    assert counts() == before
    action, _user, target_id, details = audit_actions(app)[-1]
    assert (action, target_id) == ("registration.anonymise", person)
    assert "oezlem" not in str(details).lower() and "özlem" not in str(details).lower()
    assert "ÖZLEM" not in organiser.get(url()).data.decode()
    with app.app_context():  # mails to the person are gone, other mail stays
        assert list(db.session.scalars(db.select(OutboxMessage.recipient))) == [
            "someone.else@example.org"]
    # A second erasure is refused politely.
    again = organiser.get(anonymise_url)
    assert again.status_code == 302


def test_anonymise_scrubs_personal_data_from_earlier_audit_entries(app, people):
    from summit.services.platform import audit
    from summit.services.registrations import attendees

    with app.app_context():
        person = db.session.get(Registration, people["schmidt"])
        audit.record("registration.update", actor=None, event_id=person.event_id,
                     target=person, email=person.email, note="Anna Schmidt asked",
                     fields="needs")
        db.session.commit()
        attendees.anonymise(person, actor=None)
    details = [entry[3] for entry in audit_actions(app) if entry[2] == people["schmidt"]]
    assert details[0] == {"fields": "needs"}


@pytest.mark.parametrize("path", [
    "", "?q=x", ".csv", "/new", "/import", "/1", "/1/cancel", "/1/anonymise"])
def test_moderators_staff_and_strangers_are_kept_out(client, auth, people, path):
    target = url(path)
    anonymous = client.get(target)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    for role in ("moderator", "staff"):
        auth.login(f"{role}@example.org", role=role)
        assert client.get(target).status_code == 403
        token = csrf_token(client.get("/"))
        assert client.post(target, data={"csrf_token": token}).status_code in (403, 405)
        auth.logout()
    assert client.get("/organiser/events/test-summit/audit").status_code == 302


def test_posts_without_csrf_token_change_nothing(organiser, app, people):
    for path in (f"/{people['mueller']}/cancel", f"/{people['mueller']}/anonymise",
                 f"/{people['waiting']}/confirm"):
        response = organiser.post(url(path), data={"allow_over_capacity": "y"})
        assert response.status_code == 400
    assert registration(app, people["mueller"]).status == CONFIRMED
    assert registration(app, people["mueller"]).anonymised_at is None
    assert registration(app, people["waiting"]).status == WAITLISTED
    assert audit_actions(app) == []


def test_registration_of_another_event_is_not_found(organiser, app, make_event, people):
    make_event(slug="other-summit")
    assert organiser.get(f"/organiser/events/other-summit/attendees/{people['mueller']}") \
        .status_code == 404


def test_a_search_with_many_matches_says_more_than(organiser, app, make_event, monkeypatch):
    """A search's count stops at attendee_pages.COUNT_CAP (here 100): the page says "more
    than", in German too; the end of the list, reached by Next or Last, is counted exactly."""
    from summit.services.registrations import attendee_pages

    monkeypatch.setattr(attendee_pages, "COUNT_CAP", 100)
    _hundred_and_twenty(app, make_event, "Jürgen", "Müller {:03d}")
    first = organiser.get(url("?q=mueller"))
    assert len(listed(first)) == 50 and listed(first)[0] == "Müller 000, Jürgen"
    assert "1–50 of more than 100 people" in first.data.decode()
    german = organiser.get(url("?q=mueller"), headers={"Accept-Language": "de"})
    assert "1–50 von mehr als 100 Personen" in german.data.decode()
    second = organiser.get(link(first, "next"))
    assert "51–100 of more than 100 people" in second.data.decode()
    third = organiser.get(link(second, "next"))
    assert "101–120 of 120 people" in third.data.decode() and link(third, "next") is None
    last = organiser.get(url("?q=mueller&last=1"))
    assert "71–120 of 120 people" in last.data.decode()
    assert listed(last)[0] == "Müller 070, Jürgen"
    assert "21–70 of more than 100 people" in organiser.get(link(last, "prev")).data.decode()
