"""A user who forgot their password sets a new one from the mailed link and logs in; the
account pages pass axe in both languages."""

import re

import pytest
from conftest import PASSWORD

from .browser import log_in

EMAIL = "organiser@example.org"
NEW_PASSWORD = "a brand new passphrase"


def test_forgot_password_mail_link_set_password_log_in(app, auth, live_server, open_page,
                                                       checkpoint, mailbox):
    auth.make_user(EMAIL)
    page = open_page()
    page.goto(live_server.url + "/login")
    page.get_by_role("link", name="Forgot your password?").click()
    checkpoint(page, "forgot")
    page.fill("#email", EMAIL)
    page.get_by_role("button", name="Send me a link").click()
    page.get_by_role("heading", name="Check your mail").wait_for()
    checkpoint(page, "sent")

    link = mailbox.link_in_last_mail_to(EMAIL, r"/login/reset/")
    page.goto(link)
    page.fill("#new_password", NEW_PASSWORD)
    page.fill("#repeat_password", NEW_PASSWORD + "typo")
    page.get_by_role("button", name="Save the new password").click()
    page.locator("#repeat_password-error").wait_for()
    checkpoint(page, "reset-with-error")
    page.fill("#new_password", NEW_PASSWORD)
    page.fill("#repeat_password", NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    page.get_by_text("Your new password is saved").wait_for()

    log_in(page, live_server.url, EMAIL, NEW_PASSWORD)
    assert page.url.endswith("/organiser/")

    page.goto(link)  # spent by the new password
    page.get_by_role("heading", name="This link no longer works").wait_for()
    checkpoint(page, "link-spent")


@pytest.mark.parametrize("locale", ["en-GB", "de-DE"])
def test_account_page(locale, auth, live_server, open_page, checkpoint):
    auth.make_user(EMAIL)
    page = open_page(locale=locale)
    log_in(page, live_server.url, EMAIL, PASSWORD)
    page.goto(live_server.url + "/account")
    checkpoint(page, "account")
    page.fill("#current_password", "wrong")
    page.fill("#new_password", NEW_PASSWORD)
    page.fill("#repeat_password", NEW_PASSWORD)
    page.locator("form[action='/account/password'] button").click()
    page.locator("#current_password-error").wait_for()
    checkpoint(page, "account-error")


def test_organiser_enrols_in_two_factor_and_logs_in_with_a_code(auth, live_server, open_page,
                                                               checkpoint):
    import pyotp

    auth.make_user(EMAIL)
    page = open_page()
    log_in(page, live_server.url, EMAIL, PASSWORD)
    page.goto(live_server.url + "/account")
    page.get_by_role("link", name="Set up two-factor log-in").click()
    checkpoint(page, "two-factor-setup")
    assert page.get_by_role("img", name=re.compile("Key:")).is_visible()
    secret = page.locator("figcaption code").inner_text()
    page.fill("#code", pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Switch two-factor log-in on").click()
    page.get_by_role("heading", name="Two-factor log-in is on").wait_for()
    checkpoint(page, "recovery-codes")
    assert page.locator(".recovery-codes li").count() == 10

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server.url, EMAIL, PASSWORD)
    page.get_by_role("heading", name="Two-factor log-in").wait_for()
    page.fill("#code", "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    page.get_by_role("button", name="Log in").last.click()
    page.locator("#code-error").wait_for()
    checkpoint(page, "code-wrong")
    page.fill("#code", pyotp.TOTP(secret).now())
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").last.click()
    assert page.url.endswith("/organiser/")
