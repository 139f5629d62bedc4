"""Check-in at the desk: scanning a badge's QR code, checking in by name, undo, live counts.

The rule for the first check-in lives in one conditional UPDATE (busy_scan for scans of a
known badge, `_check_in` for everything else): the database decides who was first, so two
desks scanning the same badge at the same moment can never both welcome the person. Every
scan is recorded as a CheckIn row in the same transaction, failures and duplicates included.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ...extensions import db
from ...models import CONFIRMED, Category, CheckIn, Event, Registration, User, utcnow
from ...text import fold
from ..errors import FieldError
from ..platform import audit
from ..registrations import attendee_pages, codes
from . import busy_scan
from .answers import ADMITTED, ALREADY_CHECKED_IN, CHECKED_IN, UNKNOWN, attendee_answer, desk_label

# Stored as the CheckIn code when staff checked someone in by name instead of by badge.
BY_SEARCH = "(search)"
SEARCH_LIMIT = 25
SEARCH_MIN_LENGTH = 2

_CODE_COLUMN_LENGTH = 200
# A badge's QR holds the bare code or a URL ending in it (optionally with a trailing slash).
_URL = re.compile(r"^https?://[^\s/]+(?:/[^\s/?#]*)*/([^\s/?#]+)/?$", re.IGNORECASE)


class CheckinError(FieldError):
    """An action at the desk that cannot be done as asked (409: the person's state says no)."""


@dataclass(frozen=True)
class ScanResult:
    result: str
    registration: Registration | None
    checked_in_at: datetime | None

    @property
    def admitted(self) -> bool:
        return self.result in ADMITTED


def normalise_code(raw: str | None) -> str | None:
    """The check-in code in what a scanner sent or a person typed, or None if it cannot be one.

    Handheld scanners append CR/LF and some send lower case; a QR may hold a URL that ends
    in the code; people type the grouped form printed under the QR ("BCDF-GHJK-…"), in any
    case. Anything else is refused rather than guessed.
    """
    text = (raw or "").strip()
    match = _URL.match(text)
    if match:
        text = match.group(1)
    return codes.tidy(text)


def _stored_code(raw: str | None) -> str:
    """What was scanned, fit for the CheckIn row: no control characters (PostgreSQL refuses
    NUL in text), at most the column's length."""
    text = "".join(ch for ch in (raw or "").strip() if ch.isprintable())
    return text[:_CODE_COLUMN_LENGTH]


def find_by_code(event: Event, raw_code: str | None) -> Registration | None:
    """The registration of THIS event with that code; another event's code finds nobody.

    A code that a keyboard layout changed on the way in (an old badge's Y and Z swapped by a
    QWERTZ computer) is looked up as it was printed too, in the same query; the code as
    scanned wins. That is one more guess per scan of an old code, out of 2^131: a forged code
    stays unknown.
    """
    code = normalise_code(raw_code)
    if code is None:
        return None
    candidates = [code, *codes.layout_variants(code)]
    # The category comes along: the desk's answer names it.
    found = db.session.scalars(
        db.select(Registration).options(joinedload(Registration.category))
        .where(Registration.checkin_code.in_(candidates), Registration.event_id == event.id)
    ).all()
    return min(found, key=lambda r: candidates.index(r.checkin_code), default=None)


def scan(event: Event, raw_code: str | None, *, desk: str = "", user: User | None = None,
         now: datetime | None = None) -> ScanResult:
    """Check in whoever's badge was scanned; record the scan whatever the answer.

    The usual cases, a known badge's first scan or a repeat, are busy_scan's statement, run
    here in the session's transaction (the desk's page has its user and the event loaded on
    that connection: one connection a request). Only when it writes nothing is the badge
    looked up, to tell "cancelled" from "not valid".
    """
    now = now or utcnow()
    code = normalise_code(raw_code)
    answer = None if code is None else busy_scan.scan_on(
        db.session.connection(), event.slug, code, desk=desk,
        user_id=user.id if user else None, now=now)
    if answer is None:
        return find_and_check_in(event, raw_code, desk=desk, user=user, now=now)
    _commit_keeping_loaded()
    # The statement wrote the row beside the ORM: read it as it now is.
    registration = db.session.get(Registration, answer.registration_id, populate_existing=True)
    return ScanResult(answer.result, registration, answer.checked_in_at)


def find_and_check_in(event: Event, raw_code: str | None, *, desk: str = "",
                      user: User | None = None, now: datetime | None = None) -> ScanResult:
    """The readable way, for whatever the busy path did not answer: find the badge (also
    typed in groups or through a swapped keyboard layout), say why it is not let in, or let
    it in by the same rule; record the scan."""
    registration = find_by_code(event, raw_code)
    # The record names the badge: its own code once found (also when typed in groups or read
    # through a swapped layout), else what came in.
    code = (registration.checkin_code if registration is not None
            else normalise_code(raw_code) or _stored_code(raw_code))
    return _check_in(event, registration, code=code, desk=desk, user=user, now=now)


def check_in_registration(registration: Registration, *, desk: str = "",
                          user: User | None = None, now: datetime | None = None) -> ScanResult:
    """Check in a person found by name (no badge at hand), by the same rule as a scan."""
    return _check_in(registration.event, registration, code=BY_SEARCH, desk=desk, user=user,
                     now=now)


def _check_in(event: Event, registration: Registration | None, *, code: str, desk: str,
              user: User | None, now: datetime | None) -> ScanResult:
    now = now or utcnow()
    checked_in_at = None
    if registration is None:
        result = UNKNOWN
    elif registration.status != CONFIRMED:
        result = registration.status
    elif registration.checked_in_at is not None:
        # Read in this transaction after the scan's own UPDATE found nothing to do (or by
        # staff who found the person by name): in already. Only an UPDATE ever welcomes.
        result, checked_in_at = ALREADY_CHECKED_IN, registration.checked_in_at
    else:
        # One statement decides who is first: concurrent scans of the same badge wait for the
        # row and then find checked_in_at set, on SQLite and PostgreSQL alike.
        updated = db.session.execute(
            db.update(Registration)
            .where(Registration.id == registration.id, Registration.checked_in_at.is_(None),
                   Registration.status == CONFIRMED)
            .values(checked_in_at=now)
            .execution_options(synchronize_session=False))
        if updated.rowcount == 1:
            # We wrote it, so we know it: no need to read the row back.
            set_committed_value(registration, "checked_in_at", now)
            result, checked_in_at = CHECKED_IN, now
        else:
            db.session.refresh(registration)  # someone else was first: learn who and why
            if registration.status != CONFIRMED:  # cancelled while we were scanning
                result = registration.status
            else:
                result, checked_in_at = ALREADY_CHECKED_IN, registration.checked_in_at
    return _record(event, registration, result, code, desk=desk, user=user, now=now,
                   checked_in_at=checked_in_at)


def _record(event: Event, registration: Registration | None, result: str, code: str, *,
            desk: str, user: User | None, now: datetime,
            checked_in_at: datetime | None) -> ScanResult:
    """Every scan leaves its CheckIn row, in the transaction that decided its answer."""
    db.session.add(CheckIn(
        event_id=event.id, registration_id=registration.id if registration else None,
        code=code, result=result, desk=desk_label(desk),
        user_id=user.id if user else None, scanned_at=now))
    _commit_keeping_loaded()
    return ScanResult(result, registration, checked_in_at)


def _commit_keeping_loaded() -> None:
    """Commit without expiring what the scan has loaded. The desk's answer is built from the
    registration right after; expiring it would read it and its category again, on the
    busiest request of the day. What we hold is what this transaction read and wrote."""
    session = db.session()
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def undo(registration: Registration, *, user: User | None,
         now: datetime | None = None) -> CheckIn | None:
    """Take back a check-in made by mistake: the person counts as not arrived again.

    Returns the CheckIn row marked as undone (None if the check-in left no row).
    """
    if registration.checked_in_at is None:
        raise CheckinError("registration_id", "This person is not checked in.", status=409)
    now = now or utcnow()
    last = db.session.scalar(
        db.select(CheckIn)
        .where(CheckIn.registration_id == registration.id, CheckIn.result == CHECKED_IN,
               CheckIn.undone_at.is_(None))
        .order_by(CheckIn.scanned_at.desc(), CheckIn.id.desc()).limit(1))
    if last is not None:
        last.undone_at = now
    checked_in_at = registration.checked_in_at
    registration.checked_in_at = None
    audit.record("checkin.undo", actor=user, event_id=registration.event_id,
                 target=registration, checked_in_at=checked_in_at.isoformat(),
                 desk=last.desk if last else "")
    db.session.commit()
    return last


def get_registration(event: Event, registration_id: int) -> Registration | None:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        return None
    return registration


# --- search by name -----------------------------------------------------------------------


def search(event: Event, query: str, limit: int = SEARCH_LIMIT) -> list[Registration]:
    """Registrations of the event whose name, e-mail or organisation contain every word of
    the query, ignoring case and accents ('mueller' finds Müller; see summit/text.py, the
    organiser's list uses the same rule). For people who stand at the desk without a badge.

    In the organiser's list's name order (lower-case surname, first name, id), so that the
    first few of thousands of matches come from the name index (attendee_pages.first_matches)
    instead of reading and sorting all of them.
    """
    if len("".join(fold(query or "").split())) < SEARCH_MIN_LENGTH:
        return []
    return attendee_pages.first_matches(
        [Registration.event_id == event.id, Registration.anonymised_at.is_(None)], query,
        attendee_pages.key_columns("name"), True, limit)


def attendee_summary(registration: Registration, language: str = "en") -> dict:
    """Who a scan is about, as the desk's answer and the API show it: the category in the
    desk's (the request's) language."""
    return attendee_answer(registration.first_name, registration.last_name,
                           registration.organisation, registration.category.display_name(language))


# --- live counts --------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryCount:
    category: Category
    confirmed: int
    checked_in: int

    @property
    def name(self) -> str:
        return self.category.name

    def display_name(self, locale: str) -> str:
        return self.category.display_name(locale)


def live_counts(event: Event) -> list[CategoryCount]:
    """Per category: confirmed registrations and how many of them have arrived (one query)."""
    confirmed = Registration.status == CONFIRMED
    rows = db.session.execute(
        db.select(
            Registration.category_id,
            func.count().filter(confirmed),
            func.sum(case((confirmed & Registration.checked_in_at.is_not(None), 1), else_=0)),
        )
        .where(Registration.event_id == event.id)
        .group_by(Registration.category_id))
    by_category = {category_id: (total or 0, arrived or 0)
                   for category_id, total, arrived in rows}
    return [
        CategoryCount(category, *by_category.get(category.id, (0, 0)))
        for category in event.categories
    ]


def recent_scans(event: Event, limit: int = 8) -> list[CheckIn]:
    return list(db.session.scalars(
        db.select(CheckIn).where(CheckIn.event_id == event.id)
        .order_by(CheckIn.scanned_at.desc(), CheckIn.id.desc()).limit(limit)))
