"""Changing the programme of a session while it runs, through the organiser's forms: the
pitch on stage stays on stage, the hall display and the moderators' screens agree, and the
editor says that the session is live."""

from conftest import csrf_token
from programme_fixtures import *  # noqa: F401,F403

from summit.extensions import db
from summit.models import Pitch

RUN = "/moderator/sessions/{sid}/run"


def _press(client, sid: int, action: str) -> None:
    """A moderator's button, as the run page posts it (the organiser may run sessions)."""
    page = client.get(RUN.format(sid=sid))
    version = client.get(f"/moderator/sessions/{sid}/state.json").get_json()["version"]
    data = {"csrf_token": csrf_token(page), "version": version}
    if action == "end":
        data["confirm"] = "yes"
    response = client.post(f"{RUN.format(sid=sid)}/{action}", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        RUN.format(sid=sid)), response.headers.get("Location")


def _screens(client, demo) -> dict:
    """What the hall display shows; the moderators' screen must show the same."""
    sid = demo.pitch_session_id
    hall = client.get(f"/events/{demo.slug}/sessions/{sid}/stage.json").get_json()
    moderators = client.get(f"/moderator/sessions/{sid}/state.json").get_json()
    for key in ("state", "phase", "current", "next", "pitches", "version"):
        assert hall[key] == moderators[key], key
    return hall


def _on_stage(snap) -> tuple:
    return (snap["current"] and snap["current"]["id"], snap["next"] and snap["next"]["id"])


def _move(client, demo, pitch_id: int, direction: str):
    editor = demo.editor_url()
    return client.post(f"{editor}/pitches/{pitch_id}/move", data={
        "csrf_token": csrf_token(client.get(editor)), "direction": direction})


def _delete(client, demo, pitch_id: int):
    editor = demo.editor_url()
    return client.post(f"{editor}/pitches/{pitch_id}/delete", data={
        "csrf_token": csrf_token(client.get(f"{editor}/pitches/{pitch_id}"))})


def test_moving_the_pitch_on_stage_down_keeps_it_on_stage(organiser, programme_demo):
    demo, sid = programme_demo, programme_demo.pitch_session_id
    first, second, third = demo.pitch_ids[:3]
    _press(organiser, sid, "start")
    assert _on_stage(_screens(organiser, demo)) == (first, second)

    assert _move(organiser, demo, first, "down").status_code == 302
    snap = _screens(organiser, demo)
    assert snap["current"]["presenter"] == "Miriam Öztürk (sample)"
    # The second pitch, now number 1 in the programme, has not been on stage: it comes next.
    assert _on_stage(snap) == (first, second)
    assert (snap["current"]["position"], snap["next"]["position"]) == (2, 1)
    assert [(p["id"], p["status"]) for p in snap["pitches"][:3]] == [
        (first, "current"), (second, "upcoming"), (third, "upcoming")]

    for _step in ("qa", "changeover", "pitch"):
        _press(organiser, sid, "next")
    snap = _screens(organiser, demo)
    assert (snap["phase"], *_on_stage(snap)) == ("pitch", second, third)
    assert snap["pitches"][0]["status"] == "done"


def test_deleting_a_pitch_still_to_come_leaves_the_stage_alone(organiser, programme_demo):
    demo, sid = programme_demo, programme_demo.pitch_session_id
    first, second, third = demo.pitch_ids[:3]
    _press(organiser, sid, "start")
    _press(organiser, sid, "next")
    _press(organiser, sid, "next")  # changeover: the hall shows who comes next
    assert _delete(organiser, demo, second).status_code == 302
    snap = _screens(organiser, demo)
    assert (snap["phase"], *_on_stage(snap)) == ("changeover", first, third)
    assert second not in [p["id"] for p in snap["pitches"]]
    _press(organiser, sid, "next")
    assert _on_stage(_screens(organiser, demo))[0] == third


def test_the_pitch_on_stage_cannot_be_deleted(organiser, programme_demo):
    demo, sid = programme_demo, programme_demo.pitch_session_id
    first, second = demo.pitch_ids[:2]
    _press(organiser, sid, "start")
    before = _screens(organiser, demo)
    page = _delete(organiser, demo, first)
    assert page.status_code == 302 and page.headers["Location"].endswith(f"/pitches/{first}")
    html = organiser.get(page.headers["Location"]).get_data(as_text=True)
    assert "is on stage right now and cannot be deleted" in html
    with organiser.application.app_context():
        assert db.session.get(Pitch, first) is not None
    after = _screens(organiser, demo)
    assert (after["version"], *_on_stage(after)) == (before["version"], first, second)


def test_the_editor_says_the_session_is_live(organiser, programme_demo):
    demo, sid = programme_demo, programme_demo.pitch_session_id
    first = demo.pitch_ids[0]
    editor = organiser.get(demo.editor_url()).get_data(as_text=True)
    assert "Live now" not in editor and "On stage" not in editor
    _press(organiser, sid, "start")
    editor = organiser.get(demo.editor_url()).get_data(as_text=True)
    assert "This session is running on stage." in editor
    assert "On stage: Lernpaten digital (Miriam Öztürk (sample))." in editor
    assert 'id="order-live-warning"' in editor
    assert 'aria-describedby="order-hint order-live-warning"' in editor
    pitch_page = organiser.get(f"{demo.editor_url()}/pitches/{first}").get_data(as_text=True)
    assert "This pitch is on stage right now and cannot be deleted." in pitch_page
    other = organiser.get(f"{demo.editor_url()}/pitches/{demo.pitch_ids[1]}")
    assert "The session is live: the pitch disappears" in other.get_data(as_text=True)
    _press(organiser, sid, "end")
    assert "Live now" not in organiser.get(demo.editor_url()).get_data(as_text=True)
