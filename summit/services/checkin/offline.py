"""Scans a desk made while offline, sent later: exactly once, at their real time.

A desk without network answers from its snapshot (see `snapshot`) and queues
`{code, scanned_at, nonce, desk}`. When it comes back, `record_offline_scan` stores each scan
once (the nonce is unique: a retried upload finds its first answer) and settles the badge
again: the earliest admitted scan is THE check-in, whatever order the scans arrived in; a later
scan that a desk answered with "welcome" on its own is a conflict — two desks let the same
badge in while offline — and the organiser sees it (`conflicts`).
"""

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import CANCELLED, CONFIRMED, CheckIn, Event, Registration, User, utcnow
from ..errors import FieldError
from ..platform.turns import taking_turns
from .answers import ALREADY_CHECKED_IN, CHECKED_IN, UNKNOWN, desk_label
from .scans import _stored_code, find_by_code, normalise_code

CONFLICT = "conflict"
# What an offline desk may say it answered on the spot.
LOCAL_ANSWERS = (CHECKED_IN, ALREADY_CHECKED_IN, CANCELLED, "waitlisted", UNKNOWN, "")
FLAG_CANCELLED = "cancelled"
_ADMITTED_ROWS = (CHECKED_IN, ALREADY_CHECKED_IN, CONFLICT)
_NONCE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
# A desk's clock may run a little fast; a scan from the future beyond this is refused.
_CLOCK_SLACK = timedelta(minutes=5)
MAX_BATCH = 1000


@dataclass(frozen=True)
class OfflineScan:
    nonce: str
    result: str
    registration: Registration | None
    checked_in_at: datetime | None
    flag: str

    @property
    def admitted(self) -> bool:
        return self.result in _ADMITTED_ROWS


def parse_scanned_at(value) -> datetime:
    """An ISO 8601 time with offset, not in the future beyond a desk clock's slack."""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise FieldError("scanned_at", _l("Send the scan time as ISO 8601 with offset.")) from None
    if moment.tzinfo is None:
        raise FieldError("scanned_at", _l("Send the scan time as ISO 8601 with offset."))
    if moment > utcnow() + _CLOCK_SLACK:
        raise FieldError("scanned_at", _l("The scan time lies in the future."))
    return moment


def check_nonce(value) -> str:
    nonce = str(value or "")
    if not _NONCE.match(nonce):
        raise FieldError("nonce", _l("The nonce must be 8 to 64 letters, digits, '-' or '_'."))
    return nonce


def record_offline_scan(event: Event, raw_code: str | None, *, scanned_at: datetime, nonce: str,
                        desk: str = "", local_answer: str = "",
                        user: User | None = None, commit: bool = True) -> OfflineScan:
    """Store one offline scan exactly once and answer as the server now sees it.

    commit=False leaves the commit to the caller (a batch commits once; each scan sits in a
    savepoint of its own, so a nonce that arrived meanwhile costs only that scan)."""
    existing = _by_nonce(nonce)
    if existing is not None:
        return _answer(existing)
    if local_answer not in LOCAL_ANSWERS:
        local_answer = ""
    registration = find_by_code(event, raw_code)
    if registration is not None:
        registration = _locked(registration.id)
    code = (registration.checkin_code if registration is not None
            else normalise_code(raw_code) or _stored_code(raw_code))
    if registration is None:
        result, flag = UNKNOWN, ""
    elif registration.status != CONFIRMED:
        result = registration.status
        # The desk let them in (or did not say): its snapshot predates the cancellation.
        flag = FLAG_CANCELLED if local_answer in (CHECKED_IN, ALREADY_CHECKED_IN, "") else ""
    else:
        result, flag = ALREADY_CHECKED_IN, ""  # settled below
    row = CheckIn(event_id=event.id, registration_id=registration.id if registration else None,
                  code=code, result=result, desk=desk_label(desk),
                  user_id=user.id if user else None, scanned_at=scanned_at, nonce=nonce,
                  offline_answer=local_answer, synced_at=utcnow(), flag=flag)
    savepoint = db.session.begin_nested()
    try:
        db.session.add(row)
        db.session.flush()
        if registration is not None and registration.status == CONFIRMED:
            _settle(registration)
        savepoint.commit()
        if commit:
            db.session.commit()
    except IntegrityError:
        # The same nonce arrived at the same moment through another request: its answer holds.
        if savepoint.is_active:
            savepoint.rollback()
        else:
            db.session.rollback()
        existing = _by_nonce(nonce)
        if existing is None:
            raise
        return _answer(existing)
    return _answer(row)


def _by_nonce(nonce: str) -> CheckIn | None:
    return db.session.scalar(db.select(CheckIn).options(
        joinedload(CheckIn.registration).joinedload(Registration.category))
        .where(CheckIn.nonce == nonce))


def _locked(registration_id: int) -> Registration:
    """The registration, locked until commit (PostgreSQL): two syncs of the same badge settle
    one after the other. SQLite has one writer at a time anyway."""
    return db.session.scalar(
        db.select(Registration).options(joinedload(Registration.category))
        .where(Registration.id == registration_id).with_for_update(of=Registration))


def _settle(registration: Registration) -> None:
    """Decide the badge's check-in from all its admitted scans: the earliest is the check-in,
    later ones are 'already checked in', or 'conflict' where a desk welcomed the person on its
    own while offline. Scans before the last undo do not count."""
    last_undo = db.session.scalar(
        db.select(db.func.max(CheckIn.undone_at)).where(
            CheckIn.registration_id == registration.id))
    query = (db.select(CheckIn)
             .where(CheckIn.registration_id == registration.id, CheckIn.undone_at.is_(None),
                    CheckIn.result.in_(_ADMITTED_ROWS))
             .order_by(CheckIn.scanned_at, CheckIn.id))
    if last_undo is not None:
        query = query.where(CheckIn.scanned_at > last_undo)
    rows = list(db.session.scalars(query))
    first_at = registration.checked_in_at
    if rows and (first_at is None or rows[0].scanned_at < first_at):
        first_at = rows[0].scanned_at
    first_row = rows[0] if rows and rows[0].scanned_at == first_at else None
    for row in rows:
        if row is first_row:
            row.result = CHECKED_IN
        elif row.nonce is not None and row.offline_answer == CHECKED_IN:
            row.result = CONFLICT
        else:
            row.result = ALREADY_CHECKED_IN
    registration.checked_in_at = first_at


def _answer(row: CheckIn) -> OfflineScan:
    registration = row.registration
    return OfflineScan(nonce=row.nonce or "", result=row.result, registration=registration,
                       checked_in_at=registration.checked_in_at if registration else None,
                       flag=row.flag)


def apply_batch(event: Event, scans: list, *, desk: str = "",
                user: User | None = None) -> list[dict]:
    """Apply a desk's queue in order; each item answers on its own (a bad item does not stop
    the rest: the desk keeps it and shows why)."""
    if not isinstance(scans, list) or len(scans) > MAX_BATCH:
        raise FieldError("scans", ngettext("Send a list of at most %(num)s scan.",
                                           "Send a list of at most %(num)s scans.", MAX_BATCH))
    answers = []
    for item in scans:
        item = item if isinstance(item, dict) else {}
        try:
            nonce = check_nonce(item.get("nonce"))
            code = item.get("code")
            if not isinstance(code, str) or not code.strip() or len(code) > 2000:
                raise FieldError("code", _l("Scan a badge or type its code."))
            scan = record_offline_scan(
                event, code, scanned_at=parse_scanned_at(item.get("scanned_at")), nonce=nonce,
                desk=str(item.get("desk") or desk), user=user,
                local_answer=str(item.get("local_answer") or ""), commit=False)
        except FieldError as error:
            answers.append({"nonce": item.get("nonce"), "result": "invalid",
                            "errors": {error.field: [str(error.message)]}})
            continue
        answers.append({"nonce": scan.nonce, "result": scan.result, "flag": scan.flag,
                        "checked_in_at": scan.checked_in_at.isoformat()
                        if scan.checked_in_at else None})
    db.session.commit()
    return answers


# --- what the organiser reviews -----------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    registration: Registration
    scans: list[CheckIn]  # the check-in and every conflicting welcome, earliest first


def conflicts(event: Event) -> list[Conflict]:
    """Badges that two desks let in on their own while offline: the check-in and the rest."""
    conflicting = db.select(CheckIn.registration_id).where(
        CheckIn.event_id == event.id, CheckIn.result == CONFLICT, CheckIn.undone_at.is_(None))
    rows = db.session.scalars(
        db.select(CheckIn).options(joinedload(CheckIn.registration))
        .where(CheckIn.registration_id.in_(conflicting), CheckIn.undone_at.is_(None),
               CheckIn.result.in_((CHECKED_IN, CONFLICT)))
        .order_by(CheckIn.registration_id, CheckIn.scanned_at, CheckIn.id))
    grouped: dict[int, Conflict] = {}
    for row in rows:
        grouped.setdefault(row.registration_id, Conflict(row.registration, [])).scans.append(row)
    return sorted(grouped.values(), key=lambda c: c.scans[0].scanned_at)


def flagged_scans(event: Event) -> list[CheckIn]:
    """Offline scans of badges cancelled after the desk's snapshot."""
    return list(db.session.scalars(
        db.select(CheckIn).options(joinedload(CheckIn.registration))
        .where(CheckIn.event_id == event.id, CheckIn.flag == FLAG_CANCELLED)
        .order_by(CheckIn.scanned_at, CheckIn.id)))


# --- the snapshot a desk answers from while offline ----------------------------------------


def snapshot_key(event: Event, user: User) -> bytes:
    """The HMAC key of one user's snapshot of one event: derived from the app's secret, so a
    snapshot's hashes cannot be matched against another user's or another event's."""
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(secret, f"checkin-snapshot:{event.id}:{user.id}".encode(),
                    hashlib.sha256).digest()


def code_hash(key: bytes, code: str) -> str:
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def snapshot(event: Event, user: User, language: str = "en") -> dict:
    """Every registration of the event as a desk needs it offline: the keyed hash of its code
    (never the code), name, category (in the desk's language), status, checked-in time."""
    key = snapshot_key(event, user)
    rows = db.session.execute(
        db.select(Registration.checkin_code, Registration.first_name, Registration.last_name,
                  Registration.organisation, Registration.status, Registration.checked_in_at,
                  Registration.category_id)
        .where(Registration.event_id == event.id, Registration.anonymised_at.is_(None))
        .order_by(Registration.last_name, Registration.first_name, Registration.id))
    categories = {category.id: category.display_name(language) for category in event.categories}
    return {
        "generated_at": utcnow().isoformat(),
        "key": key.hex(),
        "hash": "HMAC-SHA256(key, code)",
        "registrations": [
            {"code_hash": code_hash(key, code), "first_name": first, "last_name": last,
             "organisation": organisation or "", "category": categories.get(category_id, ""),
             "status": status, "checked_in_at": checked.isoformat() if checked else None}
            for code, first, last, organisation, status, checked, category_id
            in taking_turns(rows)],
    }
