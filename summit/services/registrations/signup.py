"""Registrations: sign up, waiting list, cancel, move between categories, own data.

Every change that can alter how many people are confirmed in a category runs under that
category's lock (places.py), so no category is ever oversold.
"""

from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import LazyString, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from ...extensions import db
from ...models import (
    CANCELLED,
    CONFIRMED,
    WAITLISTED,
    Category,
    Event,
    Registration,
    localised,
    utcnow,
)
from ..errors import FieldError
from ..mail import compose as mails
from ..mail import links, outbox
from ..platform import audit
from ..questions import answers as question_answers
from . import codes, places

NAME_MAX, ORGANISATION_MAX, NEEDS_MAX, EMAIL_MAX = 100, 200, 2000, 254
DETAIL_FIELDS = ("first_name", "last_name", "organisation", "language", "needs",
                 "public_listing")

# The wording of the input rules, also used by the registration forms (the API validates with
# them too): the page, the API, the CSV import and the organisers' pages say the same thing.
FIRST_NAME_MISSING = _l("Please enter your first name.")
LAST_NAME_MISSING = _l("Please enter your last name.")
EMAIL_MISSING = _l("Please enter your e-mail address.")
EMAIL_INVALID = _l("Please enter a valid e-mail address.")
CONSENT_MISSING = _l("Please agree to the privacy notice to register.")
EMAIL_UNREACHABLE = _l("Our mail server cannot deliver to addresses with letters such as ü or "
                       "用 before the @. Please enter another e-mail address.")
_MISSING = {"first_name": FIRST_NAME_MISSING, "last_name": LAST_NAME_MISSING}


def too_long(limit: int):
    # Form fields are declared at import, so the text is looked up when shown. (Written as a
    # plain ngettext call: `make messages` extracts ngettext, not flask_babel's lazy_ngettext.)
    return LazyString(lambda: ngettext("Please use at most %(num)d character.",
                                       "Please use at most %(num)d characters.", limit))


class RegistrationError(FieldError):
    """Bad input or a rule broken; `field` names the form field the message belongs to."""


class CategoryFull(RegistrationError):
    def __init__(self):
        super().__init__("category", _l("This category is full."))


class RegistrationClosed(Exception):
    def __init__(self, state: str):
        super().__init__(state)
        self.state = state  # 'not_yet_open' or 'closed'


class DuplicateRegistration(Exception):
    def __init__(self, email: str):
        super().__init__(email)
        self.email = email


# -- sign up ----------------------------------------------------------------------------------

def register(event: Event, *, category, first_name: str, last_name: str, email: str,
             organisation: str = "", language: str = "en", needs: str = "",
             public_listing: bool = False, consent: bool = True,
             allow_over_capacity: bool = False, actor=None,
             answers: dict | None = None) -> Registration:
    """Confirm a place if the category has room (or allow_over_capacity), else waitlist.

    Organisers (`actor` given) may register outside the window and are audited.
    `answers` (question id -> value) answer the event's own questions, stored with it.
    """
    if actor is None and event.registration_state() != "open":
        raise RegistrationClosed(event.registration_state())
    chosen = _category_of(event, category)
    details = clean_details(first_name=first_name, last_name=last_name,
                            organisation=organisation, language=language, needs=needs,
                            public_listing=public_listing)
    address, normalised = clean_email(email)
    given = question_answers.clean(event, chosen.id, answers, enforce_required=actor is None)
    if not consent and actor is None:
        raise RegistrationError("consent", CONSENT_MISSING)
    previous = _find(event.id, normalised)
    if previous is not None and previous.status != CANCELLED:
        raise DuplicateRegistration(address)
    if not outbox.Reach(current_app.config).can_deliver(address):
        raise RegistrationError("email", EMAIL_UNREACHABLE)  # rather than lose its mail
    event_id, category_id = event.id, chosen.id
    try:
        capacity = places.lock_capacity(category_id)
        has_room = allow_over_capacity or places.confirmed_count(category_id) < capacity
        now = places.lock_moment()
        registration = _find(event_id, normalised) if previous is not None else None
        if registration is not None and registration.status != CANCELLED:
            raise DuplicateRegistration(address)
        if registration is None:  # a cancelled registration is taken up again
            registration = Registration(
                event_id=event_id, manage_token=codes.new_manage_token(),
                checkin_code=codes.new_checkin_code())
            db.session.add(registration)
        _apply(registration, details)
        registration.category_id = category_id
        registration.email, registration.email_normalised = address, normalised
        registration.status = CONFIRMED if has_room else WAITLISTED
        registration.created_at, registration.cancelled_at = now, None
        registration.confirmed_at = now if has_room else None
        registration.consent_at = now if consent else None
        question_answers.store(registration, given, details["language"])
        db.session.flush()
        # Queued here, composed by the sender: no commit, no mail.
        mails.queue_confirmation(registration, waitlist_position=waitlist_position(registration))
        if actor is not None:
            audit.record("registration.create", actor=actor, event_id=event_id,
                         target=registration, status=registration.status,
                         category=registration.category.name,
                         over_capacity=allow_over_capacity)
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        if _find(event_id, normalised) is not None:
            raise DuplicateRegistration(address) from exc
        raise
    except BaseException:
        db.session.rollback()
        raise
    return registration


# -- cancel, waiting list, move ---------------------------------------------------------------

def cancel(registration: Registration, *, actor=None) -> Registration:
    """Cancel; a confirmed place goes at once to the first on the category's waiting list."""
    if registration.status == CANCELLED:
        return registration
    registration_id, category_id = registration.id, registration.category_id
    with places.locked(category_id):
        registration = _reload(registration_id)
        if registration.status != CANCELLED:
            was_confirmed = registration.status == CONFIRMED
            registration.status, registration.cancelled_at = CANCELLED, utcnow()
            outbox.queue(mails.cancelled(registration))
            promoted = places.fill_free_places(registration.category_id) if was_confirmed else []
            if actor is not None:
                audit.record("registration.cancel", actor=actor, event_id=registration.event_id,
                             target=registration, promoted=len(promoted))
    return registration


def confirm_from_waitlist(registration: Registration, *, actor=None,
                          over_capacity: bool = False) -> Registration:
    """Confirm a waitlisted person ahead of the queue (organisers); CategoryFull if no room."""
    registration_id = registration.id
    with places.locked(registration.category_id):
        registration = _reload(registration_id)
        if registration.status != WAITLISTED:
            raise RegistrationError("status", _l("Only people on the waiting list can be "
                                                 "confirmed from it."))
        if not over_capacity and not places.has_room(registration.category_id):
            raise CategoryFull()
        places.confirm(registration)
        if actor is not None:
            audit.record("registration.confirm_from_waitlist", actor=actor,
                         event_id=registration.event_id, target=registration,
                         over_capacity=over_capacity)
    return registration


def change_category(registration: Registration, category, *, actor=None,
                    over_capacity: bool = False) -> Registration:
    """Move to another category of the event.

    A confirmed person keeps a confirmed place (CategoryFull if the new category has no room,
    unless over_capacity) and the place left behind goes to that category's waiting list. A
    waitlisted person is confirmed if the new category has room, else waits there.
    """
    target = _category_of(registration.event, category)
    registration_id, old_id = registration.id, registration.category_id
    if target.id == old_id:
        return registration
    with places.locked(*sorted({old_id, target.id})):
        registration = _reload(registration_id)
        if registration.status == CANCELLED:
            raise RegistrationError("status", _l("A cancelled registration cannot be moved."))
        room = over_capacity or places.has_room(target.id)
        was_confirmed = registration.status == CONFIRMED
        if was_confirmed and not room:
            raise CategoryFull()
        registration.category_id = target.id
        question_answers.drop_unasked(registration)
        if not was_confirmed:
            # joins the end of the new waiting list
            registration.created_at = places.lock_moment()
            if room:
                places.confirm(registration)
        db.session.flush()
        if was_confirmed:
            places.fill_free_places(old_id)
        if actor is not None:
            audit.record("registration.change_category", actor=actor,
                         event_id=registration.event_id, target=registration,
                         old_category_id=old_id, new_category_id=target.id,
                         status=registration.status, over_capacity=over_capacity)
    return registration


def set_capacity(category: Category, capacity: int, *, actor=None) -> list[Registration]:
    """Give the category a new number of places. Raising it confirms the first people on
    its waiting list at once (and mails them); it can never drop below those confirmed."""
    with places.locked(category.id):
        confirmed = places.confirmed_count(category.id)
        if capacity < confirmed:
            raise RegistrationError("capacity", ngettext(
                "%(num)d person is already confirmed in this category; the capacity cannot "
                "be lower.",
                "%(num)d people are already confirmed in this category; the capacity cannot "
                "be lower.", confirmed))
        old, category.capacity = category.capacity, capacity
        promoted = places.fill_free_places(category.id)
        if actor is not None and old != capacity:
            audit.record("category.capacity", actor=actor, event_id=category.event_id,
                         target=category, category_id=category.id, old_capacity=old,
                         new_capacity=capacity, promoted=len(promoted))
    return promoted


# -- own details and data -------------------------------------------------------------------

def update_details(registration: Registration, *, actor=None, **fields) -> Registration:
    unknown = set(fields) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"update_details() cannot change {', '.join(sorted(unknown))}")
    current = {name: getattr(registration, name) for name in DETAIL_FIELDS}
    _apply(registration, clean_details(**(current | fields)))
    if actor is not None:
        audit.record("registration.update", actor=actor, event_id=registration.event_id,
                     target=registration, fields=",".join(sorted(fields)))
    db.session.commit()
    return registration


def waitlist_position(registration: Registration) -> int | None:
    """1 for the next person to move up; None unless waitlisted."""
    if registration.status != WAITLISTED:
        return None
    return 1 + places.waiting_ahead(registration.category_id, registration.created_at,
                                    registration.id)


def get_by_token(token: str) -> Registration:
    """The registration behind a manage link; 404 for an unknown or anonymised one."""
    registration = None
    if token and len(token) <= 64:
        registration = db.session.scalar(
            db.select(Registration).where(Registration.manage_token == token))
    if registration is None or registration.anonymised_at is not None:
        raise NotFound()
    return registration


def resend_manage_link(event: Event, email: str) -> None:
    """Queue the manage link if the address is registered; says nothing either way."""
    try:
        _address, normalised = clean_email(email)
    except RegistrationError:
        return
    registration = _find(event.id, normalised)
    if registration is not None and registration.anonymised_at is None:
        outbox.queue(mails.manage_link(registration))
        db.session.commit()


def personal_data(registration: Registration) -> dict:
    """Everything stored about the person, for the 'download my data' button."""
    def iso(value: datetime | None):
        return value.isoformat() if value else None

    return {
        "event": {"slug": registration.event.slug,
                  "name": localised(registration.event, "name", registration.language)},
        "category": registration.category.name,
        "status": registration.status,
        "waitlist_position": waitlist_position(registration),
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "email": registration.email,
        "organisation": registration.organisation,
        "language": registration.language,
        "needs": registration.needs,
        "public_listing": registration.public_listing,
        "consent_at": iso(registration.consent_at),
        "registered_at": iso(registration.created_at),
        "confirmed_at": iso(registration.confirmed_at),
        "cancelled_at": iso(registration.cancelled_at),
        "checked_in_at": iso(registration.checked_in_at),
        "badge_printed_at": iso(registration.badge_printed_at),
        "checkin_code": registration.checkin_code,
        "manage_url": links.manage_url(registration),
        "answers": question_answers.as_data(registration, registration.language),
    }


# -- input rules, shared with the forms -----------------------------------------------------

def clean_email(email: str) -> tuple[str, str]:
    """(address as the person wrote it, tidied; lower-cased form for uniqueness)."""
    text = (email or "").strip()
    if not text:
        raise RegistrationError("email", EMAIL_MISSING)
    if len(text) > EMAIL_MAX:
        raise RegistrationError("email", too_long(EMAIL_MAX))
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise RegistrationError("email", EMAIL_INVALID) from exc
    return result.normalized, result.normalized.lower()


def clean_details(*, first_name: str, last_name: str, organisation: str = "",
                  language: str = "en", needs: str = "", public_listing: bool = False) -> dict:
    values = {"first_name": (first_name or "").strip(), "last_name": (last_name or "").strip(),
              "organisation": (organisation or "").strip(), "needs": (needs or "").strip()}
    for name, limit in (("first_name", NAME_MAX), ("last_name", NAME_MAX),
                        ("organisation", ORGANISATION_MAX), ("needs", NEEDS_MAX)):
        value = values[name]
        if name in ("first_name", "last_name") and not value:
            raise RegistrationError(name, _MISSING[name])
        if len(value) > limit:
            raise RegistrationError(name, too_long(limit))
        allowed = "\n\r\t" if name == "needs" else ""
        if any((ord(ch) < 32 or ord(ch) == 127) and ch not in allowed for ch in value):
            raise RegistrationError(name, _l("Please remove line breaks and control "
                                             "characters."))
    if language not in current_app.config["SUMMIT_LANGUAGES"]:
        raise RegistrationError("language", _l("Please choose one of the offered languages."))
    return values | {"language": language, "public_listing": bool(public_listing)}


# -- internals --------------------------------------------------------------------------------

def _reload(registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id, populate_existing=True)
    if registration is None:
        raise NotFound()
    return registration


def _find(event_id: int, normalised: str) -> Registration | None:
    return db.session.scalar(db.select(Registration).where(
        Registration.event_id == event_id, Registration.email_normalised == normalised))


def _category_of(event: Event, category: Category | int) -> Category:
    found = event.category(category)
    if found is None:
        raise RegistrationError("category", _l("Please choose one of the offered categories."))
    return found


def _apply(registration: Registration, details: dict) -> None:
    for name, value in details.items():
        setattr(registration, name, value)
