"""The call for pitches: the organiser's settings, applying, editing until the deadline,
withdrawing. The page, the API and the demo data all apply through `submit`."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from ...extensions import db
from ...models import (
    ACCEPTED,
    SUBMITTED,
    WITHDRAWN,
    Application,
    Call,
    Criterion,
    Event,
    utcnow,
)
from ..errors import FieldError
from ..mail import outbox
from ..platform import audit
from ..registrations import codes
from ..registrations.signup import (
    CONSENT_MISSING,
    EMAIL_UNREACHABLE,
    FIRST_NAME_MISSING,
    LAST_NAME_MISSING,
    clean_email,
    too_long,
)
from . import mails

TITLE_MAX, TEXT_MAX, URL_MAX, NAME_MAX, ORGANISATION_MAX = 200, 3000, 300, 100, 200
STAGES = ("idea", "prototype", "early", "growth", "established")
TEXT_FIELDS = ("summary", "problem", "impact", "team")
EDITABLE = ("first_name", "last_name", "organisation", "website", "title", "summary",
            "problem", "stage", "impact", "team", "video_url", "pitch_language", "language")
DEFAULT_CRITERIA = (("Impact", "Wirkung", 2.0), ("Innovation", "Innovation", 1.0),
                    ("Scalability", "Skalierbarkeit", 1.0), ("Team", "Team", 1.0))
TITLE_MISSING = _l("Please give your venture's name or your pitch a title.")
SUMMARY_MISSING = _l("Please describe your venture in a few sentences.")
URL_INVALID = _l("Please enter a full web address starting with https:// or http://.")


class CallClosed(Exception):
    def __init__(self, state: str):
        super().__init__(state)
        self.state = state  # 'not_yet_open', 'closed' or 'none' (no call at all)


class DuplicateApplication(FieldError):
    def __init__(self):
        super().__init__("email", _l("This e-mail address has already applied. Your "
                                     "confirmation mail holds the link to edit the "
                                     "application."), status=409)


# -- the call ---------------------------------------------------------------------------------

def get_call(event: Event) -> Call | None:
    return db.session.scalar(db.select(Call).where(Call.event_id == event.id))


def open_call(event: Event, *, actor=None, **settings) -> Call:
    """Create the event's call (with the usual criteria) or change its settings."""
    call = get_call(event)
    if call is None:
        call = Call(event_id=event.id, others_reviews="after_own", anonymised=False,
                    reviews_per_application=3)
        call.criteria = [Criterion(name=name, name_de=name_de, weight=weight, position=index)
                         for index, (name, name_de, weight) in enumerate(DEFAULT_CRITERIA)]
        db.session.add(call)
    for name, value in settings.items():
        setattr(call, name, value)
    if call.opens_at and call.closes_at and call.closes_at <= call.opens_at:
        db.session.rollback()
        raise FieldError("closes_at", _l("The call must close after it opens."))
    if settings.get("others_reviews", call.others_reviews) not in ("never", "after_own",
                                                                   "always"):
        db.session.rollback()
        raise FieldError("others_reviews", _l("Please choose one of the offered options."))
    db.session.flush()
    if actor is not None:
        audit.record("call.update", actor=actor, event_id=event.id, target=call,
                     fields=sorted(settings))
    db.session.commit()
    return call


def state(event: Event) -> str:
    call = get_call(event)
    return call.state() if call is not None else "none"


def set_criteria(call: Call, rows: list[tuple[str, str, float, int]], *, actor=None) -> None:
    """Replace the criteria by [(name, name_de, weight, scale_max)]; blank names are dropped.

    Scores already given stay keyed by the criteria that keep their position."""
    rows = [row for row in rows if (row[0] or "").strip()]
    if not rows:
        raise FieldError("criteria", _l("Please keep at least one criterion."))
    for name, _name_de, weight, scale in rows:
        if not weight or weight <= 0 or weight > 100:
            raise FieldError("criteria", _l("Weights are numbers above 0 and at most 100."))
        if not scale or not 2 <= scale <= 10:
            raise FieldError("criteria", _l("A scale goes from 1 to a number between 2 and "
                                            "10."))
        if len(name) > 80:
            raise FieldError("criteria", too_long(80))
    existing = list(call.criteria)
    for index, (name, name_de, weight, scale) in enumerate(rows):
        criterion = existing[index] if index < len(existing) else Criterion(call=call)
        criterion.name, criterion.name_de = name.strip(), (name_de or "").strip()
        criterion.weight, criterion.scale_max, criterion.position = weight, scale, index
        if index >= len(existing):
            call.criteria.append(criterion)
    for criterion in existing[len(rows):]:
        call.criteria.remove(criterion)
    if actor is not None:
        audit.record("call.criteria", actor=actor, event_id=call.event_id, target=call,
                     criteria=len(rows))
    db.session.commit()


# -- applying ---------------------------------------------------------------------------------

def submit(event: Event, *, email: str, consent: bool = True, actor=None,
           deck: tuple[str, bytes] | None = None, **fields) -> Application:
    """Apply to the event's open call; the confirmation mail with the manage link is queued
    in the same transaction. `deck` is (filename, bytes) of an optional PDF."""
    call = get_call(event)
    if call is None:
        raise CallClosed("none")
    if actor is None and call.state() != "open":
        raise CallClosed(call.state())
    values = clean(fields)
    address, normalised = clean_email(email)
    if not consent and actor is None:
        raise FieldError("consent", CONSENT_MISSING)
    if deck is not None:
        from . import decks  # pypdfium2 is loaded when a deck comes
        deck_row = decks.checked(*deck)
    if _find(event.id, normalised) is not None:
        raise DuplicateApplication()
    if not outbox.Reach(current_app.config).can_deliver(address):
        raise FieldError("email", EMAIL_UNREACHABLE)
    now = utcnow()
    application = Application(event_id=event.id, email=address, email_normalised=normalised,
                              manage_token=codes.new_manage_token(), status=SUBMITTED,
                              consent_at=now if consent else None, created_at=now,
                              updated_at=now, **values)
    if deck is not None:
        application.deck = deck_row
    try:
        db.session.add(application)
        db.session.flush()
        outbox.queue(mails.confirmation(application))
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        if _find(event.id, normalised) is not None:
            raise DuplicateApplication() from exc
        raise
    return application


def update(application: Application, *, deck: tuple[str, bytes] | None = None,
           **fields) -> Application:
    """The applicant's changes, until the call closes."""
    _editable(application)
    values = clean({name: fields.get(name, getattr(application, name)) for name in EDITABLE})
    if deck is not None:
        from . import decks
        new_deck = decks.checked(*deck)
        if application.deck is not None:
            db.session.delete(application.deck)
            db.session.flush()
        application.deck = new_deck
    for name, value in values.items():
        setattr(application, name, value)
    application.updated_at = utcnow()
    db.session.commit()
    return application


def withdraw(application: Application) -> Application:
    """The applicant withdraws; an accepted place goes to the first on the reserve list."""
    if application.status == WITHDRAWN:
        return application
    was_accepted = application.status == ACCEPTED
    application.status, application.withdrawn_at = WITHDRAWN, utcnow()
    outbox.queue(mails.withdrawn(application))
    if was_accepted:
        from .decisions import promote_reserve
        promote_reserve(application.event_id)
    db.session.commit()
    return application


def get_by_token(token: str) -> Application:
    application = db.session.scalar(db.select(Application).where(
        Application.manage_token == token)) if token and len(token) <= 64 else None
    if application is None or application.anonymised_at is not None:
        raise NotFound()
    return application


def get_application(application_id: int) -> Application:
    application = db.session.get(Application, application_id)
    if application is None or application.anonymised_at is not None:
        raise NotFound()
    return application


def can_edit(application: Application) -> bool:
    call = get_call(application.event)
    return (application.status == SUBMITTED and call is not None
            and call.state() == "open")


def _editable(application: Application) -> None:
    if application.status != SUBMITTED:
        raise FieldError("status", _l("This application can no longer be changed."), 409)
    call = get_call(application.event)
    if call is None or call.state() != "open":
        raise FieldError("status", _l("The call has closed: applications can no longer "
                                      "be changed."), 409)


def clean(fields: dict) -> dict:
    """Every applicant field checked, in one place for the page, the API and the demo."""
    values = {name: (fields.get(name) or "").strip() if isinstance(fields.get(name, ""), str)
              else fields.get(name) for name in EDITABLE if name in fields}
    for name, missing in (("first_name", FIRST_NAME_MISSING), ("last_name", LAST_NAME_MISSING),
                          ("title", TITLE_MISSING), ("summary", SUMMARY_MISSING)):
        if not values.get(name):
            raise FieldError(name, missing)
    limits = {"first_name": NAME_MAX, "last_name": NAME_MAX, "organisation": ORGANISATION_MAX,
              "title": TITLE_MAX, "website": URL_MAX, "video_url": URL_MAX,
              **{name: TEXT_MAX for name in TEXT_FIELDS}}
    for name, limit in limits.items():
        value = values.get(name) or ""
        if len(value) > limit:
            raise FieldError(name, too_long(limit))
        allowed = "\n\r\t" if name in TEXT_FIELDS else ""
        if any((ord(ch) < 32 or ord(ch) == 127) and ch not in allowed for ch in value):
            raise FieldError(name, _l("Please remove line breaks and control characters."))
    for name in ("website", "video_url"):
        value = values.get(name) or ""
        if value and not value.lower().startswith(("https://", "http://")) or " " in value:
            raise FieldError(name, URL_INVALID)
    if values.get("stage") and values["stage"] not in STAGES:
        raise FieldError("stage", _l("Please choose one of the offered stages."))
    languages = current_app.config["SUMMIT_LANGUAGES"]
    for name in ("language", "pitch_language"):
        if name in values and values[name] not in languages:
            raise FieldError(name, _l("Please choose one of the offered languages."))
    return values


def _find(event_id: int, normalised: str) -> Application | None:
    return db.session.scalar(db.select(Application).where(
        Application.event_id == event_id, Application.email_normalised == normalised))


def set_redacted_summary(application: Application, text: str, *, actor) -> None:
    """The organiser's summary for an anonymised review, where the applicant's own text
    gives them away."""
    if len(text) > TEXT_MAX:
        raise FieldError("redacted_summary", too_long(TEXT_MAX))
    application.redacted_summary = text
    audit.record("application.redacted_summary", actor=actor, event_id=application.event_id,
                 target=application)
    db.session.commit()


def reviews_of(application: Application) -> list:
    from ...models import Review
    return list(db.session.scalars(db.select(Review).where(
        Review.application_id == application.id).order_by(Review.id)))
