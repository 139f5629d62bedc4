"""Pages of the organiser's attendee list by keyset ("seek") instead of OFFSET.

A page starts after (or ends before) the sort key of a row, so page 2,000 costs what page 1
costs: the database seeks in an index that holds the sort within the event and reads 51
entries. Every sort ends with the registration's id, so ties (two "Anna Müller") have one
order. The sort by category walks the event's categories in their order, one index seek
each, because the category's place is a column of the category, not of the registration.

The cursor in the URL (after=/before=) is the row's sort key and its place in the list,
base64url-encoded JSON: not secret (it holds a name the organiser sees anyway), and
anything that does not decode to a key of the asked sort gives the first page, not an error.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import bindparam, func, tuple_

from ...extensions import db
from ...models import Category, Event, Registration
from ...models.types import MAX_ID

MAX_KEY_TEXT = 200


@dataclass
class AttendeePage:
    """One page of the list: its rows, how many match, the places of its first and last row
    (1-based, 0 when empty) and the cursors of the pages around it (None: there is none)."""

    items: list[Registration]
    total: int
    first: int
    last: int
    next_cursor: str | None
    prev_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_prev(self) -> bool:
        return self.prev_cursor is not None


def key_columns(sort: str) -> list:
    """The columns a sort compares, in order, ending with the id (the tie-breaker); the sort
    by category compares these within one category."""
    name = [Registration.sort_last, Registration.sort_first]
    return {
        "name": [*name, Registration.id],
        "category": [*name, Registration.id],
        "registered": [Registration.created_at, Registration.id],
        "status": [Registration.status, *name, Registration.id],
    }[sort]


def ordered_category_ids(event: Event, only: int | None = None) -> list[int]:
    """The event's categories in the list's order (position, name, id), as the database
    orders them, so the walk agrees with ORDER BY category.position, category.name."""
    statement = (db.select(Category.id).where(Category.event_id == event.id)
                 .order_by(Category.position, Category.name, Category.id))
    if only:
        statement = statement.where(Category.id == only)
    return list(db.session.scalars(statement))


def page(event: Event, query, conditions, *, after: str | None = None,
         before: str | None = None, last: bool = False, per_page: int = 50,
         total: int | None = None) -> AttendeePage:
    """The page after the cursor `after`, before `before`, the last page, or the first.
    `conditions(segment)` gives the WHERE clauses of the filter for one segment (a category
    id when sorting by category, else None); `total` may be passed when it is known."""
    columns = key_columns(query.sort)
    segments = (ordered_category_ids(event, query.category_id) if query.sort == "category"
                else [None])
    if total is None:
        total = db.session.scalar(db.select(func.count()).select_from(Registration)
                                  .where(*conditions(None))) or 0
    cursor = decode(after or before, query, columns, segments)
    if cursor is not None and after:
        rows = _walk(conditions, columns, segments, cursor, True, query, per_page + 1)
        if rows:
            items = rows[:per_page]
            first = cursor[2] + 1 if len(rows) > per_page else total - len(items) + 1
            return _page(items, total, first, query, has_prev=True,
                         has_next=len(rows) > per_page)
        last = True  # past the end: the last page
    elif cursor is not None and before:
        rows = _walk(conditions, columns, segments, cursor, False, query, per_page + 1)
        if rows:
            items = rows[:per_page][::-1]
            first = cursor[2] - len(items) if len(rows) > per_page else 1
            return _page(items, total, first, query, has_prev=len(rows) > per_page,
                         has_next=True)
    if last:
        rows = _walk(conditions, columns, segments, None, False, query, per_page + 1)
        items = rows[:per_page][::-1]
        return _page(items, total, total - len(items) + 1, query,
                     has_prev=len(rows) > per_page, has_next=False)
    rows = _walk(conditions, columns, segments, None, True, query, per_page + 1)
    return _page(rows[:per_page], total, 1, query, has_prev=False,
                 has_next=len(rows) > per_page)


def _walk(conditions, columns, segments, cursor, forward: bool, query, limit: int) -> list:
    """Up to `limit` rows from the cursor (or the start) on, in the list's order when
    `forward`, else in the reverse order."""
    ascending = forward != query.descending
    order = segments if ascending else segments[::-1]
    if cursor is not None:
        order = order[order.index(cursor[0]):]
    rows: list[Registration] = []
    for segment in order:
        statement = db.select(Registration).where(*conditions(segment))
        if cursor is not None and segment == cursor[0]:
            values = tuple_(*(bindparam(None, value, type_=column.type)
                              for column, value in zip(columns, cursor[1], strict=True)))
            keys = tuple_(*columns)
            statement = statement.where(keys > values if ascending else keys < values)
        statement = statement.order_by(
            *(column.asc() if ascending else column.desc() for column in columns))
        rows += db.session.scalars(statement.limit(limit - len(rows))).all()
        if len(rows) >= limit:
            break
    return rows


def _page(items: list, total: int, first: int, query, *, has_prev: bool,
          has_next: bool) -> AttendeePage:
    if not items:
        return AttendeePage([], total, 0, 0, None, None)
    # A place carried in a cursor is kept while the list is unchanged; rows added or removed
    # since then could move it past either end.
    first = max(1, min(first, total - len(items) + 1))
    last = first + len(items) - 1
    return AttendeePage(items, total, first, last,
                        encode(items[-1], last, query) if has_next else None,
                        encode(items[0], first, query) if has_prev else None)


def encode(row: Registration, place: int, query) -> str:
    """The cursor of a row: its sort key and its place in the list."""
    values = []
    for column in key_columns(query.sort):
        value = getattr(row, column.key)
        values.append(value.isoformat() if isinstance(value, datetime) else value)
    data = {"s": query.sort, "d": int(query.descending), "k": values, "p": place,
            "g": row.category_id if query.sort == "category" else None}
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(token: str | None, query, columns, segments) -> tuple | None:
    """(segment, key values, place) from a cursor of this sort, or None for anything else."""
    if not token or len(token) > 2000:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError):
        return None
    if not isinstance(data, dict) or data.get("s") != query.sort \
            or data.get("d") != int(query.descending):
        return None
    values, place, segment = data.get("k"), data.get("p"), data.get("g")
    if not isinstance(values, list) or len(values) != len(columns) or segment not in segments \
            or not _is_id(place):
        return None
    checked = []
    for column, value in zip(columns, values, strict=True):
        if column.key == "id":
            if not _is_id(value):
                return None
        elif column.key == "created_at":
            try:
                value = datetime.fromisoformat(value)
            except (TypeError, ValueError):
                return None
            if value.tzinfo is None or not _representable(value):
                return None
        elif not isinstance(value, str) or len(value) > MAX_KEY_TEXT or "\x00" in value:
            return None
        checked.append(value)
    return segment, checked, place


def _representable(value: datetime) -> bool:
    try:
        value.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 has no UTC time
        return False
    return True


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ID
