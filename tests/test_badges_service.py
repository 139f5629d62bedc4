"""The print-run rules: who gets a badge, filters, marking, errors that change nothing."""

import io

import pytest
from badges_fixtures import *  # noqa: F401,F403
from badges_fixtures import GLYPH_PERSON, SLUG, check_pdf, printed_at, read_pdf

from summit.extensions import db
from summit.models import Event, Registration
from summit.services import badges
from summit.services.badges.layouts import LAYOUTS, UnknownLayout


def event(slug=SLUG) -> Event:
    return db.session.scalar(db.select(Event).where(Event.slug == slug))


def run(slug=SLUG, **kwargs):
    out = io.BytesIO()
    kwargs.setdefault("layout", "a4-8xa7")
    result = badges.print_badges(event(slug), out, **kwargs)
    return result, out.getvalue()


def test_default_prints_every_confirmed_person_every_time(app, people):
    everyone = list(people.confirmed.values())
    with app.test_request_context():
        first, data = run()
        assert (first.count, first.pages, first.layout, first.marked) == (11, 2, "a4-8xa7", 11)
        check_pdf(data, people, everyone)
        second, again = run()  # printed before: printed again, nobody skipped
        assert second.count == 11
        check_pdf(again, people, everyone)
    stamps = printed_at(app)
    assert all(stamps[rid] is not None for rid in everyone)
    for left_out in (people.waitlisted, people.cancelled, people.anonymised, people.other_event):
        assert stamps[left_out] is None


def test_print_order_is_category_then_last_then_first_name(app, people):
    with app.test_request_context():
        selection = badges.select(event())
        order = [(b.category_name, b.last_name) for b in badges.badges_for(selection, "en")]
    assert [c for c, _ in order] == ["Attendee"] * 7 + ["Press"] * 2 + ["Staff"] * 2
    attendees = [last for c, last in order if c == "Attendee"]
    assert attendees == sorted(attendees, key=str.lower)


def test_category_by_name_in_any_case_by_german_name_or_by_id(app, people):
    press = people.by_category["Press"]
    with app.test_request_context():
        press_id = next(c.id for c in event().categories if c.name == "Press")
        for value in ("press", "PRESS", "Presse", str(press_id), press_id):
            result, data = run(category=value, mark_printed=False)
            assert result.count == 2
            check_pdf(data, people, press)


def test_not_printed_marks_and_then_skips_the_printed_ones(app, people):
    press = people.by_category["Press"]
    with app.test_request_context():
        result, data = run(category="Press")
        check_pdf(data, people, press)
        assert result.marked == 2
        result, data = run(only_unprinted=True)
        check_pdf(data, people, set(people.confirmed.values()) - press)
        with pytest.raises(badges.EmptySelection):
            run(only_unprinted=True)
    with app.test_request_context():  # someone confirmed later is the only one left to print
        late = Registration(event=event(), category=event().categories[2], status="confirmed",
                            first_name="Lena", last_name="Late", email="late@example.org",
                            email_normalised="late@example.org", manage_token="t" * 40,
                            checkin_code="23456789ABCDEFGHJKMNPQRSTWX")
        db.session.add(late)
        db.session.commit()
        result, data = run(only_unprinted=True, layout="a6")
        assert result.count == 1
        assert read_pdf(data)[0].codes == ["23456789ABCDEFGHJKMNPQRSTWX"]


def test_one_person(app, people):
    rid = people.confirmed["Jörg Schäfer"]
    with app.test_request_context():
        result, data = run(registration=db.session.get(Registration, rid), layout="a6")
    assert (result.count, result.pages) == (1, 1)
    check_pdf(data, people, [rid])
    stamps = printed_at(app)
    assert stamps[rid] is not None
    assert sum(1 for value in stamps.values() if value is not None) == 1


@pytest.mark.parametrize("who", ["waitlisted", "cancelled", "anonymised", "other_event"])
def test_nobody_outside_the_confirmed_of_this_event_gets_a_badge(app, people, who):
    with app.test_request_context():
        registration = db.session.get(Registration, getattr(people, who))
        with pytest.raises(badges.SelectionError) as info:
            run(registration=registration)
        assert info.value.field == "registration"
        assert info.value.message
    assert all(value is None for value in printed_at(app).values())


def test_unknown_layout_names_the_valid_ones_and_changes_nothing(app, people):
    with app.test_request_context(), pytest.raises(UnknownLayout) as info:
        run(layout="a5-landscape")
    for name in LAYOUTS:
        assert name in str(info.value)
    assert all(value is None for value in printed_at(app).values())


def test_unknown_category_lists_the_categories_and_changes_nothing(app, people):
    with app.test_request_context(), pytest.raises(badges.SelectionError) as info:
        run(category="Speakers")
    assert info.value.field == "category"
    for name in ("Attendee", "Press", "Staff", "Speakers"):
        assert name in info.value.message
    assert all(value is None for value in printed_at(app).values())


def test_empty_selection_is_an_error_and_marks_nothing(app, make_event, make_registration):
    make_event(slug="empty-summit")
    make_registration(slug="empty-summit", status="waitlisted")
    out = io.BytesIO()
    with app.test_request_context():
        with pytest.raises(badges.EmptySelection):
            badges.print_badges(event("empty-summit"), out, layout="a6")
    assert out.getvalue() == b""
    assert all(value is None for value in printed_at(app).values())


def test_missing_glyphs_are_named_after_printing_and_before(app, people):
    with app.test_request_context():
        result, data = run(category="Staff", mark_printed=False)
        (missing,) = result.missing_glyphs
        assert missing.reference == str(people.glyph_person)
        assert missing.characters == "𓀀"
        assert "Yuki" in badges.describe_missing(result)[0]
        (problem,) = badges.missing_glyph_report(event())
        assert (problem.registration_id, problem.name) == (people.glyph_person, GLYPH_PERSON)
    # Still printed and scannable.
    check_pdf(data, people, people.by_category["Staff"])


def test_badge_language_category_name_and_dates(app, people):
    with app.test_request_context():
        selection = badges.select(event(), category="Press")
        german = next(badges.badges_for(selection, "de"))
        english = next(badges.badges_for(selection, "en"))
    assert (german.category_name, german.event_dates) == ("Presse", "10.–11. September 2030")
    assert (english.category_name, english.event_dates) == ("Press", "September 10–11, 2030")
    assert german.qr_payload == people.codes[people.confirmed["Chloé Lefèvre"]]


def test_counts_per_category(app, people):
    with app.test_request_context():
        run(category="Press")
        counts = {row.category.name: (row.confirmed, row.printed, row.not_printed)
                  for row in badges.badge_counts(event())}
    assert counts == {"Attendee": (7, 0, 7), "Press": (2, 2, 0), "Staff": (2, 0, 2)}
