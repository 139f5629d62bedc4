"""`flask badges`: every layout scanned and checked in, clear failures that leave no file."""

import pytest
from badges_fixtures import *  # noqa: F401,F403
from badges_fixtures import SLUG, check_in_all, check_pdf, printed_at

from summit.services.badges.layouts import LAYOUTS


def badges(runner, *args):
    return runner.invoke(args=["badges", *args])


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_layout_scans_and_every_code_checks_in(app, runner, client, auth, people,
                                                     tmp_path, layout):
    target = tmp_path / "out" / f"{layout}.pdf"
    target.parent.mkdir()
    result = badges(runner, SLUG, "--output", str(target), "--layout", layout, "--crop-marks")
    assert result.exit_code == 0, result.output
    pages = check_pdf(target.read_bytes(), people, people.confirmed.values())
    per_page = LAYOUTS[layout].per_page
    assert len(pages) == -(-11 // per_page)
    for page in pages:
        assert page.size == pytest.approx(LAYOUTS[layout].page_size, abs=0.01)
    assert f"11 badges on {len(pages)} page" in result.output
    assert str(target) in result.output and " s;" in result.output
    assert "11 marked as printed" in result.output
    # The warning names the badge whose characters no font covers.
    assert "1 badge(s) have characters no font covers" in result.output
    assert f"registration {people.glyph_person}: Yuki" in result.output
    assert "U+13000" in result.output and "U+1F600" not in result.output
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temp file left
    codes = [code for page in pages for code in page.codes]
    check_in_all(client, auth.headers(), codes)


def test_filters_category_not_printed_and_no_mark(app, runner, people, tmp_path):
    out = tmp_path / "press.pdf"
    result = badges(runner, SLUG, "-o", str(out), "--category", "PRESS", "--no-mark")
    assert result.exit_code == 0, result.output
    check_pdf(out.read_bytes(), people, people.by_category["Press"])
    assert "none marked as printed" in result.output
    assert all(value is None for value in printed_at(app).values())

    result = badges(runner, SLUG, "-o", str(out), "--category", "press")
    assert result.exit_code == 0, result.output
    result = badges(runner, SLUG, "-o", str(out), "--not-printed", "--layout", "a4-cards-2x5")
    assert result.exit_code == 0, result.output
    check_pdf(out.read_bytes(), people,
              set(people.confirmed.values()) - people.by_category["Press"])
    result = badges(runner, SLUG, "-o", str(tmp_path / "again.pdf"), "--not-printed")
    assert result.exit_code == 1
    assert "nothing to print" in result.output
    assert not (tmp_path / "again.pdf").exists()


def test_one_person_by_code_and_not_another_events_code(app, runner, people, tmp_path):
    rid = people.confirmed["Zoë Müller"]
    out = tmp_path / "one.pdf"
    result = badges(runner, SLUG, "-o", str(out), "--person", people.codes[rid].lower())
    assert result.exit_code == 0, result.output
    check_pdf(out.read_bytes(), people, [rid])

    other = tmp_path / "other.pdf"
    result = badges(runner, SLUG, "-o", str(other), "--person", people.codes[people.other_event])
    assert result.exit_code == 2
    assert "0 registrations of this event match" in result.output
    assert not other.exists()
    stamps = printed_at(app)
    assert [key for key, value in stamps.items() if value] == [rid]


@pytest.mark.parametrize("args, code, message", [
    (["--layout", "a5-landscape"], 2, "valid layouts: a4-4xa6"),
    (["--category", "Speakers"], 2, "Categories of this event: Attendee, Press, Staff"),
    (["--language", "fr"], 2, "choose one of: en, de"),
])
def test_bad_options_are_clear_and_leave_nothing(app, runner, people, tmp_path, args, code,
                                                 message):
    out = tmp_path / "badges.pdf"
    result = badges(runner, SLUG, "-o", str(out), *args)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert list(tmp_path.glob("*.pdf*")) == [] and list(tmp_path.glob(".*")) == []
    assert all(value is None for value in printed_at(app).values())


def test_unknown_event_and_empty_event(app, runner, make_event, make_registration, tmp_path):
    make_event(slug="quiet-summit")
    make_registration(slug="quiet-summit", status="cancelled")
    out = tmp_path / "badges.pdf"
    result = badges(runner, "nope", "-o", str(out))
    assert result.exit_code == 1
    assert "No event with the slug 'nope'" in result.output
    result = badges(runner, "quiet-summit", "-o", str(out))
    assert result.exit_code == 1
    assert "no confirmed registrations yet" in result.output
    assert list(tmp_path.iterdir()) == [] or not out.exists()


def test_german_badges(app, runner, people, tmp_path):
    out = tmp_path / "de.pdf"
    result = badges(runner, SLUG, "-o", str(out), "--category", "Presse", "--language", "de")
    assert result.exit_code == 0, result.output
    pages = check_pdf(out.read_bytes(), people, people.by_category["Press"])
    assert "PRESSE" in pages[0].text and "10.–11. September 2030" in pages[0].text
