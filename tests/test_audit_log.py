"""The audit log page reads as sentences, in German and English: names instead of ids, local
times instead of ISO stamps, no internal keys — for every action any service records."""

import ast
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from programme_fixtures import *  # noqa: F401,F403
from programme_fixtures import ORGANISER_EMAIL, ORGANISER_PASSWORD, log_in

from summit.extensions import db
from summit.models import Application, AuditEntry, Availability, Event, Registration, User
from summit.organiser.audit_text import described_actions
from summit.services import events as events_admin
from summit.services import moderation, programme, voting
from summit.services import registrations as signup
from summit.services.applications import call as call_service
from summit.services.applications import decisions, jury, privacy
from summit.services.checkin import scans
from summit.services.events import events as event_service
from summit.services.live import speaker, stage_controls
from summit.services.platform import security, team, users
from summit.services.programme import rooms
from summit.services.registrations import attendee_export, attendee_import, attendees

ROOT = Path(__file__).resolve().parent.parent
AUDIT = "/organiser/events/vision-summit-2014/audit"


def recorded_actions() -> set[str]:
    """Every action key passed to audit.record(...) anywhere in the services."""
    found = set()
    for path in (ROOT / "summit" / "services").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "record"
                    and getattr(node.func.value, "id", None) == "audit"):
                found.add(node.args[0].value)
    return found


def berlin(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2014, 9, day, hour - 2, minute, tzinfo=UTC)  # CEST


def record_every_action(app) -> None:
    """Do, through the services, each thing the audit log records."""
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == "vision-summit-2014"))
        me = users.find_by_email(ORGANISER_EMAIL)
        laura = users.find_by_email("laura.haverkamp@vision-summit.example")
        jana = users.find_by_email("jana.muster@example.org")
        attendee_cat = next(c for c in event.categories if c.name == "Attendee")
        press = next(c for c in event.categories if c.name == "Press")

        # Registrations and the attendee list.
        jurgen = signup.register(event, category=attendee_cat.id, first_name="Jürgen",
                                 last_name="Müller", email="jm@example.org", actor=me)
        signup.update_details(jurgen, actor=me, organisation="Stiftung Nord", needs="Rampe")
        signup.change_category(jurgen, press.id, actor=me, over_capacity=True)
        signup.set_capacity(press, press.capacity + 5, actor=me)
        waiting = Registration(event=event, category=attendee_cat, status="waitlisted",
                               first_name="Wanda", last_name="Warte", email="ww@example.org",
                               email_normalised="ww@example.org", manage_token="tok-ww",
                               checkin_code="CODEWW01")
        db.session.add(waiting)
        db.session.commit()
        signup.confirm_from_waitlist(waiting, actor=me, over_capacity=True)
        db.session.commit()
        signup.cancel(waiting, actor=me)
        db.session.commit()
        attendee_import.import_attendees(
            event, "first_name,last_name,email,category\nAyşe,Yılmaz,ay@example.org,Press\n"
            .encode(), actor=me, filename="nachmeldungen.csv", send_mail=True)
        attendee_export.record_export(event, attendees.AttendeeQuery(category_id=press.id,
                                                                      status="confirmed"),
                                      actor=me)
        attendee_export.record_export(event, attendees.AttendeeQuery(), actor=me)
        scans.check_in_registration(jurgen, desk="Schalter 1", user=me,
                                    now=berlin(10, 9, 30))
        scans.undo(jurgen, user=me)
        erased = signup.register(event, category=attendee_cat.id, first_name="Erika",
                                 last_name="Vergessen", email="ev@example.org", actor=me)
        attendees.anonymise(erased, actor=me)
        event_service.update_event(event, actor=me, venue="Allianz Forum, Berlin")

        # The programme.
        room = rooms.create_room(event, name="Raum Spree", capacity=40, actor=me)
        rooms.update_room(room, name="Raum Spreeufer", capacity=40, actor=me)
        session = programme.create_session(event, actor=me, title="Pitch-Session II",
                                           kind="pitch", starts_at=berlin(11, 16),
                                           ends_at=berlin(11, 17), room_id=room.id)
        programme.update_session(session, actor=me, title="Pitch-Session II", kind="pitch",
                                 starts_at=berlin(11, 16, 15), ends_at=berlin(11, 17, 15),
                                 room_id=room.id, description="Die zweite Runde")
        first = programme.create_pitch(session, actor=me, title="Saatgutbank",
                                       presenter="Ada Beispiel")
        second = programme.create_pitch(session, actor=me, title="Lernpaten",
                                         presenter="Ben Beispiel")
        third = programme.create_pitch(session, actor=me, title="Repair-Café",
                                       presenter="Cem Beispiel")
        programme.update_pitch(first, actor=me, title="Saatgutbank Berlin",
                               presenter="Ada Beispiel", qa_minutes=4)
        programme.reorder(session, [third.id, first.id, second.id], actor=me)
        programme.delete_pitch(second, actor=me)

        # The stage: the speaker view's link, its warning, blackout.
        speaker.renew_token(session, actor=me)
        speaker.set_warning_seconds(session, 45, actor=me)
        stage_controls.set_blackout(session, True, actor=me)

        # Moderation.
        moderation.assign_moderator(session, jana, actor=me)
        moderation.assign_moderator(session, laura, "lead", actor=me)
        assignment = next(a for a in session.assignments if a.user_id == jana.id)
        moderation.unassign(assignment, actor=me)
        moderation.set_languages(jana, "de, fr", actor=me, event=event)
        window = moderation.add_window(event, jana, berlin(11, 9), berlin(11, 13), actor=me)
        moderation.update_window(window, berlin(11, 10), berlin(11, 14), actor=me)
        moderation.delete_window(db.session.get(Availability, window.id), actor=me)
        moderation.auto_assign_event(event, actor=me)

        # The audience vote.
        voting.set_state(session, actor=me, open=True)
        voting.set_state(session, actor=me, open=False, revealed=True)
        voting.set_state(session, actor=me, revealed=False)
        voting.set_jury_scores(session, {third.id: "7,5"}, actor=me)
        voting.set_ballot(session, [third.id], actor=me)

        # Things that go away: entries about them fall back to "a deleted …".
        other = programme.create_session(event, actor=me, title="Kurzpanel", kind="panel",
                                         starts_at=berlin(11, 18), ends_at=berlin(11, 19))
        moderation.assign_moderator(other, jana, actor=me)
        programme.delete_session(other, actor=me)
        rooms.delete_room(db.session.get(type(room), room.id), actor=me)

        # Whole events and categories, on events of their own (the demo's log is full).
        kiosk = event_service.create_event(slug="kiosk-2014", name="Kiosk", actor=me,
                                           starts_on=event.starts_on, ends_on=event.ends_on)
        event_service.set_archived(kiosk, True, actor=me)
        event_service.set_archived(kiosk, False, actor=me)
        events_admin.copy_event(kiosk, slug="kiosk-2015", name="Kiosk 2015",
                                starts_on=event.starts_on.replace(year=2015), actor=me)
        helpers = events_admin.add_category(kiosk, actor=me, name="Helpers", capacity=4)
        events_admin.add_category(kiosk, actor=me, name="Guests", capacity=4)
        events_admin.update_category(helpers, actor=me, capacity=4, name_de="Helfende")
        events_admin.move_category(helpers, 1, actor=me)
        events_admin.delete_category(helpers, actor=me)
        # The call for pitches (the demo's call, its three applications and its juror).
        call = call_service.open_call(event, actor=me, anonymised=True)
        call_service.set_criteria(call, [("Wirkung", "", 2.0, 5), ("Team", "", 1.0, 5)],
                                  actor=me)
        juror = db.session.scalar(db.select(User).where(User.role == "jury"))
        first, second, third = db.session.scalars(db.select(Application).order_by(
            Application.id)).all()
        jury.assign(first, juror.id, actor=me, conflict=True)
        jury.unassign(first, juror.id, actor=me)
        jury.assign_automatically(event, actor=me)
        jury.declare_conflict(second, juror)
        call_service.set_redacted_summary(third, "Ein Leseprojekt.", actor=me)
        decisions.decide(event, [first.id], "accepted", actor=me)
        decisions.decide(event, [third.id], "reserve", actor=me)
        decisions.send_decisions(event, [first.id], actor=me)
        call_service.withdraw(first)
        privacy.anonymise(second, actor=me)

        # The team (entries of no event, shown in every event's log).
        invited = team.invite("neu@example.org", role="jury", language="de", actor=me)
        team.resend(invited, actor=me)
        newcomer = team.accept(team.invitation_url(invited).rsplit("/", 1)[1],
                               name="Nora Neu", password="lang-genug")
        team.withdraw(team.invite("weg@example.org", role="staff", language="en", actor=me),
                      actor=me)
        team.change_role(newcomer, "moderator", actor=me)
        team.remove(newcomer, actor=me)

        # Installation security (only an organiser with a second factor may require it).
        me.totp_secret = "JBSWY3DPEHPK3PXP"
        security.set_two_factor_required(True, actor=me)
        security.set_two_factor_required(False, actor=me)
        me.totp_secret = None
        db.session.commit()


def audit_text_of(html: str) -> str:
    """The visible text of the log's table (tags and attributes, such as <time datetime>,
    left out)."""
    table = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table)).replace("&#34;", '"')


@pytest.fixture
def every_action(app, client, programme_demo):
    record_every_action(app)
    log_in(client, ORGANISER_EMAIL, ORGANISER_PASSWORD)
    return client


def test_every_recorded_action_has_a_sentence():
    assert recorded_actions() - described_actions() == set()
    assert len(recorded_actions()) >= 28


def test_the_german_log_tells_every_action_in_sentences(app, every_action):
    with app.app_context():
        seen = set(db.session.scalars(db.select(AuditEntry.action).distinct()))
    assert seen == recorded_actions(), "the scenario must record every action"

    html = every_action.get(AUDIT, headers={"Accept-Language": "de"}).get_data(as_text=True)
    text = audit_text_of(html)
    for action in recorded_actions():
        assert action not in text
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), re.findall(r"\b[a-z]+_[a-z_]+\b", text)
    assert "id:" not in text and not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text)
    assert "None" not in text and "True" not in text and "False" not in text

    name = "Demo Organiser"
    for sentence in [
        f"{name} hat die Pitches in der Session „Pitch-Session II“ in diese Reihenfolge "
        "gebracht: „Repair-Café“, „Saatgutbank Berlin“, ein gelöschter Pitch.",
        f"{name} hat Jana Muster (sample) in der Session „Pitch-Session II“ die "
        "Hauptmoderation übertragen.",
        f"{name} hat Laura Haverkamp in der Session „Pitch-Session II“ die Hauptmoderation "
        "übertragen. Jana Muster (sample) ist in die Co-Moderation gewechselt.",
        f"{name} hat Jana Muster (sample) in der Session „Pitch-Session II“ aus der "
        "Co-Moderation genommen.",
        f"{name} hat Jana Muster (sample) in einer gelöschten Session die Hauptmoderation "
        "übertragen.",
        f"{name} hat die Session „Kurzpanel“ gelöscht.",
        f"{name} hat die Sprachen von Jana Muster (sample) von Deutsch auf Deutsch, "
        "Französisch geändert.",
        f"{name} hat für Jana Muster (sample) ein Verfügbarkeitsfenster hinzugefügt: "
        "11.09.14, 09:00–13:00.",
        f"{name} hat das Verfügbarkeitsfenster 11.09.14, 10:00–14:00 von Jana Muster (sample) "
        "entfernt.",
        f"{name} hat den Check-in von Jürgen Müller vom 10.09.14, 09:30 am Schalter "
        "„Schalter 1“ rückgängig gemacht.",
        f"{name} hat 1 Person aus „nachmeldungen.csv“ importiert: 1 bestätigt, 0 auf der "
        "Warteliste. Bestätigungs-E-Mails wurden verschickt.",
        f"{name} hat Jürgen Müller von der Kategorie „Teilnehmende“ in die Kategorie "
        "„Presse“ verschoben (jetzt bestätigt). Überbuchung war erlaubt.",
        f"{name} hat die Angaben von Jürgen Müller geändert: Bedürfnisse, Organisation.",
        f"{name} hat die personenbezogenen Daten von Anonymisiert #",
        f"{name} hat einen Teil der Teilnehmendenliste exportiert (Kategorie „Presse“, "
        "Status: bestätigt).",
        f"{name} hat die Einstellungen der Veranstaltung geändert: Veranstaltungsort.",
        f"{name} hat in der Session „Pitch-Session II“ Änderungen vorgenommen: Beschreibung, "
        "Ende, Beginn.",
        f"{name} hat am Pitch „Saatgutbank Berlin“ Änderungen vorgenommen: Minuten für "
        "Fragen, Titel.",
        f"{name} hat den Raum „Raum Spreeufer“ gelöscht.",
        f"{name} hat die automatische Zuteilung der Moderation für",
        f"{name} hat neu@example.org mit der Rolle Jury in das Team eingeladen.",
        "Nora Neu hat die Einladung angenommen und ist dem Team mit der Rolle Jury "
        "beigetreten.",
        f"{name} hat die Rolle von Nora Neu von Jury auf Moderator*in geändert.",
        f"{name} hat Nora Neu (Moderator*in) aus dem Team entfernt.",
        f"{name} hat die Einladung an weg@example.org zurückgezogen.",
        f"{name} hat die Zwei-Faktor-Authentifizierung für alle Konten des "
        "Veranstaltungsteams verpflichtend gemacht.",
        f"{name} hat die Einstellungen des Aufrufs für Pitches geändert.",
        f"{name} hat 2 Bewertungskriterien festgelegt.",
        f"{name} hat einen Interessenkonflikt von Demo Jury (sample) mit Bewerbung #",
        f"{name} hat Demo Jury (sample) von Bewerbung #",
        f"{name} hat die Jury automatisch zugewiesen: ",
        "Demo Jury (sample) hat einen Interessenkonflikt mit Bewerbung #",
        f"{name} hat 1 Bewerbung auf „Angenommen“ gesetzt.",
        f"{name} hat 1 Entscheidungs-E-Mail gesendet.",
        "ist von der Nachrückliste nachgerückt und wurde angenommen.",
        f"{name} hat die Zusammenfassung von Bewerbung #",
        f"{name} hat die personenbezogenen Daten von Bewerbung #",
    ]:
        assert sentence in text, sentence
    # Entries link to the person's registration.
    assert 'href="/organiser/events/vision-summit-2014/attendees/' in html


def test_the_english_log_uses_local_time_and_names(app, every_action):
    html = every_action.get(AUDIT, headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    text = audit_text_of(html)
    assert ("Demo Organiser moved the pitches in the session “Pitch-Session II” into the "
            "order: “Repair-Café”, “Saatgutbank Berlin”, a deleted pitch.") in text
    assert ("Demo Organiser undid the check-in of Jürgen Müller from 10/09/2014, 09:30 at the "
            "desk “Schalter 1”.") in text
    assert ("Demo Organiser made Laura Haverkamp lead moderator in the session "
            "“Pitch-Session II”. Jana Muster (sample) moved to co-moderator.") in text
    for action in recorded_actions():
        assert action not in text
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text)


def test_the_registration_history_tells_the_same_sentences(app, every_action):
    with app.app_context():
        jurgen = db.session.scalar(db.select(Registration.id).where(
            Registration.email == "jm@example.org"))
    html = every_action.get(f"/organiser/events/vision-summit-2014/attendees/{jurgen}",
                            headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Demo Organiser hat Jürgen Müller in der Kategorie „Teilnehmende“ angemeldet " \
           "(bestätigt)." in html
    assert "registration.create" not in html


def test_titles_are_escaped_in_the_sentences(app, client, programme_demo):
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == "vision-summit-2014"))
        me = users.find_by_email(ORGANISER_EMAIL)
        programme.create_session(event, actor=me, title="<b>Fett</b> & Co", kind="panel",
                                 starts_at=berlin(11, 18), ends_at=berlin(11, 19))
    log_in(client, ORGANISER_EMAIL, ORGANISER_PASSWORD)
    html = client.get(AUDIT).get_data(as_text=True)
    assert "&lt;b&gt;Fett&lt;/b&gt; &amp; Co" in html and "<b>Fett</b>" not in html


def test_names_are_looked_up_once_per_kind_not_per_entry(app, every_action):
    """Twice the entries, the same number of queries."""
    def queries_for_page() -> int:
        statements = []

        def count(*_args):
            statements.append(1)

        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            assert every_action.get(AUDIT).status_code == 200
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    before = queries_for_page()
    with app.app_context():
        entries = db.session.scalars(db.select(AuditEntry)).all()
        db.session.add_all([AuditEntry(event_id=e.event_id, user_id=e.user_id, action=e.action,
                                       target_type=e.target_type, target_id=e.target_id,
                                       details=dict(e.details)) for e in entries])
        db.session.commit()
    assert queries_for_page() == before

