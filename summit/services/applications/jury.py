"""Who reviews what: the jury, automatic and manual assignment, conflicts of interest."""

from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import Forbidden

from ...extensions import db
from ...models import (
    JURY,
    SUBMITTED,
    Application,
    JuryAssignment,
    Review,
    User,
)
from ..errors import FieldError
from ..platform import audit
from . import assignment
from .call import get_call

REVIEWABLE = (SUBMITTED, "accepted", "reserve", "rejected")


def jurors() -> list[User]:
    return list(db.session.scalars(db.select(User).where(
        User.role == JURY, User.active.is_(True)).order_by(User.name, User.email)))


def assignments(event) -> list[JuryAssignment]:
    return list(db.session.scalars(
        db.select(JuryAssignment).join(Application)
        .where(Application.event_id == event.id)
        .order_by(JuryAssignment.application_id, JuryAssignment.user_id)))


def assign_automatically(event, *, actor) -> assignment.Plan:
    """Give every submitted application the call's K reviewers, evenly; keeps what exists."""
    call = get_call(event)
    if call is None:
        raise FieldError("call", _l("This event has no call for pitches."))
    application_ids = list(db.session.scalars(db.select(Application.id).where(
        Application.event_id == event.id, Application.status == SUBMITTED)))
    rows = assignments(event)
    result = assignment.plan(
        application_ids, [juror.id for juror in jurors()], call.reviews_per_application,
        conflicts={(r.application_id, r.user_id) for r in rows if r.conflict},
        existing={(r.application_id, r.user_id) for r in rows if not r.conflict})
    for application_id, user_id in result.added:
        db.session.add(JuryAssignment(application_id=application_id, user_id=user_id))
    audit.record("jury.assign_automatically", actor=actor, event_id=event.id,
                 added=len(result.added), short=len(result.short))
    db.session.commit()
    return result


def assign(application: Application, user_id: int, *, actor, conflict: bool = False) -> None:
    """By hand: add a juror to an application, or record a known conflict."""
    juror = db.session.get(User, user_id)
    if juror is None or juror.role != JURY:
        raise FieldError("juror", _l("Please choose a member of the jury."))
    row = _row(application.id, user_id)
    if row is None:
        db.session.add(JuryAssignment(application_id=application.id, user_id=user_id,
                                      conflict=conflict))
    else:
        row.conflict = conflict
    audit.record("jury.assign", actor=actor, event_id=application.event_id,
                 target=application, juror=user_id, conflict=conflict)
    db.session.commit()


def unassign(application: Application, user_id: int, *, actor) -> None:
    row = _row(application.id, user_id)
    if row is not None:
        db.session.delete(row)
        audit.record("jury.unassign", actor=actor, event_id=application.event_id,
                     target=application, juror=user_id)
        db.session.commit()


def declare_conflict(application: Application, user: User) -> None:
    """The juror knows the applicant: they leave the application, their review goes too."""
    row = _row(application.id, user.id)
    if row is None or row.conflict:
        raise Forbidden()
    row.conflict = True
    review = db.session.scalar(db.select(Review).where(
        Review.application_id == application.id, Review.user_id == user.id))
    if review is not None:
        db.session.delete(review)
    audit.record("jury.conflict", actor=user, event_id=application.event_id,
                 target=application)
    db.session.commit()


def assigned_to(user: User) -> list[Application]:
    """The applications this juror reviews (not those in conflict), newest call first."""
    return list(db.session.scalars(
        db.select(Application).join(JuryAssignment)
        .where(JuryAssignment.user_id == user.id, JuryAssignment.conflict.is_(False),
               Application.status.in_(REVIEWABLE))
        .order_by(Application.event_id.desc(), Application.id)))


def check_assigned(application: Application, user: User) -> None:
    """403 unless this juror is assigned to the application and not in conflict."""
    row = _row(application.id, user.id)
    if row is None or row.conflict or application.status not in REVIEWABLE:
        raise Forbidden()


def _row(application_id: int, user_id: int) -> JuryAssignment | None:
    return db.session.scalar(db.select(JuryAssignment).where(
        JuryAssignment.application_id == application_id, JuryAssignment.user_id == user_id))


def loads(event) -> list[tuple[User, int, int, int]]:
    """[(juror, assigned, reviewed, conflicts)] for the event: is the load even, who is
    behind?"""
    rows = assignments(event)
    reviewed = set(db.session.execute(
        db.select(Review.application_id, Review.user_id).join(Application)
        .where(Application.event_id == event.id)).tuples())
    result = []
    for juror in jurors():
        mine = [r for r in rows if r.user_id == juror.id]
        assigned = [r for r in mine if not r.conflict]
        done = sum(1 for r in assigned if (r.application_id, juror.id) in reviewed)
        result.append((juror, len(assigned), done, len(mine) - len(assigned)))
    return result
