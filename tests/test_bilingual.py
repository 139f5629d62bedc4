"""Texts in English and German: every reader gets their language, falling back to the other
(pages, mail, badge, .ics, hall display, API); organisers edit both side by side."""

from datetime import date
from email import policy
from email.parser import BytesParser

from badges_fixtures import read_pdf
from programme_fixtures import *  # noqa: F403
from programme_fixtures import form_token
from registration_fixtures import deliver, eml_messages, html_of, text_of

from summit.extensions import db
from summit.models import Event, EventSession, Pitch, Room, in_language, localised
from summit.services.mail import compose

PROGRAMME = "/organiser/events/vision-summit-2014/programme"
SCHEDULE = "/api/v1/events/vision-summit-2014/schedule"
PITCH_EN, PITCH_DE = "Pitch session: ten social entrepreneurs", \
    "Pitch-Session: zehn Social Entrepreneurs"


class Text:
    def __init__(self, title="", title_de=""):
        self.title, self.title_de = title, title_de


def test_each_language_falls_back_to_the_other():
    assert in_language("de", english="Lunch", german="Mittagessen") == "Mittagessen"
    assert in_language("en", english="Lunch", german="Mittagessen") == "Lunch"
    assert in_language("de", english="Lunch", german="") == "Lunch"
    assert in_language("en", english="", german="Mittagessen") == "Mittagessen"
    assert in_language("de_AT", english="A", german="Ä") == "Ä"
    assert in_language("en_GB", english="", german="") == ""
    assert localised(Text("", "Grüße 😀"), "title", "en") == "Grüße 😀"
    assert localised(Text("Hello", ""), "title", "de") == "Hello"
    assert localised(None, "title", "de") == ""


def _titles(client, **kwargs) -> list[str]:
    response = client.get(SCHEDULE, **kwargs)
    assert response.status_code == 200
    return [s["title"] for s in response.get_json()["sessions"]]


def test_schedule_api_answers_in_the_requested_language(client, programme_demo):
    german = _titles(client, headers={"Accept-Language": "de"})
    english = _titles(client, headers={"Accept-Language": "en"})
    assert PITCH_DE in german and PITCH_EN in english
    assert "Mittagessen" in german and "Lunch" in english
    assert set(german).isdisjoint(english) or german != english
    # ?lang= wins over the header; an unknown value leaves it to the header.
    assert _titles(client, query_string={"lang": "de"},
                   headers={"Accept-Language": "en"}) == german
    assert _titles(client, query_string={"lang": "xx"},
                   headers={"Accept-Language": "de"}) == german
    body = client.get(SCHEDULE, headers={"Accept-Language": "de"}).get_json()
    pitch_session = next(s for s in body["sessions"] if s["kind"] == "pitch")
    assert pitch_session["translations"]["en"]["title"] == PITCH_EN
    assert pitch_session["translations"]["de"]["title"] == PITCH_DE
    assert pitch_session["description"].startswith("Zehn Social Entrepreneurs")
    assert pitch_session["translations"]["de"]["room"] == "Plenarsaal"
    solar = pitch_session["pitches"][1]
    assert solar["title"] == "Solarkioske für ländliche Märkte"
    assert solar["translations"]["en"]["title"] == "Solar Kiosks for Rural Markets"


def test_demo_has_every_text_in_both_languages(app, programme_demo):
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == programme_demo.slug))
        texts = [(event.name, event.name_de), (event.description, event.description_de)]
        texts += [(c.name, c.name_de) for c in event.categories]
        texts += [(r.name, r.name_de) for r in event.rooms]
        for s in db.session.scalars(db.select(EventSession)):
            texts += [(s.title, s.title_de), (s.description, s.description_de)]
        for p in db.session.scalars(db.select(Pitch)):
            texts += [(p.title, p.title_de), (p.description, p.description_de)]
    missing = [pair for pair in texts if not all(pair)]
    # Breaks and coffee need no description; everything else is in both languages.
    assert all(pair == ("", "") for pair in missing), missing


def test_event_api_names_in_the_requested_language(client, make_event):
    make_event(name="Summit of Ideas", name_de="Gipfel der Ideen",
               categories=[{"name": "Press", "name_de": "Presse", "capacity": 5}])
    german = client.get("/api/v1/events/test-summit", headers={"Accept-Language": "de"})
    body = german.get_json()
    assert (body["name"], body["categories"][0]["name"]) == ("Gipfel der Ideen", "Presse")
    assert body["translations"]["en"]["name"] == "Summit of Ideas"
    assert body["categories"][0]["translations"] == {"en": {"name": "Press"},
                                                     "de": {"name": "Presse"}}
    listed = client.get("/api/v1/events?lang=en").get_json()
    assert listed[0]["name"] == "Summit of Ideas"
    created = client.post("/api/v1/events/test-summit/registrations", json={
        "first_name": "Jürgen", "last_name": "Groß", "email": "jürgen@köln.de",
        "category": "Press", "consent": True}).get_json()
    token = created["manage_url"].rstrip("/").rsplit("/", 1)[-1]
    for language, name in (("de", "Presse"), ("en", "Press")):
        own = client.get(f"/api/v1/registrations/{token}?lang={language}").get_json()
        assert own["category"] == name


def test_api_takes_german_texts_flat_or_as_translations(app, client, auth, programme_demo):
    headers = auth.headers()
    url = f"/api/v1/events/{programme_demo.slug}/sessions"
    times = {"starts_at": "2014-09-11T16:00", "ends_at": "2014-09-11T17:00"}
    only_german = client.post(url, headers=headers | {"Accept-Language": "en"}, json=times | {
        "translations": {"de": {"title": "Abendempfang", "description": "Mit Musik."}}})
    assert only_german.status_code == 201, only_german.get_json()
    body = only_german.get_json()
    assert body["title"] == "Abendempfang"  # no English title: the German one
    assert body["translations"]["en"]["title"] == ""
    flat = client.post(url, headers=headers, json=times | {"title": "Reception",
                                                           "title_de": "Empfang"})
    assert flat.get_json()["translations"]["de"]["title"] == "Empfang"
    neither = client.post(url, headers=headers, json=times | {"title": " ", "title_de": ""})
    assert neither.status_code == 422
    assert "title" in neither.get_json()["errors"]
    wrong = client.post(url, headers=headers, json=times | {"translations": {"de": "x"}})
    assert wrong.status_code == 422 and "translations.de" in wrong.get_json()["errors"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(EventSession)) == 12
    spec = client.get("/api/v1/openapi.json").get_json()
    session_schema = spec["components"]["schemas"]["ProgrammeSession"]
    assert set(session_schema["properties"]["translations"]["properties"]) == {"en", "de"}
    body_schema = spec["paths"]["/events/{slug}/sessions"]["post"]["requestBody"]
    properties = body_schema["content"]["application/json"]["schema"]["properties"]
    assert {"title", "title_de", "translations"} <= set(properties)


def test_mail_in_the_registrants_language(app, make_event, make_registration):
    make_event(name="Summit of Ideas", name_de="Gipfel der Ideen für Köln")
    german = make_registration(language="de", email="jürgen@例え.jp")
    english = make_registration(language="en")
    with app.app_context():
        from summit.models import Registration

        for rid in (german, english):
            message = compose.confirmation(db.session.get(Registration, rid),
                                           waitlist_position=None)
            parsed = BytesParser(policy=policy.default).parsebytes(message.as_bytes())
            if rid == german:
                assert "Gipfel der Ideen für Köln" in parsed["Subject"]
                assert "Gipfel der Ideen für Köln" in text_of(parsed)
                assert "Gipfel der Ideen für Köln" in html_of(parsed)
                assert "Summit of Ideas" not in text_of(parsed)
            else:
                assert "Summit of Ideas" in parsed["Subject"]


def test_mail_through_the_outbox_is_german(app, client, make_event):
    make_event(name="Summit of Ideas", name_de="Gipfel der Ideen")
    response = client.post("/api/v1/events/test-summit/registrations", json={
        "first_name": "Zoë", "last_name": "Müller", "email": "zoe@example.org",
        "category": "Attendee", "consent": True, "language": "de"})
    assert response.status_code == 201, response.get_json()
    deliver(app)
    (message,) = eml_messages(app)
    assert "Gipfel der Ideen" in message["Subject"]
    calendar = next(part for part in message.walk()
                    if part.get_content_type() == "text/calendar")
    assert "SUMMARY:Gipfel der Ideen" in calendar.get_content()


def test_programme_ics_in_the_requested_language(client, programme_demo):
    url = f"/events/{programme_demo.slug}/schedule.ics"
    german = client.get(url, query_string={"lang": "de"}).get_data(as_text=True)
    english = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f"SUMMARY:{PITCH_DE}" in german and "X-WR-CALNAME:Vision Summit 2014" in german
    assert f"SUMMARY:{PITCH_EN}" in english
    assert "Solarkioske für ländliche Märkte" in german.replace("\r\n ", "")
    by_header = client.get(url, headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert f"SUMMARY:{PITCH_DE}" in by_header.get_data(as_text=True)


def test_own_badge_prints_the_event_in_the_attendees_language(app, client, make_event,
                                                             make_registration):
    make_event(name="Summit of Ideas", name_de="Ideengipfel",
               starts_on=date(2030, 9, 10), ends_on=date(2030, 9, 11))
    rid = make_registration(language="de")
    with app.app_context():
        from summit.models import Registration

        token = db.session.get(Registration, rid).manage_token
    response = client.get(f"/r/{token}/badge.pdf", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    (page,) = read_pdf(response.data)
    assert "Ideengipfel" in page.text and "Summit of Ideas" not in page.text


def _set_language(app, title: str, language: str | None) -> int:
    with app.app_context():
        session = db.session.scalar(db.select(EventSession).where(EventSession.title == title))
        session.language = language
        db.session.commit()
        return session.id


def test_hall_display_speaks_the_sessions_language(app, client, programme_demo):
    base = f"/events/{programme_demo.slug}/sessions"
    sid = programme_demo.pitch_session_id  # a German session
    page = client.get(f"{base}/{sid}/stage", headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert PITCH_DE in html and 'lang="de"' in html
    state = client.get(f"{base}/{sid}/stage.json", headers={"Accept-Language": "en"})
    snap = state.get_json()
    assert (snap["session"]["title"], snap["session"]["language"]) == (PITCH_DE, "de")
    assert snap["pitches"][1]["title"] == "Solarkioske für ländliche Märkte"
    assert set(snap["session"]) >= {"id", "title", "room", "starts_at", "ends_at"}
    english = _set_language(app, "Workshop: Measuring impact", "en")
    html = client.get(f"{base}/{english}/stage",
                      headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Workshop: Measuring impact" in html and "Wirkung messen" not in html
    unset = _set_language(app, "Lunch", None)  # no language: the installation's default
    snap = client.get(f"{base}/{unset}/stage.json",
                      headers={"Accept-Language": "de"}).get_json()
    assert (snap["session"]["title"], snap["session"]["language"]) == ("Lunch", "en")


def test_public_pages_in_the_readers_language(client, programme_demo):
    german = client.get(f"/events/{programme_demo.slug}/programme",
                        headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert PITCH_DE in german and PITCH_EN not in german
    session = client.get(f"/events/{programme_demo.slug}/sessions/"
                         f"{programme_demo.pitch_session_id}",
                         headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Ehrenamtliche Lernpaten begleiten" in session
    english = client.get(f"/events/{programme_demo.slug}",
                         headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "The German conference on social innovation" in english


def test_organiser_forms_save_both_languages(app, organiser, programme_demo):
    url = f"{PROGRAMME}/sessions/new"
    page = organiser.get(url).get_data(as_text=True)
    assert 'name="title_de"' in page and 'lang="de"' in page and "form-row bilingual" in page
    times = {"kind": "panel", "starts_at": "2014-09-11T16:00", "ends_at": "2014-09-11T16:45",
             "room_id": "", "language": "de", "moderators_needed": "0"}
    empty = organiser.post(url, data=times | {"csrf_token": form_token(organiser, url),
                                              "title": "", "title_de": "  "})
    assert empty.status_code == 422
    assert "Please fill in the English or the German text, or both." in empty.data.decode()
    saved = organiser.post(url, data=times | {
        "csrf_token": form_token(organiser, url), "title": "Looking back 🎉",
        "title_de": "Rückblick 🎉", "description": "", "description_de": "Was wir lernten."})
    assert saved.status_code == 302
    with app.app_context():
        session = db.session.scalar(db.select(EventSession).where(
            EventSession.title_de == "Rückblick 🎉"))
        assert (session.title, session.description_de) == ("Looking back 🎉",
                                                            "Was wir lernten.")
        assert db.session.scalar(db.select(db.func.count()).select_from(EventSession)) == 11
    rooms = f"{PROGRAMME}/rooms"
    clash = organiser.post(rooms, data={"csrf_token": form_token(organiser, rooms),
                                        "name": "Roof terrace", "name_de": "plenarsaal"})
    assert clash.status_code == 422
    assert "There is already a room called Plenarsaal." in clash.data.decode()
    added = organiser.post(rooms, data={"csrf_token": form_token(organiser, rooms),
                                        "name": "", "name_de": "Dachterrasse"})
    assert added.status_code == 302
    second = organiser.post(rooms, data={"csrf_token": form_token(organiser, rooms),
                                         "name": "", "name_de": "Innenhof"})
    assert second.status_code == 302  # two rooms without an English name
    with app.app_context():
        assert {r.name_de for r in db.session.scalars(
            db.select(Room).where(Room.name == ""))} == {"Dachterrasse", "Innenhof"}


def test_event_settings_save_both_languages(app, organiser, programme_demo):
    url = f"/organiser/events/{programme_demo.slug}/settings"
    page = organiser.get(url)
    html = page.get_data(as_text=True)
    assert 'name="name_de"' in html and 'name="description_de"' in html
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == programme_demo.slug))
        fields = {"name": event.name, "venue": event.venue, "address": event.address,
                  "description": event.description, "starts_on": "2014-09-10",
                  "ends_on": "2014-09-11", "primary_colour": event.primary_colour,
                  "registration_opens_at": "", "registration_closes_at": ""}
    response = organiser.post(url, data=fields | {
        "csrf_token": form_token(organiser, url), "name_de": "Vision Summit 2014 – Berlin",
        "description_de": "Soziale Innovation für alle."})
    assert response.status_code == 302, response.data[:2000]
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == programme_demo.slug))
        assert (event.name_de, event.description_de) == ("Vision Summit 2014 – Berlin",
                                                        "Soziale Innovation für alle.")
