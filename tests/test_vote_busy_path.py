"""The vote's busy path (one statement that counts a plainly valid vote) gives the answers
the explaining path gives, and writes nothing for anything else."""

from datetime import UTC, datetime

import pytest
from test_voting import SLUG, _open, _session, _votes_url, hall  # noqa: F401  (fixture)

from summit.extensions import db
from summit.models import Event, EventSession, Pitch, Registration, Vote, VotingRound, utcnow
from summit.services import voting
from summit.services.registrations import codes

LEGACY = "ZY" + "2345678ABCDEFGHJKMNPQRSTW"  # a legacy code's 27 characters, Y and Z in it
SWAPPED = "YZ" + LEGACY[2:]
assert len(LEGACY) == codes.LEGACY_LENGTH


def _votes(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Vote))


@pytest.fixture
def elsewhere(app, make_event, make_registration, hall):  # noqa: F811
    """A checked-in badge of another event, and a pitch of another session of this event."""
    make_event("other-summit")
    stranger = make_registration("other-summit", checked_in_at=utcnow())
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == SLUG))
        other = EventSession(event=event, title="Andere Pitches", kind="pitch",
                             starts_at=datetime(2030, 9, 10, 11, tzinfo=UTC),
                             ends_at=datetime(2030, 9, 10, 12, tzinfo=UTC))
        other.pitches.append(Pitch(position=1, title="Fremd", presenter="P"))
        db.session.add(other)
        db.session.commit()
        return {"code": db.session.get(Registration, stranger).checkin_code,
                "pitch": other.pitches[0].id}


@pytest.mark.parametrize("case, status, reason", [
    ("not_checked_in", 403, "not_checked_in"),
    ("cancelled", 403, "cancelled"),
    ("waitlisted", 403, "waitlisted"),
    ("unknown_code", 404, "unknown_code"),
    ("badge_of_another_event", 404, "unknown_code"),
    ("pitch_of_another_session", 404, "unknown_pitch"),
])
def test_refusals_are_explained_and_write_nothing(client, app, hall, elsewhere,  # noqa: F811
                                                  case, status, reason):
    _open(app, hall)
    body = {"code": hall["codes"]["zoe"], "pitch_id": hall["pitches"][0]}
    body.update({
        "not_checked_in": {"code": hall["codes"]["li"]},
        "cancelled": {"code": hall["codes"]["cancelled"]},
        "waitlisted": {"code": hall["codes"]["waitlisted"]},
        "unknown_code": {"code": "BCDF-GHJK-LMNP"},
        "badge_of_another_event": {"code": elsewhere["code"]},
        "pitch_of_another_session": {"pitch_id": elsewhere["pitch"]},
    }[case])
    with app.test_request_context():
        assert voting.count_at_once(SLUG, hall["session"], body["pitch_id"],
                                    code=body["code"]) is None
    response = client.post(_votes_url(hall), json=body)
    assert (response.status_code, response.json["reason"]) == (status, reason)
    assert _votes(app) == 0


def test_closed_and_not_open_and_wrong_session_in_the_url(client, app, hall):  # noqa: F811
    body = {"code": hall["codes"]["zoe"], "pitch_id": hall["pitches"][0]}
    assert client.post(_votes_url(hall), json=body).json["reason"] == "not_open"
    _open(app, hall)
    assert client.post(f"/api/v1/events/other-slug/sessions/{hall['session']}/votes",
                       json=body).status_code == 404
    assert client.post(_votes_url(hall), json=body).json == {"result": "counted"}
    _open(app, hall, open=False)
    response = client.post(_votes_url(hall), json={**body, "pitch_id": hall["pitches"][1]})
    assert (response.status_code, response.json["reason"]) == (409, "closed")
    with app.app_context():
        assert db.session.scalar(db.select(Vote.pitch_id)) == hall["pitches"][0]


def test_a_code_typed_in_another_keyboard_layout_is_counted_by_the_explaining_path(
        client, app, hall):  # noqa: F811
    """Legacy codes hold Y and Z, which a scanner on the wrong layout swaps: the busy path
    looks for the exact code only, the explaining path finds the badge and counts it."""
    with app.app_context():
        zoe = db.session.get(Registration, hall["ids"]["zoe"])
        zoe.checkin_code = LEGACY
        db.session.commit()
    _open(app, hall)
    with app.test_request_context():
        assert voting.count_at_once(SLUG, hall["session"], hall["pitches"][2],
                                    code=SWAPPED) is None
        cast = voting.cast(_session(hall), hall["pitches"][2], code=SWAPPED.lower())
    assert (cast.result, cast.registration_id) == ("counted", hall["ids"]["zoe"])
    response = client.post(_votes_url(hall), json={"code": LEGACY,
                                                   "pitch_id": hall["pitches"][1]})
    assert response.json == {"result": "changed"}
    with app.app_context():
        assert db.session.execute(db.select(Vote.registration_id, Vote.pitch_id)).all() == [
            (hall["ids"]["zoe"], hall["pitches"][1])]


def test_a_vote_that_closes_while_it_is_explained_says_closed(app, hall, monkeypatch):  # noqa: F811
    """The explaining path read the round open; the moderators close it before its write
    (here: while the badge is looked up): the answer is "closed" (409), not "unknown pitch"
    (404, which would count as a wrong guess against the client)."""
    from summit.services.voting import casting

    with app.app_context():
        zoe = db.session.get(Registration, hall["ids"]["zoe"])
        zoe.checkin_code = LEGACY  # not the exact code: the explaining path answers
        db.session.commit()
    _open(app, hall)
    find_badge = casting.voter

    def close_then_find(session, code):
        with db.engine.begin() as moderators:
            moderators.execute(db.update(VotingRound).values(is_open=False,
                                                             closed_at=utcnow()))
        return find_badge(session, code)

    monkeypatch.setattr(casting, "voter", close_then_find)
    with app.test_request_context():
        with pytest.raises(voting.VoteRefused) as refused:
            voting.explain(_session(hall), hall["pitches"][0], code=SWAPPED)
    assert refused.value.reason == "closed"
    assert _votes(app) == 0


def test_the_vote_page_votes_on_the_requests_own_connection(app, hall):  # noqa: F811
    """The vote page has loaded the session on the request's connection: counting, changing
    and explaining a refusal must not take a second one from the pool (a worker's hundred
    phones would otherwise wait for each other's connections until the pool timed out)."""
    import sqlalchemy as sa

    _open(app, hall)
    with app.app_context():
        session = _session(hall)
        assert db.engine.pool.checkedout() == 1
        extra = []

        def checked_out(*_args):
            extra.append(db.engine.pool.checkedout())

        sa.event.listen(db.engine.pool, "checkout", checked_out)
        try:
            first = voting.cast(session, hall["pitches"][0], code=hall["codes"]["zoe"])
            again = voting.cast(session, hall["pitches"][1], code=hall["codes"]["zoe"].lower())
            with pytest.raises(voting.VoteRefused):
                voting.cast(session, hall["pitches"][0], code=hall["codes"]["li"])
        finally:
            sa.event.remove(db.engine.pool, "checkout", checked_out)
        assert (first.result, again.result) == ("counted", "changed")
        assert all(count <= 1 for count in extra), extra
    assert _votes(app) == 1
