"""What a moderator brings: the languages they moderate in and the windows of an event in
which they are available (none recorded: the whole event)."""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import gettext as _

from ...extensions import db
from ...models import MODERATOR, Availability, Event, User
from ..platform import audit
from .moderators import ModerationError

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")


# --- languages ----------------------------------------------------------------------------


def parse_languages(text: str) -> list[str]:
    """'de, EN' → ['de', 'en']; raises ModerationError for anything not like a language code."""
    codes: list[str] = []
    for part in re.split(r"[,\s]+", text.strip()):
        code = part.strip().lower()
        if not code:
            continue
        if not LANGUAGE_CODE.match(code):
            raise ModerationError("languages", _(
                "“%(code)s” is not a language code; use codes such as de, en.", code=part))
        if code not in codes:
            codes.append(code)
    if not codes:
        raise ModerationError("languages", _("Name at least one language, e.g. de, en."))
    return codes


def set_languages(user: User, languages: str, *, actor: User | None,
                  event: Event | None = None) -> User:
    codes = parse_languages(languages)
    before = user.languages
    user.languages = ",".join(codes)
    audit.record("moderator.languages", actor=actor, event_id=event.id if event else None,
                 target=user, before=before, after=user.languages)
    db.session.commit()
    return user


# --- availability windows -----------------------------------------------------------------


def windows_for(event: Event) -> dict[int, list[Availability]]:
    """Availability windows of the event per user id, in time order."""
    rows = db.session.scalars(
        db.select(Availability).where(Availability.event_id == event.id)
        .order_by(Availability.starts_at, Availability.id))
    by_user: dict[int, list[Availability]] = {}
    for row in rows:
        by_user.setdefault(row.user_id, []).append(row)
    return by_user


def get_window(event: Event, window_id: int) -> Availability:
    window = db.get_or_404(Availability, window_id)
    if window.event_id != event.id:
        from werkzeug.exceptions import NotFound

        raise NotFound()
    return window


def _checked_window(event: Event, starts_at: datetime, ends_at: datetime) -> None:
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValueError("availability times must be timezone-aware")
    if ends_at <= starts_at:
        raise ModerationError("ends_at", _("The window must end after it starts."))


def add_window(event: Event, user: User, starts_at: datetime, ends_at: datetime, *,
               actor: User | None) -> Availability:
    if user.role != MODERATOR:
        raise ModerationError("user_id", _("Only moderators have availability windows."))
    _checked_window(event, starts_at, ends_at)
    window = Availability(user=user, event=event, starts_at=starts_at, ends_at=ends_at)
    db.session.add(window)
    db.session.flush()
    audit.record("availability.created", actor=actor, event_id=event.id, target=window,
                 user_id=user.id, starts_at=starts_at.isoformat(), ends_at=ends_at.isoformat())
    db.session.commit()
    return window


def update_window(window: Availability, starts_at: datetime, ends_at: datetime, *,
                  actor: User | None) -> Availability:
    _checked_window(window.event, starts_at, ends_at)
    window.starts_at, window.ends_at = starts_at, ends_at
    audit.record("availability.updated", actor=actor, event_id=window.event_id, target=window,
                 user_id=window.user_id, starts_at=starts_at.isoformat(),
                 ends_at=ends_at.isoformat())
    db.session.commit()
    return window


def delete_window(window: Availability, *, actor: User | None) -> None:
    audit.record("availability.deleted", actor=actor, event_id=window.event_id, target=window,
                 user_id=window.user_id, starts_at=window.starts_at.isoformat(),
                 ends_at=window.ends_at.isoformat())
    db.session.delete(window)
    db.session.commit()
