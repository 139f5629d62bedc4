"""The organiser's question editor: add (with answers and places), edit, reorder, delete with
confirmation, answers' places never below those taken; organisers only."""

from conftest import csrf_token
from registration_fixtures import *  # noqa: F403
from registration_fixtures import register_on_page

from summit.extensions import db
from summit.models import Question, QuestionOption

QUESTIONS = "/organiser/events/test-summit/questions"


def add(client, **fields):
    page = client.get(QUESTIONS)
    data = {"kind": "text", "label": "", "label_de": "", "csrf_token": csrf_token(page)}
    return client.post(QUESTIONS, data=data | fields)


def test_only_organisers_edit_questions(app, client, auth, make_event):
    make_event()
    assert client.get(QUESTIONS).status_code == 302
    auth.login("mod@example.org", role="moderator")
    assert client.get(QUESTIONS).status_code == 403


def test_add_edit_reorder_and_delete(app, client, auth, make_event):
    make_event(categories=[{"name": "Attendee", "name_de": "Teilnehmende", "capacity": 10},
                           {"name": "Press", "capacity": 5}])
    auth.login()
    assert client.get(QUESTIONS).status_code == 200
    empty = add(client)
    assert empty.status_code == 422 and b"at least one language" in empty.data
    no_options = add(client, kind="choice", label="Workshop?")
    assert no_options.status_code == 422 and b"at least one answer" in no_options.data
    bad = add(client, kind="choice", label="Workshop?", options="A | B | viele")
    assert bad.status_code == 422 and "English | Deutsch | places" in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Question)) == 0

    with app.app_context():
        press_id = db.session.scalar(db.select(db.text("id FROM categories WHERE name='Press'")))
    made = add(client, kind="choice", label="Which workshop?", label_de="Welcher Workshop?",
               required="y", categories=str(press_id),
               options="Upcycling | Upcycling | 1\nSolar | Solarenergie\n\n草木 🌱 ||")
    assert made.status_code == 302
    assert add(client, kind="yesno", label="", label_de="Shuttlebus?").status_code == 302
    with app.app_context():
        workshop, bus = db.session.scalars(db.select(Question).order_by(Question.position))
        assert [(o.label, o.label_de, o.capacity) for o in workshop.options] == [
            ("Upcycling", "Upcycling", 1), ("Solar", "Solarenergie", None), ("草木 🌱", "", None)]
        assert [c.name for c in workshop.categories] == ["Press"] and workshop.required
        ids = workshop.id, bus.id, [o.id for o in workshop.options]
    page = client.get(QUESTIONS, headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert page.index("Welcher Workshop?") < page.index("Shuttlebus?")

    token = csrf_token(client.get(QUESTIONS))
    assert client.post(f"{QUESTIONS}/{ids[1]}/move/up",
                       data={"csrf_token": token}).status_code == 302
    page = client.get(QUESTIONS).get_data(as_text=True)
    assert page.index("Shuttlebus?") < page.index("Which workshop?")

    edit = f"{QUESTIONS}/{ids[0]}"
    form = client.get(edit)
    assert (f'<input checked id="categories-1" name="categories" type="checkbox" '
            f'value="{press_id}">') in form.get_data(as_text=True)  # its category is ticked
    token = csrf_token(form)
    saved = client.post(edit, data={"csrf_token": token, "label": "Workshop", "label_de": "",
                                    "help_text": "Ein Workshop", "help_text_de": ""})
    assert saved.status_code == 302
    with app.app_context():
        workshop = db.session.get(Question, ids[0])
        assert workshop.label == "Workshop" and not workshop.required
        assert workshop.categories == []

    # Someone chose Upcycling: its places cannot drop below 1, nor can it be deleted.
    register_on_page(client, category=str(press_id),
                     **{f"q-{ids[0]}": str(ids[2][0])})
    low = client.post(f"{edit}/options/{ids[2][0]}", data={
        "csrf_token": token, f"o{ids[2][0]}-label": "Upcycling", f"o{ids[2][0]}-capacity": "0"})
    assert low.status_code == 422 and b"capacity cannot be lower" in low.data
    gone = client.post(f"{edit}/options/{ids[2][0]}/delete", data={"csrf_token": token},
                       follow_redirects=True)
    assert b"cannot be deleted" in gone.data
    assert client.post(f"{edit}/options/{ids[2][2]}/delete",
                       data={"csrf_token": token}).status_code == 302
    assert client.post(f"{edit}/options", data={
        "csrf_token": token, "new-label": "", "new-label_de": "Wald", "new-capacity": "3",
    }).status_code == 302
    with app.app_context():
        assert [o.label_de for o in db.session.get(Question, ids[0]).options] == [
            "Upcycling", "Solarenergie", "Wald"]

    refused = client.post(f"{edit}/delete", data={"csrf_token": token})
    assert refused.status_code == 409 and b"1 person has answered" in refused.data
    deleted = client.post(f"{edit}/delete", data={"csrf_token": token, "confirm": "y"})
    assert deleted.status_code == 302
    with app.app_context():
        assert db.session.get(Question, ids[0]) is None
        assert db.session.scalar(db.select(db.func.count()).select_from(QuestionOption)) == 0
    assert client.get(f"{QUESTIONS}/{ids[0]}").status_code == 404
