"""Absolute links to an attendee's pages, built from SUMMIT_BASE_URL.

Mail is composed outside any request (and by the CLI), so the links cannot come from the
request's host; one base URL keeps mail, API and pages pointing at the same place.
"""

from flask import current_app

from ...models import Registration


def absolute(path: str) -> str:
    return current_app.config["SUMMIT_BASE_URL"].rstrip("/") + path


def manage_url(registration: Registration) -> str:
    return absolute(f"/r/{registration.manage_token}")


def badge_url(registration: Registration) -> str:
    return absolute(f"/r/{registration.manage_token}/badge.pdf")


def calendar_url(registration: Registration) -> str:
    return absolute(f"/r/{registration.manage_token}/calendar.ics")


def event_url(slug: str) -> str:
    return absolute(f"/events/{slug}")
