"""The audience vote: one vote per checked-in badge, changeable until close, results hidden
until revealed, through the service, the API and the pages."""

import threading
from datetime import UTC, datetime

import pytest
from conftest import PG_URL, csrf_token

from summit.extensions import db
from summit.models import (
    AuditEntry,
    Event,
    EventSession,
    ModeratorAssignment,
    Pitch,
    Registration,
    Vote,
    utcnow,
)
from summit.services import voting
from summit.services.errors import FieldError
from summit.services.registrations import attendees

SLUG = "vote-summit"


@pytest.fixture
def hall(app, make_event, make_registration):
    """A pitch session with three pitches; Zoë checked in, Li not yet, one cancelled, one
    waitlisted."""
    make_event(SLUG)
    ids = {
        "zoe": make_registration(SLUG, first_name="Zoë", checked_in_at=utcnow()),
        "li": make_registration(SLUG, first_name="李", last_name="小龙"),
        "cancelled": make_registration(SLUG, status="cancelled", checked_in_at=utcnow()),
        "waitlisted": make_registration(SLUG, status="waitlisted"),
    }
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == SLUG))
        session = EventSession(event=event, title="Pitches 🚀", kind="pitch",
                               starts_at=datetime(2030, 9, 10, 8, tzinfo=UTC),
                               ends_at=datetime(2030, 9, 10, 10, tzinfo=UTC))
        for position, title in enumerate(["Wasser für Ümrah", "太阳能", "Bees 🐝"], 1):
            session.pitches.append(Pitch(position=position, title=title, presenter="P"))
        db.session.add(session)
        db.session.commit()
        codes = {name: db.session.get(Registration, rid).checkin_code
                 for name, rid in ids.items()}
        return {"session": session.id, "pitches": [p.id for p in session.pitches],
                "ids": ids, "codes": codes}


def _session(hall):
    return db.session.get(EventSession, hall["session"])


def _open(app, hall, **state):
    with app.app_context():
        voting.set_state(_session(hall), actor=None, **(state or {"open": True}))


def test_one_vote_per_badge_changeable_until_close(app, hall):
    _open(app, hall)
    first, second, third = hall["pitches"]
    with app.app_context():
        session = _session(hall)
        assert voting.cast(session, first, code=hall["codes"]["zoe"]).result == "counted"
        # The printed, grouped form in lower case is the same badge.
        assert voting.cast(session, second, code=hall["codes"]["zoe"].lower()).result == "changed"
        found = voting.results(session)
        assert found.total == 1 and {p.pitch_id: p.votes for p in found.pitches}[second] == 1
        voting.set_state(session, actor=None, open=False)
        with pytest.raises(voting.VoteRefused) as refused:
            voting.cast(session, third, code=hall["codes"]["zoe"])
        assert refused.value.reason == "closed" and refused.value.status == 409
        assert voting.results(session).total == 1


@pytest.mark.parametrize("who, reason, status", [
    ("li", "not_checked_in", 403), ("cancelled", "cancelled", 403),
    ("waitlisted", "waitlisted", 403), (None, "unknown_code", 404)])
def test_who_may_not_vote_is_told_why(app, hall, who, reason, status):
    _open(app, hall)
    with app.app_context():
        code = hall["codes"][who] if who else "BCDF-GHJK-LMNP-QRST"
        with pytest.raises(voting.VoteRefused) as refused:
            voting.cast(_session(hall), hall["pitches"][0], code=code)
        assert (refused.value.reason, refused.value.status) == (reason, status)
        assert db.session.scalar(db.select(db.func.count()).select_from(Vote)) == 0


def test_not_open_yet_and_unknown_pitch(app, hall):
    with app.app_context():
        with pytest.raises(voting.VoteRefused) as refused:
            voting.cast(_session(hall), hall["pitches"][0], code=hall["codes"]["zoe"])
        assert refused.value.reason == "not_open"
    _open(app, hall)
    with app.app_context():
        for bad in (999999, "x", None):
            with pytest.raises(voting.VoteRefused) as refused:
                voting.cast(_session(hall), bad, code=hall["codes"]["zoe"])
            assert refused.value.reason == "unknown_pitch"


def test_results_are_revealed_only_after_close_and_audited(app, hall):
    _open(app, hall)
    with app.app_context():
        session = _session(hall)
        voting.cast(session, hall["pitches"][2], code=hall["codes"]["zoe"])
        state = voting.screen_state(session)
        assert state["open"] and state["total"] == 1 and state["results"] is None
        with pytest.raises(voting.VoteStateError):
            voting.set_state(session, actor=None, open=True, revealed=True)
        voting.set_state(session, actor=None, open=False, revealed=True)
        state = voting.screen_state(session)
        winner = [row for row in state["results"] if row["winner"]]
        assert [row["pitch_id"] for row in winner] == [hall["pitches"][2]]
        actions = db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions == ["vote.open", "vote.close", "vote.reveal"]
        # The live snapshot of every screen carries it.
        from summit.services import live
        assert live.snapshot(session)["vote"]["revealed"] is True


def test_erasure_keeps_the_count_but_not_the_name(app, hall):
    _open(app, hall)
    with app.app_context():
        session = _session(hall)
        voting.cast(session, hall["pitches"][0], code=hall["codes"]["zoe"])
        attendees.anonymise(db.session.get(Registration, hall["ids"]["zoe"]), actor=None)
        vote = db.session.scalar(db.select(Vote))
        assert vote.registration_id is None
        assert voting.results(session).total == 1
        with pytest.raises(voting.VoteRefused):  # the erased badge votes no more
            voting.cast(session, hall["pitches"][1], code=hall["codes"]["zoe"])


def test_jury_scores_and_csv(app, hall):
    _open(app, hall)
    with app.app_context():
        session = _session(hall)
        voting.cast(session, hall["pitches"][0], code=hall["codes"]["zoe"])
        with pytest.raises(voting.rounds.FieldError) as bad:
            voting.set_jury_scores(session, {hall["pitches"][1]: "11"}, actor=None)
        assert bad.value.field == f"score_{hall['pitches'][1]}"
        voting.set_jury_scores(session, {hall["pitches"][1]: "8,5"}, actor=None)
        found = voting.results(session)
        assert [p.pitch_id for p in found.jury_winners] == [hall["pitches"][1]]
        assert [p.pitch_id for p in found.audience_winners] == [hall["pitches"][0]]
        assert found.turnout == 1.0  # one vote, one checked in (the cancelled one is not)
        text = voting.csv_export(session)
        assert "Wasser für Ümrah" in text and "8.5" in text and "turnout_percent,100.0" in text


# --- the API --------------------------------------------------------------------------------

def _votes_url(hall):
    return f"/api/v1/events/{SLUG}/sessions/{hall['session']}/votes"


def test_api_cast_and_state(client, auth, hall, app):
    url = _votes_url(hall)
    body = {"code": hall["codes"]["zoe"], "pitch_id": hall["pitches"][0]}
    assert client.post(url, json=body).status_code == 409  # not open
    organiser = auth.headers("organiser")
    assert client.put(url, json={"open": True}, headers=organiser).json["open"] is True
    assert client.put(url, json={"open": True}).status_code == 401
    response = client.post(url, json=body)
    assert response.status_code == 201 and response.json == {"result": "counted"}
    assert client.post(url, json=body).json == {"result": "changed"}
    assert client.post(url, json={**body, "code": hall["codes"]["li"]}).status_code == 403
    assert client.post(url, json={**body, "code": "NOPE"}).status_code == 404
    assert client.post(url, json={**body, "pitch_id": 999999}).status_code == 404
    assert client.post(url, json={"pitch_id": "x"}).status_code == 422
    assert client.get(url).status_code == 401
    state = client.get(url, headers=organiser).json
    assert state["total"] == 1 and state["open"] is True and not state["revealed"]
    assert {"pitch_id": hall["pitches"][0], "votes": 1} in state["results"]
    assert client.put(url, json={"open": True, "revealed": True},
                      headers=organiser).status_code == 409
    assert client.put(url, json={"open": False, "revealed": True},
                      headers=organiser).json["revealed"] is True


def test_api_put_by_the_sessions_own_moderator_only(client, auth, hall, app):
    url = _votes_url(hall)
    outsider = auth.headers("moderator")
    assert client.put(url, json={"open": True}, headers=outsider).status_code == 403
    with app.app_context():
        from summit.services.platform import users
        user = users.find_by_email("api-moderator@example.org")
        db.session.add(ModeratorAssignment(session_id=hall["session"], user_id=user.id,
                                           role="lead"))
        db.session.commit()
    assert client.put(url, json={"open": True}, headers=outsider).status_code == 200


def test_wrong_codes_slow_the_client_down(app_config, app, hall):
    """Five wrong codes a minute, then 429 for that client, while right codes never count."""
    from summit import create_app

    limited = create_app({**app_config, "RATELIMIT_ENABLED": True,
                          "SUMMIT_PUBLIC_LIMIT": "100 per minute"})
    client = limited.test_client()
    _open(app, hall)
    url = _votes_url(hall)
    good = {"code": hall["codes"]["zoe"], "pitch_id": hall["pitches"][0]}
    answers = [client.post(url, json=good).status_code for _ in range(3)]
    answers += [client.post(url, json={"code": f"BCDF-GHJK-LMNP-QRS{c}",
                                       "pitch_id": hall["pitches"][0]}).status_code
                for c in "TVWXYZ"]
    assert answers == [201] * 3 + [404] * 5 + [429]
    assert client.post(url, json=good).status_code == 429  # slowed down: wait a while


# --- the pages ------------------------------------------------------------------------------

def _ballot(hall):
    return f"/events/{SLUG}/sessions/{hall['session']}/vote"


def test_vote_page_by_typed_code(client, app, hall):
    page = client.get(_ballot(hall))
    assert "Voting has not opened yet" in page.text
    _open(app, hall)
    page = client.get(_ballot(hall))
    assert page.status_code == 200 and "Wasser für Ümrah" in page.text
    token = csrf_token(page)
    answer = client.post(_ballot(hall), data={"csrf_token": token, "code": hall["codes"]["li"],
                                              "pitch_id": hall["pitches"][1]})
    assert answer.status_code == 403 and "please check in at the desk first" in answer.text
    answer = client.post(_ballot(hall), data={"csrf_token": token,
                                              "code": hall["codes"]["zoe"],
                                              "pitch_id": hall["pitches"][1]})
    assert answer.status_code == 201 and "Your vote is counted" in answer.text
    missing = client.post(_ballot(hall), data={"csrf_token": token, "pitch_id": hall["pitches"][1]})
    assert missing.status_code == 422
    no_csrf = client.post(_ballot(hall), data={"code": hall["codes"]["zoe"],
                                               "pitch_id": hall["pitches"][0]})
    assert no_csrf.status_code == 400  # CSRF: refused, nothing changed
    _open(app, hall, open=False)
    closed = client.post(_ballot(hall), data={"csrf_token": token, "code": hall["codes"]["zoe"],
                                              "pitch_id": hall["pitches"][0]})
    assert closed.status_code == 409 and "Voting has closed" in closed.text


def test_vote_from_the_manage_page_link(client, app, hall):
    _open(app, hall)
    with app.app_context():
        registration = db.session.get(Registration, hall["ids"]["zoe"])
        token = registration.manage_token
    manage = client.get(f"/r/{token}")
    assert "Audience vote" in manage.text
    import re
    link = re.search(r'href="(/events/[^"]+/vote\?as=[^"]+)"', manage.text).group(1)
    page = client.get(link.replace("&amp;", "&"))
    assert "You vote as Zoë" in page.text
    voter = re.search(r'name="voter" type="hidden" value="([^"]+)"', page.text)
    voter = voter or re.search(r'id="voter" name="voter" type="hidden" value="([^"]+)"',
                               page.text)
    answer = client.post(_ballot(hall), data={"csrf_token": csrf_token(page),
                                              "voter": voter.group(1),
                                              "pitch_id": hall["pitches"][2]})
    assert answer.status_code == 201
    forged = client.get(_ballot(hall) + "?as=forged")
    assert "not valid" in forged.text


def test_moderator_buttons_hall_display_and_results_page(client, auth, app, hall):
    auth.login()
    run = client.get(f"/moderator/sessions/{hall['session']}/run")
    assert "Open the vote" in run.text
    control = f"/moderator/sessions/{hall['session']}/vote"
    opened = client.post(control, data={"csrf_token": csrf_token(run), "action": "open"})
    assert opened.status_code == 302, opened.text
    stage = client.get(f"/events/{SLUG}/sessions/{hall['session']}/stage")
    assert "Vote now!" in stage.text and "<svg" in stage.text
    with app.app_context():
        voting.cast(_session(hall), hall["pitches"][0], code=hall["codes"]["zoe"])
    state = client.get(f"/events/{SLUG}/sessions/{hall['session']}/vote/state.json").json
    assert state["total"] == 1 and state["results"] is None
    for action in ("close", "reveal"):
        client.post(control, data={"csrf_token": csrf_token(run), "action": action})
    state = client.get(f"/events/{SLUG}/sessions/{hall['session']}/vote/state.json").json
    assert state["revealed"] and state["results"][0]["votes"] == 1
    results = client.get(f"/organiser/events/{SLUG}/votes/{hall['session']}")
    assert results.status_code == 200 and "Audience award" in results.text
    bad = client.post(f"/organiser/events/{SLUG}/votes/{hall['session']}/jury",
                      data={"csrf_token": csrf_token(results),
                            f"score_{hall['pitches'][0]}": "zehn"})
    assert bad.status_code == 422 and "Enter a score from 0 to 10" in bad.text
    export = client.get(f"/organiser/events/{SLUG}/votes/{hall['session']}.csv")
    assert export.headers["Content-Type"].startswith("text/csv") and "Bees" in export.text
    assert client.get(f"/organiser/events/{SLUG}/votes").status_code == 200


# --- the ballot -----------------------------------------------------------------------------

def test_ballot_chosen_while_closed_limits_casting_and_results(app, hall):
    first, second, third = hall["pitches"]
    with app.app_context():
        session = _session(hall)
        for bad, status in (([], 422), ([first, 999999], 422), (["x"], 422)):
            with pytest.raises(FieldError) as refused:
                voting.set_ballot(session, bad, actor=None)
            assert refused.value.field == "ballot" and refused.value.status == status
        voting.set_ballot(session, [str(first), third], actor=None)  # ids as a form sends them
        assert [p.id for p in voting.on_ballot(session)] == [first, third]
        voting.set_ballot(session, [first, third], actor=None)  # no change, no second entry
        actions = db.session.scalars(db.select(AuditEntry.action)).all()
        assert actions == ["vote.ballot"]
    _open(app, hall)
    with app.app_context():
        session = _session(hall)
        # Off the ballot reads like an unknown pitch, decided by the vote's own statement.
        with pytest.raises(voting.VoteRefused) as refused:
            voting.cast(session, second, code=hall["codes"]["zoe"])
        assert refused.value.reason == "unknown_pitch" and refused.value.status == 404
        assert voting.results(session).total == 0
        assert voting.cast(session, third, code=hall["codes"]["zoe"]).result == "counted"
        with pytest.raises(voting.VoteStateError) as refused:
            voting.set_ballot(session, [first, second, third], actor=None)
        assert refused.value.status == 409 and "while voting is open" in str(refused.value.message)
        voting.set_state(session, actor=None, open=False, revealed=True)
        assert [p.pitch_id for p in voting.results(session).pitches] == [first, third]
        assert [r["pitch_id"] for r in voting.screen_state(session)["results"]] == [first, third]
        # Bees has a vote: it stays on the ballot; adding the other pitch back is fine.
        with pytest.raises(voting.VoteStateError) as refused:
            voting.set_ballot(session, [first], actor=None)
        assert "Bees 🐝 already has votes" in str(refused.value.message)
        assert [p.id for p in voting.on_ballot(session)] == [first, third]
        voting.set_ballot(session, [first, second, third], actor=None)
        assert voting.round_of(session).ballot is None  # every pitch, later ones included
        voting.set_state(session, actor=None, revealed=False)
        voting.set_ballot(session, [second, third], actor=None)
        for gone in (second, third):  # both pitches of the ballot deleted, and Bees' vote
            db.session.delete(db.session.get(Pitch, gone))
        db.session.commit()
        with pytest.raises(voting.VoteStateError) as refused:
            voting.set_state(session, actor=None, open=True)
        assert "No pitch is on the ballot" in str(refused.value.message)


def test_ballot_form_on_the_results_page_and_the_pages_that_follow_it(client, auth, app, hall):
    first, second, third = hall["pitches"]
    auth.login()
    page = f"/organiser/events/{SLUG}/votes/{hall['session']}"
    results = client.get(page)
    assert "On the ballot" in results.text and results.text.count('name="ballot"') == 3
    save = page + "/ballot"
    none = client.post(save, data={"csrf_token": csrf_token(results)})
    assert none.status_code == 422 and "Keep at least one pitch on the ballot" in none.text
    assert client.post(save, data={"ballot": [first]}).status_code == 400  # no CSRF: nothing
    with app.app_context():
        assert len(voting.on_ballot(_session(hall))) == 3
    saved = client.post(save, data={"csrf_token": csrf_token(results), "ballot": [first, third]},
                        follow_redirects=True)
    assert "The ballot is saved." in saved.text
    assert f'value="{second}" checked' not in saved.text
    _open(app, hall)
    vote_page = client.get(_ballot(hall))
    assert "Bees" in vote_page.text and "太阳能" not in vote_page.text
    refused = client.post(save, data={"csrf_token": csrf_token(results),
                                      "ballot": [first, second, third]})
    assert refused.status_code == 409 and "Close the vote first" in refused.text
    api = client.get(_votes_url(hall), headers=auth.headers("organiser")).json
    assert [row["pitch_id"] for row in api["results"]] == [first, third]
    off = client.post(_votes_url(hall), json={"code": hall["codes"]["zoe"], "pitch_id": second})
    assert off.status_code == 404
    # The API: organisers only, refused while open, then set with the close in one request.
    organiser = auth.headers("organiser")
    assert client.put(_votes_url(hall), json={"ballot": [first]},
                      headers=organiser).status_code == 409
    assert client.put(_votes_url(hall), json={"ballot": "x"}, headers=organiser).status_code == 422
    assert client.put(_votes_url(hall), json={"open": False, "ballot": []},
                      headers=organiser).json["errors"]["ballot"]
    closed = client.put(_votes_url(hall), json={"open": False, "ballot": [first, second]},
                        headers=organiser)
    assert closed.status_code == 409  # the close runs after the ballot: still open then
    assert client.put(_votes_url(hall), json={"open": False}, headers=organiser).status_code == 200
    put = client.put(_votes_url(hall), json={"ballot": [first, second]}, headers=organiser)
    assert put.status_code == 200
    assert [row["pitch_id"] for row in put.json["results"]] == [first, second]
    moderator = auth.headers("moderator")
    with app.app_context():  # the session's own moderator may open it, not choose the ballot
        from summit.services.platform import users
        user = users.find_by_email("api-moderator@example.org")
        db.session.add(ModeratorAssignment(session_id=hall["session"], user_id=user.id,
                                           role="lead"))
        db.session.commit()
    assert client.put(_votes_url(hall), json={"ballot": [first]},
                      headers=moderator).status_code == 403
    with app.app_context():
        assert voting.round_of(_session(hall)).ballot == [first, second]


# --- concurrency ----------------------------------------------------------------------------

@pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (SUMMIT_TEST_DATABASE_URL)")
def test_many_phones_of_one_badge_leave_one_vote(app, hall):
    _open(app, hall)
    errors, results = [], []

    def vote(index):
        try:
            with app.app_context():
                cast = voting.cast(_session(hall), hall["pitches"][index % 3],
                                   code=hall["codes"]["zoe"])
                results.append(cast.result)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            with app.app_context():
                db.session.remove()

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results.count("counted") == 1 and results.count("changed") == 23
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Vote)) == 1
