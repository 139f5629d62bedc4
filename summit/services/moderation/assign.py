"""Who moderates which session: by hand (the organiser assigns and unassigns, double-booking
is refused) and automatically (the pure planner in planner.py, fed from the models here and
written back in one transaction with an audit entry).

Every change raises the session's `sequence`: the calendar copies list the moderators.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import true

from ...extensions import db
from ...i18n import current_language, format_datetime, format_time
from ...models import (
    MODERATOR,
    MODERATOR_ROLES,
    Event,
    EventSession,
    ModeratorAssignment,
    User,
    localised,
)
from ..platform import audit
from ..programme import sessions as programme
from .assignment import CO, LEAD, Booking, ModeratorInfo, Pinned, SessionSlot
from .availability import windows_for
from .moderators import moderators, sessions_needing_moderators
from .planner import auto_assign
from .reasons import Reason

# Accounts that may be assigned by hand; the planner only ever picks moderators.
MODERATING_ROLES = ("moderator", "organiser")
# A window no session can lie in: lets people who are not moderators (any more) keep their
# pinned seats in the planner without ever being picked by it.
_NEVER = ((datetime(1970, 1, 1, tzinfo=UTC), datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC)),)


# --- by hand ------------------------------------------------------------------------------


def busy_elsewhere(session: EventSession, user: User) -> list[EventSession]:
    """The user's other moderated sessions (any event) overlapping this one's [start, end)."""
    return list(db.session.scalars(
        db.select(EventSession).join(ModeratorAssignment)
        .where(ModeratorAssignment.user_id == user.id, EventSession.id != session.id,
               EventSession.starts_at < session.ends_at,
               EventSession.ends_at > session.starts_at)
        .order_by(EventSession.starts_at)))


@dataclass(frozen=True)
class HandAssignment:
    """What one hand assignment did, so that the organiser is told exactly that."""

    assignment: ModeratorAssignment
    role: str  # the person's role now
    previous_role: str | None  # their role in the session before; None: they were not on it
    demoted: User | None = None  # the previous lead, who is a co-moderator now

    @property
    def session_has_lead(self) -> bool:
        return any(a.role == LEAD for a in self.assignment.session.assignments)


def default_role(session: EventSession, user: User) -> str:
    """The role a hand assignment gives when the organiser names none: the person's current
    role in the session, else lead while the session has no lead, else co-moderator. (A
    fixed default of co-moderator demoted a lead who was assigned again, and automatic
    assignment then refused the session for want of a lead.)"""
    current = next((a.role for a in session.assignments if a.user_id == user.id), None)
    if current is not None:
        return current
    return CO if any(a.role == LEAD for a in session.assignments) else LEAD


def assign_moderator(session: EventSession, user: User, role: str | None = None, *,
                     actor: User | None, pinned: bool = True) -> HandAssignment:
    """Make the user lead or co-moderator of the session (the organiser's hand assignment).

    Without a role the person keeps the one they have, or becomes lead of a session without
    one (`default_role`). Refused with status 409 when they already moderate an overlapping
    session. A session has one lead: naming a new lead makes the previous lead a
    co-moderator, and the result says who that was. Refusals are the programme's errors, as
    they were before hand assignment moved here.
    """
    if role is not None and role not in MODERATOR_ROLES:
        raise programme.ProgrammeError("role", _("Choose the role lead or co."))
    if not user.active or not user.has_role(*MODERATING_ROLES):
        raise programme.ProgrammeError("user_id", _(
            "%(name)s cannot moderate: the account is not a moderator account.", name=user.name))
    session = programme.lock(session)
    clash = busy_elsewhere(session, user)
    if clash:
        other, zone = clash[0], session.event.timezone
        raise programme.ProgrammeError("user_id", _(
            "%(name)s already moderates “%(title)s” at %(start)s–%(end)s, which overlaps "
            "this session.", name=user.name,
            title=localised(other, "title", current_language()),
            start=format_datetime(other.starts_at, zone, "short"),
            end=format_time(other.ends_at, zone)), status=409)
    role = role or default_role(session, user)
    assignment = next((a for a in session.assignments if a.user_id == user.id), None)
    previous_role = assignment.role if assignment is not None else None
    demoted = None
    if role == LEAD:
        for other in session.assignments:
            if other.role == LEAD and other.user_id != user.id:
                other.role, demoted = CO, other.user
    if assignment is None:
        assignment = ModeratorAssignment(session=session, user=user, role=role, pinned=pinned)
        db.session.add(assignment)
    else:
        assignment.role, assignment.pinned = role, pinned or assignment.pinned
    session.sequence += 1
    db.session.flush()
    audit.record("moderator.assigned", actor=actor, event_id=session.event_id,
                 target=assignment, session_id=session.id, user_id=user.id, role=role,
                 previous_role=previous_role,
                 demoted_user_id=demoted.id if demoted is not None else None)
    db.session.commit()
    return HandAssignment(assignment, role, previous_role, demoted)


def unassign(assignment: ModeratorAssignment, *, actor: User | None) -> None:
    session = assignment.session
    audit.record("moderator.unassigned", actor=actor, event_id=session.event_id,
                 target=assignment, session_id=session.id, user_id=assignment.user_id,
                 role=assignment.role)
    db.session.delete(assignment)
    session.sequence += 1  # the calendar copies list the moderators
    db.session.commit()


# --- automatically ------------------------------------------------------------------------


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
        assigned = session.moderators_in_order
        missing = max(0, session.moderators_needed - len(assigned))
        outcomes.append(SessionOutcome(session=session, needed=session.moderators_needed,
                                       assigned=assigned, missing=missing,
                                       reasons=gap.reasons if gap else []))
    return AutoAssignSummary(outcomes=outcomes)


def _planner_input(event: Event, keep_all: bool):
    """Models → planner inputs. `keep_all` treats every current assignment as pinned
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
