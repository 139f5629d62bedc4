"""The jury: assignment (properties of the pure planner and the service), reviews, conflicts,
anonymised review, others' reviews, the 403s, the deck download and the ranking."""

import io
import random
from datetime import timedelta

import pytest
from application_fixtures import *  # noqa: F403
from application_fixtures import apply_on_page, pdf_bytes
from conftest import csrf_token

from summit.extensions import db
from summit.models import Application, Event, JuryAssignment, Review, User, utcnow
from summit.services.applications import assignment, jury, ranking, review
from summit.services.applications import call as call_service
from summit.services.applications.call import get_call

# -- the pure planner ---------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(5))
def test_every_application_gets_k_reviewers_evenly_and_never_a_conflict(seed):
    rng = random.Random(seed)
    applications, jurors = list(range(1, 121)), list(range(1, 11))
    conflicts = {(rng.choice(applications), rng.choice(jurors)) for _ in range(60)}
    existing = {(a, rng.choice(jurors)) for a in rng.sample(applications, 20)} - conflicts
    result = assignment.plan(applications, jurors, 3, conflicts=conflicts, existing=existing)
    have: dict[int, set] = {}
    for a, j in existing | set(result.added):
        have.setdefault(a, set()).add(j)
    assert all(len(have[a]) == 3 for a in applications)
    assert not set(result.added) & conflicts
    assert not set(result.added) & existing
    assert result.spread <= 1 and result.short == []


def test_an_application_that_cannot_be_covered_is_reported():
    result = assignment.plan([1, 2], [10, 11], 2, conflicts={(1, 10)})
    assert result.short == [1]
    assert (1, 11) in result.added and {(2, 10), (2, 11)} <= set(result.added)


# -- the service and pages ----------------------------------------------------------------------

def _setup(app, client, auth, open_call, anonymised=False, others="after_own", jurors=2):
    open_call(anonymised=anonymised, others_reviews=others, reviews_per_application=jurors)
    apply_on_page(client, deck=(io.BytesIO(pdf_bytes()), "deck.pdf"))
    apply_on_page(client, email="wei@example.org", first_name="伟", last_name="张",
                  organisation="茶园", title="Tea 🍵")
    for number in range(jurors):
        auth.make_user(f"juror{number}@example.org", "jury", name=f"Jurorin {number} Ö")
    organiser = auth.make_user("organiser@example.org", "organiser")
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        jury.assign_automatically(event, actor=db.session.get(User, organiser))
        return [a.id for a in db.session.scalars(db.select(Application).order_by(
            Application.id))]


def _review(client, application_id, scores=(5, 4, 3, 2), comment="Stark! 💪"):
    page = client.get(f"/jury/applications/{application_id}")
    assert page.status_code == 200
    with client.application.app_context():
        criteria = get_call(db.session.get(Application, application_id).event).criteria
        data = {f"score_{c.id}": s for c, s in zip(criteria, scores, strict=True)}
    return client.post(f"/jury/applications/{application_id}",
                       data=data | {"comment": comment, "csrf_token": csrf_token(page)})


def test_a_juror_reviews_assigned_applications_only(app, client, auth, open_call):
    ids = _setup(app, client, auth, open_call, jurors=2)
    auth.login("juror0@example.org", "jury")
    listing = client.get("/jury/").get_data(as_text=True)
    assert "Tea 🍵" in listing and "Zoë" in listing
    assert _review(client, ids[0]).status_code == 302
    with app.app_context():
        (saved,) = db.session.scalars(db.select(Review)).all()
        assert saved.comment == "Stark! 💪" and len(saved.scores) == 4
    deck = client.get(f"/applications/{ids[0]}/deck.pdf")
    assert deck.status_code == 200 and deck.data.startswith(b"%PDF-")
    assert deck.headers["Content-Disposition"].startswith("attachment")
    assert deck.headers["X-Content-Type-Options"] == "nosniff"


def test_a_withdrawn_application_closes_its_deck_to_the_jury(app, client, auth, open_call):
    ids = _setup(app, client, auth, open_call, jurors=2)
    with app.app_context():
        db.session.get(Application, ids[0]).status = "withdrawn"
        db.session.commit()
    auth.login("juror0@example.org", "jury")
    assert client.get(f"/jury/applications/{ids[0]}").status_code == 403
    assert client.get(f"/applications/{ids[0]}/deck.pdf").status_code == 403


def test_bad_scores_are_refused_with_a_message(app, client, auth, open_call):
    ids = _setup(app, client, auth, open_call)
    auth.login("juror0@example.org", "jury")
    answer = _review(client, ids[0], scores=(9, 4, 3, 2))
    assert answer.status_code == 422
    with app.app_context():
        assert db.session.scalars(db.select(Review)).all() == []


def test_unassigned_conflicted_and_other_roles_get_403(app, client, auth, open_call):
    ids = _setup(app, client, auth, open_call, jurors=1)
    auth.make_user("late@example.org", "jury")
    auth.login("late@example.org", "jury")
    assert client.get(f"/jury/applications/{ids[0]}").status_code == 403
    assert client.get(f"/applications/{ids[0]}/deck.pdf").status_code == 403
    auth.logout()
    auth.login("juror0@example.org", "jury")
    page = client.get(f"/jury/applications/{ids[0]}")
    client.post(f"/jury/applications/{ids[0]}/conflict",
                data={"csrf_token": csrf_token(page)})
    assert client.get(f"/jury/applications/{ids[0]}").status_code == 403
    assert client.get(f"/applications/{ids[0]}/deck.pdf").status_code == 403
    auth.logout()
    auth.login("moderator@example.org", "moderator")
    assert client.get("/jury/").status_code == 403
    assert client.get(f"/applications/{ids[0]}/deck.pdf").status_code == 403


def test_no_review_after_the_review_phase(app, client, auth, open_call):
    ids = _setup(app, client, auth, open_call)
    with app.app_context():
        call = get_call(db.session.scalar(db.select(Event)))
        call.review_closes_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    auth.login("juror0@example.org", "jury")
    assert _review(client, ids[0]).status_code == 409
    with app.app_context():
        assert db.session.scalars(db.select(Review)).all() == []


def test_anonymised_review_hides_the_person(app, client, auth, open_call):
    ids = _setup(app, client, auth, open_call, anonymised=True)
    with app.app_context():
        db.session.get(Application, ids[1]).redacted_summary = "Ein Teegarten."
        db.session.commit()
    auth.login("juror0@example.org", "jury")
    page = client.get(f"/jury/applications/{ids[1]}").get_data(as_text=True)
    assert "伟" not in page and "茶园" not in page and "Ein Teegarten." in page
    assert "Zoë" not in client.get("/jury/").get_data(as_text=True)


def test_others_reviews_only_after_ones_own(app, client, auth, open_call):
    ids = _setup(app, client, auth, open_call, others="after_own")
    auth.login("juror1@example.org", "jury")
    _review(client, ids[0], comment="Geheimer Kommentar")
    auth.logout()
    auth.login("juror0@example.org", "jury")
    assert "Geheimer Kommentar" not in client.get(
        f"/jury/applications/{ids[0]}").get_data(as_text=True)
    _review(client, ids[0])
    assert "Geheimer Kommentar" in client.get(
        f"/jury/applications/{ids[0]}").get_data(as_text=True)


def test_ranking_shows_raw_and_normalised_scores(app, client, auth, open_call):
    ids = _setup(app, client, auth, open_call)
    for email, first, second in (("juror0@example.org", (5, 5, 5, 5), (4, 4, 4, 4)),
                                 ("juror1@example.org", (2, 2, 2, 2), (1, 1, 1, 1))):
        auth.login(email, "jury")
        _review(client, ids[0], scores=first)
        _review(client, ids[1], scores=second)
        auth.logout()
    with app.app_context():
        rows = ranking.ranking(db.session.scalar(db.select(Event)))
        assert [r.application.id for r in rows] == ids
        assert rows[0].raw == pytest.approx(3.5) and rows[0].spread == pytest.approx(3)
        assert rows[0].normalised == pytest.approx(1.0) and rows[1].normalised == -1.0
        assert rows[0].reviews == 2
        csv_rows = ranking.reviews_csv_rows(db.session.scalar(db.select(Event)))
        assert len(csv_rows) == 5 and "Jurorin 0 Ö" in {row[4] for row in csv_rows}


def test_assignment_service_keeps_conflicts(app, client, auth, open_call):
    open_call(reviews_per_application=1)
    apply_on_page(client)
    juror = auth.make_user("juror0@example.org", "jury")
    other = auth.make_user("juror1@example.org", "jury")
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        application = db.session.scalar(db.select(Application))
        jury.assign(application, juror, actor=None, conflict=True)
        jury.assign_automatically(event, actor=None)
        rows = db.session.scalars(db.select(JuryAssignment)).all()
        assert {(r.user_id, r.conflict) for r in rows} == {(juror, True), (other, False)}
        assert review.shown(application).name == "Zoë Müller-Lüdenscheidt"
        call_service.open_call(event, anonymised=True)
        assert review.shown(application).name == ""


def test_the_organiser_sees_each_jurors_load(app, client, auth, open_call):
    ids = _setup(app, client, auth, open_call, jurors=2)
    auth.login("juror0@example.org", "jury")
    _review(client, ids[0])
    auth.logout()
    auth.login()
    with app.app_context():
        event = db.session.scalar(db.select(Event))
        loads = {juror.email: (assigned, reviewed, conflicts)
                 for juror, assigned, reviewed, conflicts in jury.loads(event)}
    assert loads == {"juror0@example.org": (2, 1, 0), "juror1@example.org": (2, 0, 0)}
    page = client.get("/organiser/events/test-summit/applications").get_data(as_text=True)
    assert "Jurorin 0 Ö" in page
