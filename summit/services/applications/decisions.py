"""Decisions on applications: accept, reserve, reject in bulk; the decision mails, shown to
the organiser before they go through the outbox; the reserve list moving up."""

from flask_babel import lazy_gettext as _l

from ...extensions import db
from ...models import ACCEPTED, REJECTED, RESERVE, SUBMITTED, WITHDRAWN, Application, utcnow
from ..errors import FieldError
from ..mail import outbox
from ..platform import audit
from . import mails

DECISIONS = (ACCEPTED, RESERVE, REJECTED, SUBMITTED)


def decide(event, application_ids: list[int], decision: str, *, actor) -> int:
    """Set the decision of these applications of the event; returns how many changed.

    Withdrawn applications keep their state. A changed decision has to be mailed again."""
    if decision not in DECISIONS:
        raise FieldError("decision", _l("Please choose one of the offered decisions."))
    if not application_ids:
        raise FieldError("applications", _l("Please tick at least one application."))
    rows = db.session.scalars(db.select(Application).where(
        Application.event_id == event.id, Application.id.in_(application_ids),
        Application.status != WITHDRAWN)).all()
    now = utcnow()
    changed = 0
    for application in rows:
        if application.status != decision:
            application.status = decision
            application.decided_at = now if decision != SUBMITTED else None
            application.decision_sent_at = None
            changed += 1
    audit.record("applications.decide", actor=actor, event_id=event.id, decision=decision,
                 count=changed)
    db.session.commit()
    return changed


def unsent(event) -> list[Application]:
    """Decided applications whose decision mail has not been queued yet."""
    return list(db.session.scalars(db.select(Application).where(
        Application.event_id == event.id,
        Application.status.in_((ACCEPTED, RESERVE, REJECTED)),
        Application.decision_sent_at.is_(None)).order_by(Application.status, Application.id)))


def previews(event) -> list[tuple[Application, str, str]]:
    """[(application, subject, text)] of every mail send_decisions would queue."""
    return [(application, *mails.decision_text(application)) for application in unsent(event)]


def send_decisions(event, application_ids: list[int], *, actor) -> int:
    """Queue the checked decision mails (only those still unsent and still decided as
    shown); returns how many were queued."""
    wanted = set(application_ids)
    queued = 0
    now = utcnow()
    for application in unsent(event):
        if application.id in wanted:
            outbox.queue(mails.decision(application))
            application.decision_sent_at = now
            queued += 1
    audit.record("applications.decision_mails", actor=actor, event_id=event.id, count=queued)
    db.session.commit()
    return queued


def reserve_list(event_id: int) -> list[Application]:
    return list(db.session.scalars(db.select(Application).where(
        Application.event_id == event_id, Application.status == RESERVE)
        .order_by(Application.decided_at, Application.id)))


def promote_reserve(event_id: int) -> Application | None:
    """An accepted application withdrew: the first on the reserve list is accepted and told
    (in the caller's transaction)."""
    waiting = reserve_list(event_id)
    if not waiting:
        return None
    first = waiting[0]
    first.status, first.decided_at, first.decision_sent_at = ACCEPTED, utcnow(), utcnow()
    outbox.queue(mails.decision(first))
    audit.record("applications.reserve_moved_up", actor=None, event_id=event_id, target=first)
    return first
