"""The organiser's event settings: details, dates, registration window and colour."""

from datetime import UTC, datetime

from conftest import csrf_token

from summit.extensions import db
from summit.models import AuditEntry, Event

URL = "/organiser/events/test-summit/settings"


def form_data(page, **changes) -> dict:
    data = {"csrf_token": csrf_token(page), "name": "Test Summit", "venue": "Allianz Forum",
            "address": "", "description": "", "starts_on": "2030-09-10",
            "ends_on": "2030-09-11", "registration_opens_at": "",
            "registration_closes_at": "", "primary_colour": "#0b5d66"}
    return data | changes


def event(app) -> Event:
    with app.app_context():
        found = db.session.scalar(db.select(Event).where(Event.slug == "test-summit"))
        db.session.expunge(found)
        return found


def test_organiser_changes_the_event_and_it_shows(app, client, auth, make_event):
    make_event()
    auth.login()
    page = client.get(URL)
    assert page.status_code == 200 and 'type="color"' in page.get_data(as_text=True)
    saved = client.post(URL, data=form_data(page, name="Vision Summit 2030",
                                            primary_colour="#8A1C7C",
                                            registration_closes_at="2030-09-01T18:00"),
                        follow_redirects=True)
    assert "settings are saved" in saved.get_data(as_text=True)
    changed = event(app)
    assert changed.name == "Vision Summit 2030" and changed.primary_colour == "#8a1c7c"
    # 18:00 in Berlin (summer time) is 16:00 UTC.
    assert changed.registration_closes_at == datetime(2030, 9, 1, 16, 0, tzinfo=UTC)
    public = client.get("/events/test-summit").get_data(as_text=True)
    assert "Vision Summit 2030" in public and "theme.css?c=8a1c7c" in public
    with app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action ==
                                                              "event.update"))
        assert entry.details["fields"] == "name,registration_closes_at,primary_colour"


def test_closing_registration_closes_the_form(client, auth, make_event):
    make_event()
    auth.login()
    page = client.get(URL)
    client.post(URL, data=form_data(page, registration_closes_at="2020-01-01T00:00"))
    assert "closed" in client.get("/events/test-summit/register").get_data(as_text=True)


def test_bad_settings_are_explained_and_change_nothing(app, client, auth, make_event):
    make_event()
    auth.login()
    page = client.get(URL)
    for changes, message in [
        ({"ends_on": "2030-09-01"}, "The last day cannot be before the first day."),
        ({"registration_opens_at": "2030-08-01T10:00",
          "registration_closes_at": "2030-07-01T10:00"}, "Registration must close after"),
        ({"primary_colour": "red"}, "Use a colour such as"),
        ({"name": "", "name_de": ""}, "Please fill in the English or the German text"),
        ({"registration_opens_at": "tomorrow"}, "Please give a date and time"),
    ]:
        response = client.post(URL, data=form_data(page, **changes))
        assert response.status_code == 422, changes
        assert message in response.get_data(as_text=True), changes
    unchanged = event(app)
    assert (unchanged.name, unchanged.primary_colour) == ("Test Summit", "#0b5d66")
    assert unchanged.registration_opens_at is None


def test_saving_without_changes_says_so(client, auth, make_event):
    make_event()
    auth.login()
    page = client.get(URL)
    response = client.post(URL, data=form_data(page), follow_redirects=True)
    assert "Nothing was changed." in response.get_data(as_text=True)


def test_only_organisers_and_only_with_the_token(client, auth, make_event):
    make_event()
    auth.login(email="mod@example.org", role="moderator")
    assert client.get(URL).status_code == 403
    auth.logout()
    auth.login()
    page = client.get(URL)
    data = form_data(page, name="Forged")
    del data["csrf_token"]
    assert client.post(URL, data=data).status_code in (400, 422)


def capacity_url(app, name="Attendee") -> str:
    with app.app_context():
        found = db.session.scalar(db.select(Event).where(Event.slug == "test-summit"))
        category = next(c for c in found.categories if c.name == name)
        return f"/organiser/events/test-summit/categories/{category.id}/capacity", category.id


def test_raising_capacity_confirms_the_waiting_list_in_order(app, client, auth, make_event,
                                                              make_registration):
    from summit.models import CONFIRMED, WAITLISTED, OutboxMessage, Registration
    make_event(categories=[{"name": "Attendee", "capacity": 1}])
    make_registration(email="first@example.org")
    waiting = [make_registration(email=f"wait{n}@example.org", status=WAITLISTED)
               for n in range(3)]
    auth.login()
    url, category_id = capacity_url(app)
    page = client.get(URL)
    field = f"c{category_id}-capacity"
    saved = client.post(url, data={f"c{category_id}-csrf_token": csrf_token(page),
                                   field: "3"}, follow_redirects=True)
    html = saved.get_data(as_text=True)
    assert "Attendee now has 3 places." in html and "2 people moved up" in html
    with app.app_context():
        statuses = [db.session.get(Registration, rid).status for rid in waiting]
        assert statuses == [CONFIRMED, CONFIRMED, WAITLISTED]
        mailed = db.session.scalars(db.select(OutboxMessage.recipient)).all()
        assert {"wait0@example.org", "wait1@example.org"} <= set(mailed)
        entry = db.session.scalar(db.select(AuditEntry).where(
            AuditEntry.action == "category.capacity"))
        assert (entry.details["old_capacity"], entry.details["new_capacity"]) == (1, 3)
    assert "from 1 to 3 places" in client.get(
        "/organiser/events/test-summit/audit").get_data(as_text=True)


def test_capacity_never_below_the_confirmed(app, client, auth, make_event, make_registration):
    make_event(categories=[{"name": "Attendee", "capacity": 5}])
    make_registration()
    make_registration()
    auth.login()
    url, category_id = capacity_url(app)
    page = client.get(URL)
    for value, message in [("1", "2 people are already confirmed"),
                           ("-3", "from 0 upwards"), ("", "Please give the number")]:
        response = client.post(url, data={f"c{category_id}-csrf_token": csrf_token(page),
                                          f"c{category_id}-capacity": value})
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    with app.app_context():
        found = db.session.scalar(db.select(Event).where(Event.slug == "test-summit"))
        assert found.categories[0].capacity == 5
    assert client.post("/organiser/events/test-summit/categories/99999/capacity",
                       data={"csrf_token": csrf_token(page)}).status_code == 404
