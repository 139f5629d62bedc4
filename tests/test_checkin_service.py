"""The check-in rules, called directly: codes as scanners send them, results, records, undo,
search by name, live counts."""

from datetime import UTC, datetime, timedelta

import pytest
from checkin_fixtures import *  # noqa: F403
from checkin_fixtures import checked_in_at, scan_rows

from summit.extensions import db
from summit.models import AuditEntry, CheckIn, Event, Registration
from summit.services import checkin

CODE = "BCDEFGHJKNPRSTXBCDEFGHJKNPRSTXBCDEFG"  # 36 characters of the check-in alphabet
LEGACY = "23456789ABCDEFGHJKMNPQRSTWX"  # a code made before the keyboard-safe alphabet
GROUPED = "BCDE-FGHJ-KNPR-STXB-CDEF-GHJK-NPRS-TXBC-DEFG"

# The letter keys of each layout, row by row, in the same key positions.
LAYOUTS = {
    "QWERTY (US, UK)": ("QWERTYUIOP", "ASDFGHJKL;", "ZXCVBNM"),
    "QWERTZ (DE, CH)": ("QWERTZUIOP", "ASDFGHJKLÖ", "YXCVBNM"),
    "AZERTY (FR, BE)": ("AZERTYUIOP", "QSDFGHJKLM", "WXCVBN,"),
}


def test_new_codes_survive_every_keyboard_layout_and_carry_128_bits():
    from math import log2

    from summit.services.registrations import codes

    alphabet = set(codes.CHECKIN_ALPHABET)
    assert codes.CHECKIN_LENGTH * log2(len(alphabet)) >= 128
    # Every character is typed by the same key on all three layouts, so a scanner set to any
    # of them reads the same code on a computer set to any other.
    positions = [{char: (row, col) for row, keys in enumerate(rows)
                  for col, char in enumerate(keys)} for rows in LAYOUTS.values()]
    for char in alphabet:
        assert len({layout.get(char) for layout in positions}) == 1, char
        assert char in positions[0], char
    assert not alphabet & set("0123456789IOLUV")  # no digits (AZERTY), no look-alikes
    made = {codes.new_checkin_code() for _ in range(200)}
    assert len(made) == 200
    for code in made:
        assert len(code) == codes.CHECKIN_LENGTH and set(code) <= alphabet
        assert checkin.normalise_code(code) == code
        assert checkin.normalise_code(codes.grouped(code).lower()) == code


def test_grouped_form_for_reading_and_typing():
    from summit.services.registrations import codes

    assert codes.grouped(CODE) == GROUPED
    assert codes.grouped(LEGACY) == "2345-6789-ABCD-EFGH-JKMN-PQRS-TWX"


@pytest.mark.parametrize("raw", [
    CODE, CODE.lower(), f"  {CODE}\r\n", f"{CODE}\n", f"\t{CODE.lower()}\r",
    f"https://summit.example/c/{CODE}", f"http://127.0.0.1:5000/desk/c/{CODE}/",
    f"HTTPS://SUMMIT.EXAMPLE/C/{CODE}", f"https://summit.example/c/{CODE.lower()}\r\n",
    GROUPED, GROUPED.lower(), GROUPED.replace("-", " "), f"{CODE[:13]} {CODE[13:]}",
    GROUPED.replace("-", " – "), f" {GROUPED}\r\n",
])
def test_scanner_input_gives_the_code(raw):
    assert checkin.normalise_code(raw) == CODE


@pytest.mark.parametrize("raw", [LEGACY, LEGACY.lower(), "2345-6789-abcd-efgh-jkmn-pqrs-twx"])
def test_codes_of_the_old_alphabet_still_count(raw):
    assert checkin.normalise_code(raw) == LEGACY


@pytest.mark.parametrize("raw", [
    "", "   ", None, CODE[:-1], CODE + "B", CODE[:-1] + "A", CODE[:-1] + "2", CODE[:-1] + "O",
    LEGACY[:-1], LEGACY[:-1] + "0", LEGACY[:-1] + "O", LEGACY[:-1] + "1",
    f"https://summit.example/c/{CODE}?x=1",
    f"https://summit.example/c/{CODE}#top", f"ftp://summit.example/{CODE}",
    f"summit.example/{CODE}", f"https://summit.example/c/{CODE}X", f"{CODE}\x00",
    f"javascript:alert(1)//{CODE}", f"https://summit.example/c/{CODE}/extra",
    f"{CODE[:13]}_{CODE[13:]}", f"{CODE[:13]}.{CODE[13:]}",
])
def test_anything_else_is_no_code(raw):
    assert checkin.normalise_code(raw) is None


def _event(slug="test-summit") -> Event:
    return db.session.scalar(db.select(Event).where(Event.slug == slug))


def test_every_result_and_every_scan_recorded(app, people):
    with app.app_context():
        event = _event()
        first = checkin.scan(event, people.confirmed.lower() + "\r\n", desk="Desk 1")
        assert first.result == checkin.CHECKED_IN
        assert first.registration.full_name == "Zoë Müller"
        # The first scan's one UPDATE … RETURNING brings the right category along.
        category = db.session.execute(db.text(
            "SELECT name FROM categories WHERE id = :id"),
            {"id": first.registration.category_id}).scalar()
        assert checkin.attendee_summary(first.registration)["category"] == category
        again = checkin.scan(event, people.confirmed, desk="Desk 2")
        assert again.result == checkin.ALREADY_CHECKED_IN
        assert again.checked_in_at == first.checked_in_at
        assert checkin.scan(event, people.cancelled).result == "cancelled"
        assert checkin.scan(event, people.waitlisted).result == "waitlisted"
        assert checkin.scan(event, people.other_event).result == checkin.UNKNOWN
        assert checkin.scan(event, people.confirmed[:-1]).result == checkin.UNKNOWN
        forged = people.confirmed[:-1] + ("A" if people.confirmed[-1] != "A" else "B")
        unknown = checkin.scan(event, forged)
        assert (unknown.result, unknown.registration) == (checkin.UNKNOWN, None)
    rows = scan_rows(app)
    assert [result for _code, result, _id in rows] == [
        "checked_in", "already_checked_in", "cancelled", "waitlisted", "unknown", "unknown",
        "unknown"]
    # Another event's code is recorded without linking to its person.
    assert rows[4] == (people.other_event, "unknown", None)
    assert rows[0][0] == people.confirmed  # the normalised code, not the scanner's noise
    with app.app_context():
        desks = db.session.scalars(db.select(CheckIn.desk).order_by(CheckIn.id)).all()
        assert desks[:2] == ["Desk 1", "Desk 2"]
        other = db.session.scalar(db.select(Registration).where(
            Registration.checkin_code == people.other_event))
        assert other.checked_in_at is None


def test_failed_scans_change_nothing_but_the_record(app, people):
    with app.app_context():
        event = _event()
        before = {r.id: (r.status, r.checked_in_at) for r in db.session.scalars(
            db.select(Registration))}
        for raw in ["", "garbage\x00with NUL", "x" * 5000, people.cancelled, people.waitlisted,
                    people.other_event]:
            assert not checkin.scan(event, raw).admitted
        after = {r.id: (r.status, r.checked_in_at) for r in db.session.scalars(
            db.select(Registration))}
        assert after == before
        stored = db.session.scalars(db.select(CheckIn.code).order_by(CheckIn.id)).all()
        assert stored[1] == "garbagewith NUL" and len(stored[2]) == 200


def test_check_in_time_is_the_scan_time(app, people):
    moment = datetime(2030, 9, 10, 7, 12, tzinfo=UTC)
    with app.app_context():
        result = checkin.scan(_event(), people.confirmed, now=moment)
        assert result.checked_in_at == moment
        later = checkin.scan(_event(), people.confirmed, now=moment + timedelta(hours=2))
        assert later.checked_in_at == moment
    assert checked_in_at(app, people.confirmed_id) == moment


def test_undo_clears_the_check_in_and_marks_the_scan(app, people, auth):
    user_id = auth.make_user("desk@example.org", "staff")
    with app.app_context():
        from summit.models import User

        user = db.session.get(User, user_id)
        result = checkin.scan(_event(), people.confirmed, desk="Desk 1", user=user)
        undone = checkin.undo(result.registration, user=user)
        assert undone.undone_at is not None and undone.result == checkin.CHECKED_IN
        assert (undone.registration_id, undone.desk) == (people.confirmed_id, "Desk 1")
        entry = db.session.scalar(db.select(AuditEntry))
        assert (entry.action, entry.target_id, entry.user_id) == (
            "checkin.undo", people.confirmed_id, user_id)
        with pytest.raises(checkin.CheckinError):
            checkin.undo(result.registration, user=user)
        # Checked in again after the undo: a new welcome.
        assert checkin.scan(_event(), people.confirmed).result == checkin.CHECKED_IN
    assert checked_in_at(app, people.confirmed_id) is not None


def test_search_ignores_case_and_accents(app, people):
    with app.app_context():
        event = _event()

        def names(query):
            return [r.full_name for r in checkin.search(event, query)]

        assert names("müller") == ["Zoë Müller"]
        assert names("MÜLLER") == ["Zoë Müller"]
        assert names("muller") == ["Zoë Müller"]
        assert names("Mueller") == ["Zoë Müller"]
        assert names("zoe") == ["Zoë Müller"]
        assert names("ZOË mül") == ["Zoë Müller"]
        assert names("weiss") == ["Jörg Weiß"]
        assert names("tagesspiegel") == ["Jörg Weiß"]
        assert names("soren dvorak") == ["Søren Dvořák"]
        assert names("SØREN") == ["Søren Dvořák"]
        assert names("Other") == []  # another event's people stay hidden
        assert names("z") == [] and names("") == []
        assert names("nobody") == []


def test_check_in_by_name_uses_the_same_rule(app, people):
    with app.app_context():
        registration = checkin.search(_event(), "zoe")[0]
        assert checkin.check_in_registration(registration, desk="Desk 3").result == \
            checkin.CHECKED_IN
        assert checkin.check_in_registration(registration).result == checkin.ALREADY_CHECKED_IN
        assert checkin.scan(_event(), people.confirmed).result == checkin.ALREADY_CHECKED_IN
        cancelled = checkin.search(_event(), "ferreira")[0]
        assert checkin.check_in_registration(cancelled).result == "cancelled"
    assert [row[:2] for row in scan_rows(app)] == [
        ("(search)", "checked_in"), ("(search)", "already_checked_in"),
        (people.confirmed, "already_checked_in"), ("(search)", "cancelled")]


def test_live_counts_per_category(app, people, make_registration):
    make_registration(category="Press")
    with app.app_context():
        event = _event()
        checkin.scan(event, people.confirmed)
        checkin.scan(event, people.confirmed)
        checkin.scan(event, people.press)
        checkin.scan(event, people.cancelled)
        counts = {c.name: (c.confirmed, c.checked_in) for c in checkin.live_counts(event)}
        assert counts == {"Attendee": (1, 1), "Press": (2, 1)}
        press = checkin.live_counts(event)[1]
        assert (press.display_name("de"), press.display_name("en")) == ("Presse", "Press")


def test_a_first_scan_updates_the_registration_the_session_already_holds(app, people):
    """The desk may have loaded the person before the scan (same request, same session):
    the object it holds shows the check-in afterwards, as the database does."""
    with app.app_context():
        event = _event()
        held = db.session.scalar(db.select(Registration).where(
            Registration.checkin_code == people.confirmed))
        assert held.checked_in_at is None
        scan = checkin.scan(event, people.confirmed, desk="Desk 1")
        assert scan.result == checkin.CHECKED_IN and scan.registration is held
        assert held.checked_in_at == scan.checked_in_at
