"""Organiser programme pages and the public agenda, through the test client."""

import re
from datetime import datetime

from conftest import csrf_token
from programme_fixtures import *  # noqa: F401,F403
from programme_fixtures import MODERATOR_EMAIL, form_token, log_in

from summit.extensions import db
from summit.models import EventSession, Pitch, Room

PROGRAMME = "/organiser/events/vision-summit-2014/programme"


def hm(text: str) -> str:
    """'11:00\u202fAM' (English short time) → '11:00'."""
    return datetime.strptime(text.replace("\u202f", " "), "%I:%M %p").strftime("%H:%M")


def times_in(page: bytes) -> list[tuple[str, str]]:
    """(start, end) of each pitch row in the editor, in page order, as HH:MM."""
    html = page.decode()
    found = re.findall(r'<span data-starts>([^<]+)</span>–<span data-ends>([^<]+)</span>', html)
    return [(hm(start), hm(end)) for start, end in found]


def titles_in(page: bytes) -> list[str]:
    return re.findall(r'class="pitch-title"[^>]*>([^<]+)</a>', page.decode())


def test_organiser_pages_refuse_anonymous_and_moderators(client, programme_demo):
    sid, pid = programme_demo.pitch_session_id, programme_demo.pitch_ids[0]
    pages = [PROGRAMME, f"{PROGRAMME}/warnings", f"{PROGRAMME}/rooms",
             f"{PROGRAMME}/sessions/new", f"{PROGRAMME}/sessions/{sid}",
             f"{PROGRAMME}/sessions/{sid}/pitches/new", f"{PROGRAMME}/sessions/{sid}/pitches/{pid}"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    log_in(client, MODERATOR_EMAIL, "demo-moderator")
    for url in pages:
        assert client.get(url).status_code == 403, url
    token = csrf_token(client.get("/"))
    posts = [(f"{PROGRAMME}/sessions/{sid}/pitches/{pid}/move", {"direction": "down"}),
             (f"{PROGRAMME}/sessions/{sid}/pitches/{pid}/delete", {}),
             (f"{PROGRAMME}/sessions/{sid}/delete", {})]
    for url, data in posts:
        assert client.post(url, data=data | {"csrf_token": token}).status_code == 403
    response = client.post(f"{PROGRAMME}/sessions/{sid}/order", headers={"X-CSRFToken": token},
                           json={"pitch_ids": list(reversed(programme_demo.pitch_ids))})
    assert response.status_code == 403
    with client.application.app_context():
        assert db.session.get(EventSession, sid).sequence == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(Pitch)) == 10


def test_overview_by_day_with_warning_markers(organiser, programme_demo):
    page = organiser.get(PROGRAMME)
    assert page.status_code == 200
    html = page.data.decode()
    assert "Wednesday, September 10, 2014" in html and "Thursday, September 11, 2014" in html
    assert "Pitch session: ten social entrepreneurs" in html and "10 pitches" in html
    assert "0 warnings" in html and "marker-error" not in html
    with organiser.application.app_context():
        plenary = db.session.scalar(db.select(Room.id).where(Room.name == "Plenarsaal"))
    token = form_token(organiser, f"{PROGRAMME}/sessions/new")
    organiser.post(f"{PROGRAMME}/sessions/new", data={
        "csrf_token": token, "title": "Überraschungsgast", "kind": "keynote",
        "room_id": str(plenary), "starts_at": "2014-09-10T12:00", "ends_at": "2014-09-10T12:40",
        "language": "de"})
    html = organiser.get(PROGRAMME).data.decode()
    assert "marker-error" in html and "The room Plenarsaal is also booked" in html
    warnings = organiser.get(f"{PROGRAMME}/warnings").data.decode()
    assert warnings.count("The room Plenarsaal is also booked") == 2
    editor = organiser.get(programme_demo.editor_url()).data.decode()
    assert "The room Plenarsaal is also booked for “Überraschungsgast”" in editor
    assert "Conflict" in editor


def test_create_session_in_the_event_timezone_and_bad_times(app, organiser, programme_demo):
    url = f"{PROGRAMME}/sessions/new"
    bad = organiser.post(url, data={"csrf_token": form_token(organiser, url),
                                    "title": "Rückblick", "kind": "panel",
                                    "starts_at": "2014-09-11T16:00",
                                    "ends_at": "2014-09-11T15:30", "room_id": "",
                                    "language": ""})
    assert bad.status_code == 422
    assert "The session must end after it starts." in bad.data.decode()
    assert 'aria-invalid="true"' in bad.data.decode()
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(EventSession)) == 10
    good = organiser.post(url, data={"csrf_token": form_token(organiser, url),
                                     "title": "Rückblick", "kind": "panel",
                                     "starts_at": "2014-09-11T16:00",
                                     "ends_at": "2014-09-11T16:45", "room_id": "",
                                     "language": "en", "moderators_needed": "1"})
    assert good.status_code == 302
    with app.app_context():
        session = db.session.scalar(db.select(EventSession).where(
            EventSession.title == "Rückblick"))
        assert session.starts_at.isoformat() == "2014-09-11T14:00:00+00:00"
        edit_url = f"{PROGRAMME}/sessions/{session.id}"
    editor = organiser.get(edit_url).data.decode()
    assert 'value="2014-09-11T16:00"' in editor and 'value="2014-09-11T16:45"' in editor
    saved = organiser.post(edit_url, data={
        "csrf_token": form_token(organiser, edit_url), "title": "Rückblick und Ausblick",
        "kind": "panel", "starts_at": "2014-09-11T16:15", "ends_at": "2014-09-11T17:00",
        "room_id": "", "language": "en"})
    assert saved.status_code == 302
    with app.app_context():
        session = db.session.get(EventSession, session.id)
        assert (session.title, session.sequence) == ("Rückblick und Ausblick", 1)
        assert session.starts_at.isoformat() == "2014-09-11T14:15:00+00:00"


def test_sessions_outside_the_event_days_are_refused_on_the_pages(app, organiser,
                                                                   programme_demo):
    url = f"{PROGRAMME}/sessions/new"
    fields = {"title": "Vorabendempfang", "kind": "panel", "room_id": "", "language": ""}
    # 23:30 in Berlin on 9 September: the evening before the first day.
    refused = organiser.post(url, data=fields | {
        "csrf_token": form_token(organiser, url), "starts_at": "2014-09-09T23:30",
        "ends_at": "2014-09-10T00:30"})
    assert refused.status_code == 422
    html = refused.data.decode()
    assert ("The session must take place on the event&#39;s days: September 10–11, 2014 "
            "(times in Europe/Berlin).") in html
    assert 'id="starts_at-error"' in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(EventSession)) == 10

    # Moving a session past midnight after the last day is refused as well, and changes nothing.
    edit_url = programme_demo.editor_url(programme_demo.session_ids[-1])
    with app.app_context():
        before = db.session.get(EventSession, programme_demo.session_ids[-1])
        before = (before.title, before.starts_at, before.ends_at, before.sequence)
    moved = organiser.post(edit_url, data=fields | {
        "csrf_token": form_token(organiser, edit_url), "starts_at": "2014-09-11T23:30",
        "ends_at": "2014-09-12T00:30"})
    assert moved.status_code == 422
    assert 'id="ends_at-error"' in moved.data.decode()
    with app.app_context():
        after = db.session.get(EventSession, programme_demo.session_ids[-1])
        assert (after.title, after.starts_at, after.ends_at, after.sequence) == before


def test_pitch_editor_shows_ten_pitches_whose_times_follow_the_order(organiser, programme_demo):
    page = organiser.get(programme_demo.editor_url())
    assert page.status_code == 200
    times = times_in(page.data)
    assert len(times) == 10
    assert times[0] == ("11:00", "11:08") and times[-1] == ("12:21", "12:29")
    titles = titles_in(page.data)
    assert titles[0] == "Lernpaten digital"
    html = page.data.decode()
    assert 'src="/static/js/pitch-order.js"' in html and "<script>" not in html
    assert "Laura Haverkamp" in html and "Lead moderator" in html

    first = programme_demo.pitch_ids[0]
    move_url = f"{PROGRAMME}/sessions/{programme_demo.pitch_session_id}/pitches/{first}/move"
    moved = organiser.post(move_url, data={"csrf_token": csrf_token(page), "direction": "down"})
    assert moved.status_code == 302 and moved.headers["Location"].endswith(f"#pitch-{first}")
    page = organiser.get(programme_demo.editor_url())
    assert titles_in(page.data)[:2] == ["Solar Kiosks for Rural Markets", "Lernpaten digital"]
    assert times_in(page.data)[:2] == [("11:00", "11:08"), ("11:09", "11:17")]
    public = organiser.get(f"/events/{programme_demo.slug}/sessions/"
                           f"{programme_demo.pitch_session_id}").data.decode()
    assert public.index("Solar Kiosks") < public.index("Lernpaten digital")


def test_drag_and_drop_endpoint_needs_the_csrf_token_and_returns_new_times(organiser,
                                                                           programme_demo):
    url = f"{PROGRAMME}/sessions/{programme_demo.pitch_session_id}/order"
    new_order = list(reversed(programme_demo.pitch_ids))
    assert organiser.post(url, json={"pitch_ids": new_order}).status_code == 400
    token = csrf_token(organiser.get(programme_demo.editor_url()))
    response = organiser.post(url, json={"pitch_ids": new_order},
                              headers={"X-CSRFToken": token})
    assert response.status_code == 200, response.data
    body = response.get_json()
    assert [p["id"] for p in body["pitches"]] == new_order
    first = body["pitches"][0]
    assert (hm(first["starts"]), hm(first["ends"])) == ("11:00", "11:08")
    assert body["warnings"] == []
    page = organiser.get(programme_demo.editor_url())
    assert titles_in(page.data)[0] == "Barrierefreie Stadtpläne"

    refused = organiser.post(url, json={"pitch_ids": new_order[:-1]},
                             headers={"X-CSRFToken": token})
    assert refused.status_code == 422 and "missing" in refused.get_json()["error"]
    assert organiser.post(url, json={"order": 1}, headers={"X-CSRFToken": token}
                          ).status_code == 400


def test_pitch_forms_add_edit_delete_and_bad_minutes(app, organiser, programme_demo):
    sid = programme_demo.pitch_session_id
    url = f"{PROGRAMME}/sessions/{sid}/pitches/new"
    bad = organiser.post(url, data={"csrf_token": form_token(organiser, url), "title": "Neu",
                                    "presenter": "Zoë Ørsted", "pitch_minutes": "0",
                                    "qa_minutes": "-2", "changeover_minutes": "1"})
    assert bad.status_code == 422
    html = bad.data.decode()
    assert "A pitch needs at least one minute" in html and "Minutes cannot be negative." in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Pitch)) == 10
    added = organiser.post(url, data={"csrf_token": form_token(organiser, url),
                                      "title": "Reparaturcafé", "presenter": "Käthe Groß",
                                      "organisation": "Flickwerk", "pitch_minutes": "5",
                                      "qa_minutes": "3", "changeover_minutes": "1",
                                      "presenter_email": ""})
    assert added.status_code == 302
    page = organiser.get(programme_demo.editor_url())
    assert titles_in(page.data)[-1] == "Reparaturcafé"
    assert times_in(page.data)[-1] == ("12:30", "12:38")
    assert ("The pitch “Reparaturcafé” ends at 12:38\u202fPM, 8 minutes after the session "
            "ends (12:30\u202fPM).") in page.data.decode()

    pid = programme_demo.pitch_ids[0]
    edit = f"{PROGRAMME}/sessions/{sid}/pitches/{pid}"
    form = organiser.get(edit).data.decode()
    assert 'value="pitch.01@example.org"' in form
    organiser.post(edit, data={"csrf_token": form_token(organiser, edit),
                               "title": "Lernpaten digital", "presenter": "Miriam Öztürk",
                               "organisation": "Lernbrücke gGmbH", "pitch_minutes": "10",
                               "qa_minutes": "3", "changeover_minutes": "1",
                               "presenter_email": "pitch.01@example.org"})
    assert times_in(organiser.get(programme_demo.editor_url()).data)[:2] == [
        ("11:00", "11:13"), ("11:14", "11:22")]
    deleted = organiser.post(f"{edit}/delete", data={"csrf_token": form_token(organiser, edit)})
    assert deleted.status_code == 302
    page = organiser.get(programme_demo.editor_url())
    assert titles_in(page.data)[0] == "Solar Kiosks for Rural Markets"
    assert times_in(page.data)[0] == ("11:00", "11:08")


def test_rooms_page(app, organiser, programme_demo):
    url = f"{PROGRAMME}/rooms"
    page = organiser.get(url)
    assert "Raum Pariser Platz" in page.data.decode()
    duplicate = organiser.post(url, data={"csrf_token": csrf_token(page), "name": "foyer"})
    assert duplicate.status_code == 422
    assert "There is already a room called Foyer." in duplicate.data.decode()
    added = organiser.post(url, data={"csrf_token": csrf_token(page), "name": "Dachterrasse",
                                      "capacity": "80"})
    assert added.status_code == 302
    with app.app_context():
        room = db.session.scalar(db.select(Room).where(Room.name == "Dachterrasse"))
        assert room.capacity == 80


def test_public_agenda_and_session_page(client, programme_demo):
    agenda = client.get(f"/events/{programme_demo.slug}/programme")
    assert agenda.status_code == 200
    html = agenda.data.decode()
    assert "Wednesday, September 10, 2014" in html and "Thursday, September 11, 2014" in html
    assert html.index("Opening keynote") < html.index("Pitch session: ten") < html.index("Lunch")
    assert "Workshop: Measuring impact" in html and "Raum Brandenburg" in html
    assert "11:00\u202fAM–12:30\u202fPM" in html
    assert "Pitch session" in html and "Keynote" in html
    assert f"/events/{programme_demo.slug}/schedule.ics" in html

    page = client.get(f"/events/{programme_demo.slug}/sessions/{programme_demo.pitch_session_id}")
    html = page.data.decode()
    assert "Laura Haverkamp" in html and "Lead moderator" in html
    assert "Norbert Kunz" in html and "Co-moderator" in html
    assert html.count('class="ro-item"') == 10
    assert "Miriam Öztürk (sample) · Lernbrücke gGmbH" in html
    assert ">11:00\u202fAM</time>" in html
    assert client.get(f"/events/{programme_demo.slug}/sessions/999999").status_code == 404
    assert client.get("/events/nope/programme").status_code == 404


def test_agenda_in_german(client, programme_demo):
    page = client.get(f"/events/{programme_demo.slug}/programme",
                      headers={"Accept-Language": "de"})
    html = page.data.decode()
    assert "Mittwoch, 10. September 2014" in html
    assert "11:00–12:30" in html
