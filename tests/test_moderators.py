"""Moderator pages and services through the doors people use: automatic and hand assignment,
availability and languages, my sessions, the run of show and the public hall display."""

import json
import re
import threading
from datetime import timedelta

import pytest
from conftest import csrf_token
from live_helpers import Browser
from moderators_fixtures import *  # noqa: F403
from moderators_fixtures import JANA, LAURA, NORBERT, ORGANISER, SAM, login_as

from summit.extensions import db
from summit.models import (
    AuditEntry,
    Availability,
    Event,
    EventSession,
    ModeratorAssignment,
    SessionRun,
    User,
    utcnow,
)
from summit.services import live, moderation
from summit.services.live import run_of_show as ros
from summit.services.moderation import reasons as rules

ORGANISER_PASSWORD = "demo-organiser"


def _event(app):
    return db.session.scalar(db.select(Event).where(Event.slug == "vision-summit-2014"))


def _session(title_start: str) -> EventSession:
    return db.session.scalar(db.select(EventSession).where(
        EventSession.title.startswith(title_start)))


def _rows(event_id: int) -> set[tuple[int, int, str, bool]]:
    return {(a.session_id, a.user_id, a.role, a.pinned) for a in db.session.scalars(
        db.select(ModeratorAssignment).join(ModeratorAssignment.session)
        .where(EventSession.event_id == event_id))}


# --- automatic assignment through the service, on real models ------------------------------


def test_auto_assign_fills_the_demo_keeping_pins_without_double_booking(app, demo_data):
    with app.app_context():
        event = _event(app)
        summary = moderation.auto_assign_event(event, actor=None)
        assert summary.unfilled == [] and len(summary.outcomes) == 8

        pitch = db.session.get(EventSession, demo_data.pitch_session_id)
        pinned = {(a.user.email, a.role, a.pinned) for a in pitch.assignments}
        assert pinned == {(LAURA, "lead", True), (NORBERT, "co", True)}

        by_user: dict[int, list[EventSession]] = {}
        for session in moderation.sessions_needing_moderators(event):
            assert len(session.assignments) == session.moderators_needed
            assert sum(a.role == "lead" for a in session.assignments) == 1
            for a in session.assignments:
                assert session.language in a.user.language_set  # language respected
                by_user.setdefault(a.user_id, []).append(session)
        for sessions in by_user.values():
            ordered = sorted(sessions, key=lambda s: s.starts_at)
            for first, second in zip(ordered, ordered[1:], strict=False):
                assert first.ends_at <= second.starts_at, "double-booked"
        entry = db.session.scalar(db.select(AuditEntry).where(
            AuditEntry.action == "moderators.auto_assigned"))
        assert entry.event_id == event.id and entry.details["unfilled"] == 0


def test_auto_assign_is_deterministic_and_replaces_earlier_automatic_rows(app, demo_data):
    with app.app_context():
        event = _event(app)
        moderation.auto_assign_event(event, actor=None)
        first = _rows(event.id)
        # An earlier automatic row that breaks the language rule is replaced, not kept.
        workshop = _session("Workshop: Measuring impact")  # English
        for a in list(workshop.assignments):
            db.session.delete(a)
        jana = db.session.scalar(db.select(User).where(User.email == JANA))
        db.session.add(ModeratorAssignment(session=workshop, user=jana, role="lead"))
        db.session.commit()
        summary = moderation.auto_assign_event(event, actor=None)
        assert _rows(event.id) == first
        again = moderation.auto_assign_event(event, actor=None)
        assert _rows(event.id) == first and (again.added, again.removed) == (0, 0)
        assert summary.removed >= 1


def test_auto_assign_respects_availability(app, demo_data):
    with app.app_context():
        event = _event(app)
        sam = db.session.scalar(db.select(User).where(User.email == SAM))
        day_one = [w for w in db.session.scalars(db.select(Availability).where(
            Availability.user_id == sam.id)) if w.starts_at.day == event.starts_on.day]
        for window in day_one:
            db.session.delete(window)
        db.session.commit()
        moderation.auto_assign_event(event, actor=None)
        sams = [a.session for a in db.session.scalars(db.select(ModeratorAssignment).where(
            ModeratorAssignment.user_id == sam.id))]
        assert sams and all(s.starts_at.astimezone(event.tz).date() == event.ends_on
                            for s in sams)
        workshop = _session("Workshop: Measuring impact")
        assert {a.user.email for a in workshop.assignments} <= {LAURA, NORBERT}


def test_a_session_that_cannot_be_filled_is_explained(app, demo_data, client):
    with app.app_context():
        event = _event(app)
        storytelling = _session("Workshop: Storytelling")
        storytelling.language = "fr"
        db.session.commit()
        summary = moderation.auto_assign_event(event, actor=None)
        [gap] = summary.unfilled
        assert gap.session.id == storytelling.id and gap.missing == 1
        assert [r.code for r in gap.reasons] == [rules.NO_LANGUAGE]
    login_as(client, ORGANISER, ORGANISER_PASSWORD)
    page = client.get("/organiser/events/vision-summit-2014/moderators?assigned=1")
    assert page.status_code == 200
    assert "No moderator speaks French." in page.get_data(as_text=True)
    # Built from the code and its params, so the language name follows the reader's language.
    german = client.get("/organiser/events/vision-summit-2014/moderators",
                        headers={"Accept-Language": "de"})
    assert "Französisch" in german.get_data(as_text=True)


def test_the_organiser_button_runs_the_assignment(app, demo_data, client):
    login_as(client, ORGANISER, ORGANISER_PASSWORD)
    page = client.get("/organiser/events/vision-summit-2014/moderators")
    response = client.post("/organiser/events/vision-summit-2014/moderators/auto-assign",
                           data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302 and "assigned=1" in response.headers["Location"]
    result = client.get(response.headers["Location"])
    assert "Fully staffed: 8 of 8 sessions." in result.get_data(as_text=True)
    refused = client.post("/organiser/events/vision-summit-2014/moderators/auto-assign")
    assert refused.status_code == 400  # no CSRF token, nothing written
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "moderators.auto_assigned")) == 1


# --- hand assignment, availability, languages ---------------------------------------------


def test_hand_assignment_refuses_a_double_booking(app, demo_data, client):
    login_as(client, ORGANISER, ORGANISER_PASSWORD)
    with app.app_context():
        first = _session("Workshop: Measuring impact").id
        second = _session("Workshop: Financing").id  # the same time, another room
        laura = demo_data.user_ids[LAURA]
    base = "/organiser/events/vision-summit-2014/moderators"
    page = client.get(base)
    ok = client.post(f"{base}/sessions/{first}/assign", data={
        f"s{first}-csrf_token": csrf_token(page), f"s{first}-user_id": laura,
        f"s{first}-role": "lead"})
    assert ok.status_code == 302
    refused = client.post(f"{base}/sessions/{second}/assign", data={
        f"s{second}-csrf_token": csrf_token(page), f"s{second}-user_id": laura,
        f"s{second}-role": "lead"})
    assert refused.status_code == 422
    assert "already moderates" in refused.get_data(as_text=True)
    with app.app_context():
        rows = db.session.scalars(db.select(ModeratorAssignment).where(
            ModeratorAssignment.user_id == laura)).all()
        assert {r.session_id for r in rows} == {demo_data.pitch_session_id, first}
        assert all(r.pinned for r in rows)
        added = next(r for r in rows if r.session_id == first)
    removed = client.post(f"{base}/assignments/{added.id}/delete",
                          data={"csrf_token": csrf_token(page)})
    assert removed.status_code == 302
    with app.app_context():
        assert db.session.get(ModeratorAssignment, added.id) is None


def _preselected_role(html: str, session_id: int) -> str:
    """The role the assignment form of a session sends when the organiser leaves it alone."""
    select = re.search(rf'<select[^>]*name="s{session_id}-role".*?</select>', html, re.S)
    assert select, "the session has no role choice"
    chosen = re.search(r'<option[^>]*\bselected\b[^>]*value="([^"]*)"|'
                       r'<option[^>]*value="([^"]*)"[^>]*\bselected\b', select.group(0))
    first = re.search(r'<option[^>]*value="([^"]*)"', select.group(0))
    return (chosen.group(1) or chosen.group(2)) if chosen else first.group(1)


def _assign_by_hand(client, session_id: int, user_id: int, role: str | None = None,
                    language: str = "en"):
    """Fill in a session's assignment form as an organiser does: pick the person, keep the
    preselected role unless one is given, submit, follow the redirect."""
    base = "/organiser/events/vision-summit-2014/moderators"
    page = client.get(base, headers={"Accept-Language": language})
    html = page.get_data(as_text=True)
    response = client.post(f"{base}/sessions/{session_id}/assign", data={
        f"s{session_id}-csrf_token": csrf_token(page), f"s{session_id}-user_id": user_id,
        f"s{session_id}-role": _preselected_role(html, session_id) if role is None else role},
        headers={"Accept-Language": language}, follow_redirects=True)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def _roles(session_id: int) -> dict[str, str]:
    session = db.session.get(EventSession, session_id)
    return {a.user.name: a.role for a in session.assignments}


def test_assigning_the_lead_again_keeps_her_lead(app, demo_data, client):
    """The form's preselected role used to be co-moderator: assigning Laura again (to pin
    her, or by mistake) demoted her, and automatic assignment then refused the session."""
    login_as(client, ORGANISER, ORGANISER_PASSWORD)
    pitch = demo_data.pitch_session_id
    html = _assign_by_hand(client, pitch, demo_data.user_ids[LAURA])
    assert "Laura Haverkamp stays lead moderator of “Pitch session: ten social " \
           "entrepreneurs”." in html
    with app.app_context():
        assert _roles(pitch) == {"Laura Haverkamp": "lead", "Norbert Kunz": "co"}
        summary = moderation.auto_assign_event(_event(app), actor=None)
        assert pitch not in {o.session.id for o in summary.unfilled}


def test_a_new_lead_is_named_and_the_previous_lead_is_told_moving_to_co(app, demo_data,
                                                                         client):
    login_as(client, ORGANISER, ORGANISER_PASSWORD)
    pitch = demo_data.pitch_session_id
    with app.app_context():
        db.session.delete(next(a for a in db.session.get(EventSession, pitch).assignments
                               if a.user.email == NORBERT))
        db.session.commit()
    html = _assign_by_hand(client, pitch, demo_data.user_ids[JANA], role="lead")
    assert ("Jana Muster (sample) is now lead moderator of “Pitch session: ten social "
            "entrepreneurs”. Laura Haverkamp moves to co-moderator.") in html
    with app.app_context():
        assert _roles(pitch) == {"Jana Muster (sample)": "lead", "Laura Haverkamp": "co"}
        entry = db.session.scalar(db.select(AuditEntry).where(
            AuditEntry.action == "moderator.assigned").order_by(AuditEntry.id.desc()))
        assert entry.details["demoted_user_id"] == demo_data.user_ids[LAURA]
    german = _assign_by_hand(client, pitch, demo_data.user_ids[LAURA], role="lead",
                             language="de")
    assert ("Laura Haverkamp übernimmt jetzt die Hauptmoderation von „Pitch-Session: zehn "
            "Social Entrepreneurs“. Jana Muster (sample) wechselt in die Co-Moderation.") \
        in german


def test_the_first_person_of_a_session_becomes_lead_the_next_co(app, demo_data, client):
    login_as(client, ORGANISER, ORGANISER_PASSWORD)
    with app.app_context():
        closing = _session("Closing panel").id
    html = _assign_by_hand(client, closing, demo_data.user_ids[JANA])
    assert "Jana Muster (sample) is now lead moderator of “Closing panel" in html
    html = _assign_by_hand(client, closing, demo_data.user_ids[SAM])
    assert "is now co-moderator of “Closing panel" in html
    with app.app_context():
        assert sorted(_roles(closing).values()) == ["co", "lead"]
    # Making the only lead a co-moderator is allowed, and said out loud.
    html = _assign_by_hand(client, closing, demo_data.user_ids[JANA], role="co")
    assert "The session has no lead moderator now." in html
    with app.app_context():
        assert set(_roles(closing).values()) == {"co"}


def test_availability_windows_are_recorded_in_event_time(app, demo_data, client):
    login_as(client, ORGANISER, ORGANISER_PASSWORD)
    base = "/organiser/events/vision-summit-2014/moderators"
    page = client.get(base)
    sam = demo_data.user_ids[SAM]
    bad = client.post(f"{base}/availability", data={
        "add-csrf_token": csrf_token(page), "add-user_id": sam,
        "add-starts_at": "2014-09-12T10:00", "add-ends_at": "2014-09-12T09:00"})
    assert bad.status_code == 422
    assert "The window must end after it starts." in bad.get_data(as_text=True)
    good = client.post(f"{base}/availability", data={
        "add-csrf_token": csrf_token(page), "add-user_id": sam,
        "add-starts_at": "2014-09-12T10:00", "add-ends_at": "2014-09-12T12:30"})
    assert good.status_code == 302
    with app.app_context():
        window = db.session.scalar(db.select(Availability).where(
            Availability.user_id == sam).order_by(Availability.id.desc()))
        assert window.starts_at.isoformat() == "2014-09-12T08:00:00+00:00"  # 10:00 CEST
        window_id = window.id
    page = client.get(base)
    assert 'value="2014-09-12T10:00"' in page.get_data(as_text=True)
    edited = client.post(f"{base}/availability/{window_id}", data={
        f"w{window_id}-csrf_token": csrf_token(page),
        f"w{window_id}-starts_at": "2014-09-12T09:00", f"w{window_id}-ends_at": "2014-09-12T13:00"})
    assert edited.status_code == 302
    with app.app_context():
        assert db.session.get(Availability, window_id).ends_at.hour == 11  # 13:00 CEST
    deleted = client.post(f"{base}/availability/{window_id}/delete",
                          data={"csrf_token": csrf_token(page)})
    assert deleted.status_code == 302
    with app.app_context():
        assert db.session.get(Availability, window_id) is None


def test_languages_are_validated_and_saved(app, demo_data, client):
    login_as(client, ORGANISER, ORGANISER_PASSWORD)
    base = "/organiser/events/vision-summit-2014/moderators"
    page = client.get(base)
    jana = demo_data.user_ids[JANA]
    bad = client.post(f"{base}/{jana}/languages", data={
        f"lang{jana}-csrf_token": csrf_token(page), f"lang{jana}-languages": "de, <script>"})
    assert bad.status_code == 422
    assert "is not a language code" in bad.get_data(as_text=True)
    ok = client.post(f"{base}/{jana}/languages", data={
        f"lang{jana}-csrf_token": csrf_token(page), f"lang{jana}-languages": "DE, fr"})
    assert ok.status_code == 302
    with app.app_context():
        assert db.session.get(User, jana).languages == "de,fr"


def test_organiser_pages_need_the_organiser_role(app, demo_data, client):
    base = "/organiser/events/vision-summit-2014/moderators"
    anonymous = client.get(base)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    login_as(client, LAURA)
    assert client.get(base).status_code == 403


# --- my sessions and the run of show --------------------------------------------------------


def test_the_moderator_page_lists_only_own_sessions(app, demo_data, client):
    with app.app_context():
        moderation.auto_assign_event(_event(app), actor=None)
        sam_titles = {a.session.title for a in db.session.scalars(
            db.select(ModeratorAssignment).where(
                ModeratorAssignment.user_id == demo_data.user_ids[SAM]))}
    login_as(client, LAURA)
    text = client.get("/moderator/").get_data(as_text=True)
    assert "Pitch session: ten social entrepreneurs" in text
    assert "Norbert Kunz" in text and "Lead" in text
    assert not any(title in text for title in sam_titles)
    assert "All pitch sessions" not in text


def test_organisers_see_every_pitch_session(app, demo_data, client):
    login_as(client, ORGANISER, ORGANISER_PASSWORD)
    text = client.get("/moderator/").get_data(as_text=True)
    assert "All pitch sessions" in text and "Pitch session: ten social entrepreneurs" in text


def test_anonymous_people_get_the_login_page(app, demo_data, client):
    sid = demo_data.pitch_session_id
    for url in ("/moderator/", f"/moderator/sessions/{sid}/run",
                f"/moderator/sessions/{sid}/state.json"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.get("/moderator/", follow_redirects=True)
    assert 'name="password"' in response.get_data(as_text=True)


def test_a_moderator_cannot_run_a_session_of_others(app, demo_data, client):
    sid = demo_data.pitch_session_id
    login_as(client, JANA)
    assert client.get(f"/moderator/sessions/{sid}/run").status_code == 403
    assert client.get(f"/moderator/sessions/{sid}/state.json").status_code == 403
    page = client.get("/moderator/")
    response = client.post(f"/moderator/sessions/{sid}/run/start",
                           data={"csrf_token": csrf_token(page), "version": 0})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(SessionRun, sid) is None


def test_the_buttons_work_without_javascript(app, demo_data, client):
    sid = demo_data.pitch_session_id
    login_as(client, LAURA)
    page = client.get(f"/moderator/sessions/{sid}/run")
    assert page.status_code == 200 and "Lernpaten digital" in page.get_data(as_text=True)
    token = csrf_token(page)
    started = client.post(f"/moderator/sessions/{sid}/run/start",
                          data={"csrf_token": token, "version": 0})
    assert started.status_code == 302
    assert "Live now" in client.get("/moderator/").get_data(as_text=True)
    client.post(f"/moderator/sessions/{sid}/run/next", data={"csrf_token": token, "version": 1})
    # Pressed on a screen that still showed version 1: refused, explained, nothing changes.
    stale = client.post(f"/moderator/sessions/{sid}/run/next",
                        data={"csrf_token": token, "version": 1}, follow_redirects=True)
    assert "changed the session a moment ago" in stale.get_data(as_text=True)
    state = client.get(f"/moderator/sessions/{sid}/state.json").get_json()
    assert (state["state"], state["phase"], state["version"]) == ("running", "qa", 2)
    as_json = client.post(f"/moderator/sessions/{sid}/run/back",
                          data={"csrf_token": token, "version": 2},
                          headers={"Accept": "application/json"})
    assert as_json.status_code == 200 and as_json.get_json()["phase"] == "pitch"
    refused = client.post(f"/moderator/sessions/{sid}/run/back",
                          data={"csrf_token": token, "version": 3},
                          headers={"Accept": "application/json"})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "first_step"
    assert client.post(f"/moderator/sessions/{sid}/run/next",
                       data={"version": 3}).status_code == 400  # no CSRF: nothing happens
    assert client.get(f"/moderator/sessions/{sid}/state.json").get_json()["version"] == 3


def test_the_hall_display_is_public_and_follows_the_run(app, demo_data, client):
    sid, slug = demo_data.pitch_session_id, demo_data.slug
    page = client.get(f"/events/{slug}/sessions/{sid}/stage")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "stage-display.js" in html and "<script>" not in html
    state = client.get(f"/events/{slug}/sessions/{sid}/stage.json")
    assert state.headers["Cache-Control"] == "no-store"
    body = state.get_json()
    assert body["state"] == "idle" and body["next"]["title"] == "Lernpaten digital"
    assert "can" not in body
    login_as(client, NORBERT)
    token = csrf_token(client.get(f"/moderator/sessions/{sid}/run"))
    client.post(f"/moderator/sessions/{sid}/run/start", data={"csrf_token": token})
    client.post(f"/moderator/sessions/{sid}/run/next", data={"csrf_token": token})
    body = client.get(f"/events/{slug}/sessions/{sid}/stage.json").get_json()
    assert (body["state"], body["phase"], body["current"]["presenter"]) == (
        "running", "qa", "Miriam Öztürk (sample)")
    assert body["next"]["organisation"] == "SunMarket Ventures"
    assert client.get(f"/events/other-event/sessions/{sid}/stage.json").status_code == 404


def test_end_asks_first_and_an_ended_session_can_be_resumed(app, demo_data, client):
    sid, slug = demo_data.pitch_session_id, demo_data.slug
    run_page = f"/moderator/sessions/{sid}/run"
    login_as(client, LAURA)
    token = csrf_token(client.get(run_page))
    client.post(f"{run_page}/start", data={"csrf_token": token, "version": 0})
    client.post(f"{run_page}/next", data={"csrf_token": token, "version": 1})

    # The run page's "End session…" is a link to a question, not a button that ends.
    html = client.get(run_page).get_data(as_text=True)
    assert f'href="{run_page}/end"' in html and 'action="' + run_page + '/end"' in html
    # Posting "end" without the question's "yes" (an old page, a stray tap) only asks.
    asked = client.post(f"{run_page}/end", data={"csrf_token": token, "version": 2})
    assert asked.status_code == 302 and asked.headers["Location"].endswith(f"{run_page}/end")
    as_json = client.post(f"{run_page}/end", data={"csrf_token": token, "version": 2},
                          headers={"Accept": "application/json"})
    assert as_json.status_code == 400 and as_json.get_json()["error"]["code"] == "confirm"
    state = client.get(f"/moderator/sessions/{sid}/state.json").get_json()
    assert (state["state"], state["version"]) == ("running", 2)
    question = client.get(f"{run_page}/end")
    text = question.get_data(as_text=True)
    assert question.status_code == 200 and "End the session?" in text
    assert "resume the session for 10 minutes" in text and f'href="{run_page}"' in text
    assert re.search(r'name="version" value="2"', text) and 'name="confirm" value="yes"' in text

    ended = client.post(f"{run_page}/end", data={"csrf_token": csrf_token(question),
                                                 "version": 2, "confirm": "yes"})
    assert ended.status_code == 302 and ended.headers["Location"].endswith(run_page)
    hall = client.get(f"/events/{slug}/sessions/{sid}/stage.json").get_json()
    assert hall["state"] == "ended" and "undo" not in hall and "can" not in hall
    assert "Thank you!" in client.get(f"/events/{slug}/sessions/{sid}/stage").get_data(
        as_text=True)
    state = client.get(f"/moderator/sessions/{sid}/state.json").get_json()
    assert state["undo"]["action"] == "end" and state["can"]["undo"] is True
    html = client.get(run_page).get_data(as_text=True)
    assert re.search(r'data-action="undo"\s*>', html) and "Resume the session</span>" in html
    assert "possible until" in html
    # The question is not asked of a session that has ended already.
    again = client.get(f"{run_page}/end", follow_redirects=True)
    assert "The session has ended." in again.get_data(as_text=True)

    # The co-moderator's screen still showed the running session: refused, as for "next".
    stale = client.post(f"{run_page}/undo", data={"csrf_token": token, "version": 2},
                        follow_redirects=True)
    assert "changed the session a moment ago" in stale.get_data(as_text=True)
    resumed = client.post(f"{run_page}/undo", data={"csrf_token": token, "version": 3},
                          headers={"Accept": "application/json"})
    assert resumed.status_code == 200 and resumed.get_json()["state"] == "running"
    hall = client.get(f"/events/{slug}/sessions/{sid}/stage.json").get_json()
    assert (hall["state"], hall["phase"], hall["current"]["presenter"], hall["ended_at"]) == (
        "running", "qa", "Miriam Öztürk (sample)", None)


def test_resuming_is_refused_after_ten_minutes(app, demo_data, client):
    sid = demo_data.pitch_session_id
    run_page = f"/moderator/sessions/{sid}/run"
    with app.app_context():
        session = db.session.get(EventSession, sid)
        now = utcnow()
        ros.start(session, now=now - timedelta(minutes=40))
        ros.end(session, now=now - timedelta(minutes=ros.UNDO_MINUTES, seconds=1))
    login_as(client, NORBERT)
    page = client.get(run_page)
    state = client.get(f"/moderator/sessions/{sid}/state.json").get_json()
    assert state["undo"] is None and state["can"]["undo"] is False
    assert re.search(r'data-action="undo"\s*hidden', page.get_data(as_text=True))
    refused = client.post(f"{run_page}/undo", data={"csrf_token": csrf_token(page),
                                                    "version": state["version"]},
                          follow_redirects=True)
    assert ("The last step was more than 10 minutes ago and can no longer be undone."
            in refused.get_data(as_text=True))
    assert client.get(f"/moderator/sessions/{sid}/state.json").get_json()["state"] == "ended"


# --- two moderators pressing "next" at the same moment, against gunicorn ----------------


@pytest.mark.parametrize("rounds", [4])
def test_two_moderators_pressing_next_at_once_advance_once(app, demo_data, live_server, rounds):
    sid = demo_data.pitch_session_id
    run_page = f"/moderator/sessions/{sid}/run"
    laura, norbert = Browser(live_server.url), Browser(live_server.url)
    laura.login(LAURA, "demo-moderator")
    norbert.login(NORBERT, "demo-moderator")
    tokens = {id(b): b.token(run_page) for b in (laura, norbert)}
    status, _text = laura.request(f"{run_page}/start", {"csrf_token": tokens[id(laura)],
                                                        "version": 0})
    assert status == 200  # the redirect to the run page was followed
    accept = {"Accept": "application/json"}
    for _round in range(rounds):
        _status, text = laura.request(f"/moderator/sessions/{sid}/state.json")
        seen = json.loads(text)["version"]
        barrier = threading.Barrier(2)
        results: list[int] = []

        def press(browser, barrier, seen, results):
            barrier.wait()
            code, _body = browser.request(f"{run_page}/next", {
                "csrf_token": tokens[id(browser)], "version": seen}, accept)
            results.append(code)

        threads = [threading.Thread(target=press, args=(b, barrier, seen, results))
                   for b in (laura, norbert)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == [200, 409]
        _status, text = norbert.request(f"/moderator/sessions/{sid}/state.json")
        assert json.loads(text)["version"] == seen + 1
    state = json.loads(laura.request(f"/moderator/sessions/{sid}/state.json")[1])
    with app.app_context():
        steps = ros.plan(db.session.get(EventSession, sid))
    expected = steps[rounds]
    assert (state["current"]["position"], state["phase"]) == (expected.position, expected.phase)
    _status, public = Browser(live_server.url).request(
        f"/events/{demo_data.slug}/sessions/{sid}/stage.json")
    assert json.loads(public)["phase"] == expected.phase


def test_snapshot_times_follow_a_late_start(app, demo_data):
    with app.app_context():
        session = db.session.get(EventSession, demo_data.pitch_session_id)
        ros.start(session, now=session.starts_at + timedelta(minutes=3))
        s = live.snapshot(session, now=session.starts_at + timedelta(minutes=3))
        assert s["delay_minutes"] == 3 and s["pitches"][1]["expected_start_local"] == "11:12"
