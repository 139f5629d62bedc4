"""The stage's controls on the demo pitch session (ten pitches of 5 + 3 minutes with one minute
changeover, 11:00 Berlin): pause and resume, ±1 minute, skip Q&A and undo of each, blackout,
messages to the stage with "seen", the speaker view's link and the planned-vs-actual report;
then the same through the pages: roles, CSRF, JSON and plain forms. `now` is always given to
the services: no service test reads the clock."""

import csv
import io
from datetime import timedelta

import pytest
from conftest import csrf_token
from moderators_fixtures import *  # noqa: F403
from moderators_fixtures import JANA, LAURA, ORGANISER, login_as

from summit.extensions import db
from summit.models import AuditEntry, EventSession, SessionRun, StageMessage, User
from summit.services import live
from summit.services.errors import FieldError
from summit.services.live import report as reports
from summit.services.live import run_of_show as ros
from summit.services.live import speaker, stage_controls, stage_messages

JSON = {"Accept": "application/json"}


@pytest.fixture
def pitch_session(app, demo_data):
    with app.app_context():
        yield db.session.get(EventSession, demo_data.pitch_session_id)


def at(session, minutes, seconds=0):
    return session.starts_at + timedelta(minutes=minutes, seconds=seconds)


def snap(session, minutes, seconds=0):
    return live.snapshot(session, now=at(session, minutes, seconds))


# --- pause and resume -----------------------------------------------------------------------


def test_paused_time_is_neither_spoken_nor_overrun(pitch_session):
    s = pitch_session
    ros.start(s, now=at(s, 0))
    stage_controls.pause(s, now=at(s, 2))
    for later in (2, 4, 30):  # the clock stands, however long the pause
        shot = snap(s, later)
        assert shot["paused"] and shot["phase_remaining_seconds"] == 180
        assert shot["overrun_seconds"] == 0
        assert shot["can"]["resume"] and not shot["can"]["pause"]
    assert snap(s, 30)["delay_minutes"] == 28  # later pitches move on meanwhile
    stage_controls.resume(s, now=at(s, 12))
    shot = snap(s, 13)
    assert not shot["paused"] and shot["phase_remaining_seconds"] == 120
    assert shot["delay_minutes"] == 10
    assert shot["pitches"][1]["expected_start_local"] == "11:19"
    # The pitch runs 3 min more, past its end by 30 s: only that is overrun.
    assert snap(s, 15, 30)["overrun_seconds"] == 30


def test_pause_twice_resume_unpaused_and_idle_are_refused(pitch_session):
    s = pitch_session
    with pytest.raises(ros.RunError) as idle:
        stage_controls.pause(s, now=at(s, 0))
    assert idle.value.code == ros.NOT_STARTED
    ros.start(s, now=at(s, 0))
    with pytest.raises(ros.RunError) as unpaused:
        stage_controls.resume(s, now=at(s, 1))
    assert unpaused.value.code == live.NOT_PAUSED
    stage_controls.pause(s, now=at(s, 1))
    with pytest.raises(ros.RunError) as twice:
        stage_controls.pause(s, now=at(s, 2))
    assert twice.value.code == live.ALREADY_PAUSED


def test_next_while_paused_resumes_and_back_restores_the_pause_time(pitch_session):
    s = pitch_session
    ros.start(s, now=at(s, 0))
    stage_controls.pause(s, now=at(s, 1))
    ros.advance(s, now=at(s, 3))  # 2 minutes paused, then Q&A
    shot = snap(s, 4)
    assert (shot["phase"], shot["paused"], shot["phase_remaining_seconds"]) == ("qa", False, 120)
    ros.back(s, now=at(s, 4))
    # Back on the pitch since 11:00 with its 2 paused minutes: 5 + 2 - 4 = 3 minutes left.
    shot = snap(s, 4)
    assert (shot["phase"], shot["paused"], shot["phase_remaining_seconds"]) == ("pitch", False, 180)


def test_undo_takes_back_a_pause_and_a_resume(pitch_session):
    s = pitch_session
    ros.start(s, now=at(s, 0))
    stage_controls.pause(s, now=at(s, 1))
    assert snap(s, 2)["undo"]["action"] == "pause"
    ros.undo(s, now=at(s, 2))
    assert not snap(s, 2)["paused"] and snap(s, 2)["phase_remaining_seconds"] == 180
    stage_controls.pause(s, now=at(s, 2))
    stage_controls.resume(s, now=at(s, 4))
    ros.undo(s, now=at(s, 5))
    shot = snap(s, 6)
    assert shot["paused"] and shot["phase_remaining_seconds"] == 180  # paused since 11:02


# --- one minute more or less, skip Q&A --------------------------------------------------------


def test_plus_and_minus_one_minute_on_the_current_phase_and_their_undo(pitch_session):
    s = pitch_session
    ros.start(s, now=at(s, 0))
    stage_controls.adjust(s, 60, now=at(s, 1))
    stage_controls.adjust(s, 60, now=at(s, 1))
    assert snap(s, 1)["phase_remaining_seconds"] == 6 * 60
    assert snap(s, 1)["adjust_seconds"] == 120
    stage_controls.adjust(s, -60, now=at(s, 2))
    assert snap(s, 2)["phase_remaining_seconds"] == 4 * 60
    ros.undo(s, now=at(s, 2))
    assert snap(s, 2)["phase_remaining_seconds"] == 5 * 60
    # The next phase starts with its own planned length.
    ros.advance(s, now=at(s, 6))
    assert snap(s, 6)["phase_remaining_seconds"] == 180 and snap(s, 6)["adjust_seconds"] == 0


def test_minus_never_makes_a_phase_shorter_than_nothing(pitch_session):
    s = pitch_session
    ros.start(s, now=at(s, 0))
    for _ in range(5):
        stage_controls.apply("minus", s, now=at(s, 0))
    shot = snap(s, 0)
    assert shot["phase_remaining_seconds"] == 0 and not shot["can"]["minus"]
    with pytest.raises(ros.RunError) as refused:
        stage_controls.apply("minus", s, now=at(s, 0))
    assert refused.value.code == live.TOO_SHORT


def test_skip_qa_goes_from_the_pitch_to_the_changeover_and_undo_returns(pitch_session):
    s = pitch_session
    ros.start(s, now=at(s, 0))
    assert snap(s, 4)["can"]["skip_qa"]
    stage_controls.skip_qa(s, now=at(s, 5))
    shot = snap(s, 5)
    assert (shot["phase"], shot["current"]["position"]) == ("changeover", 1)
    assert not shot["can"]["skip_qa"]
    with pytest.raises(ros.RunError) as again:
        stage_controls.skip_qa(s, now=at(s, 5))
    assert again.value.code == live.NO_QA
    ros.undo(s, now=at(s, 6))
    assert (snap(s, 6)["phase"], snap(s, 6)["phase_remaining_seconds"]) == ("pitch", 0)
    stage_controls.skip_qa(s, now=at(s, 6))
    ros.back(s, now=at(s, 7))  # back from the changeover: the pitch, as after a skip
    assert snap(s, 7)["phase"] == "pitch"


def test_skip_qa_on_the_last_pitch_says_end_the_session(pitch_session):
    s = pitch_session
    ros.start(s, now=at(s, 0))
    while live.snapshot(s, now=at(s, 1))["current"]["position"] < 10:
        ros.advance(s, now=at(s, 1))
    with pytest.raises(ros.RunError) as last:
        stage_controls.skip_qa(s, now=at(s, 1))
    assert last.value.code == ros.LAST_STEP


# --- blackout -------------------------------------------------------------------------------


def test_blackout_toggles_before_and_during_the_run_and_undo_leaves_it(app, pitch_session):
    s = pitch_session
    organiser = db.session.scalar(db.select(User).where(User.email == ORGANISER))
    stage_controls.apply("blackout", s, actor=organiser, now=at(s, -5))
    assert snap(s, -5)["blackout"] and snap(s, -5)["state"] == "idle"
    ros.start(s, now=at(s, 0))
    assert snap(s, 0)["blackout"]
    stage_controls.apply("blackout", s, actor=organiser, now=at(s, 1))
    stage_controls.apply("blackout", s, actor=organiser, now=at(s, 2))
    ros.undo(s, now=at(s, 3))  # undoes "start", not the blackout
    assert snap(s, 3)["state"] == "idle" and snap(s, 3)["blackout"]
    hall = live.for_hall(snap(s, 3))
    assert hall["blackout"] and "messages" not in hall and "can" not in hall
    entries = db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.action == "stage.blackout")).all()
    assert [e.details["on"] for e in entries] == [True, False, True]


# --- messages -------------------------------------------------------------------------------


def test_messages_show_until_dismissed_and_report_when_seen(pitch_session):
    s = pitch_session
    laura = db.session.scalar(db.select(User).where(User.email == LAURA))
    first = stage_messages.send(s, "Bitte zum Ende kommen", actor=laura, now=at(s, 3))
    second = stage_messages.send(s, "  Noch   eine Frage 🙋 – 谢谢 ", actor=laura, now=at(s, 4))
    shot = snap(s, 4)
    assert [m["body"] for m in shot["messages"]] == ["Noch eine Frage 🙋 – 谢谢",
                                                     "Bitte zum Ende kommen"]
    assert shot["messages"][0]["seen_at"] is None
    assert stage_messages.mark_seen(s, first.id, now=at(s, 4, 30))
    assert not stage_messages.mark_seen(s, first.id, now=at(s, 5))  # the first time counts
    shot = snap(s, 5)
    assert shot["messages"][1]["seen_local"] == "11:04"
    assert live.for_speaker(shot)["messages"] == shot["messages"]
    assert "can" not in live.for_speaker(shot)
    assert stage_messages.dismiss(s, first.id, now=at(s, 6))
    assert not stage_messages.dismiss(s, first.id, now=at(s, 6))
    assert [m["id"] for m in snap(s, 6)["messages"]] == [second.id]


def test_empty_or_too_long_messages_are_refused_and_nothing_is_stored(pitch_session):
    s = pitch_session
    for body in ("", "   ", "x" * 201):
        with pytest.raises(FieldError) as refused:
            stage_messages.send(s, body, actor=None)
        assert refused.value.field == "body"
    assert db.session.scalar(db.select(db.func.count()).select_from(StageMessage)) == 0
    assert stage_messages.send(s, "ü" * 200, actor=None).body == "ü" * 200


def test_a_message_of_another_session_cannot_be_seen_or_dismissed(app, pitch_session):
    s = pitch_session
    other = db.session.scalar(db.select(EventSession).where(EventSession.id != s.id))
    message = stage_messages.send(other, "Mikrofon an", actor=None)
    assert not stage_messages.mark_seen(s, message.id) and not stage_messages.dismiss(s, message.id)


# --- the speaker view's link ----------------------------------------------------------------


def test_renewing_the_link_kills_the_old_one(app, pitch_session, client):
    s = pitch_session
    first = speaker.renew_token(s, actor=None)
    assert len(first) >= 43 and speaker.by_token(first).id == s.id
    assert client.get(f"/stage/{first}").status_code == 200
    second = speaker.renew_token(s, actor=None)
    assert second != first and speaker.by_token(first) is None
    assert client.get(f"/stage/{first}").status_code == 404
    assert client.get(f"/stage/{first}/state.json").status_code == 404
    assert client.get(f"/stage/{second}/state.json").status_code == 200
    assert client.get("/stage/nope").status_code == 404


def test_the_warning_threshold_is_checked(pitch_session):
    s = pitch_session
    speaker.set_warning_seconds(s, 90, actor=None)
    assert snap(s, 0)["warning_seconds"] == 90
    for bad in (-1, 601, "60", None, True):
        with pytest.raises(FieldError):
            speaker.set_warning_seconds(s, bad, actor=None)
    assert db.session.get(EventSession, s.id).warning_seconds == 90


# --- the report -----------------------------------------------------------------------------


def test_the_report_compares_plan_and_reality_per_pitch(pitch_session):
    s = pitch_session
    ros.start(s, now=at(s, 1))                                  # 1 min late
    stage_controls.pause(s, now=at(s, 3))
    stage_controls.resume(s, now=at(s, 5))                      # 2 min paused
    ros.advance(s, now=at(s, 8))                                # pitch: 7 - 2 = 5:00
    ros.advance(s, now=at(s, 12, 30))                           # Q&A 4:30
    ros.advance(s, now=at(s, 13, 30))                           # changeover
    stage_controls.skip_qa(s, now=at(s, 19))                    # pitch 2: 5:30, no Q&A
    ros.end(s, now=at(s, 20))
    result = reports.report(s, now=at(s, 60))
    one, two, three = result.rows[:3]
    assert one.start_delay_seconds == 60
    assert (one.pitch_seconds, one.qa_seconds, one.overrun_seconds) == (300, 270, 90)
    assert (two.pitch_seconds, two.qa_seconds, two.overrun_seconds) == (330, 0, 330 - 480)
    assert three.actual_start is None and three.overrun_seconds is None
    text = reports.as_csv(result)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert rows[0]["planned_start"] == "2014-09-11T11:00:00+02:00" or rows[0]["planned_start"]
    assert rows[0]["actual_pitch_minutes"] == "5.0" and rows[0]["overrun_minutes"] == "1.5"
    assert rows[1]["actual_qa_minutes"] == "0.0" and rows[2]["actual_start"] == ""


# --- the pages ------------------------------------------------------------------------------


def _run_page(client, sid):
    page = client.get(f"/moderator/sessions/{sid}/run")
    assert page.status_code == 200
    return page


def test_a_moderator_of_another_session_gets_403_everywhere(app, demo_data, client):
    sid = demo_data.pitch_session_id
    login_as(client, JANA)
    token = csrf_token(client.get("/moderator/"))
    for url in (f"/moderator/sessions/{sid}/run/pause", f"/moderator/sessions/{sid}/run/blackout",
                f"/moderator/sessions/{sid}/messages",
                f"/moderator/sessions/{sid}/messages/1/dismiss"):
        assert client.post(url, data={"csrf_token": token, "body": "hi"}).status_code == 403
    for url in (f"/moderator/sessions/{sid}/report", f"/moderator/sessions/{sid}/report.csv"):
        assert client.get(url).status_code == 403
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(StageMessage)) == 0
        assert db.session.get(SessionRun, sid) is None


def test_without_csrf_nothing_changes(app, demo_data, client):
    sid = demo_data.pitch_session_id
    login_as(client, LAURA)
    _run_page(client, sid)
    assert client.post(f"/moderator/sessions/{sid}/run/blackout").status_code == 400
    assert client.post(f"/moderator/sessions/{sid}/messages", data={"body": "hi"},
                       headers=JSON).status_code == 400
    with app.app_context():
        assert db.session.get(SessionRun, sid) is None
        assert db.session.scalar(db.select(db.func.count()).select_from(StageMessage)) == 0


def test_the_controls_as_json_and_as_plain_forms(app, demo_data, client):
    sid = demo_data.pitch_session_id
    login_as(client, LAURA)
    token = csrf_token(_run_page(client, sid))
    base = f"/moderator/sessions/{sid}"
    assert client.post(f"{base}/run/start", data={"csrf_token": token}).status_code == 302
    paused = client.post(f"{base}/run/pause", data={"csrf_token": token}, headers=JSON)
    assert paused.status_code == 200 and paused.json["paused"]
    twice = client.post(f"{base}/run/pause", data={"csrf_token": token}, headers=JSON)
    assert twice.status_code == 409 and twice.json["error"]["code"] == "already_paused"
    plain = client.post(f"{base}/run/resume", data={"csrf_token": token})
    assert plain.status_code == 302
    plus = client.post(f"{base}/run/plus", data={"csrf_token": token}, headers=JSON)
    assert plus.json["adjust_seconds"] == 60 and plus.json["undo"]["action"] == "plus"
    assert "Undo “+1 min”" in _run_page(client, sid).get_data(as_text=True)
    skipped = client.post(f"{base}/run/skip_qa", data={"csrf_token": token}, headers=JSON)
    assert skipped.json["phase"] == "changeover"
    dark = client.post(f"{base}/run/blackout", data={"csrf_token": token}, headers=JSON)
    assert dark.json["blackout"]
    page = _run_page(client, sid).get_data(as_text=True)
    assert 'aria-pressed="true"' in page and "Blackout: the speaker view" in page
    assert client.post(f"{base}/run/nonsense", data={"csrf_token": token}).status_code == 404
    with app.app_context():
        assert db.session.get(SessionRun, sid).blackout


def test_messages_through_the_page_presets_free_text_seen_and_dismiss(app, demo_data, client):
    sid = demo_data.pitch_session_id
    with app.app_context():
        link = speaker.renew_token(db.session.get(EventSession, sid), actor=None)
    login_as(client, LAURA)
    token = csrf_token(_run_page(client, sid))
    base = f"/moderator/sessions/{sid}"
    preset = client.post(f"{base}/messages", data={"csrf_token": token, "preset": "1"})
    assert preset.status_code == 302
    sent = client.post(f"{base}/messages", data={"csrf_token": token, "body": "Zeit 🕐"},
                       headers=JSON)
    assert [m["body"] for m in sent.json["messages"]] == ["Zeit 🕐", "Please wrap up"]
    too_long = client.post(f"{base}/messages", data={"csrf_token": token, "body": "x" * 201})
    assert too_long.status_code == 422 and "at most 200 characters" in too_long.get_data(
        as_text=True)
    empty = client.post(f"{base}/messages", data={"csrf_token": token, "body": " "},
                        headers=JSON)
    assert empty.status_code == 422 and "body" in empty.json["errors"]
    bad_preset = client.post(f"{base}/messages", data={"csrf_token": token, "preset": "99"})
    assert bad_preset.status_code == 422

    # The speaker's screen: no account, its own CSRF token, "seen" goes back.
    speaker_client = app.test_client()
    view = speaker_client.get(f"/stage/{link}")
    html = view.get_data(as_text=True)
    assert view.status_code == 200 and "Zeit 🕐" in html
    assert view.headers["Cache-Control"] == "no-store"
    state = speaker_client.get(f"/stage/{link}/state.json").json
    assert "can" not in state and len(state["messages"]) == 2
    message_id = state["messages"][0]["id"]
    refused = speaker_client.post(f"/stage/{link}/messages/{message_id}/seen", headers=JSON)
    assert refused.status_code == 400  # no CSRF token
    seen = speaker_client.post(f"/stage/{link}/messages/{message_id}/seen",
                               headers={**JSON, "X-CSRFToken": csrf_of(html)})
    assert seen.status_code == 200
    shown = _run_page(client, sid).get_data(as_text=True)
    assert "seen at" in shown and "not seen yet" in shown
    # The hall display never gets the speaker's messages.
    slug = demo_data.slug
    assert "messages" not in client.get(f"/events/{slug}/sessions/{sid}/stage.json").json
    assert "Zeit" not in client.get(f"/events/{slug}/sessions/{sid}/stage").get_data(as_text=True)

    dismissed = client.post(f"{base}/messages/{message_id}/dismiss", data={"csrf_token": token},
                            headers=JSON)
    assert [m["body"] for m in dismissed.json["messages"]] == ["Please wrap up"]
    assert client.post(f"{base}/messages/999999/dismiss", data={"csrf_token": token},
                       headers=JSON).status_code == 404


def csrf_of(html: str) -> str:
    import re
    return re.search(r'data-csrf="([^"]+)"', html).group(1)


def test_organiser_renews_the_link_and_sets_the_warning(app, demo_data, client):
    sid, slug = demo_data.pitch_session_id, demo_data.slug
    login_as(client, ORGANISER, "demo-organiser")
    page_url = f"/organiser/events/{slug}/programme/sessions/{sid}"
    page = client.get(page_url)
    assert "Create the link" in page.get_data(as_text=True)
    base = f"/organiser/events/{slug}/programme/sessions/{sid}/speaker-view"
    client.post(f"{base}/link", data={"csrf_token": csrf_token(page)})
    with app.app_context():
        first = db.session.get(EventSession, sid).stage_token
    page = client.get(page_url)
    assert f"/stage/{first}" in page.get_data(as_text=True)
    client.post(f"{base}/link", data={"csrf_token": csrf_token(page)})
    assert client.post(f"{base}/link").status_code == 400  # without CSRF: nothing
    client.post(f"{base}/warning", data={"csrf_token": csrf_token(page), "warning_seconds": "45"})
    for wrong in ("-5", "601", "zehn", ""):
        bad = client.post(f"{base}/warning", data={"csrf_token": csrf_token(page),
                                                   "warning_seconds": wrong})
        assert bad.status_code == 422
        assert 'id="warning_seconds-error"' in bad.get_data(as_text=True)
        assert "from 0 to 600" in bad.get_data(as_text=True)
    with app.app_context():
        session = db.session.get(EventSession, sid)
        assert session.stage_token not in (None, first) and session.warning_seconds == 45
        actions = db.session.scalars(db.select(AuditEntry.action).where(
            AuditEntry.action.like("stage.%"))).all()
        assert sorted(actions) == ["stage.link_renewed", "stage.link_renewed",
                                   "stage.warning_changed"]
    moderator = app.test_client()  # a moderator may not
    login_as(moderator, LAURA)
    token = csrf_token(moderator.get("/moderator/"))
    assert moderator.post(f"{base}/link", data={"csrf_token": token}).status_code == 403


def test_the_report_page_and_csv_for_moderators(app, demo_data, client):
    sid = demo_data.pitch_session_id
    login_as(client, LAURA)
    token = csrf_token(_run_page(client, sid))
    client.post(f"/moderator/sessions/{sid}/run/start", data={"csrf_token": token})
    page = client.get(f"/moderator/sessions/{sid}/report")
    assert page.status_code == 200 and "Lernpaten digital" in page.get_data(as_text=True)
    german = client.get(f"/moderator/sessions/{sid}/report", headers={"Accept-Language": "de"})
    assert "Geplant" in german.get_data(as_text=True)
    exported = client.get(f"/moderator/sessions/{sid}/report.csv")
    assert exported.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in exported.headers["Content-Disposition"]
    text = exported.data.decode("utf-8")
    assert text.startswith("\ufeffposition,title,presenter")
