"""Messages from the moderators to the speaker's view: presets in German and English or free
text, shown until a moderator dismisses them; the speaker view reports when it first showed
one ("seen"), and the moderators see that time.

Each change commits on its own, like the run of show, and touches the run's `updated_at`
so that whatever watches the live state sees a change (the run's version stays: a message
must not make a moderator's next press look stale).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import LazyString, ngettext
from flask_babel import lazy_gettext as _l

from ...extensions import db
from ...models import EventSession, SessionRun, StageMessage, User, utcnow
from ..errors import FieldError

MAX_LENGTH = 200
# Shown on the stage as written, whatever language the moderator's page speaks: the speaker
# may speak another language than the moderator.
PRESETS = (
    ("de", "Bitte zum Ende kommen"), ("en", "Please wrap up"),
    ("de", "Noch eine Frage"), ("en", "One more question"),
    ("de", "Mikrofon an"), ("en", "Microphone on"),
)
# How many messages the stage shows at once: the newest; older ones wait below the fold.
SHOWN = 3


def send(session: EventSession, body: str, *, actor: User | None,
         now: datetime | None = None) -> StageMessage:
    text = " ".join((body or "").split())
    if not text:
        raise FieldError("body", _l("Please write a message."))
    if len(text) > MAX_LENGTH:
        raise FieldError("body", too_long())
    now = now or utcnow()
    message = StageMessage(session_id=session.id, body=text, created_at=now,
                           created_by_id=actor.id if actor else None)
    db.session.add(message)
    _touch(session, now)
    db.session.commit()
    return message


def too_long():
    return LazyString(lambda: ngettext("Please use at most %(num)d character.",
                                       "Please use at most %(num)d characters.", MAX_LENGTH))


def get(session: EventSession, message_id: int) -> StageMessage | None:
    message = db.session.get(StageMessage, message_id)
    return message if message is not None and message.session_id == session.id else None


def dismiss(session: EventSession, message_id: int, *, now: datetime | None = None) -> bool:
    """Take the message off the stage; False if it is not this session's or gone already."""
    now = now or utcnow()
    changed = db.session.execute(
        db.update(StageMessage)
        .where(StageMessage.id == message_id, StageMessage.session_id == session.id,
               StageMessage.dismissed_at.is_(None))
        .values(dismissed_at=now).execution_options(synchronize_session=False)).rowcount
    if changed:
        _touch(session, now)
    db.session.commit()
    return bool(changed)


def mark_seen(session: EventSession, message_id: int, *, now: datetime | None = None) -> bool:
    """The speaker view showed it: the first time counts (several screens may show it)."""
    now = now or utcnow()
    changed = db.session.execute(
        db.update(StageMessage)
        .where(StageMessage.id == message_id, StageMessage.session_id == session.id,
               StageMessage.seen_at.is_(None), StageMessage.dismissed_at.is_(None))
        .values(seen_at=now).execution_options(synchronize_session=False)).rowcount
    if changed:
        _touch(session, now)
    db.session.commit()
    return bool(changed)


def active(session: EventSession) -> list[StageMessage]:
    """The messages on the stage now, the newest first."""
    return list(db.session.scalars(
        db.select(StageMessage)
        .where(StageMessage.session_id == session.id, StageMessage.dismissed_at.is_(None))
        .order_by(StageMessage.created_at.desc(), StageMessage.id.desc())
        .execution_options(populate_existing=True)))


def _touch(session: EventSession, now: datetime) -> None:
    db.session.execute(db.update(SessionRun).where(SessionRun.session_id == session.id)
                       .values(updated_at=now).execution_options(synchronize_session=False))
