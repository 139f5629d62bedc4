"""Push to screens inside one process (no SUMMIT_REDIS_URL): a committed step reaches every
subscriber of the session once, as the public snapshot; a refused step reaches nobody; the
stream starts with the current state; the "now" board and travelling delays."""

import json
import threading
import urllib.request
from datetime import UTC, date, datetime, timedelta

from moderators_fixtures import *  # noqa: F403
from moderators_fixtures import LAURA, ORGANISER, login_as

from summit.extensions import db
from summit.models import EventSession
from summit.services.live import run_of_show as ros
from summit.services.live.delays import Slot, expected_starts

# What a threaded or gevent server says; the test client says it serves one request at a time.
THREADED = {"wsgi.multithread": True}


def _press(client, session_id, action, version=None):
    from conftest import csrf_token

    page = client.get(f"/moderator/sessions/{session_id}/run")
    data = {"csrf_token": csrf_token(page)}
    if version is not None:
        data["version"] = version
    return client.post(f"/moderator/sessions/{session_id}/run/{action}", data=data,
                       headers={"Accept": "application/json"})


def _events(chunks, count):
    """The next `count` SSE events (their data, parsed) from an iterator of text chunks."""
    found, buffer = [], ""
    for chunk in chunks:
        buffer += chunk.decode() if isinstance(chunk, bytes) else chunk
        while "\n\n" in buffer:
            block, buffer = buffer.split("\n\n", 1)
            data = [line[6:] for line in block.split("\n") if line.startswith("data: ")]
            if data:
                found.append(json.loads("\n".join(data)))
                if len(found) == count:
                    return found
    return found


def test_a_press_publishes_the_public_snapshot_once(app, client, demo_data):
    sid = demo_data.pitch_session_id
    subscription = app.extensions["summit_live"].subscribe(f"session:{sid}")
    login_as(client, LAURA)
    assert _press(client, sid, "start").status_code == 200
    published = json.loads(subscription.get(timeout=1))
    assert published["state"] == "running" and published["current"]["position"] == 1
    assert "can" not in published and "undo" not in published  # the hall's view
    assert _press(client, sid, "next").status_code == 200
    after = json.loads(subscription.get(timeout=1))
    assert (after["phase"], after["version"]) == ("qa", published["version"] + 1)
    assert subscription.queue.empty()  # once per press, not once per screen


def test_a_refused_press_publishes_nothing(app, client, demo_data):
    sid = demo_data.pitch_session_id
    login_as(client, LAURA)
    _press(client, sid, "start")
    subscription = app.extensions["summit_live"].subscribe(f"session:{sid}")
    # A stale version (the co-moderator was faster): 409, nothing changed, nothing sent.
    assert _press(client, sid, "next", version=0).status_code == 409
    assert _press(client, sid, "back").status_code == 409  # first pitch already
    assert subscription.queue.empty()


def test_a_service_call_outside_a_request_publishes_when_its_context_ends(app, demo_data):
    sid = demo_data.pitch_session_id
    subscription = app.extensions["summit_live"].subscribe(f"session:{sid}")
    with app.app_context():
        session = db.session.get(EventSession, sid)
        ros.apply("start", session)
        assert subscription.queue.empty()
    assert json.loads(subscription.get(timeout=1))["state"] == "running"


def test_the_stream_starts_with_the_current_state_then_follows_presses(app, client, demo_data):
    sid = demo_data.pitch_session_id
    response = client.get(f"/events/{demo_data.slug}/sessions/{sid}/stage/stream",
                          buffered=False,
                          environ_overrides=THREADED)
    assert response.status_code == 200
    assert response.mimetype == "text/event-stream"
    assert response.headers["X-Accel-Buffering"] == "no"
    chunks = iter(response.response)
    assert _events(chunks, 1)[0]["state"] == "idle"
    moderator = app.test_client()
    login_as(moderator, LAURA)
    _press(moderator, sid, "start")
    _press(moderator, sid, "next")
    assert [s["phase"] for s in _events(chunks, 2)] == ["pitch", "qa"]
    response.close()
    assert app.extensions["summit_live"].subscriber_count(f"session:{sid}") == 0


def test_unknown_or_foreign_sessions_have_no_stream(client, demo_data):
    assert client.get(f"/events/{demo_data.slug}/sessions/999999/stage/stream").status_code == 404
    sid = demo_data.pitch_session_id
    assert client.get(f"/events/no-such-event/sessions/{sid}/stage/stream").status_code == 404


def test_the_embedded_server_pushes_to_every_open_stream(app, demo_data):
    """`flask run` (threaded, no Redis): three screens open, one press, all three follow."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    sid = demo_data.pitch_session_id
    try:
        streams = [urllib.request.urlopen(
            f"{base}/events/{demo_data.slug}/sessions/{sid}/stage/stream", timeout=5)
            for _ in range(3)]
        for stream in streams:
            assert _events(iter(stream.readline, b""), 1)[0]["state"] == "idle"
        with app.app_context():
            ros.apply("start", db.session.get(EventSession, sid))
        for stream in streams:
            assert _events(iter(stream.readline, b""), 1)[0]["state"] == "running"
            stream.close()
    finally:
        server.shutdown()


# --- the "now" board --------------------------------------------------------------------


def test_the_now_board_is_for_organisers(client, demo_data):
    url = f"/organiser/events/{demo_data.slug}/now"
    assert client.get(url).status_code == 302  # to the login page
    login_as(client, LAURA)
    assert client.get(url).status_code == 403
    assert client.get(url + ".json").status_code == 403
    assert client.get(url + "/stream").status_code == 403


def test_the_now_board_shows_who_is_on_stage_in_each_room(app, client, demo_data):
    sid = demo_data.pitch_session_id
    with app.app_context():
        session = db.session.get(EventSession, sid)
        room = session.room.name
        ros.apply("start", session)
    login_as(client, ORGANISER, "demo-organiser")
    board = client.get(f"/organiser/events/{demo_data.slug}/now.json").get_json()
    row = next(r for r in board["rooms"] if r["room"] == room)
    assert row["now"]["session_id"] == sid and row["now"]["phase"] == "pitch"
    assert row["now"]["presenter"].startswith("Miriam")
    page = client.get(f"/organiser/events/{demo_data.slug}/now")
    assert page.status_code == 200 and room in page.get_data(as_text=True)


def test_a_press_publishes_the_event_board_too(app, client, demo_data):
    sid = demo_data.pitch_session_id
    subscription = app.extensions["summit_live"].subscribe(f"event:{demo_data.event_id}")
    login_as(client, LAURA)
    _press(client, sid, "start")
    board = json.loads(subscription.get(timeout=1))
    assert any(row["now"] and row["now"]["session_id"] == sid for row in board["rooms"])


# --- delay travels (pure) ----------------------------------------------------------------

NINE = datetime(2026, 5, 6, 9, 0, tzinfo=UTC)
DAY = date(2026, 5, 6)


def _slot(sid, start_min, end_min, room=1, **actual):
    return Slot(sid, room, DAY, NINE + timedelta(minutes=start_min),
                NINE + timedelta(minutes=end_min), **actual)


def test_a_running_session_that_overruns_pushes_the_later_ones_in_its_room():
    slots = [
        _slot(1, 0, 60, started_at=NINE, expected_end=NINE + timedelta(minutes=72)),
        _slot(2, 60, 90),
        _slot(3, 100, 120),   # ten minutes of break swallow ten of the twelve
        _slot(4, 60, 90, room=2),  # another hall: not affected
    ]
    late = expected_starts(slots)
    assert set(late) == {2, 3}
    assert late[2].late_minutes == 12
    assert late[3].expected_start == NINE + timedelta(minutes=102)


def test_an_early_end_brings_nothing_forward_and_small_delays_stay_quiet():
    early = [_slot(1, 0, 60, started_at=NINE, ended_at=NINE + timedelta(minutes=50)),
             _slot(2, 60, 90)]
    assert expected_starts(early) == {}
    slight = [_slot(1, 0, 60, started_at=NINE,
                    expected_end=NINE + timedelta(minutes=60, seconds=30)), _slot(2, 60, 90)]
    assert expected_starts(slight) == {}


def test_a_delay_does_not_travel_into_the_next_day_or_to_sessions_without_a_room():
    overrun = _slot(1, 0, 60, started_at=NINE, ended_at=NINE + timedelta(minutes=80))
    tomorrow = Slot(2, 1, date(2026, 5, 7), NINE + timedelta(minutes=60),
                    NINE + timedelta(minutes=90))
    roomless = Slot(3, None, DAY, NINE + timedelta(minutes=60), NINE + timedelta(minutes=90))
    assert expected_starts([overrun, tomorrow, roomless]) == {}
    assert expected_starts([overrun, _slot(4, 60, 90)])[4].late_minutes == 20


def test_a_session_nobody_ended_is_no_delay_of_days():
    forgotten = _slot(1, 0, 60, started_at=NINE, expected_end=NINE + timedelta(days=3))
    assert expected_starts([forgotten, _slot(2, 60, 90)]) == {}


def test_an_overrun_pitch_session_delays_the_panel_after_it(app, demo_data):
    """The demo's pitch session (11:00-12:30 Berlin) and, in the same hall, the panel at
    15:30: a session that ends at 15:50 starts the panel about 20 minutes late."""
    from summit.services.live import board

    with app.app_context():
        session = db.session.get(EventSession, demo_data.pitch_session_id)
        panel = db.session.scalar(db.select(EventSession).where(
            EventSession.room_id == session.room_id, EventSession.starts_at > session.ends_at)
            .order_by(EventSession.starts_at))
        ros.apply("start", session, now=session.starts_at)
        ros.apply("end", session, now=panel.starts_at + timedelta(minutes=20))
        found = board.expected(session.event, now=session.starts_at + timedelta(minutes=5))
        assert found[panel.id].late_minutes == 20
        assert found[panel.id].planned_start == panel.starts_at  # the plan stays


def test_the_programme_hall_display_and_moderators_tell_the_later_start(app, client,
                                                                         demo_data):
    """The pitch session ends 20 minutes after the panel's planned 15:30: the programme, the
    panel's page, its hall display and its run-of-show page say "about 20 minutes later,
    at 3:50 PM"; the planned 3:30 PM stays."""
    with app.app_context():
        session = db.session.get(EventSession, demo_data.pitch_session_id)
        panel = db.session.scalar(db.select(EventSession).where(
            EventSession.room_id == session.room_id, EventSession.starts_at > session.ends_at)
            .order_by(EventSession.starts_at))
        panel_id = panel.id
        ros.apply("start", session, now=session.starts_at)
        ros.apply("end", session, now=panel.starts_at + timedelta(minutes=20))
    note = "about 20 minutes later, at 3:50\u202fPM"
    slug = demo_data.slug
    agenda = client.get(f"/events/{slug}/programme").get_data(as_text=True)
    assert agenda.count(note) == 1 and "3:30\u202fPM" in agenda
    assert note in client.get(f"/events/{slug}/sessions/{panel_id}").get_data(as_text=True)
    hall = client.get(f"/events/{slug}/sessions/{panel_id}/stage").get_data(as_text=True)
    assert "about 20 minutes later, at 15:50" in hall  # the hall display's 24-hour clock
    login_as(client, ORGANISER, "demo-organiser")
    assert note in client.get(f"/moderator/sessions/{panel_id}/run").get_data(as_text=True)
    german = client.get(f"/events/{slug}/programme", headers={"Accept-Language": "de"})
    assert "etwa 20 Minuten später, um 15:50" in german.get_data(as_text=True)


def test_two_halls_run_at_once_each_with_its_own_state_and_channel(app, client, demo_data):
    """A second pitch session in another room at the same time: pressing in one hall moves
    only that hall's screens; the board shows both."""
    from summit.models import Pitch, Room

    with app.app_context():
        first = db.session.get(EventSession, demo_data.pitch_session_id)
        other_room = db.session.scalar(db.select(Room).where(
            Room.event_id == first.event_id, Room.id != first.room_id, Room.name != "Foyer"))
        second = EventSession(event_id=first.event_id, room=other_room, kind="pitch",
                              title="Pitches im Nebensaal – 社会企业 🚀",
                              starts_at=first.starts_at, ends_at=first.ends_at)
        second.pitches.append(Pitch(position=1, title="Zweiter Saal", presenter="Łukasz Żółw",
                                    organisation="Grüne Ideen e. V.", pitch_minutes=5,
                                    qa_minutes=3, changeover_minutes=0))
        db.session.add(second)
        db.session.commit()
        second_id = second.id
    hub = app.extensions["summit_live"]
    first_screen, second_screen = (hub.subscribe(f"session:{sid}")
                                   for sid in (demo_data.pitch_session_id, second_id))
    with app.app_context():
        ros.apply("start", db.session.get(EventSession, second_id))
    assert json.loads(second_screen.get(timeout=1))["current"]["presenter"] == "Łukasz Żółw"
    assert first_screen.queue.empty()
    with app.app_context():
        ros.apply("start", db.session.get(EventSession, demo_data.pitch_session_id))
    assert json.loads(first_screen.get(timeout=1))["current"]["position"] == 1
    assert second_screen.queue.empty()
    login_as(client, ORGANISER, "demo-organiser")
    board = client.get(f"/organiser/events/{demo_data.slug}/now.json").get_json()
    on_stage = {row["now"]["session_id"]: row["now"]["presenter"]
                for row in board["rooms"] if row["now"]}
    assert on_stage[second_id] == "Łukasz Żółw"
    assert demo_data.pitch_session_id in on_stage
    page = client.get(f"/organiser/events/{demo_data.slug}/now").get_data(as_text=True)
    assert "Łukasz Żółw" in page and "社会企业 🚀" in page


def test_a_quiet_stream_sends_heartbeats_so_proxies_keep_it(app, client, demo_data,
                                                            monkeypatch):
    from summit.services.live import push

    monkeypatch.setattr(push, "HEARTBEAT_SECONDS", 0.1)
    response = client.get(f"/events/{demo_data.slug}/sessions/{demo_data.pitch_session_id}"
                          "/stage/stream", buffered=False,
                          environ_overrides=THREADED)
    chunks = iter(response.response)
    assert next(chunks).decode().startswith("retry: ")
    assert next(chunks) == b": keep-alive\n\n"
    response.close()


def test_a_slow_screen_skips_old_states_and_never_holds_up_the_publisher():
    from summit.services.live.broker import QUEUE_SIZE, LocalBroker

    hub = LocalBroker()
    slow = hub.subscribe("session:1")
    for number in range(QUEUE_SIZE * 3):
        hub.publish("session:1", str(number))  # never blocks
    waiting = [slow.get(timeout=0.1) for _ in range(QUEUE_SIZE)]
    assert waiting[-1] == str(QUEUE_SIZE * 3 - 1)  # the latest state is there
    slow.close()
    assert hub.subscriber_count() == 0


def test_a_server_that_holds_one_request_at_a_time_sends_screens_to_polling(client, demo_data):
    """A sync gunicorn worker would be held by one screen: the stream is refused."""
    response = client.get(f"/events/{demo_data.slug}/sessions/{demo_data.pitch_session_id}"
                          "/stage/stream")
    assert response.get_data() == b"event: unavailable\ndata: {}\n\n"
