"""The attendee list as CSV, streamed row by row.

Format, chosen so that the file opens correctly in Excel (German and English) and in
LibreOffice and parses with any CSV library:
- UTF-8 with a byte-order mark: Excel reads umlauts correctly only when the BOM is there.
- Comma-separated, fields quoted when needed (RFC 4180), CRLF line ends. German Excel
  still splits the columns because the BOM marks the file as Unicode text; the import
  accepts semicolons as well, for files saved again by German Excel.
- Times in the event's timezone, ISO 8601 with offset (2014-09-10T09:12:00+02:00).
- A cell that begins with = + - @ (or a tab / carriage return) gets a leading single quote
  so that a spreadsheet shows it as text instead of running it as a formula (CSV
  injection); the import removes that quote again, so export → import is lossless.
"""

import csv
import io
from collections.abc import Iterable, Iterator

from ...extensions import db
from ...models import Event, Registration, User
from ..platform import audit
from .attendees import AttendeeQuery, select_attendees

BOM = "\ufeff"
COLUMNS = ("id", "first_name", "last_name", "email", "organisation", "category", "status",
           "language", "needs", "registered_at", "checked_in_at")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 500


def neutralise(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def row_for(registration: Registration, event: Event) -> list[str]:
    def when(moment):
        return moment.astimezone(event.tz).isoformat(timespec="seconds") if moment else ""

    return [str(registration.id)] + [neutralise(value) for value in (
        registration.first_name, registration.last_name, registration.email,
        registration.organisation, registration.category.name, registration.status,
        registration.language, registration.needs,
    )] + [when(registration.created_at), when(registration.checked_in_at)]


def _lines(rows: Iterable[list[str]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def stream_csv(event: Event, query: AttendeeQuery | None = None) -> Iterator[str]:
    """The BOM, the header and one line per registration, fetched in batches of 500."""
    statement = select_attendees(event, query or AttendeeQuery(sort="registered"))

    def rows():
        yield list(COLUMNS)
        result = db.session.scalars(statement.execution_options(yield_per=BATCH))
        for registration in result:
            yield row_for(registration, event)

    yield BOM
    yield from _lines(rows())


def record_export(event: Event, query: AttendeeQuery, *, actor: User | None) -> None:
    """Personal data leaves the system: the audit log says who took it, and which part."""
    audit.record("attendees.export", actor=actor, event_id=event.id,
                 search=bool(query.search), category_id=query.category_id, status=query.status)
    db.session.commit()


def filename(event: Event, today) -> str:
    return f"{event.slug}-attendees-{today:%Y-%m-%d}.csv"
