"""The organiser's badges page and the attendee's own badge."""

import re

import pytest
from badges_fixtures import *  # noqa: F401,F403
from badges_fixtures import SLUG, check_in_all, check_pdf, printed_at, read_pdf
from conftest import csrf_token

from summit.extensions import db
from summit.models import Registration
from summit.services.badges.layouts import LAYOUTS
from summit.services.registrations import codes

PAGE = f"/organiser/events/{SLUG}/badges"


def print_form(client, **fields):
    token = csrf_token(client.get(PAGE))
    data = {"csrf_token": token, "layout": "a6", "category": "", "mark_printed": "y"}
    data.update(fields)
    return client.post(PAGE, data={k: v for k, v in data.items() if v is not None})


def flashes(client) -> str:
    html = client.get(PAGE).get_data(as_text=True)
    return " ".join(re.findall(r'<p class="flash[^"]*">(.*?)</p>', html, re.S))


def test_page_lists_layouts_categories_and_counts(client, auth, people):
    auth.login()
    html = client.get(PAGE).get_data(as_text=True)
    for layout in LAYOUTS:
        assert f'value="{layout}"' in html
    assert "8 × A7 on A4" in html and "Avery L4785 name badges" in html
    for label in ("All categories", "Attendee", "Press", "Staff",
                  "Only badges not printed yet", "Crop marks", "Mark these badges as printed"):
        assert label in html
    counts = re.search(r"<tfoot>.*?</tfoot>", html, re.S).group(0)
    assert re.findall(r'class="num">(\d+)<', counts) == ["11", "0", "11"]
    # The one badge with characters no font has is named before anyone prints.
    assert "Characters no font covers" in html and "Yuki 😀 𓀀田" in html
    assert 'title="U+13000"' in html
    assert "print “\ufffd” where these characters are" in html
    dashboard = client.get("/organiser/").get_data(as_text=True)
    assert f'href="{PAGE}"' in dashboard


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_print_every_layout_from_the_page(client, auth, people, layout):
    auth.login()
    response = print_form(client, layout=layout, crop_marks="y")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=badges-{SLUG}-{layout}.pdf")
    assert "no-store" in response.headers["Cache-Control"]
    pages = check_pdf(response.data, people, people.confirmed.values())
    check_in_all(client, auth.headers(), [code for page in pages for code in page.codes])
    report = flashes(client)
    assert f"Printed 11 badges on {len(pages)} pages" in report
    assert "11 badges are now marked as printed" in report
    assert "1 badge has characters no font covers" in report
    assert f"Yuki 😀 𓀀田 (registration {people.glyph_person}): 𓀀" in report


def test_category_not_printed_and_reprint(app, client, auth, people):
    auth.login()
    press_id = re.search(r'<option value="(\d+)">Press</option>',
                         client.get(PAGE).get_data(as_text=True)).group(1)
    check_pdf(print_form(client, category=press_id).data, people, people.by_category["Press"])
    rest = set(people.confirmed.values()) - people.by_category["Press"]
    check_pdf(print_form(client, only_unprinted="y", layout="a4-8xa7").data, people, rest)
    empty = print_form(client, only_unprinted="y")
    assert empty.status_code == 422
    assert "nothing to print" in empty.get_data(as_text=True)
    # Reprint: "all" again prints everyone, printed or not.
    check_pdf(print_form(client, layout="a4-8xa7").data, people, people.confirmed.values())
    html = client.get(PAGE).get_data(as_text=True)
    counts = re.search(r"<tfoot>.*?</tfoot>", html, re.S).group(0)
    assert re.findall(r'class="num">(\d+)<', counts) == ["11", "11", "0"]


def test_test_print_marks_nothing(app, client, auth, people):
    auth.login()
    response = print_form(client, mark_printed=None)
    check_pdf(response.data, people, people.confirmed.values())
    assert all(value is None for value in printed_at(app).values())


def test_search_and_print_one_person(app, client, auth, people):
    auth.login()
    rid = people.confirmed["Jürgen Weiß"]
    html = client.get(PAGE, query_string={"q": "jurgen weiss"}).get_data(as_text=True)
    assert "Jürgen Weiß" in html
    assert f'form="print-form" name="registration" value="{rid}"' in html
    by_code = client.get(PAGE, query_string={"q": people.codes[rid]}).get_data(as_text=True)
    assert f'value="{rid}"' in by_code
    waiting = client.get(PAGE, query_string={"q": "Wanda"}).get_data(as_text=True)
    assert "Wanda Waiting" in waiting and "No badge" in waiting
    response = print_form(client, registration=str(rid), category="999", only_unprinted="y")
    assert response.status_code == 422  # an invalid category choice is still refused
    response = print_form(client, registration=str(rid))
    check_pdf(response.data, people, [rid])
    stamps = printed_at(app)
    assert [key for key, value in stamps.items() if value] == [rid]


@pytest.mark.parametrize("who", ["waitlisted", "cancelled", "other_event"])
def test_one_person_outside_the_confirmed_of_this_event_is_refused(app, client, auth, people,
                                                                    who):
    auth.login()
    other = client.get(PAGE, query_string={"q": people.codes[people.other_event]})
    assert "No registration of this event matches" in other.get_data(as_text=True)
    response = print_form(client, registration=str(getattr(people, who)))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'class="form-summary"' in html
    assert any(text in html for text in ("waiting list", "cancelled", "another event",
                                         "No registration of this event"))
    assert all(value is None for value in printed_at(app).values())


def test_organisers_only(client, auth, people):
    assert client.get(PAGE).status_code == 302
    assert "/login" in client.get(PAGE).headers["Location"]
    assert client.post(PAGE, data={"layout": "a6"}).status_code in (302, 400)
    auth.login("mod@example.org", role="moderator")
    assert client.get(PAGE).status_code == 403
    response = client.post(PAGE, data={"layout": "a6",
                                       "csrf_token": csrf_token(client.get("/"))})
    assert response.status_code == 403
    auth.logout()
    auth.login()
    assert client.get("/organiser/events/nope/badges").status_code == 404


def test_form_without_csrf_is_refused(app, client, auth, people):
    auth.login()
    response = client.post(PAGE, data={"layout": "a6"})
    assert response.status_code == 400
    assert all(value is None for value in printed_at(app).values())


def test_attendee_downloads_their_own_badge(app, client, people):
    rid = people.confirmed["Chloé Lefèvre"]
    response = client.get(f"/r/{people.tokens[rid]}/badge.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    (page,) = check_pdf(response.data, people, [rid])
    assert page.size == pytest.approx(LAYOUTS["a6"].page_size, abs=0.01)
    # The QR holds the bare code; the code in groups is printed under it, on one line.
    assert page.codes == [people.codes[rid]]
    grouped = codes.grouped(people.codes[rid])
    assert re.fullmatch(r"([BCDEFGHJKNPRSTX]{4}-){8}[BCDEFGHJKNPRSTX]{4}", grouped)
    assert grouped in page.text
    # Their own copy is not the desk's print run.
    assert printed_at(app)[rid] is None


@pytest.mark.parametrize("first, last, organisation", [
    ("小明", "王", "北京大学"), ("太郎", "山田", "東京大学"), ("민준", "김", "서울대학교"),
    ("Yuki 😀", "Tanaka", "Team 🎉")])
def test_own_badge_prints_chinese_japanese_korean_and_emoji_names(
        app, client, people, make_registration, first, last, organisation):
    rid = make_registration(slug=SLUG, first_name=first, last_name=last,
                            organisation=organisation)
    with app.app_context():
        registration = db.session.get(Registration, rid)
        token, code = registration.manage_token, registration.checkin_code
    (page,) = read_pdf(client.get(f"/r/{token}/badge.pdf").data)
    assert page.codes == [code]
    for part in (first, last, organisation):
        assert part in page.text
    assert "\ufffd" not in page.text
    manage = client.get(f"/r/{token}").get_data(as_text=True)
    assert "badge-missing" not in manage


def test_own_badge_marks_characters_no_font_has_and_says_so(client, auth, people):
    rid = people.glyph_person
    (page,) = read_pdf(client.get(f"/r/{people.tokens[rid]}/badge.pdf").data)
    assert page.codes == [people.codes[rid]]
    # The name line is there, with a visible mark where the hieroglyph is.
    assert "Yuki 😀 \ufffd田" in page.text
    manage = client.get(f"/r/{people.tokens[rid]}").get_data(as_text=True)
    note = re.search(r'<p class="hint badge-missing">(.*?)</p>', manage, re.S).group(1)
    assert "𓀀" in note and "\ufffd" in note
    # The organisers' badges page names the person too.
    auth.login()
    html = client.get(PAGE).get_data(as_text=True)
    section = re.search(r'<section class="card glyph-problems".*?</section>', html, re.S)
    assert "Yuki 😀 𓀀田" in section.group(0)


@pytest.mark.parametrize("who, text", [("waitlisted", "waiting list"),
                                       ("cancelled", "cancelled")])
def test_no_badge_for_waitlisted_or_cancelled(client, people, who, text):
    token = people.tokens[getattr(people, who)]
    response = client.get(f"/r/{token}/badge.pdf")
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert text in html and f'href="/r/{token}"' in html
    as_json = client.get(f"/r/{token}/badge.pdf", headers={"Accept": "application/json"})
    assert as_json.status_code == 409
    assert text in as_json.get_json()["error"]["message"]


def test_unknown_or_anonymised_token_is_404(client, people):
    assert client.get("/r/not-a-token/badge.pdf").status_code == 404
    assert client.get(f"/r/{'x' * 200}/badge.pdf").status_code == 404
    anonymised = people.tokens[people.anonymised]
    assert client.get(f"/r/{anonymised}/badge.pdf").status_code == 404


def test_page_in_german(client, auth, people):
    auth.login()
    client.post("/language/de", data={"csrf_token": csrf_token(client.get("/")), "next": PAGE})
    html = client.get(PAGE).get_data(as_text=True)
    assert 'lang="de"' in html
    response = print_form(client, layout="a6", category="")
    pages = read_pdf(response.data)
    assert any("PRESSE" in page.text for page in pages)
