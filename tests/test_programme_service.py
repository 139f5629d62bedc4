"""The programme service on real models: sessions, pitches, ordering, warnings, moderators."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from programme_fixtures import *  # noqa: F401,F403
from programme_fixtures import ORGANISER_EMAIL

from summit.extensions import db
from summit.models import AuditEntry, Event, EventSession, ModeratorAssignment, Pitch, Room
from summit.services import moderation, programme
from summit.services.platform import users
from summit.services.programme import rooms
from summit.services.programme.schedule_checks import (
    MODERATOR_DOUBLE_BOOKED,
    MODERATOR_UNAVAILABLE,
    PITCH_OVERRUN,
    PRESENTER_DOUBLE_BOOKED,
    ROOM_OVERLAP,
    SESSION_OUTSIDE_EVENT,
)
from summit.services.programme.sessions import ProgrammeError

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2014, 9, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


@pytest.fixture
def world(app, programme_demo):
    """A request context (messages are translated) with the demo loaded:
    (event, pitch session, organiser)."""
    with app.test_request_context():
        event = db.session.get(Event, programme_demo.event_id)
        session = db.session.get(EventSession, programme_demo.pitch_session_id)
        yield event, session, users.find_by_email(ORGANISER_EMAIL)


def room(event: Event, name: str) -> Room:
    return next(r for r in event.rooms if r.name == name)


def local_times(session) -> list[tuple[str, str]]:
    return [(f"{s.astimezone(BERLIN):%H:%M}", f"{e.astimezone(BERLIN):%H:%M}")
            for _pitch, s, e in programme.pitch_schedule(session)]


def test_demo_pitch_times_follow_their_order(world):
    _event, session, _organiser = world
    schedule = programme.pitch_schedule(session)
    assert len(schedule) == 10
    assert [p.position for p, _s, _e in schedule] == list(range(1, 11))
    times = local_times(session)
    assert times[0] == ("11:00", "11:08") and times[1] == ("11:09", "11:17")
    assert times[-1] == ("12:21", "12:29")


def test_reorder_moves_the_times_raises_sequence_and_is_audited(world):
    event, session, organiser = world
    before = [p.id for p, _s, _e in programme.pitch_schedule(session)]
    sequence = session.sequence
    programme.reorder(session, list(reversed(before)), actor=organiser)
    db.session.expire_all()
    session = db.session.get(EventSession, session.id)
    after = programme.pitch_schedule(session)
    assert [p.id for p, _s, _e in after] == list(reversed(before))
    assert [p.position for p, _s, _e in after] == list(range(1, 11))
    assert local_times(session)[0] == ("11:00", "11:08")
    assert after[0][0].title == "Barrierefreie Stadtpläne"
    assert session.sequence == sequence + 1
    entry = db.session.scalars(db.select(AuditEntry).where(
        AuditEntry.action == "pitches.reordered")).one()
    assert entry.user_id == organiser.id and entry.event_id == event.id


def test_move_pitch_up_and_down(world):
    _event, session, organiser = world
    first, second = [p for p, _s, _e in programme.pitch_schedule(session)][:2]
    programme.move_pitch(second, "up", actor=organiser)
    db.session.expire_all()
    order = [p.id for p, _s, _e in programme.pitch_schedule(session)]
    assert order[:2] == [second.id, first.id]
    programme.move_pitch(db.session.get(Pitch, second.id), "up", actor=organiser)  # first: no-op
    programme.move_pitch(db.session.get(Pitch, second.id), "down", actor=organiser)
    db.session.expire_all()
    assert [p.id for p, _s, _e in programme.pitch_schedule(session)][:2] == [first.id, second.id]


def test_reorder_refuses_lists_that_are_not_the_sessions_pitches(world):
    event, session, organiser = world
    other = programme.create_session(event, actor=organiser, title="Second pitch round",
                                     kind="pitch", room_id=room(event, "Raum Brandenburg").id,
                                     starts_at=berlin(11, 11), ends_at=berlin(11, 12))
    stranger = programme.create_pitch(other, actor=organiser, title="Fremder Pitch",
                                      presenter="Åsa Lindqvist")
    ids = [p.id for p in session.pitches]
    sequence = session.sequence
    cases = [
        (ids[:-1] + [stranger.id], "belongs to another session"),
        (ids[:-1], "missing"),
        (ids + [ids[0]], "only once"),
        (ids[:-1] + [999999], "no pitch"),
    ]
    for pitch_ids, expected in cases:
        with pytest.raises(ProgrammeError) as refused:
            programme.reorder(session, pitch_ids, actor=organiser)
        assert refused.value.field == "pitch_ids" and expected in refused.value.message
        db.session.rollback()
    db.session.expire_all()
    session = db.session.get(EventSession, session.id)
    assert [p.id for p in session.pitches] == ids
    assert session.sequence == sequence
    assert db.session.get(Pitch, stranger.id).session_id == other.id


def test_sessions_are_validated(world):
    event, session, organiser = world
    count = len(programme.sessions_for(event))
    good = {"title": "Workshop", "kind": "workshop", "starts_at": berlin(11, 9),
            "ends_at": berlin(11, 10)}
    other_event = Event(slug="other", name="Other", starts_on=event.starts_on,
                        ends_on=event.ends_on, rooms=[Room(name="Elsewhere")])
    db.session.add(other_event)
    db.session.commit()
    bad = [
        ({"ends_at": berlin(11, 8)}, "ends_at", "end after it starts"),
        ({"ends_at": berlin(11, 9)}, "ends_at", "end after it starts"),
        ({"kind": "party"}, "kind", "kinds"),
        ({"language": "fr"}, "language", "languages"),
        ({"room_id": other_event.rooms[0].id}, "room_id", "does not belong"),
        ({"title": "  "}, "title", "title"),
    ]
    for change, field, message in bad:
        with pytest.raises(ProgrammeError) as refused:
            programme.create_session(event, actor=organiser, **(good | change))
        assert refused.value.field == field and message in refused.value.message
        db.session.rollback()
    with pytest.raises(ProgrammeError) as refused:
        programme.update_session(session, actor=organiser, title=session.title, kind="panel",
                                 starts_at=session.starts_at, ends_at=session.ends_at)
    assert refused.value.field == "kind"
    db.session.rollback()
    assert len(programme.sessions_for(event)) == count
    created = programme.create_session(event, actor=organiser, language="en", **good)
    assert (created.kind, created.language, created.sequence) == ("workshop", "en", 0)


def test_update_session_raises_sequence_and_pitches_follow_the_new_start(world):
    _event, session, organiser = world
    programme.update_session(session, actor=organiser, title=session.title, kind="pitch",
                             room_id=session.room_id, starts_at=berlin(10, 11, 30),
                             ends_at=berlin(10, 13), language="de")
    assert session.sequence == 1
    assert local_times(session)[0] == ("11:30", "11:38")
    # Saving unchanged values is not a change.
    programme.update_session(session, actor=organiser, title=session.title, kind="pitch",
                             room_id=session.room_id, starts_at=berlin(10, 11, 30),
                             ends_at=berlin(10, 13), language="de",
                             description=session.description,
                             moderators_needed=session.moderators_needed)
    assert session.sequence == 1


def test_pitches_are_validated_and_nothing_is_written(world):
    _event, session, organiser = world
    for change, field, message in [
        ({"qa_minutes": -1}, "qa_minutes", "negative"),
        ({"changeover_minutes": -2}, "changeover_minutes", "negative"),
        ({"pitch_minutes": -5}, "pitch_minutes", "negative"),
        ({"pitch_minutes": 0}, "pitch_minutes", "at least one minute"),
        ({"presenter": ""}, "presenter", "presenter"),
    ]:
        with pytest.raises(ProgrammeError) as refused:
            programme.create_pitch(session, actor=organiser,
                                   **({"title": "Neu", "presenter": "Zoë"} | change))
        assert refused.value.field == field and message in refused.value.message
        db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Pitch)) == 10
    assert db.session.get(EventSession, session.id).sequence == 0


def test_create_update_and_delete_pitches_keep_positions_dense(world):
    _event, session, organiser = world
    added = programme.create_pitch(session, actor=organiser, title="Zukunftswerkstatt",
                                   presenter="Jörg Groß", organisation="Ü-Labor",
                                   pitch_minutes=4, qa_minutes=0, changeover_minutes=0)
    assert added.position == 11
    programme.update_pitch(added, actor=organiser, title="Zukunftswerkstatt", presenter="Jörg",
                           pitch_minutes=6, qa_minutes=2, changeover_minutes=0)
    assert (added.presenter, added.pitch_minutes) == ("Jörg", 6)
    third = session.pitches[2]
    programme.delete_pitch(third, actor=organiser)
    db.session.expire_all()
    session = db.session.get(EventSession, session.id)
    assert [p.position for p in session.pitches] == list(range(1, 11))
    assert third.id not in [p.id for p in session.pitches]
    assert session.sequence == 3
    actions = db.session.scalars(db.select(AuditEntry.action)).all()
    assert {"pitch.created", "pitch.updated", "pitch.deleted"} <= set(actions)


def test_each_warning_shows_up_through_the_service(world):
    event, pitch_session, organiser = world
    assert programme.warnings(event) == []
    laura = users.find_by_email("laura.haverkamp@vision-summit.example")
    keynote = next(s for s in programme.sessions_for(event) if s.kind == "keynote")

    # Pitch overrun: an eleventh pitch runs past 12:30.
    programme.create_pitch(pitch_session, actor=organiser, title="Late", presenter="Ida Groß")
    # Room overlap: a talk in the Plenarsaal during the pitch session.
    overlap = programme.create_session(event, actor=organiser, title="Press talk",
                                       kind="panel", room_id=room(event, "Plenarsaal").id,
                                       starts_at=berlin(10, 12), ends_at=berlin(10, 12, 20))
    # Presenter double-booked: the first presenter also pitches elsewhere at 11:00.
    parallel = programme.create_session(event, actor=organiser, title="Parallel pitches",
                                        kind="pitch", starts_at=berlin(10, 11),
                                        ends_at=berlin(10, 11, 30),
                                        room_id=room(event, "Raum Brandenburg").id)
    programme.create_pitch(parallel, actor=organiser, title="Zweiter Auftritt",
                           presenter="Miriam  Öztürk (sample)")
    # Moderator double-booked: Laura moderates the keynote, then it moves onto her pitch session.
    moderation.assign_moderator(keynote, laura, "lead", actor=organiser)
    programme.update_session(keynote, actor=organiser, title=keynote.title, kind="keynote",
                             room_id=room(event, "Foyer").id, starts_at=berlin(10, 11, 15),
                             ends_at=berlin(10, 11, 45))
    # Moderator unavailable: an evening session (her window ends 18:00).
    evening = programme.create_session(event, actor=organiser, title="Abendempfang",
                                       kind="panel", starts_at=berlin(10, 19),
                                       ends_at=berlin(10, 20))
    moderation.assign_moderator(evening, laura, "lead", actor=organiser)
    # Outside the event days: the service refuses that now, so only data from before the rule
    # (written directly here) can still be there, and the warning points at it.
    late = EventSession(event=event, title="Nachlese", kind="panel",
                        starts_at=berlin(12, 10), ends_at=berlin(12, 11))
    db.session.add(late)
    db.session.commit()

    found = {(w.code, w.session_id) for w in programme.warnings(event)}
    assert (PITCH_OVERRUN, pitch_session.id) in found
    assert {(ROOM_OVERLAP, pitch_session.id), (ROOM_OVERLAP, overlap.id)} <= found
    assert {(PRESENTER_DOUBLE_BOOKED, pitch_session.id),
            (PRESENTER_DOUBLE_BOOKED, parallel.id)} <= found
    assert {(MODERATOR_DOUBLE_BOOKED, pitch_session.id),
            (MODERATOR_DOUBLE_BOOKED, keynote.id)} <= found
    assert (MODERATOR_UNAVAILABLE, evening.id) in found
    assert (SESSION_OUTSIDE_EVENT, late.id) in found
    by_session = programme.warnings_by_session(event)
    assert {w.code for w in by_session[pitch_session.id]} >= {PITCH_OVERRUN, ROOM_OVERLAP}


def test_assign_moderator_refuses_double_booking_and_keeps_one_lead(world):
    event, pitch_session, organiser = world
    norbert = users.find_by_email("norbert.kunz@vision-summit.example")
    jana = users.find_by_email("jana.muster@example.org")
    side = programme.create_session(event, actor=organiser, title="Side workshop",
                                    kind="workshop", starts_at=berlin(10, 12),
                                    ends_at=berlin(10, 12, 45))
    with pytest.raises(ProgrammeError) as refused:
        moderation.assign_moderator(side, norbert, "co", actor=organiser)
    assert refused.value.status == 409
    assert "already moderates" in refused.value.message
    assert "Pitch session" in refused.value.message
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(ModeratorAssignment)
                             .where(ModeratorAssignment.session_id == side.id)) == 0

    moderation.assign_moderator(pitch_session, jana, "lead", actor=organiser)
    roles = {a.user.name: a.role for a in pitch_session.assignments}
    assert roles == {"Laura Haverkamp": "co", "Norbert Kunz": "co",
                     "Jana Muster (sample)": "lead"}
    organiser_desk = users.find_by_email("desk@vision-summit.example")
    with pytest.raises(ProgrammeError):
        moderation.assign_moderator(side, organiser_desk, "co", actor=organiser)


def test_rooms_are_validated_and_renaming_raises_the_sessions_sequence(world):
    event, pitch_session, organiser = world
    with pytest.raises(ProgrammeError) as refused:
        rooms.create_room(event, name="plenarsaal", capacity=10, actor=organiser)
    assert refused.value.field == "name"
    db.session.rollback()
    plenary = room(event, "Plenarsaal")
    rooms.update_room(plenary, name="Großer Saal", capacity=900, actor=organiser)
    assert db.session.get(EventSession, pitch_session.id).sequence == 1
    rooms.delete_room(plenary, actor=organiser)
    db.session.expire_all()
    assert db.session.get(EventSession, pitch_session.id).room_id is None


def test_a_pitch_times_window_helper_is_the_shared_one(world):
    _event, session, _organiser = world
    schedule = programme.pitch_schedule(session)
    gaps = [schedule[i + 1][1] - schedule[i][2] for i in range(len(schedule) - 1)]
    assert set(gaps) == {timedelta(minutes=1)}
