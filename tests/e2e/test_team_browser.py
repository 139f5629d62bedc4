"""The team in Chromium: an organiser invites a moderator, who opens the mailed link, chooses
a name and password, is logged in, and later logs in with them; every page axe-checked."""

from urllib.parse import urlsplit

from summit.services.platform import users

from .browser import expect, log_in

ORGANISER = ("olga@example.org", "organiser-password")
INVITEE = "mona.moderation@example.org"


def test_an_organiser_invites_a_moderator_who_joins(app, live_server, open_page, checkpoint,
                                                   mailbox):
    with app.app_context():
        users.create_user(ORGANISER[0], role="organiser", password=ORGANISER[1], name="Olga")
    page = open_page(locale="en-GB")
    log_in(page, live_server.url, *ORGANISER)
    page.get_by_role("link", name="Team").click()
    expect(page.get_by_role("heading", name="Team", exact=True)).to_be_visible()
    page.get_by_label("E-mail").fill(INVITEE)
    page.get_by_label("Role").first.select_option("moderator")
    page.get_by_label("Language of the invitation").select_option("en")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"An invitation was sent to {INVITEE}.")).to_be_visible()
    checkpoint(page, "team")
    page.get_by_role("button", name="Log out").click()

    link = mailbox.link_in_last_mail_to(INVITEE, r"/join/")
    join_url = live_server.url + urlsplit(link).path
    page.goto(join_url)
    expect(page.get_by_role("heading", name="Join the team")).to_be_visible()
    page.get_by_role("button", name="Join and log in").click()  # empty: errors first
    expect(page.locator(".form-summary")).to_be_visible()
    checkpoint(page, "join-errors")
    page.errors.clear()  # the 422 Chromium logs is the expected refusal
    page.get_by_label("Your name").fill("Mona Moderation")
    page.locator("#password").fill("a-long-secret")
    page.locator("#confirm").fill("a-long-secret")
    page.get_by_role("button", name="Join and log in").click()
    expect(page.get_by_text("Welcome to the team, Mona Moderation. You are logged in.")
           ).to_be_visible()
    assert urlsplit(page.url).path == "/moderator/"
    checkpoint(page, "welcome")

    # The link worked once; the password works from now on.
    page.goto(join_url)
    expect(page.get_by_role("heading", name="This invitation link does not work")
           ).to_be_visible()
    checkpoint(page, "used-link")
    page.errors.clear()  # the 410
    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server.url, INVITEE, "a-long-secret")
    assert urlsplit(page.url).path == "/moderator/"
    assert page.errors == []
