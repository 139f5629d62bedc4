"""CSV export and import of attendees through the organiser's pages."""

import csv
import io
from datetime import UTC, datetime

import pytest
from attendee_admin_fixtures import *  # noqa: F403
from attendee_admin_fixtures import (
    audit_actions,
    parse_csv,
    post_form,
    registrations_of,
    url,
)

from summit.extensions import db
from summit.models import CANCELLED, CONFIRMED, WAITLISTED, Event, OutboxMessage
from summit.services.registrations import attendee_import


def upload(client, body: bytes, filename="attendees.csv", headers=None, **fields):
    data = {"file": (io.BytesIO(body), filename), "send_mail": "y", **fields}
    return post_form(client, url("/import"), data, content_type="multipart/form-data",
                     headers=headers)


def outbox_recipients(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(db.select(OutboxMessage.recipient)))


@pytest.fixture
def event(make_event):
    return make_event(categories=[{"name": "Attendee", "capacity": 2},
                                  {"name": "Press", "capacity": 5, "name_de": "Presse"},
                                  {"name": "Staff", "capacity": 0, "is_public": False}])


def test_export_is_utf8_with_bom_and_parses_back(organiser, app, event, make_registration):
    make_registration(first_name="Jürgen", last_name="Weiß", organisation="Café Über",
                      email="jw@example.org", language="de", needs="Rollstuhl, ebenerdig")
    make_registration(first_name="=HYPERLINK(\"http://evil\")", last_name="+49 30 123",
                      organisation="@mention", email="f@example.org", needs="-1+1",
                      status=WAITLISTED)
    response = organiser.get(url(".csv"))
    assert response.status_code == 200
    assert response.is_streamed
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="test-summit-attendees-')
    body = response.get_data()
    rows = parse_csv(body)
    assert list(rows[0]) == ["id", "first_name", "last_name", "email", "organisation",
                             "category", "status", "language", "needs", "registered_at",
                             "checked_in_at"]
    first, second = rows
    assert (first["first_name"], first["last_name"], first["organisation"]) == (
        "Jürgen", "Weiß", "Café Über")
    assert first["needs"] == "Rollstuhl, ebenerdig" and first["status"] == "confirmed"
    assert first["registered_at"].endswith(("+01:00", "+02:00"))  # Berlin time
    # Formula injection: every dangerous start is defused with a quote.
    assert second["first_name"] == "'=HYPERLINK(\"http://evil\")"
    assert second["last_name"] == "'+49 30 123"
    assert second["organisation"] == "'@mention" and second["needs"] == "'-1+1"
    assert b"\r\n" in body
    assert audit_actions(app)[-1][0] == "attendees.export"


def test_export_follows_the_list_filter(organiser, event, make_registration):
    make_registration(last_name="Confirmed")
    make_registration(last_name="Waiting", status=WAITLISTED)
    rows = parse_csv(organiser.get(url(".csv?status=waitlisted")).get_data())
    assert [row["last_name"] for row in rows] == ["Waiting"]


def test_export_then_import_round_trip(organiser, app, event, make_event, make_registration):
    make_registration(first_name="Łukasz", last_name="Żółć", email="lz@example.org",
                      organisation="=SUM(A1)", category="Press")
    make_registration(first_name="Ayşe", last_name="Yılmaz", email="ay@example.org",
                      needs="vegan")
    exported = organiser.get(url(".csv")).get_data()
    make_event(slug="next-summit", categories=[{"name": "Attendee", "capacity": 10},
                                               {"name": "Press", "capacity": 10}])
    page = "/organiser/events/next-summit/attendees/import"
    response = post_form(organiser, page, {"file": (io.BytesIO(exported), "export.csv")},
                         content_type="multipart/form-data")
    assert response.status_code == 302, response.data.decode()
    imported = {r.email: r for r in registrations_of(app, "next-summit")}
    assert imported["lz@example.org"].full_name == "Łukasz Żółć"
    assert imported["lz@example.org"].organisation == "=SUM(A1)"  # the guard quote is gone
    assert imported["ay@example.org"].needs == "vegan"
    assert imported["ay@example.org"].category.name == "Attendee"


def test_semicolon_file_from_german_excel_imports_with_capacity(organiser, app, event):
    body = ("\ufeffVorname;Nachname;E-Mail;Kategorie;Organisation;Sprache\r\n"
            "Jürgen;Weiß;jw@example.org;Attendee;Stiftung Nord;de\r\n"
            "Ayşe;Yılmaz;ay@example.org;attendee;;\r\n"
            "\r\n"
            "Chloé;Dubois;cd@example.org;Attendee;\"Café; Bar\";en\r\n"
            "Piotr;Nowak;pn@example.org;Presse;;\r\n").encode()
    response = upload(organiser, body)
    assert response.status_code == 302, response.data.decode()
    people = {r.email: r for r in registrations_of(app)}
    assert people["jw@example.org"].status == CONFIRMED
    assert people["jw@example.org"].language == "de"
    assert people["ay@example.org"].status == CONFIRMED
    assert people["cd@example.org"].status == WAITLISTED  # Attendee holds two
    assert people["cd@example.org"].organisation == "Café; Bar"
    assert people["pn@example.org"].category.name == "Press"
    assert outbox_recipients(app) == sorted(people)
    action, user_id, _target, details = audit_actions(app)[-1]
    assert action == "attendees.import" and user_id is not None
    assert (details["count"], details["confirmed"], details["waitlisted"]) == (4, 3, 1)
    follow = organiser.get(response.headers["Location"]).data.decode()
    assert "4 people imported: 3 confirmed, 1 on the waiting list." in follow


def test_one_imported_person_is_one_person_in_german(organiser, app, event):
    """The count went through gettext, which gave "1 Personen importiert"."""
    organiser.set_cookie("summit_lang", "de")
    body = "first_name,last_name,email,category\nJürgen,Weiß,jw@example.org,Attendee\n"
    response = upload(organiser, body.encode(), send_mail="")
    assert response.status_code == 302, response.data.decode()
    follow = organiser.get(response.headers["Location"]).data.decode()
    assert "1 Person importiert: 1 bestätigt, 0 auf der Warteliste." in follow
    assert "1–1 von 1 Person\n" in follow


def test_over_capacity_checkbox_confirms_everyone(organiser, app, event):
    body = (b"first_name,last_name,email,category\n"
            b"A,B,a@example.org,Staff\nC,D,c@example.org,Staff\n")
    response = upload(organiser, body, allow_over_capacity="y", send_mail="")
    assert response.status_code == 302
    assert [r.status for r in registrations_of(app)] == [CONFIRMED, CONFIRMED]
    assert outbox_recipients(app) == []


def test_one_bad_row_imports_nothing_and_every_error_has_its_line(organiser, app, event,
                                                                   make_registration):
    make_registration(email="taken@example.org")
    body = ("first_name,last_name,email,category,needs\n"
            "Good,Person,good@example.org,Attendee,\n"            # line 2: fine
            "Bad,Mail,not-an-address,Attendee,\n"                 # line 3
            "Un,Known,uk@example.org,Speaker,\n"                  # line 4
            "Good,Twice,GOOD@example.org,Press,\n"                # line 5: duplicate of 2
            "Al,Ready,Taken@Example.org,Attendee,\n"              # line 6
            ",Nameless,nn@example.org,Attendee,\n"                # line 7
            "Multi,Line,ml@example.org,Press,\"first\nsecond\"\n"  # lines 8-9, fine
            f"{'x' * 101},Long,long@example.org,Attendee,\n"      # line 10
            ).encode()
    before = registrations_of(app)
    response = upload(organiser, body)
    assert response.status_code == 422
    page = response.data.decode()
    assert "Nothing was imported" in page
    assert registrations_of(app) == before or len(registrations_of(app)) == len(before)
    assert outbox_recipients(app) == []
    assert [a[0] for a in audit_actions(app)] == []
    with app.test_request_context():
        result = attendee_import.check(db.session.scalar(db.select(Event)), body)
        errors = [(error.line, error.field) for error in result.errors]
    assert errors == [(3, "email"), (4, "category"), (5, "email"), (6, "email"),
                      (7, "first_name"), (10, "first_name")]
    for line, message in ((3, "is not a valid e-mail address"),
                          (4, "Unknown category “Speaker”"),
                          (5, "appears twice in the file (first on line 2)"),
                          (6, "already registered"), (7, "The first name is missing"),
                          (10, "at most 100 characters")):
        assert f'<td class="num">{line}</td>' in page
        assert message in page


def test_missing_columns_and_bad_encoding_are_explained(organiser, app, event):
    missing = upload(organiser, b"name,email\nA,a@example.org\n")
    assert missing.status_code == 422
    assert "Required columns are missing: first_name, last_name, category" in \
        missing.data.decode()
    latin1 = upload(organiser, "first_name,last_name,email,category\nJürgen,W,j@e.org,Attendee\n"
                    .encode("latin-1"))
    assert latin1.status_code == 422 and "not UTF-8" in latin1.data.decode()
    empty = upload(organiser, b"")
    assert empty.status_code == 422
    header_only = upload(organiser, b"first_name,last_name,email,category\n")
    assert "header but no attendees" in header_only.data.decode()
    assert registrations_of(app) == []


def test_form_checks_file_type_and_size(organiser, app, event):
    wrong_type = upload(organiser, b"x", filename="people.xlsx")
    assert wrong_type.status_code == 422
    assert 'id="file-error"' in wrong_type.data.decode()
    too_big = upload(organiser, b"a" * (attendee_import.MAX_BYTES + 10))
    assert too_big.status_code == 422
    assert "larger than 1 MB" in too_big.data.decode()
    no_file = post_form(organiser, url("/import"), {}, content_type="multipart/form-data")
    assert no_file.status_code == 422 and "Please choose a CSV file." in no_file.data.decode()


def test_import_takes_up_a_cancelled_registration_again(organiser, app, event,
                                                        make_registration):
    old = make_registration(email="back@example.org", status=CANCELLED)
    response = upload(organiser, b"first_name,last_name,email,category\n"
                                 b"Back,Again,back@example.org,Press\n")
    assert response.status_code == 302
    (person,) = registrations_of(app)
    assert (person.id, person.status, person.full_name, person.category.name) == (
        old, CONFIRMED, "Back Again", "Press")


def test_import_without_csrf_token_is_refused(organiser, app, event):
    response = organiser.post(url("/import"), data={
        "file": (io.BytesIO(b"first_name,last_name,email,category\nA,B,a@x.org,Attendee\n"),
                 "a.csv")}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert registrations_of(app) == []


def test_unknown_category_lists_the_names_in_the_readers_language(organiser, app, event):
    body = (b"first_name,last_name,email,category\n"
            b"Un,Known,uk@example.org,Speaker\n"
            b"Pia,Presse,pp@example.org,presse\n")  # German names are accepted
    german = upload(organiser, body, headers={"Accept-Language": "de"})
    assert german.status_code == 422
    page = german.data.decode()
    assert "Unbekannte Kategorie „Speaker“; verwenden Sie eine von: " in page
    assert "Attendee, Presse, Staff." in page  # without a German name: the English one
    english = upload(organiser, body).data.decode()
    assert "Unknown category “Speaker”; use one of: Attendee, Press, Staff." in english


def test_excel_german_export_and_its_round_trip(organiser, app, event, make_event,
                                                make_registration):
    make_registration(first_name="Łukasz", last_name="Żółć", email="lz@example.org",
                      organisation="=SUM(A1)", category="Press", language="de",
                      needs="Rollstuhl; ebenerdig\nvegan",
                      created_at=datetime(2014, 9, 1, 22, 30, tzinfo=UTC))
    make_registration(first_name="Ayşe", last_name="Yılmaz", email="ay@example.org",
                      organisation="+49 30 123")
    list_page = organiser.get(url(), headers={"Accept-Language": "de"}).data.decode()
    assert "Für Excel (deutsch) exportieren" in list_page
    assert "variant=excel-de" in list_page
    response = organiser.get(url(".csv?variant=excel-de"), headers={"Accept-Language": "de"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('-excel.csv"')
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert text.split("\r\n", 1)[0] == ("Anmelde-ID;Vorname;Nachname;E-Mail;Organisation;Kategorie;"
                                        "Status;Sprache;Bedürfnisse;Angemeldet am;Eingecheckt")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    lukasz = next(row for row in rows if row[1] == "Łukasz")
    assert lukasz[4:6] == ["'=SUM(A1)", "Presse"]  # formula defused, category in German
    assert lukasz[8] == "Rollstuhl; ebenerdig\nvegan"
    assert lukasz[9] == "02.09.2014 00:30"  # Berlin time, as German Excel writes it
    assert next(row for row in rows if row[1] == "Ayşe")[4] == "'+49 30 123"
    english = organiser.get(url(".csv?variant=excel-de")).get_data().decode("utf-8-sig")
    assert english.startswith("Registration ID;First name;Last name;E-mail;Organisation;Category;")
    assert "2014-09-02 00:30" in english

    make_event(slug="next-summit", categories=[{"name": "Attendee", "capacity": 10},
                                               {"name": "Press", "capacity": 10,
                                                "name_de": "Presse"}])
    page = "/organiser/events/next-summit/attendees/import"
    imported = post_form(organiser, page, {"file": (io.BytesIO(body), "export-excel.csv")},
                         content_type="multipart/form-data", headers={"Accept-Language": "de"})
    assert imported.status_code == 302, imported.data.decode()
    people = {r.email: r for r in registrations_of(app, "next-summit")}
    person = people["lz@example.org"]
    assert (person.full_name, person.organisation, person.category.name, person.language) == (
        "Łukasz Żółć", "=SUM(A1)", "Press", "de")
    assert person.needs == "Rollstuhl; ebenerdig\nvegan"
    assert people["ay@example.org"].organisation == "+49 30 123"
