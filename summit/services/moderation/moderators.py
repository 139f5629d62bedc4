"""The moderators: who they are, which sessions need them, whom a session has, and who may
run a session on stage. Languages and availability are in availability.py, assignment by
hand and automatic in assign.py.
"""

from __future__ import annotations

from ...extensions import db
from ...models import MODERATOR, Event, EventSession, ModeratorAssignment, User
from ..errors import FieldError


class ModerationError(FieldError):
    """A change refused as asked; `field` names the form field the message belongs to."""


# --- reading ------------------------------------------------------------------------------


def moderators() -> list[User]:
    return list(db.session.scalars(
        db.select(User).where(User.role == MODERATOR, User.active.is_(True))
        .order_by(User.name, User.id)))


def get_moderator(user_id: int) -> User:
    user = db.get_or_404(User, user_id)
    if user.role != MODERATOR:
        from werkzeug.exceptions import NotFound

        raise NotFound()
    return user


def sessions_needing_moderators(event: Event) -> list[EventSession]:
    return list(db.session.scalars(
        db.select(EventSession)
        .where(EventSession.event_id == event.id, EventSession.moderators_needed > 0)
        .order_by(EventSession.starts_at, EventSession.id)))


def assignments_of(user: User) -> list[ModeratorAssignment]:
    """The user's assignments in every event, by session start."""
    return list(db.session.scalars(
        db.select(ModeratorAssignment).join(ModeratorAssignment.session)
        .where(ModeratorAssignment.user_id == user.id)
        .order_by(EventSession.starts_at, EventSession.id)))


def pitch_sessions() -> list[EventSession]:
    return list(db.session.scalars(
        db.select(EventSession).where(EventSession.kind == "pitch")
        .order_by(EventSession.starts_at, EventSession.id)))


def is_assigned(user: User, session: EventSession) -> bool:
    return db.session.scalar(
        db.select(ModeratorAssignment.id).where(
            ModeratorAssignment.session_id == session.id,
            ModeratorAssignment.user_id == user.id)) is not None


def may_run(user: User, session: EventSession) -> bool:
    """Organisers and the session's own moderators run a session on stage."""
    return user.has_role("organiser") or (user.has_role(MODERATOR) and is_assigned(user, session))
