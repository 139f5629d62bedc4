"""Applications under the GDPR like registrations: the applicant downloads what is stored
about them; an organiser erases the person and keeps the counts (and the reviews' scores)."""

from sqlalchemy import delete, func, or_

from ...extensions import db
from ...models import Application, OutboxMessage, Review, utcnow
from ..errors import FieldError
from ..platform import audit
from ..registrations import codes


def personal_data(application: Application) -> dict:
    def iso(value):
        return value.isoformat() if value else None

    fields = ("status", "first_name", "last_name", "email", "organisation", "website", "title",
              "summary", "problem", "stage", "impact", "team", "video_url", "pitch_language",
              "language")
    return {"event": {"slug": application.event.slug, "name": application.event.name},
            **{name: getattr(application, name) for name in fields},
            "deck": application.deck.filename if application.deck else None,
            "consent_at": iso(application.consent_at), "applied_at": iso(application.created_at),
            "updated_at": iso(application.updated_at),
            "withdrawn_at": iso(application.withdrawn_at),
            "decided_at": iso(application.decided_at)}


def anonymise(application: Application, *, actor) -> Application:
    """Erase the person: names, contact, texts, deck and the jury's comments go; the row,
    its status and the scores stay so that the ranking's counts stay true."""
    if application.anonymised_at is not None:
        raise FieldError("application", "This application is anonymised already.", 409)
    db.session.execute(delete(OutboxMessage).where(or_(
        OutboxMessage.recipient == application.email,
        func.lower(OutboxMessage.recipient) == application.email_normalised)))
    placeholder = f"anonymised-application-{application.id}@invalid"
    application.first_name, application.last_name = "Anonymised", f"#{application.id}"
    application.email = application.email_normalised = placeholder
    for name in ("organisation", "website", "summary", "problem", "impact", "team",
                 "video_url", "redacted_summary"):
        setattr(application, name, "")
    application.title = f"#{application.id}"
    application.manage_token = codes.new_manage_token()
    application.anonymised_at = utcnow()
    if application.deck is not None:
        db.session.delete(application.deck)
    for review in db.session.scalars(db.select(Review).where(
            Review.application_id == application.id)):
        review.comment = ""
    audit.record("application.anonymise", actor=actor, event_id=application.event_id,
                 target=application, status=application.status)
    db.session.commit()
    return application
