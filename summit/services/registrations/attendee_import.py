"""Import attendees from a CSV file: check every row first, then import all or nothing.

Accepted: UTF-8 with or without byte-order mark; separated by commas (our export), by
semicolons (German Excel, and our export for it) or by tabs; the column names of our export,
their spaced forms ("First name", "E-Mail"), the German ones ("Vorname", "Nachname",
"Kategorie") and the headers of the localised export in every language the app speaks;
category names in English or German.
Columns we do not import (id, status, registered_at, ...) are ignored, so an exported file
can be imported into another event. Capacities hold: a row beyond its category's free
places is waitlisted, unless the organiser allows going over capacity.
"""

import csv
import io
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...i18n import current_language
from ...models import CANCELLED, CONFIRMED, WAITLISTED, Category, Event, Registration, User
from ..mail import compose as mails
from ..mail import outbox
from ..platform import audit
from . import codes, places
from . import signup as registrations
from .attendee_export import FORMULA_STARTS, HEADERS

MAX_BYTES = 1024 * 1024
MAX_ROWS = 5000
REQUIRED = ("first_name", "last_name", "email", "category")
ALIASES = {
    "first_name": ("first_name", "firstname", "first", "given_name", "vorname"),
    "last_name": ("last_name", "lastname", "last", "surname", "family_name", "nachname"),
    "email": ("email", "e_mail", "mail", "email_address", "e_mail_address", "e_mail_adresse",
              "email_adresse"),
    "organisation": ("organisation", "organization", "company", "firma", "organisation_firma"),
    "category": ("category", "kategorie", "ticket"),
    "language": ("language", "sprache", "lang"),
    "needs": ("needs", "accessibility", "access_needs", "bedürfnisse", "hinweise", "notes"),
}
HEADER_TO_FIELD = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
FIELD_LABELS = {
    "first_name": _l("first name"), "last_name": _l("last name"), "email": _l("e-mail"),
    "organisation": _l("organisation"), "category": _l("category"),
    "language": _l("language"), "needs": _l("needs"),
}


@dataclass
class RowError:
    line: int
    message: str
    field: str | None = None


@dataclass
class ImportRow:
    line: int
    first_name: str
    last_name: str
    email: str
    email_normalised: str
    organisation: str
    category: Category
    language: str
    needs: str


@dataclass
class ImportResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    delimiter: str = ","
    confirmed: int = 0
    waitlisted: int = 0
    registrations: list[Registration] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def imported(self) -> int:
        return len(self.registrations)


def normalise_header(name: str) -> str:
    name = name.strip().lstrip("\ufeff").strip().lower()
    for char in " -/.":
        name = name.replace(char, "_")
    while "__" in name:
        name = name.replace("__", "_")
    return name.strip("_")


def decode(data: bytes) -> str:
    """UTF-8 with or without BOM; anything else is refused (ValueError)."""
    text = data.decode("utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def known_headers() -> dict[str, str]:
    """Normalised column name -> field: the aliases above, and the localised export's headers
    in every language, so that the export reads back whatever its translation says."""
    known = dict(HEADER_TO_FIELD)
    for language in current_app.config["SUMMIT_LANGUAGES"]:
        with force_locale(language):
            for name in ALIASES:
                known.setdefault(normalise_header(str(HEADERS[name])), name)
    return known


def detect_delimiter(header_line: str, known: dict[str, str]) -> str:
    """The separator that splits the header into the most known columns (ties: most used)."""
    def score(delimiter: str) -> tuple[int, int]:
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        known_cells = sum(1 for cell in cells if normalise_header(cell) in known)
        return known_cells, header_line.count(delimiter)

    return max((",", ";", "\t"), key=score)


def _unquote(value: str) -> str:
    """Undo the export's formula guard: "'=x" → "=x"."""
    value = value.strip()
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


def check(event: Event, data: bytes) -> ImportResult:
    """Parse and check every row; nothing is written. result.ok says whether to import."""
    result = ImportResult()
    if len(data) > MAX_BYTES:
        result.errors.append(RowError(0, _l("The file is larger than %(size)s MB.",
                                            size=MAX_BYTES // (1024 * 1024))))
        return result
    try:
        text = decode(data)
    except UnicodeDecodeError:
        result.errors.append(RowError(0, _l(
            "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”.")))
        return result
    if not text.strip():
        result.errors.append(RowError(1, _l("The file is empty.")))
        return result

    known = known_headers()
    result.delimiter = detect_delimiter(text.split("\n", 1)[0], known)
    reader = csv.reader(io.StringIO(text), delimiter=result.delimiter)
    header = next(reader)
    columns: dict[int, str] = {}
    for index, name in enumerate(header):
        target = known.get(normalise_header(name))
        if target and target not in columns.values():
            columns[index] = target
        elif name.strip():
            result.ignored_columns.append(name.strip())
    missing = [name for name in REQUIRED if name not in columns.values()]
    if missing:
        result.errors.append(RowError(1, _l(
            "Required columns are missing: %(columns)s. The first line must name the columns "
            "first_name, last_name, email and category.", columns=", ".join(missing))))
        return result

    existing = dict(db.session.execute(
        db.select(Registration.email_normalised, Registration.status)
        .where(Registration.event_id == event.id)).all())
    first_line_of: dict[str, int] = {}
    reach = outbox.Reach(current_app.config)  # asks the mail server at most once per file
    count = 0
    line = reader.line_num
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            count += 1
            if count > MAX_ROWS:
                result.errors.append(RowError(start, _l(
                    "The file has more than %(max)s rows; please split it.", max=MAX_ROWS)))
                break
            values = {name: "" for name in ALIASES}
            for index, name in columns.items():
                values[name] = _unquote(cells[index]) if index < len(cells) else ""
            row = _check_row(start, values, event, existing, first_line_of, reach,
                             result.errors)
            if row is not None:
                result.rows.append(row)
    except csv.Error as exc:
        result.errors.append(RowError(reader.line_num, _l(
            "The file could not be read as CSV here: %(reason)s", reason=str(exc))))
    if count == 0 and not result.errors:
        result.errors.append(RowError(2, _l("The file has a header but no attendees.")))
    return result


def _check_row(line: int, values: dict[str, str], event: Event,
               existing: dict[str, str], first_line_of: dict[str, int],
               reach: outbox.Reach, errors: list[RowError]) -> ImportRow | None:
    """The registration service's own input rules, plus what only a file can get wrong."""
    before = len(errors)

    def fail(name: str, message) -> None:
        errors.append(RowError(line, message, name))

    for name in REQUIRED:
        if not values[name]:
            fail(name, _l("The %(field)s is missing.", field=FIELD_LABELS[name]))

    language = (values["language"] or "en").lower()
    details = {}
    if values["first_name"] and values["last_name"]:
        try:
            details = registrations.clean_details(
                first_name=values["first_name"], last_name=values["last_name"],
                organisation=values["organisation"], language=language, needs=values["needs"])
        except registrations.RegistrationError as exc:
            if exc.field == "language":
                fail("language", _l("Unknown language “%(value)s”; use en or de.",
                                    value=values["language"]))
            else:
                fail(exc.field, _l("%(field)s: %(message)s", field=FIELD_LABELS[exc.field],
                                   message=exc.message))

    email = normalised = ""
    if values["email"]:
        try:
            email, normalised = registrations.clean_email(values["email"])
        except registrations.RegistrationError:
            fail("email", _l("“%(email)s” is not a valid e-mail address.",
                             email=values["email"][:100]))
        else:
            if existing.get(normalised, CANCELLED) != CANCELLED:
                fail("email", _l("%(email)s is already registered for this event.",
                                 email=email))
            elif normalised in first_line_of:
                fail("email", _l("%(email)s appears twice in the file (first on line "
                                 "%(line)s).", email=email, line=first_line_of[normalised]))
            else:
                first_line_of[normalised] = line
                if not reach.can_deliver(email):  # as registrations.register() refuses it
                    fail("email", _l("%(email)s: %(message)s", email=email,
                                     message=registrations.EMAIL_UNREACHABLE))

    category = event.category(values["category"])
    if values["category"] and category is None:
        # As the reader knows them (the file may use either language: Event.category).
        names = ", ".join(c.display_name(current_language()) for c in event.categories)
        fail("category", _l("Unknown category “%(name)s”; use one of: %(names)s.",
                            name=values["category"][:80], names=names))

    if len(errors) > before:
        return None
    return ImportRow(line=line, email=email, email_normalised=normalised, category=category,
                     **{key: details[key] for key in ("first_name", "last_name",
                                                      "organisation", "language", "needs")})


def import_attendees(event: Event, data: bytes, *, allow_over_capacity: bool = False,
                     send_mail: bool = True, actor: User | None = None,
                     filename: str = "") -> ImportResult:
    """Check every row; if all are good, write them all in one transaction, else nothing.

    Each row follows the same rule as registrations.register(): a confirmed place while the
    category has room (or when over capacity is allowed), else the waiting list; a person
    whose earlier registration was cancelled is registered again on the same row.
    """
    result = check(event, data)
    if not result.ok:
        db.session.rollback()
        return result
    try:
        # Lock the categories (in id order, so two imports cannot deadlock), then count.
        used = sorted({row.category.id for row in result.rows})
        places.lock_category(*used)
        confirmed = {category_id: places.confirmed_count(category_id)
                     for category_id in used}
        cancelled = {registration.email_normalised: registration for registration in
                     db.session.scalars(db.select(Registration).where(
                         Registration.event_id == event.id, Registration.status == CANCELLED,
                         Registration.email_normalised.in_(
                             [row.email_normalised for row in result.rows])))}
        now = places.lock_moment()
        for row in result.rows:
            has_room = allow_over_capacity or confirmed[row.category.id] < row.category.capacity
            registration = cancelled.get(row.email_normalised)
            if registration is None:
                registration = Registration(event_id=event.id,
                                            manage_token=codes.new_manage_token(),
                                            checkin_code=codes.new_checkin_code())
                db.session.add(registration)
            for name in ("first_name", "last_name", "organisation", "language", "needs",
                         "email", "email_normalised"):
                setattr(registration, name, getattr(row, name))
            registration.category = row.category
            registration.status = CONFIRMED if has_room else WAITLISTED
            registration.created_at, registration.cancelled_at = now, None
            registration.confirmed_at = now if has_room else None
            registration.consent_at = None
            result.registrations.append(registration)
            if has_room:
                confirmed[row.category.id] += 1
                result.confirmed += 1
            else:
                result.waitlisted += 1
        db.session.flush()
        if send_mail:
            mails.queue_confirmations([
                (registration, registrations.waitlist_position(registration))
                for registration in result.registrations])
        audit.record("attendees.import", actor=actor, event_id=event.id,
                     count=result.imported, confirmed=result.confirmed,
                     waitlisted=result.waitlisted, over_capacity=allow_over_capacity,
                     mails=send_mail, filename=filename[:200])
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        result.registrations.clear()
        result.confirmed = result.waitlisted = 0
        result.errors.append(RowError(0, _l(
            "Someone registered with one of these e-mail addresses while the file was "
            "imported. Nothing was imported; please try again.")))
    except BaseException:
        db.session.rollback()
        raise
    return result
