"""The .ics exports, parsed with icalendar and checked against the schedule."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
from programme_fixtures import *  # noqa: F401,F403
from programme_fixtures import MODERATOR_EMAIL, log_in
from sqlalchemy import func

from summit.extensions import db
from summit.models import EventSession, Pitch, Registration
from summit.services.platform import users

BERLIN = ZoneInfo("Europe/Berlin")


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200, response.data[:300]
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="' in response.headers["Content-Disposition"]
    return icalendar.Calendar.from_ical(response.data)


def vevents(cal) -> list:
    return list(cal.walk("VEVENT"))


def by_uid(cal) -> dict:
    return {str(e["UID"]): e for e in vevents(cal)}


def local(component, name: str) -> datetime:
    return component.decoded(name).astimezone(BERLIN)


def reorder(client, programme_demo, pitch_ids, auth):
    response = client.put(
        f"/api/v1/events/{programme_demo.slug}/sessions/{programme_demo.pitch_session_id}"
        "/pitches/order", json={"pitch_ids": pitch_ids}, headers=auth.headers())
    assert response.status_code == 200, response.get_json()


def test_programme_ics_matches_the_schedule(client, programme_demo):
    cal = parse(client.get(f"/events/{programme_demo.slug}/schedule.ics"))
    schedule = client.get(f"/api/v1/events/{programme_demo.slug}/schedule").get_json()
    events = by_uid(cal)
    assert len(events) == len(schedule["sessions"]) == 10
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    for session in schedule["sessions"]:
        vevent = events[f"session-{session['id']}@localhost"]
        assert str(vevent["SUMMARY"]) == session["title"]
        assert vevent["DTSTART"].params["TZID"] == "Europe/Berlin"
        assert local(vevent, "DTSTART") == datetime.fromisoformat(session["starts_at"])
        assert local(vevent, "DTEND") == datetime.fromisoformat(session["ends_at"])
        assert str(vevent["URL"]) == (f"http://localhost/events/{programme_demo.slug}"
                                      f"/sessions/{session['id']}")
        assert "Allianz Forum Berlin" in str(vevent["LOCATION"])
        assert session["room"] in str(vevent["LOCATION"])
        assert "DTSTAMP" in vevent and int(vevent["SEQUENCE"]) == 0

    pitch = events[f"session-{programme_demo.pitch_session_id}@localhost"]
    chairs = [(str(a.params["CN"]), a.params["ROLE"]) for a in pitch.get("ATTENDEE")]
    assert chairs == [("Laura Haverkamp", "CHAIR"), ("Norbert Kunz", "CHAIR")]
    assert not any("@" in str(a) for a in pitch.get("ATTENDEE")), "public export leaks e-mails"
    description = str(pitch["DESCRIPTION"])
    assert "11:00–11:08 Lernpaten digital (Miriam Öztürk (sample), Lernbrücke gGmbH)" in description
    assert "Łukasz Żółć" in description and "Nguyễn Thị Minh" in description


def test_uids_are_stable_and_sequence_rises_after_an_edit(client, auth, programme_demo):
    url = f"/events/{programme_demo.slug}/schedule.ics"
    first, second = parse(client.get(url)), parse(client.get(url))
    assert sorted(by_uid(first)) == sorted(by_uid(second))
    uid = f"session-{programme_demo.pitch_session_id}@localhost"
    reorder(client, programme_demo, list(reversed(programme_demo.pitch_ids)), auth)
    third = by_uid(parse(client.get(url)))
    assert sorted(third) == sorted(by_uid(first))
    assert int(third[uid]["SEQUENCE"]) == int(by_uid(first)[uid]["SEQUENCE"]) + 1
    assert "11:00–11:08 Barrierefreie Stadtpläne" in str(third[uid]["DESCRIPTION"])
    others = [u for u in third if u != uid]
    assert all(int(third[u]["SEQUENCE"]) == 0 for u in others)


def test_session_ics_has_each_pitch_with_its_time_and_follows_the_order(
        client, auth, programme_demo):
    url = f"/events/{programme_demo.slug}/sessions/{programme_demo.pitch_session_id}.ics"
    cal = parse(client.get(url))
    events = by_uid(cal)
    assert len(events) == 11
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Berlin"
    first_id, last_id = programme_demo.pitch_ids[0], programme_demo.pitch_ids[-1]
    first = events[f"pitch-{first_id}@localhost"]
    assert (local(first, "DTSTART").strftime("%H:%M"), local(first, "DTEND").strftime("%H:%M")) \
        == ("11:00", "11:08")
    assert str(first["SUMMARY"]) == "Lernpaten digital (Miriam Öztürk (sample))"
    assert str(first["RELATED-TO"]) == f"session-{programme_demo.pitch_session_id}@localhost"
    assert local(events[f"pitch-{last_id}@localhost"], "DTSTART").strftime("%H:%M") == "12:21"

    reorder(client, programme_demo, [last_id, *programme_demo.pitch_ids[:-1]], auth)
    after = by_uid(parse(client.get(url)))
    assert sorted(after) == sorted(events)
    moved = after[f"pitch-{last_id}@localhost"]
    assert local(moved, "DTSTART").strftime("%H:%M") == "11:00"
    assert local(after[f"pitch-{first_id}@localhost"], "DTSTART").strftime("%H:%M") == "11:09"
    assert int(moved["SEQUENCE"]) == 1
    assert "Henrik Sørensen" in str(moved["SUMMARY"])


def test_moderator_feed_is_signed_and_lists_their_sessions(app, client, programme_demo):
    log_in(client, MODERATOR_EMAIL, "demo-moderator")
    page = client.get("/moderator/").get_data(as_text=True)
    path = re.search(r'href="(/moderator/calendar/[^"]+\.ics)"', page).group(1)
    cal = parse(client.get(path))
    (session,) = vevents(cal)
    assert str(session["UID"]) == f"session-{programme_demo.pitch_session_id}@localhost"
    attendees = {str(a.params["CN"]): str(a) for a in session.get("ATTENDEE")}
    assert attendees["Laura Haverkamp"] == f"mailto:{MODERATOR_EMAIL}"
    assert all(a.params["ROLE"] == "CHAIR" for a in session.get("ATTENDEE"))
    assert client.get(path[:-8] + "x" + path[-7:]).status_code == 404
    assert client.get("/moderator/calendar/nonsense.ics").status_code == 404
    # A new password revokes the old link.
    with app.app_context():
        laura = users.find_by_email(MODERATOR_EMAIL)
        laura.set_password("a brand new password")
        db.session.commit()
    assert client.get(path).status_code == 404


def test_moderator_calendar_behind_login(client, programme_demo):
    anonymous = client.get("/moderator/calendar.ics")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    log_in(client, MODERATOR_EMAIL, "demo-moderator")
    cal = parse(client.get("/moderator/calendar.ics"))
    assert [str(e["SUMMARY"]) for e in vevents(cal)] == ["Pitch session: ten social entrepreneurs"]


def test_attendee_calendar_is_the_event_with_its_real_times_and_a_presenters_pitch(
        app, client, auth, programme_demo):
    with app.app_context():
        presenter = db.session.scalar(db.select(Registration).where(
            Registration.email == "pitch.10@example.org"))
        attendee = db.session.scalar(db.select(Registration).where(
            Registration.email == "sample.001@example.org"))
        presenter_token, attendee_token = presenter.manage_token, attendee.manage_token
        attendee_id = attendee.id
        pitch_id = db.session.scalar(db.select(Pitch.id).where(
            Pitch.registration_id == presenter.id))
        first = db.session.scalar(db.select(func.min(EventSession.starts_at)))
        last = db.session.scalar(db.select(func.max(EventSession.ends_at)))
    cal = parse(client.get(f"/r/{attendee_token}/calendar.ics"))
    [entry] = vevents(cal)  # one entry, not one all-day entry per day
    assert str(entry["UID"]) == f"registration-{attendee_id}@localhost"
    assert local(entry, "DTSTART") == first.astimezone(BERLIN)
    assert local(entry, "DTEND") == last.astimezone(BERLIN)
    assert local(entry, "DTSTART").date().isoformat() == "2014-09-10"
    assert local(entry, "DTEND").date().isoformat() == "2014-09-11"
    assert entry["DTSTART"].params["TZID"] == entry["DTEND"].params["TZID"] == "Europe/Berlin"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert str(entry["TRANSP"]) == "OPAQUE"  # busy: the person is at the event
    assert str(entry["SUMMARY"]) == "Vision Summit 2014"
    assert "Pariser Platz 6" in str(entry["LOCATION"])
    assert attendee_token in str(entry["DESCRIPTION"])
    again = vevents(parse(client.get(f"/r/{attendee_token}/calendar.ics")))
    assert [str(e["UID"]) for e in again] == [str(entry["UID"])]  # stable

    cal = parse(client.get(f"/r/{presenter_token}/calendar.ics"))
    events = by_uid(cal)
    assert len(events) == 2
    pitch = events[f"pitch-{pitch_id}@localhost"]
    assert local(pitch, "DTSTART").strftime("%H:%M") == "12:21"
    assert pitch["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Berlin"
    reorder(client, programme_demo, [pitch_id, *programme_demo.pitch_ids[:-1]], auth)
    pitch = by_uid(parse(client.get(f"/r/{presenter_token}/calendar.ics")))[
        f"pitch-{pitch_id}@localhost"]
    assert local(pitch, "DTSTART").strftime("%H:%M") == "11:00"

    assert client.get("/r/not-a-token/calendar.ics").status_code == 404


def test_attendee_calendar_in_the_mail_is_the_one_on_the_page(app, client, runner,
                                                              make_event):
    """Without a programme the entry spans the event's days at day times; the file attached
    to the confirmation is the manage page's file (one UID: one entry in the calendar),
    and a cancellation marks that entry cancelled."""
    from registration_fixtures import eml_messages, ics_of

    make_event(starts_on=datetime(2030, 9, 10).date(), ends_on=datetime(2030, 9, 11).date())
    response = client.post("/api/v1/events/test-summit/registrations", json={
        "first_name": "Zoë", "last_name": "Müller", "email": "zoe@example.org",
        "category": "Attendee", "consent": True})
    assert response.status_code == 201
    calendar_path = response.get_json()["calendar_url"].removeprefix("http://localhost")
    [on_page] = vevents(parse(client.get(calendar_path)))
    assert local(on_page, "DTSTART") == datetime(2030, 9, 10, 9, tzinfo=BERLIN)
    assert local(on_page, "DTEND") == datetime(2030, 9, 11, 18, tzinfo=BERLIN)
    assert str(on_page["TRANSP"]) == "OPAQUE" and "STATUS" not in on_page
    runner.invoke(args=["send-mail"])
    attached = ics_of(eml_messages(app)[0])
    [in_mail] = vevents(attached)
    for name in ("UID", "DTSTART", "DTEND", "TRANSP", "SUMMARY", "LOCATION"):
        assert in_mail.decoded(name) == on_page.decoded(name), name
    assert [tz["TZID"] for tz in attached.walk("VTIMEZONE")] == ["Europe/Berlin"]

    token = calendar_path.split("/")[2]
    assert client.delete(f"/api/v1/registrations/{token}").status_code == 200
    [cancelled] = vevents(parse(client.get(calendar_path)))
    assert str(cancelled["UID"]) == str(on_page["UID"]) and cancelled["STATUS"] == "CANCELLED"


def test_cached_attendee_calendar_is_the_freshly_rendered_one_and_follows_edits(
        app, programme_demo, monkeypatch):
    """registration_calendar reuses the header and VTIMEZONE it rendered before (it runs in
    every sign-up); byte for byte it is the file rendered in one piece, also right after the
    programme or the event changed."""
    from datetime import UTC, timedelta

    from summit.services.programme import calendars

    monkeypatch.setattr(calendars, "_stamp", lambda: datetime(2026, 1, 1, tzinfo=UTC))
    with app.app_context():
        people = [db.session.scalar(db.select(Registration).where(Registration.email == email))
                  for email in ("pitch.10@example.org", "sample.001@example.org")]
        people[1].language = "de"

        def both() -> list[tuple[bytes, bytes]]:
            return [(calendars.registration_calendar(person),
                     calendars.registration_calendar_uncached(person)) for person in people]

        before = both()
        assert all(cached == fresh for cached, fresh in before)
        assert both() == before  # from the cache the second time: still the same

        first = db.session.scalar(db.select(EventSession).order_by(EventSession.starts_at))
        first.starts_at = first.starts_at - timedelta(days=400)  # a year earlier: new VTIMEZONE
        event = people[0].event
        event.name, event.name_de = "Vision Summit (moved)", "Vision Summit (verlegt)"
        db.session.commit()
        after = both()
        assert all(cached == fresh for cached, fresh in after)
        assert all(new != old for (new, _), (old, _) in zip(after, before, strict=True))
        assert b"X-WR-CALNAME:Vision Summit (verlegt)" in after[1][0]
        assert b"DTSTART;TZID=Europe/Berlin:2013" in after[1][0]
        assert b"COMMENT:This timezone only works from 2012-01-01" in after[1][0]
