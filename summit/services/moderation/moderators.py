"""Moderators of an event: languages, availability windows, (automatic) assignment to sessions.

The rule of automatic assignment lives in the pure `planner.auto_assign`; this module adapts
the models to it and writes the result back in one transaction with an audit entry.
Hand assignment (`assign_moderator`, which refuses double-booking) lives in `programme`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import true

from ...extensions import db
from ...models import (
    MODERATOR,
    Availability,
    Event,
    EventSession,
    ModeratorAssignment,
    User,
)
from ..platform import audit
from .assignment import Booking, ModeratorInfo, Pinned, SessionSlot
from .planner import auto_assign
from .reasons import Reason

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")
# A window no session can lie in: lets people who are not moderators (any more) keep their
# pinned seats in the planner without ever being picked by it.
_NEVER = ((datetime(1970, 1, 1, tzinfo=UTC), datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC)),)


class ModerationError(ValueError):
    """A change refused as asked; `field` names the form field the message belongs to."""

    def __init__(self, field: str, message: str, status: int = 422):
        super().__init__(message)
        self.field, self.message, self.status = field, message, status


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


# --- languages and availability -----------------------------------------------------------


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
                 user_id=window.user_id)
    db.session.delete(window)
    db.session.commit()


def unassign(assignment: ModeratorAssignment, *, actor: User | None) -> None:
    session = assignment.session
    audit.record("moderator.unassigned", actor=actor, event_id=session.event_id,
                 target=assignment, session_id=session.id, user_id=assignment.user_id,
                 role=assignment.role)
    db.session.delete(assignment)
    session.sequence += 1  # the calendar copies list the moderators
    db.session.commit()


# --- automatic assignment -----------------------------------------------------------------


@dataclass
class SessionOutcome:
    session: EventSession
    needed: int
    assigned: list[ModeratorAssignment] = field(default_factory=list)
    missing: int = 0
    reasons: list[Reason] = field(default_factory=list)

    @property
    def filled(self) -> bool:
        return self.missing == 0 and not self.reasons


@dataclass
class AutoAssignSummary:
    outcomes: list[SessionOutcome]
    added: int = 0
    removed: int = 0

    @property
    def filled(self) -> list[SessionOutcome]:
        return [o for o in self.outcomes if o.filled]

    @property
    def unfilled(self) -> list[SessionOutcome]:
        return [o for o in self.outcomes if not o.filled]


def _planner_input(event: Event, keep_all: bool):
    """Models → assignment.py inputs. `keep_all` treats every current assignment as pinned
    (the staffing status); otherwise only pinned ones are kept (a fresh automatic run)."""
    sessions = sessions_needing_moderators(event)
    session_ids = {s.id for s in sessions}
    people = {user.id: user for user in moderators()}
    windows = windows_for(event)
    current = list(db.session.scalars(
        db.select(ModeratorAssignment).join(ModeratorAssignment.session)
        .where(EventSession.event_id == event.id)
        .order_by(ModeratorAssignment.session_id, ModeratorAssignment.user_id)))
    kept = [a for a in current if a.session_id in session_ids and (keep_all or a.pinned)]
    for assignment in kept:  # a pinned person who is no moderator any more keeps the seat
        people.setdefault(assignment.user_id, assignment.user)
    slots = [SessionSlot(id=s.id, title=s.title, starts_at=s.starts_at, ends_at=s.ends_at,
                         language=s.language or None, moderators_needed=s.moderators_needed)
             for s in sessions]
    infos = [
        ModeratorInfo(
            id=user.id, name=user.name,
            languages=user.language_set if user.role == MODERATOR else frozenset(),
            availability=(tuple((w.starts_at, w.ends_at) for w in windows.get(user.id, []))
                          if user.role == MODERATOR else _NEVER))
        for user in people.values()
    ]
    pins = _pins(kept)
    # Seats in sessions that need no moderators, and in other events, still take people's time.
    other = db.session.scalars(
        db.select(ModeratorAssignment).join(ModeratorAssignment.session)
        .where(ModeratorAssignment.user_id.in_(list(people)),
               ModeratorAssignment.session_id.not_in(session_ids) if session_ids else true()))
    bookings = [Booking(a.user_id, a.session.starts_at, a.session.ends_at, a.session_id)
                for a in other]
    return sessions, slots, infos, pins, bookings, current


def _pins(kept: list[ModeratorAssignment]) -> list[Pinned]:
    pins: list[Pinned] = []
    leads: set[int] = set()
    for a in sorted(kept, key=lambda a: (a.session_id, a.role != "lead", a.user_id)):
        # Two leads cannot come from the hand-assignment rule; should old data hold them,
        # the second one counts as a co-moderator rather than stopping the planner.
        role = a.role
        if role == "lead":
            role = "co" if a.session_id in leads else "lead"
            leads.add(a.session_id)
        pins.append(Pinned(a.session_id, a.user_id, role))
    return pins


def auto_assign_event(event: Event, *, actor: User | None) -> AutoAssignSummary:
    """Fill every session of the event that needs moderators. Pinned assignments stay;
    earlier automatic ones are replaced by this run's. Same input, same result."""
    sessions, slots, infos, pins, bookings, current = _planner_input(event, keep_all=False)
    result = auto_assign(slots, infos, pins, bookings, display_tz=event.tz)
    wanted = {(a.session_id, a.moderator_id): a.role for a in result.assignments if not a.pinned}
    session_ids = {s.id for s in sessions}
    removed = added = 0
    existing = {}
    for assignment in current:
        if assignment.pinned or assignment.session_id not in session_ids:
            continue
        key = (assignment.session_id, assignment.user_id)
        if key in wanted:
            existing[key] = assignment
            assignment.role = wanted[key]
        else:
            db.session.delete(assignment)
            removed += 1
    db.session.flush()  # deletes first: the same person may come back in another role
    by_id = {s.id: s for s in sessions}
    for a in result.assignments:
        key = (a.session_id, a.moderator_id)
        if a.pinned or key in existing:
            continue
        db.session.add(ModeratorAssignment(session_id=a.session_id, user_id=a.moderator_id,
                                           role=a.role, pinned=False))
        added += 1
    changed_sessions = {a.session_id for a in result.assignments if not a.pinned}
    for session_id in changed_sessions:
        by_id[session_id].sequence += 1
    audit.record("moderators.auto_assigned", actor=actor, event_id=event.id, target=event,
                 sessions=len(slots), unfilled=len(result.unfilled), added=added,
                 removed=removed)
    db.session.commit()
    summary = staffing(event)
    summary.added, summary.removed = added, removed
    return summary


def staffing(event: Event) -> AutoAssignSummary:
    """Per session that needs moderators: who is assigned and, if seats stay empty, why."""
    sessions, slots, infos, pins, bookings, _current = _planner_input(event, keep_all=True)
    result = auto_assign(slots, infos, pins, bookings, display_tz=event.tz)
    gaps = {u.session_id: u for u in result.unfilled}
    outcomes = []
    for session in sessions:
        gap = gaps.get(session.id)
        assigned = sorted(session.assignments, key=lambda a: (a.role != "lead", a.user.name))
        missing = max(0, session.moderators_needed - len(assigned))
        outcomes.append(SessionOutcome(session=session, needed=session.moderators_needed,
                                       assigned=assigned, missing=missing,
                                       reasons=gap.reasons if gap else []))
    return AutoAssignSummary(outcomes=outcomes)
