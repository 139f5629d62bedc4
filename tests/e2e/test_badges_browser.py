"""The badges page in Chromium against gunicorn: print, the PDF downloads, the page reports."""

from badges_fixtures import *  # noqa: F401,F403
from badges_fixtures import SLUG, check_pdf, printed_at
from conftest import PASSWORD

from .browser import log_in


def test_print_downloads_the_pdf_and_the_page_names_missing_glyphs(app, auth, people,
                                                                    live_server, open_page,
                                                                    tmp_path):
    auth.make_user("organiser@example.org", "organiser")
    page = open_page(accept_downloads=True)
    log_in(page, live_server.url, "organiser@example.org", PASSWORD)
    page.goto(f"{live_server.url}/organiser/events/{SLUG}/badges")
    page.select_option("select[name=layout]", "a4-4xa6")
    page.select_option("select[name=category]", label="Staff")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Print badges (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"badges-{SLUG}-a4-4xa6.pdf"
    target = tmp_path / "download.pdf"
    download.save_as(target)
    check_pdf(target.read_bytes(), people, people.by_category["Staff"])
    # The page comes back with the report and the new counts.
    page.wait_for_selector(".flash-warning")
    warning = page.locator(".flash-warning").inner_text()
    assert "1 badge has characters no font covers" in warning and "Yuki" in warning
    assert "Printed 2 badges on 1 page" in page.locator(".flash-success").inner_text()
    assert page.locator("select[name=layout]").input_value() == "a4-4xa6"
    assert page.errors == []
    stamps = printed_at(app)
    assert {key for key, value in stamps.items() if value} == people.by_category["Staff"]


def test_attendee_is_told_which_characters_their_badge_cannot_print(people, live_server,
                                                                     open_page, checkpoint,
                                                                     tmp_path):
    rid = people.glyph_person
    page = open_page(accept_downloads=True)
    page.goto(f"{live_server.url}/r/{people.tokens[rid]}")
    note = page.locator(".badge-missing").inner_text()
    assert "𓀀" in note and "\ufffd" in note
    checkpoint(page, "manage-page-missing-glyph")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Badge (PDF)").click()
    target = tmp_path / "badge.pdf"
    download_info.value.save_as(target)
    check_pdf(target.read_bytes(), people, [rid])  # the name with its mark, and the QR
    assert page.errors == []
