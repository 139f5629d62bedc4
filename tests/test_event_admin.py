"""Events from the browser: create, copy for next year, archive; the categories page.

Through the doors an organiser uses (the test client on the pages, the API), on a real
database; the copy is checked against the seeded demo summit.
"""

from datetime import UTC, date, datetime

import pytest
from conftest import csrf_token
from programme_fixtures import organiser, programme_demo  # noqa: F401 (fixtures)
from sqlalchemy import inspect

from summit.extensions import db
from summit.models import (
    AuditEntry,
    Availability,
    Category,
    Event,
    EventSession,
    ModeratorAssignment,
    Pitch,
    Registration,
    Room,
)
from summit.services import events
from summit.services.live import speaker

NEW = "/organiser/events/new"


def new_event_data(page, **changes) -> dict:
    data = {"csrf_token": csrf_token(page), "slug": "zukunft-2031",
            "name": "Zukunftsgipfel 2031 – Grüße 🌍", "timezone": "Europe/Berlin",
            "venue": "Allianz Forum", "address": "Pariser Platz 6, Berlin",
            "description": "Sozialunternehmer:innen stellen sich vor.",
            "starts_on": "2031-09-10", "ends_on": "2031-09-11",
            "registration_opens_at": "2031-03-01T09:00",
            "registration_closes_at": "2031-09-01T18:00", "primary_colour": "#8A1C7C"}
    return data | changes


def audit_actions(app, event_id=None) -> list[str]:
    with app.app_context():
        query = db.select(AuditEntry.action).order_by(AuditEntry.id)
        if event_id is not None:
            query = query.where(AuditEntry.event_id == event_id)
        return list(db.session.scalars(query))


def event_count(app) -> int:
    with app.app_context():
        return len(db.session.scalars(db.select(Event.id)).all())


def test_organiser_creates_an_event_in_the_browser(app, client, auth):
    auth.login()
    page = client.get(NEW)
    assert page.status_code == 200
    created = client.post(NEW, data=new_event_data(page))
    assert created.status_code == 302
    assert created.headers["Location"].endswith("/organiser/events/zukunft-2031/categories")
    with app.app_context():
        event = events.get_by_slug("zukunft-2031")
        assert event.name == "Zukunftsgipfel 2031 – Grüße 🌍"
        assert event.primary_colour == "#8a1c7c" and event.address == "Pariser Platz 6, Berlin"
        # 09:00 in Berlin in March (winter time) is 08:00 UTC; 18:00 in September 16:00 UTC.
        assert event.registration_opens_at == datetime(2031, 3, 1, 8, 0, tzinfo=UTC)
        assert event.registration_closes_at == datetime(2031, 9, 1, 16, 0, tzinfo=UTC)
        event_id = event.id
    assert audit_actions(app, event_id) == ["event.create"]
    public = client.get("/events/zukunft-2031").get_data(as_text=True)
    assert "Zukunftsgipfel 2031 – Grüße 🌍" in public
    # A double submit (back button, second click) meets the slug clash and changes nothing.
    again = client.post(NEW, data=new_event_data(page, name="Other"))
    assert again.status_code == 409
    assert "An event with this slug already exists." in again.get_data(as_text=True)
    assert event_count(app) == 1


@pytest.mark.parametrize("changes, field, message", [
    ({"slug": "Zukunft 2031"}, "slug", "Use lower-case letters, digits and hyphens only."),
    ({"slug": ""}, "slug", "This field is required."),
    ({"name": ""}, "name", "Please fill in the English or the German text, or both."),
    ({"name": "Gipfel\nzwei"}, "name", "Please remove line breaks and control characters."),
    ({"timezone": "Mars/Olympus"}, "timezone", "Unknown timezone"),
    ({"ends_on": "2031-09-01"}, "ends_on", "The last day cannot be before the first day."),
    ({"starts_on": "10.09.2031"}, "starts_on", "Not a valid date value."),
    ({"registration_closes_at": "2031-02-01T09:00"}, "registration_closes_at",
     "Registration must close after it opens."),
    ({"primary_colour": "lila"}, "primary_colour", "Use a colour such as #0B5D66."),
])
def test_bad_input_is_explained_next_to_the_field(app, client, auth, changes, field, message):
    auth.login()
    page = client.get(NEW)
    refused = client.post(NEW, data=new_event_data(page, **changes))
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in html
    assert event_count(app) == 0


def test_only_organisers_reach_the_event_pages(app, client, auth, make_event):
    make_event()
    assert client.get(NEW).status_code == 302  # to the log-in page
    auth.login("mod@example.org", role="moderator")
    for url in (NEW, "/organiser/events/test-summit/copy", "/organiser/archive",
                "/organiser/events/test-summit/categories"):
        assert client.get(url).status_code == 403, url


def test_the_api_creates_through_the_same_rule_and_audits(app, client, auth):
    headers = auth.headers()
    body = {"slug": "api-summit", "name": "API Summit", "starts_on": "2031-01-02",
            "ends_on": "2031-01-03", "categories": [{"name": "Attendee", "capacity": 5}]}
    assert client.post("/api/v1/events", json=body, headers=headers).status_code == 201
    clash = client.post("/api/v1/events", json=body, headers=headers)
    assert clash.status_code == 409 and "slug" in clash.get_json()["errors"]
    assert "event.create" in audit_actions(app)


# -- copy -----------------------------------------------------------------------------------

def own_columns(row) -> dict:
    """What a copy must keep: every mapped column but ids, foreign keys and bookkeeping."""
    mapper = inspect(type(row))
    return {mapper.get_property_by_column(c).key: getattr(row, mapper.get_property_by_column(
        c).key) for c in mapper.columns if not c.primary_key and not c.foreign_keys
        and c.key not in ("created_at", "updated_at", "lock_version", "sequence")}


def test_copy_moves_the_programme_and_leaves_the_people(app, programme_demo):  # noqa: F811
    with app.app_context():
        source = events.get_by_slug(programme_demo.slug)
        assert db.session.scalar(db.select(db.func.count()).select_from(Registration)
                                 .where(Registration.event_id == source.id))
        pitch_session = db.session.get(EventSession, programme_demo.pitch_session_id)
        stage_link = speaker.renew_token(pitch_session, actor=None)
        copy = events.copy_event(source, slug="vision-summit-2015", name="Vision Summit 2015",
                                 starts_on=date(2015, 9, 10))
        days = (copy.starts_on - source.starts_on).days
        assert copy.ends_on - source.ends_on == copy.starts_on - source.starts_on
        assert copy.timezone == source.timezone and copy.venue == source.venue
        assert copy.primary_colour == source.primary_colour
        assert [own_columns(c) for c in copy.categories] == [
            own_columns(c) for c in source.categories]
        assert [own_columns(r) for r in copy.rooms] == [own_columns(r) for r in source.rooms]

        def sessions(event):
            return db.session.scalars(db.select(EventSession).where(
                EventSession.event_id == event.id).order_by(EventSession.starts_at,
                                                            EventSession.id)).all()
        old, new = sessions(source), sessions(copy)
        assert len(new) == len(old) > 0
        for before, after in zip(old, new, strict=True):
            assert after.title == before.title and after.kind == before.kind
            assert after.language == before.language
            assert after.stage_token is None  # the speaker view's secret link stays behind
            assert (after.room.name if after.room else None) == (
                before.room.name if before.room else None)
            assert after.room is None or after.room.event_id == copy.id
            # Same local wall-clock time, `days` later (summer time included).
            for field in ("starts_at", "ends_at"):
                local_before = getattr(before, field).astimezone(source.tz)
                local_after = getattr(after, field).astimezone(copy.tz)
                assert (local_after.date() - local_before.date()).days == days
                assert local_after.time() == local_before.time()
            assert [(p.position, p.pitch_minutes, p.qa_minutes, p.changeover_minutes)
                    for p in after.pitches] == [
                (p.position, p.pitch_minutes, p.qa_minutes, p.changeover_minutes)
                for p in before.pitches]
            for slot in after.pitches:  # empty slots: nothing about last year's presenters
                assert slot.title == f"Slot {slot.position}"
                assert slot.presenter == slot.organisation == slot.description == ""
                assert slot.registration_id is None
        new_session_ids = [s.id for s in new]
        for model, column in ((Registration, Registration.event_id),
                              (Availability, Availability.event_id)):
            assert not db.session.scalars(db.select(model).where(column == copy.id)).all()
        assert not db.session.scalars(db.select(ModeratorAssignment).where(
            ModeratorAssignment.session_id.in_(new_session_ids))).all()
        # The source is untouched.
        assert speaker.by_token(stage_link).id == programme_demo.pitch_session_id
        assert len(sessions(source)) == len(old) and all(
            p.presenter for s in sessions(source) for p in s.pitches)
        copy_id = copy.id
    assert audit_actions(app, copy_id) == ["event.copy"]


def test_copy_page_and_its_slug_clash(app, organiser, programme_demo):  # noqa: F811
    url = f"/organiser/events/{programme_demo.slug}/copy"
    page = organiser.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "What is not copied" in html
    # Suggested: a year later on the same weekday (Wednesday), the year moved on.
    assert 'value="Vision Summit 2015"' in html and 'value="vision-summit-2015"' in html
    assert 'value="2015-09-09"' in html
    clash = organiser.post(url, data={"csrf_token": csrf_token(page), "name": "Again",
                                      "slug": programme_demo.slug, "starts_on": "2015-09-10"})
    assert clash.status_code == 409
    assert "An event with this slug already exists." in clash.get_data(as_text=True)
    before = event_count(app)
    done = organiser.post(url, data={"csrf_token": csrf_token(page), "name": "Gipfel 2015",
                                     "slug": "gipfel-2015", "starts_on": "2015-09-10"})
    assert done.status_code == 302 and event_count(app) == before + 1
    with app.app_context():
        assert events.get_by_slug("gipfel-2015").starts_on == date(2015, 9, 10)


# -- archive --------------------------------------------------------------------------------

def test_archived_event_leaves_the_lists_and_can_come_back(app, client, auth, make_event):
    make_event()
    auth.login()
    settings = client.get("/organiser/events/test-summit/settings")
    token = csrf_token(settings)
    archived = client.post("/organiser/events/test-summit/archive", data={"csrf_token": token},
                           follow_redirects=True).get_data(as_text=True)
    assert "Test Summit is archived" in archived  # the message; the list no longer has it
    assert 'id="event-' not in client.get("/organiser/").get_data(as_text=True)
    assert "Test Summit" in client.get("/organiser/archive").get_data(as_text=True)
    assert "Test Summit" not in client.get("/").get_data(as_text=True)
    public = client.get("/events/test-summit")
    assert public.status_code == 200
    assert "This event has ended; registration is closed." in public.get_data(as_text=True)
    assert "This event has ended" in client.get("/events/test-summit/register").get_data(
        as_text=True)
    assert client.get("/organiser/events/test-summit/attendees").status_code == 200
    assert client.get("/api/v1/events").get_json() == []
    assert client.get("/api/v1/events/test-summit").get_json()["archived"] is True
    assert client.post("/organiser/events/test-summit/unarchive",
                       data={"csrf_token": token}).status_code == 302
    assert "Test Summit" in client.get("/").get_data(as_text=True)
    assert [e["slug"] for e in client.get("/api/v1/events").get_json()] == ["test-summit"]
    with app.app_context():
        event_id = events.get_by_slug("test-summit").id
    assert audit_actions(app, event_id) == ["event.archive", "event.unarchive"]


def test_archiving_without_the_csrf_token_changes_nothing(app, client, auth, make_event):
    make_event()
    auth.login()
    client.post("/organiser/events/test-summit/archive", data={})
    with app.app_context():
        assert events.get_by_slug("test-summit").archived_at is None


# -- categories -----------------------------------------------------------------------------

CATS = "/organiser/events/test-summit/categories"


def category(app, name) -> Category | None:
    with app.app_context():
        found = db.session.scalar(db.select(Category).where(Category.name == name))
        if found is not None:
            db.session.expunge(found)
        return found


def edit_data(page, cat_id, **changes) -> dict:
    data = {"csrf_token": csrf_token(page), f"c{cat_id}-name": "Attendee",
            f"c{cat_id}-name_de": "", f"c{cat_id}-capacity": "10",
            f"c{cat_id}-badge_colour": "#0b5d66", f"c{cat_id}-is_public": "y"}
    return data | {f"c{cat_id}-{key}": value for key, value in changes.items()}


def test_add_rename_and_reorder_categories(app, client, auth, make_event):
    make_event(categories=[{"name": "Attendee", "capacity": 10},
                           {"name": "Press", "capacity": 5}])
    auth.login()
    page = client.get(CATS)
    assert page.status_code == 200
    added = client.post(CATS, data={
        "csrf_token": csrf_token(page), "new-name": "Social Entrepreneur 社会企业家",
        "new-name_de": "Sozialunternehmer:in", "new-capacity": "12",
        "new-badge_colour": "#C0392B"})  # no is_public: the box was left unticked
    assert added.status_code == 302
    new = category(app, "Social Entrepreneur 社会企业家")
    assert (new.name_de, new.capacity, new.badge_colour, new.is_public, new.position) == (
        "Sozialunternehmer:in", 12, "#c0392b", False, 2)
    # Same name again (any case, either language): refused, nothing added.
    clash = client.post(CATS, data={"csrf_token": csrf_token(page), "new-name": "PRESS",
                                    "new-capacity": "3", "new-badge_colour": "#0b5d66"})
    assert clash.status_code == 409 and 'id="new-name-error"' in clash.get_data(as_text=True)
    with app.app_context():
        assert len(events.get_by_slug("test-summit").categories) == 3
    press = category(app, "Press")
    renamed = client.post(f"{CATS}/{press.id}", data=edit_data(
        page, press.id, name="Media", name_de="Presse", capacity="5",
        badge_colour="#0b5d66"))
    assert renamed.status_code == 302
    media = category(app, "Media")
    assert (media.name_de, media.badge_colour) == ("Presse", "")  # still follows the event
    client.post(f"{CATS}/{new.id}/up", data={"csrf_token": csrf_token(page)})
    client.post(f"{CATS}/{new.id}/up", data={"csrf_token": csrf_token(page)})
    client.post(f"{CATS}/{new.id}/up", data={"csrf_token": csrf_token(page)})  # at the top
    with app.app_context():
        order = [c.name for c in events.get_by_slug("test-summit").categories]
    assert order == ["Social Entrepreneur 社会企业家", "Attendee", "Media"]
    register = client.get("/events/test-summit/register").get_data(as_text=True)
    assert "Attendee" in register and "Social Entrepreneur" not in register  # not public
    with app.app_context():
        event_id = events.get_by_slug("test-summit").id
    assert audit_actions(app, event_id) == [
        "category.create", "category.update", "category.move", "category.move"]


def test_capacity_cannot_go_below_the_confirmed(app, client, auth, make_event,
                                                 make_registration):
    make_event()
    for _ in range(3):
        make_registration()
    auth.login()
    page = client.get(CATS)
    attendee = category(app, "Attendee")
    refused = client.post(f"{CATS}/{attendee.id}", data=edit_data(
        page, attendee.id, name="Gäste", capacity="2"))
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "3 people are already confirmed in this category" in html
    assert f'id="c{attendee.id}-capacity-error"' in html
    unchanged = category(app, "Attendee")
    assert (unchanged.name, unchanged.capacity) == ("Attendee", 10)


def test_delete_only_an_empty_category(app, client, auth, make_event, make_registration):
    make_event(categories=[{"name": "Attendee", "capacity": 10},
                           {"name": "Staff", "capacity": 5, "is_public": False}])
    make_registration()
    make_registration()
    make_registration(status="cancelled")
    auth.login()
    page = client.get(CATS)
    attendee, staff = category(app, "Attendee"), category(app, "Staff")
    refused = client.post(f"{CATS}/{attendee.id}/delete", data={"csrf_token": csrf_token(page)})
    assert refused.status_code == 409
    assert "3 people are registered in this category" in refused.get_data(as_text=True)
    assert category(app, "Attendee") is not None
    deleted = client.post(f"{CATS}/{staff.id}/delete", data={"csrf_token": csrf_token(page)})
    assert deleted.status_code == 302 and category(app, "Staff") is None
    assert client.post(f"{CATS}/{staff.id}/delete",
                       data={"csrf_token": csrf_token(page)}).status_code == 404
    assert "category.delete" in audit_actions(app)


def test_categories_page_in_german(app, client, auth, make_event):
    make_event()
    auth.login()
    html = client.get(CATS, headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Kategorie hinzufügen" in html
    html = client.get(NEW, headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Neue Veranstaltung" in html


def test_rooms_copy_keeps_capacity(app, make_event):
    make_event()
    with app.app_context():
        source = events.get_by_slug("test-summit")
        source.rooms.append(Room(name="Saal 1", capacity=300))
        db.session.commit()
        copy = events.copy_event(source, slug="test-summit-2", name="Zwei",
                                 starts_on=date(2031, 9, 9))
        assert [(r.name, r.capacity) for r in copy.rooms] == [("Saal 1", 300)]
        assert copy.ends_on == date(2031, 9, 10)
        assert not db.session.scalars(db.select(Pitch)).all()


def test_the_audit_log_tells_event_and_category_changes(app, client, auth, make_event):
    make_event()
    auth.login()
    page = client.get(CATS)
    client.post(CATS, data={"csrf_token": csrf_token(page), "new-name": "Presse & Co",
                            "new-capacity": "3", "new-badge_colour": "#0b5d66"})
    temp = category(app, "Presse & Co")
    client.post(f"{CATS}/{temp.id}", data=edit_data(page, temp.id, name="Presse & Co",
                                                    name_de="Presse", capacity="3"))
    client.post(f"{CATS}/{temp.id}/up", data={"csrf_token": csrf_token(page)})
    client.post(f"{CATS}/{temp.id}/delete", data={"csrf_token": csrf_token(page)})
    client.post("/organiser/events/test-summit/archive", data={"csrf_token": csrf_token(page)})
    html = client.get("/organiser/events/test-summit/audit",
                      headers={"Accept-Language": "de"}).get_data(as_text=True)
    for sentence in ["hat die Kategorie „Presse &amp; Co“ hinzugefügt.",
                     "hat die Kategorie „Presse &amp; Co“ geändert: deutscher Name, "
                     "öffentliche Anmeldung.",
                     "hat die Kategorie „Presse &amp; Co“ gelöscht.",
                     "hat die Veranstaltung archiviert."]:
        assert sentence in html, sentence


def test_two_organisers_taking_one_slug_at_once(app, database_url):
    """Both pass the check before either writes; the unique index decides, and the loser
    gets the same 409 answer (not a 500) with nothing written."""
    with app.app_context():
        events.check_slug_free("race-2031")
        db.session.add(Event(slug="race-2031", name="First", starts_on=date(2031, 1, 1),
                             ends_on=date(2031, 1, 1)))
        db.session.commit()
        second = Event(slug="race-2031", name="Second", starts_on=date(2031, 1, 1),
                       ends_on=date(2031, 1, 1))
        with pytest.raises(events.EventError) as refused:
            events.insert_event(second)
        assert refused.value.status == 409 and refused.value.field == "slug"
        assert [e.name for e in events.list_events()] == ["First"]
