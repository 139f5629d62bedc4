"""Custom registration questions: the rules (required, options of the question, capacity per
option, categories), the public form, the manage page, the API, the data download and the CSV.
"""


import csv
import io

import pytest
from conftest import csrf_token
from registration_fixtures import *  # noqa: F403
from registration_fixtures import register_on_page

from summit.extensions import db
from summit.models import Answer, Event, Registration
from summit.services.questions import admin
from summit.services.questions import answers as question_answers
from summit.services.registrations import signup

GERMAN = {"Accept-Language": "de-DE,de;q=0.9"}
API = "/api/v1/events/test-summit/registrations"


def _event():
    return db.session.scalar(db.select(Event).where(Event.slug == "test-summit"))


@pytest.fixture
def asked(app, make_event):
    """Attendee (10) and Press (5); a workshop choice with 1 seat per option asked of
    Attendees only, a required text, a multiple choice and a yes/no."""
    make_event(categories=[{"name": "Attendee", "name_de": "Teilnehmende", "capacity": 10},
                           {"name": "Press", "name_de": "Presse", "capacity": 5}])
    with app.app_context():
        event = _event()
        attendee, press = event.categories
        workshop = admin.create(event, kind="choice", label="Which workshop?",
                                label_de="Welcher Workshop?", help_text="One only",
                                help_text_de="Nur einer", required=True,
                                category_ids=[attendee.id],
                                options=[("Upcycling", "Upcycling", 1),
                                         ("Solar", "Solarenergie", 1),
                                         ("Open space", "", None)])
        diet = admin.create(event, kind="text", label="", label_de="Was essen Sie gern?",
                            help_text="", help_text_de="", required=True, category_ids=[])
        topics = admin.create(event, kind="multi", label="Topics", label_de="Themen",
                              help_text="", help_text_de="", required=False, category_ids=[],
                              options=[("Food", "Essen", None), ("Energy", "Energie", None)])
        bus = admin.create(event, kind="yesno", label="Shuttle bus?", label_de="Shuttlebus?",
                           help_text="", help_text_de="", required=False, category_ids=[])
        return {"workshop": workshop.id, "options": [o.id for o in workshop.options],
                "diet": diet.id, "topics": topics.id,
                "topic_options": [o.id for o in topics.options], "bus": bus.id,
                "attendee": attendee.id, "press": press.id}


def _register(app, ids, email, category="attendee", first_name="Zoë", **answers):
    with app.app_context():
        return signup.register(_event(), category=ids[category], first_name=first_name,
                               last_name="Müller", email=email, answers=answers).id


def test_answers_are_stored_with_the_registration(app, asked):
    ids = asked
    rid = _register(app, ids, "a@example.org", **{
        str(ids["workshop"]): str(ids["options"][0]), str(ids["diet"]): "Käse 🧀 und 豆腐",
        str(ids["topics"]): [str(o) for o in ids["topic_options"]], str(ids["bus"]): "yes"})
    with app.app_context():
        registration = db.session.get(Registration, rid)
        data = question_answers.as_data(registration, "de")
        by_id = {row["question_id"]: row for row in data}
        assert by_id[ids["workshop"]]["value"] == ids["options"][0]
        assert by_id[ids["workshop"]]["question"] == "Welcher Workshop?"
        assert by_id[ids["diet"]]["text"] == "Käse 🧀 und 豆腐"
        assert by_id[ids["topics"]]["text"] == "Essen; Energie"
        assert by_id[ids["bus"]]["value"] is True and by_id[ids["bus"]]["text"] == "Ja"
        # English falls back to German where the English label is empty.
        english = {row["question_id"]: row for row in question_answers.as_data(registration)}
        assert english[ids["diet"]]["question"] == "Was essen Sie gern?"


@pytest.mark.parametrize("answers, field, fragment", [
    ({}, "workshop", "Please answer this question."),
    ({"workshop": "999999"}, "workshop", "Please choose one of the offered answers."),
    ({"workshop": ["a", "b"]}, "workshop", "Please choose one answer."),
    ({"diet": "x" * 1001}, "diet", "at most 1000 characters"),
    ({"diet": "a\x00b"}, "diet", "control characters"),
    ({"bus": "vielleicht"}, "bus", "yes or no"),
])
def test_bad_answers_are_refused_and_nothing_is_written(app, asked, answers, field, fragment):
    ids = asked
    raw = {str(ids["workshop"]): str(ids["options"][2]), str(ids["diet"]): "Suppe"}
    for name, value in answers.items():
        raw[str(ids[name])] = value
    if not answers:
        raw.pop(str(ids["workshop"]))
    with app.app_context(), pytest.raises(question_answers.AnswerError) as refused:
        signup.register(_event(), category=ids["attendee"], first_name="A", last_name="B",
                        email="bad@example.org", answers=raw)
    assert refused.value.field == f"answers.{ids[field]}"
    assert fragment in str(refused.value.message)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 0


def test_an_option_of_another_question_and_unknown_questions_are_refused(app, asked):
    ids = asked
    with app.app_context():
        with pytest.raises(question_answers.AnswerError) as other:
            signup.register(_event(), category=ids["attendee"], first_name="A", last_name="B",
                            email="x@example.org", answers={
                                str(ids["workshop"]): str(ids["topic_options"][0]),
                                str(ids["diet"]): "x"})
        assert other.value.field == f"answers.{ids['workshop']}"
        with pytest.raises(question_answers.AnswerError) as unknown:
            signup.register(_event(), category=ids["attendee"], first_name="A", last_name="B",
                            email="x@example.org", answers={"12345": "x",
                                                            str(ids["diet"]): "x"})
        assert unknown.value.field == "answers.12345"


def test_questions_of_other_categories_are_not_asked(app, asked):
    ids = asked
    # Press is not asked the (required) workshop; an answer to it is dropped.
    rid = _register(app, ids, "press@example.org", category="press", **{
        str(ids["diet"]): "Brot", str(ids["workshop"]): str(ids["options"][0])})
    with app.app_context():
        registration = db.session.get(Registration, rid)
        assert [a.question_id for a in registration.answers] == [ids["diet"]]


def test_a_full_option_is_refused_and_cancelling_frees_it(app, asked):
    ids = asked
    upcycling = str(ids["options"][0])
    first = _register(app, ids, "first@example.org", **{str(ids["workshop"]): upcycling,
                                                        str(ids["diet"]): "x"})
    with app.app_context(), pytest.raises(question_answers.OptionFull) as full:
        signup.register(_event(), category=ids["attendee"], first_name="A", last_name="B",
                        email="second@example.org", language="de",
                        answers={str(ids["workshop"]): upcycling, str(ids["diet"]): "x"})
    assert "„Upcycling“" in str(full.value.message) or "Upcycling" in str(full.value.message)
    assert full.value.status == 409
    with app.app_context():
        assert question_answers.free_places(_event())[ids["options"][0]] == 0
        # The person holding the seat may save their answers again and keep it.
        question_answers.update(db.session.get(Registration, first),
                                {str(ids["workshop"]): upcycling, str(ids["diet"]): "y"})
        signup.cancel(db.session.get(Registration, first))
        assert question_answers.free_places(_event())[ids["options"][0]] == 1
    _register(app, ids, "second@example.org", **{str(ids["workshop"]): upcycling,
                                                 str(ids["diet"]): "x"})


def test_the_form_shows_the_questions_and_stores_the_answers(app, client, asked):
    ids = asked
    page = client.get("/events/test-summit/register", headers=GERMAN).get_data(as_text=True)
    assert "Welcher Workshop?" in page and "Solarenergie" in page
    assert "Nur für: Teilnehmende" in page  # without JavaScript every question shows
    assert "1 Platz frei" in page

    missing = register_on_page(client, category=str(ids["attendee"]),
                               **{f"q-{ids['diet']}": "Suppe"})
    assert missing.status_code == 422
    text = missing.get_data(as_text=True)
    assert f'id="q-{ids["workshop"]}-error"' in text and "Please answer this question." in text
    assert "Suppe" in text  # what was typed stays

    done = register_on_page(client, category=str(ids["attendee"]), **{
        f"q-{ids['workshop']}": str(ids["options"][1]), f"q-{ids['diet']}": "Ümläute 😀 汉字",
        f"q-{ids['topics']}": [str(o) for o in ids["topic_options"]], f"q-{ids['bus']}": "no"})
    assert done.status_code == 302
    manage = client.get(done.headers["Location"])
    html = manage.get_data(as_text=True)
    assert "Your answers" in html and "Ümläute 😀 汉字" in html

    # The data download carries the answers.
    token = done.headers["Location"].rsplit("/", 1)[1]
    data = client.get(f"/r/{token}/data.json").get_json()
    texts = {row["question_id"]: row["text"] for row in data["answers"]}
    assert texts[ids["diet"]] == "Ümläute 😀 汉字" and texts[ids["topics"]] == "Food; Energy"

    # Solar is now full: shown as full to the next person, and refused if posted anyway.
    page = client.get("/events/test-summit/register").get_data(as_text=True)
    assert "(full)" in page
    refused = register_on_page(client, category=str(ids["attendee"]), email="b@example.org",
                               **{f"q-{ids['workshop']}": str(ids["options"][1]),
                                  f"q-{ids['diet']}": "x"})
    assert refused.status_code == 409 and "is full" in refused.get_data(as_text=True)


def test_the_manage_page_changes_answers(app, client, asked):
    ids = asked
    done = register_on_page(client, category=str(ids["attendee"]), **{
        f"q-{ids['workshop']}": str(ids["options"][0]), f"q-{ids['diet']}": "Suppe"})
    manage_url = done.headers["Location"]
    page = client.get(manage_url)
    token = manage_url.rsplit("/", 1)[1]
    bad = client.post(f"/r/{token}/answers", data={"csrf_token": csrf_token(page),
                                                   f"q-{ids['workshop']}": "nope",
                                                   f"q-{ids['diet']}": "Brot"})
    assert bad.status_code == 422 and "Please choose one of the offered answers." in \
        bad.get_data(as_text=True)
    saved = client.post(f"/r/{token}/answers", data={
        "csrf_token": csrf_token(page), f"q-{ids['workshop']}": str(ids["options"][2]),
        f"q-{ids['diet']}": "Brot"})
    assert saved.status_code == 302
    with app.app_context():
        registration = db.session.scalar(db.select(Registration))
        texts = {row["question_id"]: row["text"]
                 for row in question_answers.as_data(registration)}
        assert texts == {ids["workshop"]: "Open space", ids["diet"]: "Brot"}
        # The seat of the workshop left behind is free again.
        assert question_answers.free_places(_event())[ids["options"][0]] == 1


def test_the_api_takes_and_returns_answers(app, client, asked):
    ids = asked
    body = {"first_name": "李", "last_name": "雷", "email": "li@example.org",
            "category": "Attendee", "consent": True}
    missing = client.post(API, json=body | {"answers": {str(ids["diet"]): "Reis"}})
    assert missing.status_code == 422
    assert f"answers.{ids['workshop']}" in missing.get_json()["errors"]
    wrong = client.post(API, json=body | {"answers": ["x"]})
    assert wrong.status_code == 422 and "answers" in wrong.get_json()["errors"]
    created = client.post(API, json=body | {"answers": {
        str(ids["workshop"]): ids["options"][0], str(ids["diet"]): "米饭 🍚",
        str(ids["topics"]): [ids["topic_options"][1]], str(ids["bus"]): True}})
    assert created.status_code == 201, created.get_json()
    token = created.get_json()["manage_url"].rsplit("/", 1)[1]
    got = client.get(f"/api/v1/registrations/{token}", headers=GERMAN).get_json()
    values = {row["question_id"]: row["value"] for row in got["answers"]}
    assert values == {ids["workshop"]: ids["options"][0], ids["diet"]: "米饭 🍚",
                      ids["topics"]: [ids["topic_options"][1]], ids["bus"]: True}
    assert {row["text"] for row in got["answers"]} >= {"Energie", "Ja"}
    full = client.post(API, json=body | {"email": "other@example.org", "answers": {
        str(ids["workshop"]): ids["options"][0], str(ids["diet"]): "x"}})
    assert full.status_code == 409
    assert f"answers.{ids['workshop']}" in full.get_json()["errors"]
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "Answer" in spec["components"]["schemas"]


def test_the_csv_has_a_column_per_question_and_the_detail_page_shows_answers(
        app, client, auth, asked):
    ids = asked
    rid = _register(app, ids, "csv@example.org", **{
        str(ids["workshop"]): str(ids["options"][1]), str(ids["diet"]): "=1+1 Grüße 🎉",
        str(ids["topics"]): [str(o) for o in ids["topic_options"]], str(ids["bus"]): "no"})
    auth.login()
    response = client.get("/organiser/events/test-summit/attendees.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    row = rows[0]
    assert row["Which workshop?"] == "Solar"
    assert row["Was essen Sie gern?"] == "'=1+1 Grüße 🎉"  # no formula, German label fallback
    assert row["Topics"] == "Food; Energy" and row["Shuttle bus?"] == "No"
    german = client.get("/organiser/events/test-summit/attendees.csv?variant=excel-de",
                        headers=GERMAN).get_data(as_text=True)
    assert "Welcher Workshop?" in german and "Solarenergie" in german and "Essen; Energie" in german

    detail = client.get(f"/organiser/events/test-summit/attendees/{rid}").get_data(as_text=True)
    assert "Which workshop?" in detail and "Food; Energy" in detail

    # Erasure removes written answers; chosen options keep their places.
    with app.app_context():
        from summit.services.registrations import attendees
        attendees.anonymise(db.session.get(Registration, rid), actor=None)
        kept = {a.question_id for a in db.session.get(Registration, rid).answers}
        assert ids["diet"] not in kept and ids["workshop"] in kept


def test_the_attendee_list_filters_by_an_answer(app, client, auth, asked):
    ids = asked
    _register(app, ids, "solar@example.org", first_name="x", **{
        str(ids["workshop"]): str(ids["options"][1]), str(ids["diet"]): "x"})
    with app.app_context():
        signup.register(_event(), category=ids["attendee"], first_name="Otto",
                        last_name="Offen", email="open@example.org", answers={
                            str(ids["workshop"]): str(ids["options"][2]),
                            str(ids["diet"]): "x"})
    auth.login()
    url = "/organiser/events/test-summit/attendees"
    page = client.get(f"{url}?option={ids['options'][2]}").get_data(as_text=True)
    assert "Which workshop?: Open space" in page
    assert "Offen" in page and "solar@example.org" not in page
    assert "Offen" in client.get(f"{url}?option=abc").get_data(as_text=True)  # ignored
    exported = client.get(f"{url}.csv?option={ids['options'][2]}").get_data(as_text=True)
    assert "open@example.org" in exported and "solar@example.org" not in exported


def test_organisers_may_add_people_without_answering_required_questions(app, asked):
    ids = asked
    with app.app_context():
        from summit.services.platform import users
        me = users.create_user("orga@example.org", role="organiser", password="x" * 12)
        added = signup.register(_event(), category=ids["attendee"], first_name="Ada",
                                last_name="Ohne", email="ada@example.org", actor=me)
        assert added.answers == [] and added.status == "confirmed"


def test_moving_to_another_category_drops_answers_not_asked_there(app, asked):
    ids = asked
    rid = _register(app, ids, "move@example.org", **{
        str(ids["workshop"]): str(ids["options"][0]), str(ids["diet"]): "Suppe"})
    with app.app_context():
        signup.change_category(db.session.get(Registration, rid), ids["press"])
        registration = db.session.get(Registration, rid)
        assert [a.question_id for a in registration.answers] == [ids["diet"]]
        assert question_answers.free_places(_event())[ids["options"][0]] == 1
