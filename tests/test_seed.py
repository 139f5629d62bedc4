from summit.extensions import db
from summit.models import Event, EventSession, ModeratorAssignment, Registration, User


def test_seed_demo_is_idempotent(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Created the demo event" in first.output
    with app.app_context():
        counts = _counts()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "exists already" in second.output
    with app.app_context():
        assert _counts() == counts


def _counts():
    return tuple(db.session.scalar(db.select(db.func.count()).select_from(model))
                 for model in (Event, Registration, EventSession, User, ModeratorAssignment))


def test_demo_content(app, runner, client):
    runner.invoke(args=["seed-demo"])
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == "vision-summit-2014"))
        assert (event.name, event.venue, event.timezone) == (
            "Vision Summit 2014", "Allianz Forum Berlin", "Europe/Berlin")
        assert str(event.starts_on) == "2014-09-10" and str(event.ends_on) == "2014-09-11"
        assert event.registration_state() == "open"
        names = [c.name for c in event.categories]
        assert names == ["Attendee", "Social Entrepreneur", "Moderator", "Press", "Staff"]
        assert event.categories[0].capacity == 1000
        pitch = db.session.scalar(db.select(EventSession).where(EventSession.kind == "pitch"))
        assert len(pitch.pitches) == 10
        assert [p.position for p in pitch.pitches] == list(range(1, 11))
        moderators = {(a.user.name, a.role) for a in pitch.assignments}
        assert moderators == {("Laura Haverkamp", "lead"), ("Norbert Kunz", "co")}
        people = db.session.scalars(db.select(Registration)).all()
        assert len(people) >= 300
        assert any(any(ch in p.last_name for ch in "äöüßéøłçñ") for p in people)
        # Sample people are clearly sample data.
        assert all(p.email.endswith("@example.org") for p in people)
    page = client.get("/events/vision-summit-2014")
    assert page.status_code == 200 and "Vision Summit 2014" in page.get_data(as_text=True)


def test_demo_organiser_can_log_in(app, runner, client):
    from conftest import csrf_token

    runner.invoke(args=["seed-demo"])
    page = client.get("/login")
    response = client.post("/login", data={"email": "organiser@vision-summit.example",
                                           "password": "demo-organiser",
                                           "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert "Vision Summit 2014" in client.get("/organiser/").get_data(as_text=True)


def test_demo_call_for_pitches_is_open_with_a_jury(app, runner, client):
    from conftest import csrf_token

    from summit.models import Application, JuryAssignment

    runner.invoke(args=["seed-demo"])
    with app.app_context():
        applications = db.session.scalars(db.select(Application)).all()
        assert len(applications) >= 3 and any("伟" == a.first_name for a in applications)
        juror = db.session.scalar(db.select(User).where(User.role == "jury"))
        assigned = db.session.scalars(db.select(JuryAssignment).where(
            JuryAssignment.user_id == juror.id)).all()
        assert len(assigned) == len(applications)
    assert "Apply to pitch" in client.get("/events/vision-summit-2014/apply").get_data(
        as_text=True)
    page = client.get("/login")
    client.post("/login", data={"email": "jury@vision-summit.example",
                                "password": "demo-jury", "csrf_token": csrf_token(page)})
    assert "Bamboo bikes" in client.get("/jury/").get_data(as_text=True)
