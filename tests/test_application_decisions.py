"""The organiser's side of the call: settings and criteria pages, ranking page, bulk
decisions, decision mails checked before they go, reserve moving up, shortlist on stage,
the reviews CSV, and the role checks."""

from datetime import UTC, datetime

from application_fixtures import *  # noqa: F403
from application_fixtures import apply_on_page
from conftest import csrf_token

from summit.extensions import db
from summit.models import (
    Application,
    Event,
    EventSession,
    OutboxMessage,
    Pitch,
    Registration,
)
from summit.services.applications import call as call_service


def _ids(app):
    with app.app_context():
        return [a.id for a in db.session.scalars(db.select(Application).order_by(
            Application.id))]


def _three(client):
    apply_on_page(client)
    apply_on_page(client, email="wei@example.org", first_name="伟", last_name="张",
                  title="Tea 🍵", language="en")
    apply_on_page(client, email="ana@example.org", first_name="Ana", last_name="Núñez",
                  title="Agua limpia", language="en")


def _decide(client, ids, decision):
    page = client.get("/organiser/events/test-summit/applications")
    return client.post("/organiser/events/test-summit/applications/decide",
                       data={"applications": ids, "decision": decision,
                             "csrf_token": csrf_token(page)})


def _outbox(app):
    with app.app_context():
        return [m.subject for m in db.session.scalars(db.select(OutboxMessage).order_by(
            OutboxMessage.id))]


def test_organiser_opens_a_call_and_edits_criteria(app, client, auth, make_event):
    make_event()
    auth.login()
    page = client.get("/organiser/events/test-summit/call")
    assert page.status_code == 200
    answer = client.post("/organiser/events/test-summit/call", data={
        "reviews_per_application": "2", "others_reviews": "always", "anonymised": "y",
        "csrf_token": csrf_token(page)})
    assert answer.status_code == 302
    page = client.get("/organiser/events/test-summit/call")
    answer = client.post("/organiser/events/test-summit/call/criteria", data={
        "criteria-0-name": "Wirkung ✨", "criteria-0-weight": "3", "criteria-0-scale_max": "10",
        "criteria-1-name": "", "csrf_token": csrf_token(page)})
    assert answer.status_code == 302
    bad = client.post("/organiser/events/test-summit/call/criteria", data={
        "criteria-0-name": "X", "criteria-0-weight": "-1", "criteria-0-scale_max": "5",
        "csrf_token": csrf_token(page)})
    assert bad.status_code == 422
    with app.app_context():
        call = call_service.get_call(db.session.scalar(db.select(Event)))
        assert call.anonymised and call.others_reviews == "always"
        assert [(c.name, c.weight, c.scale_max) for c in call.criteria] == [
            ("Wirkung ✨", 3.0, 10)]
    assert client.get("/events/test-summit/apply").status_code == 200


def test_only_organisers_reach_the_call_pages(app, client, auth, open_call):
    open_call()
    for url in ("/organiser/events/test-summit/call",
                "/organiser/events/test-summit/applications",
                "/organiser/events/test-summit/applications/reviews.csv"):
        assert client.get(url).status_code == 302  # the login page
    auth.login("juror@example.org", "jury")
    for url in ("/organiser/events/test-summit/call",
                "/organiser/events/test-summit/applications/decision-mails"):
        assert client.get(url).status_code == 403


def test_decisions_are_checked_then_mailed_in_the_applicants_language(app, client, auth,
                                                                      open_call):
    open_call()
    _three(client)
    ids = _ids(app)
    auth.login()
    assert _decide(client, [], "accepted").status_code == 422
    assert _decide(client, ids[:2], "accepted").status_code == 302
    assert _decide(client, ids[2:], "reserve").status_code == 302
    before = len(_outbox(app))
    preview = client.get("/organiser/events/test-summit/applications/decision-mails")
    text = preview.get_data(as_text=True)
    assert "Tea 🍵" in text and "Lastenräder" in text
    assert len(_outbox(app)) == before  # shown, not sent
    client.post("/organiser/events/test-summit/applications/decision-mails",
                data={"applications": ids[:2], "csrf_token": csrf_token(preview)})
    subjects = _outbox(app)[before:]
    assert len(subjects) == 2
    assert any("pitch at" in s for s in subjects)  # English for Wei
    assert len(set(subjects)) == 2  # Zoë reads hers in German
    with app.app_context():
        rows = {a.id: a for a in db.session.scalars(db.select(Application))}
        assert rows[ids[0]].decision_sent_at and rows[ids[2]].decision_sent_at is None


def test_a_reserve_moves_up_when_an_accepted_one_withdraws(app, client, auth, open_call):
    open_call()
    _three(client)
    ids = _ids(app)
    auth.login()
    _decide(client, ids[:1], "accepted")
    _decide(client, ids[2:], "reserve")
    auth.logout()
    with app.app_context():
        token = db.session.get(Application, ids[0]).manage_token
    page = client.get(f"/a/{token}/withdraw")
    client.post(f"/a/{token}/withdraw", data={"csrf_token": csrf_token(page)})
    with app.app_context():
        assert db.session.get(Application, ids[0]).status == "withdrawn"
        assert db.session.get(Application, ids[2]).status == "accepted"


def test_the_shortlist_goes_on_stage_with_registered_presenters(app, client, auth, open_call):
    open_call()
    _three(client)
    ids = _ids(app)
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        session = EventSession(event=event, title="Pitch session", kind="pitch",
                               starts_at=datetime(2030, 9, 10, 12, tzinfo=UTC),
                               ends_at=datetime(2030, 9, 10, 14, tzinfo=UTC))
        db.session.add(session)
        db.session.commit()
        session_id = session.id
    auth.login()
    _decide(client, ids[:2], "accepted")
    page = client.get("/organiser/events/test-summit/applications/stage")
    assert "Tea 🍵" in page.get_data(as_text=True)
    answer = client.post("/organiser/events/test-summit/applications/stage", data={
        "session": session_id, "order": "hand", f"position-{ids[0]}": "2",
        f"position-{ids[1]}": "1", "csrf_token": csrf_token(page)})
    assert answer.status_code == 302
    again = client.post("/organiser/events/test-summit/applications/stage", data={
        "session": session_id, "order": "raw", "csrf_token": csrf_token(page)})
    assert again.status_code == 302
    with app.app_context():
        pitches = db.session.scalars(db.select(Pitch).order_by(Pitch.position)).all()
        assert [p.presenter for p in pitches] == ["伟 张", "Zoë Müller-Lüdenscheidt"]
        people = db.session.scalars(db.select(Registration)).all()
        assert {r.category.name for r in people} == {"Social Entrepreneur"}
        assert {r.status for r in people} == {"confirmed"}
        assert all(a.pitch_id for a in db.session.scalars(db.select(Application).where(
            Application.status == "accepted")))


def test_reviews_csv_and_ranking_page(app, client, auth, open_call):
    open_call()
    _three(client)
    auth.login()
    page = client.get("/organiser/events/test-summit/applications")
    assert page.status_code == 200 and "Agua limpia" in page.get_data(as_text=True)
    csv_answer = client.get("/organiser/events/test-summit/applications/reviews.csv")
    assert csv_answer.status_code == 200
    assert csv_answer.headers["Content-Disposition"].startswith("attachment")
    assert "application_id" in csv_answer.get_data(as_text=True)


def test_the_sessions_moderator_gets_the_deck_after_acceptance(app, client, auth, open_call):
    import io

    from application_fixtures import pdf_bytes

    from summit.models import ModeratorAssignment

    open_call()
    apply_on_page(client, deck=(io.BytesIO(pdf_bytes()), "Präsentation.pdf"))
    (application_id,) = _ids(app)
    moderator = auth.make_user("mod@example.org", "moderator", name="Mo Derator")
    auth.make_user("other-mod@example.org", "moderator", name="Other")
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        session = EventSession(event=event, title="Pitches", kind="pitch",
                               starts_at=datetime(2030, 9, 10, 12, tzinfo=UTC),
                               ends_at=datetime(2030, 9, 10, 14, tzinfo=UTC))
        db.session.add(session)
        db.session.flush()
        db.session.add(ModeratorAssignment(session_id=session.id, user_id=moderator,
                                           role="lead"))
        db.session.commit()
        session_id = session.id
    auth.login("mod@example.org", "moderator")
    deck_url = f"/applications/{application_id}/deck.pdf"
    assert client.get(deck_url).status_code == 403  # not accepted yet
    auth.logout()
    auth.login()
    _decide(client, [application_id], "accepted")
    page = client.get("/organiser/events/test-summit/applications/stage")
    client.post("/organiser/events/test-summit/applications/stage", data={
        "session": session_id, "order": "raw", "csrf_token": csrf_token(page)})
    auth.logout()
    auth.login("mod@example.org", "moderator")
    assert deck_url in client.get("/moderator/").get_data(as_text=True)
    answer = client.get(deck_url)
    assert answer.status_code == 200 and answer.data.startswith(b"%PDF-")
    assert "Pr%C3%A4sentation.pdf" in answer.headers["Content-Disposition"]
    auth.logout()
    auth.login("other-mod@example.org", "moderator")
    assert client.get(deck_url).status_code == 403
