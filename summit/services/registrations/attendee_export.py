"""The attendee list as CSV, streamed row by row, in two variants.

The plain CSV (the default; tools read it, so its header and format stay as they are):
- UTF-8 with a byte-order mark: Excel reads umlauts correctly only when the BOM is there.
- Comma-separated, fields quoted when needed (RFC 4180), CRLF line ends.
- Column names as in COLUMNS; times in the event's timezone, ISO 8601 with offset
  (2014-09-10T09:12:00+02:00).

"Excel (German)": German Excel splits columns at semicolons only, so a comma file opens in one
column there. This variant is separated by semicolons (still UTF-8 with BOM), names its columns
and categories in the reader's language, and writes times as that language does
(10.09.2014 09:12), in the event's timezone. The import reads it back.

In both, a cell that begins with = + - @ (or a tab / carriage return) gets a leading single
quote so that a spreadsheet shows it as text instead of running it as a formula (CSV
injection); the import removes that quote again, so export → import is lossless.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ...extensions import db
from ...models import Event, Registration, User
from ..platform import audit
from ..platform.turns import taking_turns
from ..questions import answers as question_answers
from .attendees import AttendeeQuery, select_attendees

BOM = "\ufeff"
COLUMNS = ("id", "first_name", "last_name", "email", "organisation", "category", "status",
           "language", "needs", "registered_at", "checked_in_at")
# The column names of the localised variant (the import knows them in every language). Not
# "ID" first: Excel takes a file beginning with "ID" for a SYLK file and refuses to open it.
HEADERS = {
    "id": _l("Registration ID"), "first_name": _l("First name"), "last_name": _l("Last name"),
    "email": _l("E-mail"), "organisation": _l("Organisation"), "category": _l("Category"),
    "status": _l("Status"), "language": _l("Language"), "needs": _l("Needs"),
    "registered_at": _l("Registered at"), "checked_in_at": _l("Checked in"),
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 500
# How a language writes a moment so that its spreadsheet reads it as one.
LOCAL_TIME_FORMATS = {"de": "%d.%m.%Y %H:%M"}
LOCAL_TIME_FORMAT = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class Variant:
    """One way to write the list: its separator, and whether names, categories and times are
    in the reader's language (else: COLUMNS, English category names, ISO 8601)."""

    name: str
    delimiter: str
    localised: bool
    filename_suffix: str = ""


PLAIN = Variant("csv", ",", localised=False)
EXCEL_GERMAN = Variant("excel-de", ";", localised=True, filename_suffix="-excel")
VARIANTS = {variant.name: variant for variant in (PLAIN, EXCEL_GERMAN)}


def neutralise(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def row_for(registration: Registration, event: Event, variant: Variant = PLAIN,
            locale: str = "en", answers: "Answers | None" = None) -> list[str]:
    def when(moment):
        if not moment:
            return ""
        local = moment.astimezone(event.tz)
        if variant.localised:
            return local.strftime(LOCAL_TIME_FORMATS.get(locale, LOCAL_TIME_FORMAT))
        return local.isoformat(timespec="seconds")

    category = (registration.category.display_name(locale) if variant.localised
                else registration.category.name)
    return [str(registration.id)] + [neutralise(value) for value in (
        registration.first_name, registration.last_name, registration.email,
        registration.organisation, category, registration.status,
        registration.language, registration.needs,
    )] + [when(registration.created_at), when(registration.checked_in_at)] + (
        answers.cells(registration.id) if answers else [])


@dataclass
class Answers:
    """One column per registration question of the event, after the fixed columns (tools
    that read the fixed columns by name are not disturbed). Multiple choices: "a; b"."""

    questions: list
    texts: dict

    @classmethod
    def of(cls, event: Event, variant: Variant, locale: str) -> "Answers":
        language = locale if variant.localised else "en"
        return cls(question_answers.questions_of(event),
                   question_answers.texts_for_event(event, language))

    def header(self, variant: Variant, locale: str) -> list[str]:
        language = locale if variant.localised else "en"
        return [neutralise(question.display_label(language)) for question in self.questions]

    def cells(self, registration_id: int) -> list[str]:
        given = self.texts.get(registration_id, {})
        return [neutralise(given.get(question.id, "")) for question in self.questions]


def header(variant: Variant, locale: str) -> list[str]:
    if not variant.localised:
        return list(COLUMNS)
    with force_locale(locale):
        return [str(HEADERS[column]) for column in COLUMNS]


def _lines(rows: Iterable[list[str]], delimiter: str) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def stream_csv(event: Event, query: AttendeeQuery | None = None, variant: Variant = PLAIN,
               locale: str = "en") -> Iterator[str]:
    """The BOM, the header and one line per registration, fetched in batches of 500.
    `locale` is the reader's language, used by the localised variant."""
    statement = select_attendees(event, query or AttendeeQuery(sort="registered"))
    answers = Answers.of(event, variant, locale)

    def rows():
        yield header(variant, locale) + answers.header(variant, locale)
        result = db.session.scalars(statement.execution_options(yield_per=BATCH))
        for registration in taking_turns(result):
            yield row_for(registration, event, variant, locale, answers)

    yield BOM
    yield from _lines(rows(), variant.delimiter)


def record_export(event: Event, query: AttendeeQuery, *, actor: User | None) -> None:
    """Personal data leaves the system: the audit log says who took it, and which part."""
    audit.record("attendees.export", actor=actor, event_id=event.id,
                 search=bool(query.search), category_id=query.category_id, status=query.status,
                 option_id=query.option_id)
    db.session.commit()


def filename(event: Event, today, variant: Variant = PLAIN) -> str:
    return f"{event.slug}-attendees-{today:%Y-%m-%d}{variant.filename_suffix}.csv"
