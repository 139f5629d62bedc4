"""Absolute links to an attendee's pages, built from SUMMIT_BASE_URL.

Mail is composed outside any request (and by the CLI), so the links cannot come from the
request's host; one base URL keeps mail, API and pages pointing at the same place.
"""

from typing import Protocol

from flask import current_app


class Manageable(Protocol):
    """A registration, or what the sign-up's busy path answers about one."""
    manage_token: str


def absolute(path: str) -> str:
    return current_app.config["SUMMIT_BASE_URL"].rstrip("/") + path


def manage_url(registration: Manageable) -> str:
    return absolute(f"/r/{registration.manage_token}")


def badge_url(registration: Manageable) -> str:
    return absolute(f"/r/{registration.manage_token}/badge.pdf")


def calendar_url(registration: Manageable) -> str:
    return absolute(f"/r/{registration.manage_token}/calendar.ics")


def event_url(slug: str) -> str:
    return absolute(f"/events/{slug}")
