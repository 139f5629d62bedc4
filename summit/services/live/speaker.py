"""The speaker's view of a session: reached without an account through an unguessable link
(the session's stage token), which the organiser creates and renews (the old link stops
working at once); and the threshold at which its countdown turns to the warning colour."""

from __future__ import annotations

import secrets

from flask_babel import LazyString, ngettext

from ...extensions import db
from ...models import EventSession, User
from ..errors import FieldError
from ..platform import audit

MAX_WARNING_SECONDS = 600


def warning_range():
    return LazyString(lambda: ngettext("Please give a number of seconds from 0 to %(num)d.",
                                       "Please give a number of seconds from 0 to %(num)d.",
                                       MAX_WARNING_SECONDS))


def by_token(token: str) -> EventSession | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(db.select(EventSession).where(EventSession.stage_token == token))


def renew_token(session: EventSession, *, actor: User | None) -> str:
    """A new link for the speaker view; the old one (if any) no longer opens it."""
    audit.record("stage.link_renewed", actor=actor, event_id=session.event_id,
                 target=session, first=session.stage_token is None)
    session.stage_token = secrets.token_urlsafe(32)  # 43 characters, 256 bits
    db.session.commit()
    return session.stage_token


def set_warning_seconds(session: EventSession, seconds, *, actor: User | None) -> None:
    if not isinstance(seconds, int) or isinstance(seconds, bool) \
            or not 0 <= seconds <= MAX_WARNING_SECONDS:
        raise FieldError("warning_seconds", warning_range())
    if seconds != session.warning_seconds:
        audit.record("stage.warning_changed", actor=actor, event_id=session.event_id,
                     target=session, before=session.warning_seconds, after=seconds)
        session.warning_seconds = seconds
    db.session.commit()
