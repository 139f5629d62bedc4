"""The ordered pitches of a pitch session: their running order and times, adding, changing,
moving and deleting them, and linking a presenter to their registration.

Pitch times are never stored: they follow from the session start and the running order
(`pitch_schedule`). Every change raises the session's `sequence` and writes an audit entry,
in the same transaction; changes to the order lock the session row first.
"""

from datetime import datetime

from flask_babel import gettext as _
from werkzeug.exceptions import NotFound

from ...extensions import db
from ...models import Event, EventSession, Pitch, Registration, User
from ..platform import audit
from .schedule_checks import pitch_times
from .sessions import ProgrammeError, lock

# --- reading ------------------------------------------------------------------------------


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


# --- changes ------------------------------------------------------------------------------


PITCH_FIELDS = ("title", "title_de", "presenter", "organisation", "description",
                "description_de", "pitch_minutes",
                "qa_minutes", "changeover_minutes", "registration_id")


def create_pitch(session: EventSession, *, actor: User | None, **fields) -> Pitch:
    if session.kind != "pitch":
        raise ProgrammeError("session", _("Only pitch sessions have pitches."))
    values = _checked_pitch_fields(session, fields)
    locked = lock(session)
    position = max((p.position for p in locked.pitches), default=0) + 1
    pitch = Pitch(session=locked, position=position, **values)
    db.session.add(pitch)
    locked.sequence += 1
    db.session.flush()
    audit.record("pitch.created", actor=actor, event_id=locked.event_id, target=pitch,
                 session_id=locked.id, title=pitch.title or pitch.title_de,
                 position=position)
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
    """Delete a pitch; the ones after it move up. Refused for the pitch on stage while its
    session runs: the stage moves on only when a moderator presses "next", so the hall
    display never jumps to someone who is not at the lectern yet."""
    session = lock(pitch.session)
    # The run of show locks the same row before it moves the stage: this answer holds.
    from ..live.run_of_show import current_pitch  # live imports programme: import late

    on_stage = current_pitch(session)
    if on_stage is not None and on_stage.id == pitch.id:
        raise ProgrammeError("pitch", _(
            "“%(title)s” is on stage right now and cannot be deleted. Ask the moderators "
            "to move on to the next pitch or to end the session first.", title=pitch.title),
            status=409)
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
    session = lock(session)
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
    for name in ("title", "title_de", "presenter"):
        values[name] = " ".join((values.get(name) or "").split())
    if not values["title"] and not values["title_de"]:
        raise ProgrammeError("title", _("Please give the pitch a title in English or German, "
                                        "or both."))
    if not values["presenter"]:
        raise ProgrammeError("presenter", _("Please name the presenter."))
    values["organisation"] = " ".join((values.get("organisation") or "").split())
    values["description"] = values.get("description") or ""
    values["description_de"] = values.get("description_de") or ""
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
