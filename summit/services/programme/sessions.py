"""The programme: sessions, the ordered pitches of a pitch session, moderators by hand.

Every change raises the session's `sequence` (calendar clients replace their copy) and writes
an audit entry with the organiser as actor, in the same transaction. Pitch times are never
stored: they follow from the session start and the running order (`pitch_schedule`).
"""

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound

from ...extensions import db
from ...i18n import format_datetime, format_time
from ...models import (
    MODERATOR_ROLES,
    SESSION_KINDS,
    Availability,
    Event,
    EventSession,
    ModeratorAssignment,
    Pitch,
    Registration,
    Room,
    User,
)
from ..errors import FieldError
from ..platform import audit
from .schedule_checks import (
    AssignmentInfo,
    EventInfo,
    PitchInfo,
    ScheduleWarning,
    SessionInfo,
    check_schedule,
    pitch_times,
)


class ProgrammeError(FieldError):
    """A change refused as asked; `field` names the form field the message belongs to."""


# --- reading ------------------------------------------------------------------------------


def sessions_for(event: Event) -> list[EventSession]:
    """The event's sessions in time order, with rooms, pitches and moderators loaded."""
    return list(db.session.scalars(
        db.select(EventSession).where(EventSession.event_id == event.id)
        .options(selectinload(EventSession.room), selectinload(EventSession.pitches),
                 selectinload(EventSession.assignments).joinedload(ModeratorAssignment.user))
        .order_by(EventSession.starts_at, EventSession.id)))


def get_session(event: Event, session_id: int) -> EventSession:
    """The session of this event, else 404 (a session id of another event is not found)."""
    session = db.get_or_404(EventSession, session_id)
    if session.event_id != event.id:
        raise NotFound()
    return session


def get_pitch(session: EventSession, pitch_id: int) -> Pitch:
    pitch = db.get_or_404(Pitch, pitch_id)
    if pitch.session_id != session.id:
        raise NotFound()
    return pitch


def pitch_schedule(session: EventSession) -> list[tuple[Pitch, datetime, datetime]]:
    """Each pitch with its start and end, in running order; nothing is stored."""
    pitches = sorted(session.pitches, key=lambda p: p.position)
    times = pitch_times(session.starts_at, [
        (p.pitch_minutes, p.qa_minutes, p.changeover_minutes) for p in pitches])
    return [(pitch, start, end) for pitch, (start, end) in zip(pitches, times, strict=True)]


def days(event: Event, sessions: list[EventSession]) -> list[tuple[object, list[EventSession]]]:
    """Sessions grouped by their local start day, in order."""
    grouped: dict[object, list[EventSession]] = {}
    for session in sessions:
        grouped.setdefault(session.starts_at.astimezone(event.tz).date(), []).append(session)
    return sorted(grouped.items(), key=lambda item: item[0])


# --- sessions -----------------------------------------------------------------------------


SESSION_FIELDS = ("title", "kind", "room_id", "starts_at", "ends_at", "language",
                  "description", "moderators_needed")


def create_session(event: Event, *, actor: User | None, **fields) -> EventSession:
    values = _checked_session_fields(event, fields)
    session = EventSession(event=event, **values)
    db.session.add(session)
    db.session.flush()
    audit.record("session.created", actor=actor, event_id=event.id, target=session,
                 title=session.title)
    db.session.commit()
    return session


def update_session(session: EventSession, *, actor: User | None, **fields) -> EventSession:
    values = _checked_session_fields(session.event, fields, session)
    changed = {key: value for key, value in values.items() if getattr(session, key) != value}
    for key, value in changed.items():
        setattr(session, key, value)
    if changed:
        session.sequence += 1
        audit.record("session.updated", actor=actor, event_id=session.event_id, target=session,
                     fields=",".join(sorted(changed)))
    db.session.commit()
    return session


def delete_session(session: EventSession, *, actor: User | None) -> None:
    audit.record("session.deleted", actor=actor, event_id=session.event_id, target=session,
                 title=session.title, pitches=len(session.pitches))
    db.session.delete(session)
    db.session.commit()


def _checked_session_fields(event: Event, fields: dict,
                            session: EventSession | None = None) -> dict:
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {', '.join(sorted(unknown))}")
    values = {key: fields[key] for key in SESSION_FIELDS if key in fields}
    values["title"] = " ".join((values.get("title") or "").split())
    if not values["title"]:
        raise ProgrammeError("title", _("Please give the session a title."))
    kind = values.get("kind") or "pitch"
    if kind not in SESSION_KINDS:
        raise ProgrammeError("kind", _("Choose one of the session kinds: %(kinds)s.",
                                       kinds=", ".join(SESSION_KINDS)))
    values["kind"] = kind
    if session is not None and kind != "pitch" and session.pitches:
        raise ProgrammeError("kind", _("This session still has pitches. Delete them first or "
                                       "keep it a pitch session."))
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ProgrammeError(name, _("Please give a date and time."))
    if ends_at <= starts_at:
        raise ProgrammeError("ends_at", _("The session must end after it starts."))
    room_id = values.get("room_id")
    if room_id is not None:
        room = db.session.get(Room, room_id)
        if room is None or room.event_id != event.id:
            raise ProgrammeError("room_id", _("This room does not belong to the event."))
    values["room_id"] = room_id
    language = values.get("language") or None
    languages = current_app.config["SUMMIT_LANGUAGES"]
    if language is not None and language not in languages:
        raise ProgrammeError("language", _("Choose one of the languages: %(codes)s.",
                                           codes=", ".join(languages)))
    values["language"] = language
    values["description"] = values.get("description") or ""
    needed = values.get("moderators_needed")
    values["moderators_needed"] = 0 if needed is None else needed
    if values["moderators_needed"] < 0:
        raise ProgrammeError("moderators_needed", _("The number cannot be negative."))
    return values


# --- pitches ------------------------------------------------------------------------------


PITCH_FIELDS = ("title", "presenter", "organisation", "description", "pitch_minutes",
                "qa_minutes", "changeover_minutes", "registration_id")


def create_pitch(session: EventSession, *, actor: User | None, **fields) -> Pitch:
    if session.kind != "pitch":
        raise ProgrammeError("session", _("Only pitch sessions have pitches."))
    values = _checked_pitch_fields(session, fields)
    locked = _lock(session)
    position = max((p.position for p in locked.pitches), default=0) + 1
    pitch = Pitch(session=locked, position=position, **values)
    db.session.add(pitch)
    locked.sequence += 1
    db.session.flush()
    audit.record("pitch.created", actor=actor, event_id=locked.event_id, target=pitch,
                 session_id=locked.id, title=pitch.title, position=position)
    db.session.commit()
    return pitch


def update_pitch(pitch: Pitch, *, actor: User | None, **fields) -> Pitch:
    values = _checked_pitch_fields(pitch.session, fields)
    changed = {key: value for key, value in values.items() if getattr(pitch, key) != value}
    for key, value in changed.items():
        setattr(pitch, key, value)
    if changed:
        pitch.session.sequence += 1
        audit.record("pitch.updated", actor=actor, event_id=pitch.session.event_id,
                     target=pitch, fields=",".join(sorted(changed)))
    db.session.commit()
    return pitch


def delete_pitch(pitch: Pitch, *, actor: User | None) -> None:
    session = _lock(pitch.session)
    audit.record("pitch.deleted", actor=actor, event_id=session.event_id, target=pitch,
                 session_id=session.id, title=pitch.title)
    remaining = [p for p in session.pitches if p.id != pitch.id]
    session.pitches.remove(pitch)
    db.session.flush()
    _renumber(remaining)
    session.sequence += 1
    db.session.commit()


def reorder(session: EventSession, pitch_ids: list[int], *, actor: User | None) -> EventSession:
    """Put the session's pitches in the given order; the list must name each of them once."""
    session = _lock(session)
    by_id = {p.id: p for p in session.pitches}
    ids = [int(pitch_id) for pitch_id in pitch_ids]
    if len(set(ids)) != len(ids):
        raise ProgrammeError("pitch_ids", _("Each pitch may appear only once in the order."))
    for pitch_id in ids:
        if pitch_id in by_id:
            continue
        stranger = db.session.get(Pitch, pitch_id)
        if stranger is None:
            raise ProgrammeError("pitch_ids", _("There is no pitch with the number %(id)s.",
                                                id=pitch_id))
        raise ProgrammeError("pitch_ids", _(
            "The pitch “%(title)s” belongs to another session and cannot be ordered here.",
            title=stranger.title))
    missing = [p for p in session.pitches if p.id not in ids]
    if missing:
        raise ProgrammeError("pitch_ids", _(
            "The order must list every pitch of the session; missing: %(titles)s.",
            titles=", ".join(f"“{p.title}”" for p in missing)))
    if ids != [p.id for p in sorted(session.pitches, key=lambda p: p.position)]:
        _renumber([by_id[pitch_id] for pitch_id in ids])
        session.sequence += 1
        audit.record("pitches.reordered", actor=actor, event_id=session.event_id,
                     target=session, order=",".join(map(str, ids)))
    db.session.commit()
    return session


def move_pitch(pitch: Pitch, direction: str, *, actor: User | None) -> EventSession:
    """Swap the pitch with its neighbour ('up' = earlier, 'down' = later)."""
    if direction not in ("up", "down"):
        raise ProgrammeError("direction", _("Move a pitch up or down."))
    ordered = [p.id for p in sorted(pitch.session.pitches, key=lambda p: p.position)]
    index = ordered.index(pitch.id)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    return reorder(pitch.session, ordered, actor=actor)


def _checked_pitch_fields(session: EventSession, fields: dict) -> dict:
    unknown = set(fields) - set(PITCH_FIELDS)
    if unknown:
        raise TypeError(f"unknown pitch fields: {', '.join(sorted(unknown))}")
    values = {key: fields[key] for key in PITCH_FIELDS if key in fields}
    for name, message in (("title", _("Please give the pitch a title.")),
                          ("presenter", _("Please name the presenter."))):
        values[name] = " ".join((values.get(name) or "").split())
        if not values[name]:
            raise ProgrammeError(name, message)
    values["organisation"] = " ".join((values.get("organisation") or "").split())
    values["description"] = values.get("description") or ""
    for name, default in (("pitch_minutes", 5), ("qa_minutes", 3), ("changeover_minutes", 1)):
        if values.get(name) is None:
            values[name] = default
        if values[name] < 0:
            raise ProgrammeError(name, _("Minutes cannot be negative."))
    if values["pitch_minutes"] < 1:
        raise ProgrammeError("pitch_minutes", _("A pitch needs at least one minute."))
    registration_id = values.get("registration_id")
    if registration_id is not None:
        registration = db.session.get(Registration, registration_id)
        if registration is None or registration.event_id != session.event_id:
            raise ProgrammeError("presenter_email",
                                 _("Nobody with this e-mail address is registered."))
    return values


def registration_for_email(event: Event, email: str) -> int | None:
    """The id of the event registration with this e-mail, for linking a presenter."""
    email = (email or "").strip().lower()
    if not email:
        return None
    registration_id = db.session.scalar(db.select(Registration.id).where(
        Registration.event_id == event.id, Registration.email_normalised == email))
    if registration_id is None:
        raise ProgrammeError("presenter_email",
                             _("Nobody with this e-mail address is registered."))
    return registration_id


def _lock(session: EventSession) -> EventSession:
    """Lock the session row: concurrent reorders of one session wait for each other."""
    db.session.execute(db.select(EventSession.id).where(EventSession.id == session.id)
                       .with_for_update())
    # Re-read what a concurrent change may have moved, overwriting stale loaded values.
    db.session.scalars(db.select(Pitch).where(Pitch.session_id == session.id)
                       .execution_options(populate_existing=True)).all()
    db.session.refresh(session, attribute_names=["pitches", "assignments", "sequence"])
    return session


def _renumber(ordered: list[Pitch]) -> None:
    """Positions 1..n in this order. Positions are unique per session and checked on every
    row, so the rows first move past every used position, then to their places."""
    if not ordered:
        return
    offset = max(p.position for p in ordered) + len(ordered)
    for index, pitch in enumerate(ordered, 1):
        pitch.position = offset + index
    db.session.flush()
    for index, pitch in enumerate(ordered, 1):
        pitch.position = index
    db.session.flush()


# --- moderators by hand -----------------------------------------------------------------


MODERATING_ROLES = ("moderator", "organiser")


def busy_elsewhere(session: EventSession, user: User) -> list[EventSession]:
    """The user's other moderated sessions (any event) overlapping this one's [start, end)."""
    return list(db.session.scalars(
        db.select(EventSession).join(ModeratorAssignment)
        .where(ModeratorAssignment.user_id == user.id, EventSession.id != session.id,
               EventSession.starts_at < session.ends_at,
               EventSession.ends_at > session.starts_at)
        .order_by(EventSession.starts_at)))


def assign_moderator(session: EventSession, user: User, role: str, *, actor: User | None,
                     pinned: bool = True) -> ModeratorAssignment:
    """Make the user lead or co-moderator of the session (the organiser's hand assignment).

    Refused with status 409 when they already moderate an overlapping session. A session has
    one lead: naming a new lead makes the previous lead a co-moderator. Assigning someone who
    is on the session already changes their role.
    """
    if role not in MODERATOR_ROLES:
        raise ProgrammeError("role", _("Choose the role lead or co."))
    if not user.active or not user.has_role(*MODERATING_ROLES):
        raise ProgrammeError("user_id", _("%(name)s cannot moderate: the account is not a "
                                          "moderator account.", name=user.name))
    session = _lock(session)
    clash = busy_elsewhere(session, user)
    if clash:
        other, zone = clash[0], session.event.timezone
        raise ProgrammeError("user_id", _(
            "%(name)s already moderates “%(title)s” at %(start)s–%(end)s, which overlaps "
            "this session.", name=user.name, title=other.title,
            start=format_datetime(other.starts_at, zone, "short"),
            end=format_time(other.ends_at, zone)), status=409)
    assignment = next((a for a in session.assignments if a.user_id == user.id), None)
    if role == "lead":
        for other in session.assignments:
            if other.role == "lead" and other.user_id != user.id:
                other.role = "co"
    if assignment is None:
        assignment = ModeratorAssignment(session=session, user=user, role=role, pinned=pinned)
        db.session.add(assignment)
    else:
        assignment.role, assignment.pinned = role, pinned or assignment.pinned
    session.sequence += 1
    db.session.flush()
    audit.record("moderator.assigned", actor=actor, event_id=session.event_id,
                 target=assignment, session_id=session.id, user_id=user.id, role=role)
    db.session.commit()
    return assignment


def moderated_sessions(user: User) -> list[EventSession]:
    """Every session the user moderates, in time order (their calendar)."""
    return list(db.session.scalars(
        db.select(EventSession).join(ModeratorAssignment)
        .where(ModeratorAssignment.user_id == user.id)
        .order_by(EventSession.starts_at, EventSession.id)))


# --- warnings -----------------------------------------------------------------------------


def warnings(event: Event) -> list[ScheduleWarning]:
    """The schedule warnings of the whole event (room, presenter and moderator conflicts,
    pitches running over, moderators outside their availability, sessions off the dates)."""
    sessions = sessions_for(event)
    session_infos, pitch_infos, assignment_infos = [], [], []
    for session in sessions:
        session_infos.append(SessionInfo(session.id, session.title,
                                         session.room.name if session.room else None,
                                         session.starts_at, session.ends_at))
        for pitch, start, end in pitch_schedule(session):
            pitch_infos.append(PitchInfo(pitch.id, session.id, pitch.title, pitch.presenter,
                                         start, end))
        for assignment in session.assignments:
            assignment_infos.append(AssignmentInfo(session.id, assignment.user_id,
                                                   assignment.user.name))
    availability: dict[int, list[tuple[datetime, datetime]]] = {}
    for window in db.session.scalars(db.select(Availability)
                                     .where(Availability.event_id == event.id)
                                     .order_by(Availability.starts_at)):
        availability.setdefault(window.user_id, []).append((window.starts_at, window.ends_at))
    info = EventInfo(event.timezone, event.starts_on, event.ends_on)
    return check_schedule(info, session_infos, pitch_infos, assignment_infos, availability)


def warnings_by_session(event: Event) -> dict[int, list[ScheduleWarning]]:
    grouped: dict[int, list[ScheduleWarning]] = {}
    for warning in warnings(event):
        grouped.setdefault(warning.session_id, []).append(warning)
    return grouped
