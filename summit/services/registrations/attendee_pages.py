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

from sqlalchemy import bindparam, func, literal, text, tuple_
from sqlalchemy.orm import aliased

from ...extensions import db
from ...models import Category, Event, Registration
from ...models.types import MAX_ID
from ...text import (
    SQLITE_SEARCH_TABLE,
    found_by_index_first,
    matches_every_word,
    narrowed_by_index,
    trigram_match,
)

MAX_KEY_TEXT = 200
# A search's total is counted up to this many matches; the page says "more than 1,000".
COUNT_CAP = 1000
# A search with many matches first looks at this many rows per wanted row in the sort's own
# index order: when one row in 40 or more matches, they hold the page and no match elsewhere
# needs reading. "Many": the search index would hand over more than WINDOW_WORTH windows'
# worth of rows (reading a row through the index costs about what a window row costs).
WINDOW_PER_ROW = 40
WINDOW_WORTH = 4


@dataclass
class AttendeePage:
    """One page of the list: its rows, how many match, the places of its first and last row
    (1-based, 0 when empty) and the cursors of the pages around it (None: there is none).
    `more_than`: the count stopped at `total` (COUNT_CAP) and more rows match."""

    items: list[Registration]
    total: int
    first: int
    last: int
    next_cursor: str | None
    prev_cursor: str | None
    more_than: bool = False

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
    `conditions(segment, search=True)` gives the WHERE clauses of the filter for one segment
    (a category id when sorting by category, else None), with or without the search; `total`
    may be passed when it is known. Else the matches are counted up to COUNT_CAP: only a page
    whose place is counted from the end (the last one) needs them all counted."""
    columns = key_columns(query.sort)
    segments = (ordered_category_ids(event, query.category_id) if query.sort == "category"
                else [None])
    more_than = False
    if total is None:
        # The last page's places are counted from the end: it needs every match counted.
        total, more_than = count(conditions(None, search=False), query.search,
                                 None if last or not query.search else COUNT_CAP)
    # Few matches are all read through the search index; among many, the sort's own index
    # may find the page's rows sooner (first_matches).
    window = bool(query.search) and more_than and many_matches(query.search, per_page + 1)

    def exact() -> int:
        nonlocal total, more_than
        if more_than:
            total, more_than = count(conditions(None, search=False), query.search)
        return total

    def walk(cursor, forward: bool) -> list:
        return _walk(conditions, columns, segments, cursor, forward, query, per_page + 1,
                     window)

    def done(items, first, **links) -> AttendeePage:
        return _page(items, total, first, query, more_than=more_than, **links)

    cursor = decode(after or before, query, columns, segments)
    if cursor is not None and after:
        rows = walk(cursor, True)
        if rows:
            items = rows[:per_page]
            first = cursor[2] + 1 if len(rows) > per_page else exact() - len(items) + 1
            return done(items, first, has_prev=True, has_next=len(rows) > per_page)
        last = True  # past the end: the last page
    elif cursor is not None and before:
        rows = walk(cursor, False)
        if rows:
            items = rows[:per_page][::-1]
            first = cursor[2] - len(items) if len(rows) > per_page else 1
            return done(items, first, has_prev=len(rows) > per_page, has_next=True)
    if last:
        rows = walk(None, False)
        items = rows[:per_page][::-1]
        return done(items, exact() - len(items) + 1, has_prev=len(rows) > per_page,
                    has_next=False)
    rows = walk(None, True)
    return done(rows[:per_page], 1, has_prev=False, has_next=len(rows) > per_page)


def count(base: list, search: str = "", cap: int | None = None) -> tuple[int, bool]:
    """How many registrations meet the conditions `base` and the search, and whether there
    are more than `cap` (then the count stops there: `cap`, True)."""
    matching = db.select(literal(1)).select_from(Registration).where(*_matching(base, search))
    if cap is None:
        return db.session.scalar(db.select(func.count()).select_from(matching.subquery())) \
            or 0, False
    counted = db.session.scalar(db.select(func.count())
                                .select_from(matching.limit(cap + 1).subquery())) or 0
    return (cap, True) if counted > cap else (counted, False)


def _matching(base: list, search: str) -> list:
    """The conditions for every match of `base` and the search; with a search the trigram
    index can answer, its matches are read first (text.found_by_index_first)."""
    if not search:
        return base
    found = matches_every_word(Registration.search_key, search)
    if narrowed_by_index(search):
        return [*found_by_index_first(base, Registration.__table__), found]
    return [*base, found]


def _walk(conditions, columns, segments, cursor, forward: bool, query, limit: int,
          window: bool) -> list:
    """Up to `limit` rows from the cursor (or the start) on, in the list's order when
    `forward`, else in the reverse order."""
    ascending = forward != query.descending
    order = segments if ascending else segments[::-1]
    if cursor is not None:
        order = order[order.index(cursor[0]):]
    rows: list[Registration] = []
    for segment in order:
        base = conditions(segment, search=False)
        if cursor is not None and segment == cursor[0]:
            values = tuple_(*(bindparam(None, value, type_=column.type)
                              for column, value in zip(columns, cursor[1], strict=True)))
            keys = tuple_(*columns)
            base.append(keys > values if ascending else keys < values)
        rows += first_matches(base, query.search, columns, ascending, limit - len(rows),
                              window=window)
        if len(rows) >= limit:
            break
    return rows


def many_matches(search: str, limit: int) -> bool:
    """Whether the trigram index holds so many matches of the search (in any event, any
    status: an estimate from the index alone) that a window of the sort's index is worth a
    try. Only SQLite's FTS5 table can be asked that cheaply; PostgreSQL's planner weighs its
    pg_trgm index itself."""
    match = trigram_match(search)
    if not match or db.session.get_bind().dialect.name != "sqlite":
        return False
    enough = WINDOW_WORTH * WINDOW_PER_ROW * limit
    found = db.session.scalar(text(
        f"SELECT count(*) FROM (SELECT rowid FROM {SQLITE_SEARCH_TABLE} WHERE "
        f"{SQLITE_SEARCH_TABLE} MATCH :match LIMIT :enough)"), {"match": match,
                                                               "enough": enough})
    return found >= enough


def first_matches(base: list, search: str, columns: list, ascending: bool, limit: int, *,
                  window: bool | None = None) -> list[Registration]:
    """The first `limit` registrations that meet `base` and contain every word of `search`
    (summit/text.py), in the order of `columns` (ascending or not): exactly the rows of
    ORDER BY … LIMIT over every match.

    A search index finds every match, and all of them are then read and sorted: thousands
    for a word that one in twelve share ("gmbh"). So with `window`, the next
    WINDOW_PER_ROW × `limit` rows in the sort's index order are read first; if they hold
    `limit` matches, those are the first ones. Else (few matches, or all in one place of
    the order, like a surname) the search index answers. `window`: None lets
    many_matches decide."""
    def ordered(keys):
        return [key.asc() if ascending else key.desc() for key in keys]

    if window is None:
        window = bool(search) and many_matches(search, limit)
    if search and window:
        rows_in_order = (db.select(Registration).where(*base).order_by(*ordered(columns))
                         .limit(WINDOW_PER_ROW * limit).subquery())
        seen = aliased(Registration, rows_in_order)
        found = list(db.session.scalars(
            db.select(seen).where(matches_every_word(rows_in_order.c.search_key, search))
            .order_by(*ordered([getattr(seen, column.key) for column in columns]))
            .limit(limit)))
        if len(found) >= limit:
            return found
    return list(db.session.scalars(db.select(Registration).where(*_matching(base, search))
                                   .order_by(*ordered(columns)).limit(limit)))


def _page(items: list, total: int, first: int, query, *, has_prev: bool, has_next: bool,
          more_than: bool = False) -> AttendeePage:
    if not items:
        return AttendeePage([], total, 0, 0, None, None, more_than)
    # A place carried in a cursor is kept while the list is unchanged; rows added or removed
    # since then could move it past either end (the end is unknown while the count is capped).
    first = max(1, first if more_than else min(first, total - len(items) + 1))
    last = first + len(items) - 1
    return AttendeePage(items, total, first, last,
                        encode(items[-1], last, query) if has_next else None,
                        encode(items[0], first, query) if has_prev else None, more_than)


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
