"""Keyset pages of the organiser's list (services/registrations/attendee_pages.py) give
exactly the rows of the straightforward ORDER BY … OFFSET query, in the same order, walked
forwards and backwards, for every sort both ways, with filters and searches; and cursors
from outside never fail."""

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from summit.extensions import db
from summit.models import CANCELLED, CONFIRMED, WAITLISTED, Event
from summit.services.registrations import attendee_pages, attendees

# Ties (the same name three times, the same time twice), umlauts and their spellings,
# capitals, Chinese, Polish, an empty first name, a name that sorts before "a".
NAMES = [("Jürgen", "Müller"), ("Hans", "Mueller"), ("hans", "mueller"), ("Hans", "Mueller"),
         ("Hans", "Mueller"), ("ÖZLEM", "MÜLLER-LÜDENSCHEIDT"), ("Anna", "Schmidt"),
         ("伟", "王"), ("芳", "王"), ("小明", "李"), ("Łukasz", "Łódź"), ("Zoë", "Adams"),
         ("", "Adams"), ("Bob", "Weiß"), ("Bob", "Weiss"), ("Ana", "García"), ("Émile", "Zola"),
         ("Anna", "Schmidt"), ("Jörg", "Schröder"), ("1st", "'Apostrophe"), ("Ådne", "Ås")]
STATUSES = (CONFIRMED, CONFIRMED, WAITLISTED, CANCELLED)
SEARCHES = ("", "mueller", "müller", "wang", "王", "anna schmidt", "nobody")
PER_PAGE = 4


@pytest.fixture
def event_id(app, make_event, make_registration):
    # Two categories share a position: the name, then the id, orders them.
    make_event(categories=[{"name": name, "capacity": 100}
                           for name in ("Press", "Attendee", "Staff", "Empty")])
    with app.app_context():
        for category in db.session.scalar(db.select(Event)).categories:
            category.position = {"Press": 1, "Attendee": 1, "Staff": 0}.get(category.name, 2)
        db.session.commit()
    t0 = datetime(2030, 1, 1, 9, tzinfo=UTC)
    categories = ("Press", "Attendee", "Staff")
    for round_ in range(3):
        for index, (first, last) in enumerate(NAMES):
            number = round_ * len(NAMES) + index
            make_registration(category=categories[number % 3], first_name=first, last_name=last,
                              status=STATUSES[number % 4], email=f"p{number}@example.org",
                              created_at=t0 + timedelta(minutes=number // 2))
    with app.app_context():
        return db.session.scalar(db.select(Event.id))


def queries(event: Event):
    press = next(c.id for c in event.categories if c.name == "Press")
    empty = next(c.id for c in event.categories if c.name == "Empty")
    for sort in attendees.SORTS:
        for descending in (False, True):
            for search in SEARCHES:
                yield attendees.AttendeeQuery(sort=sort, descending=descending, search=search)
            for category, status in ((press, None), (None, WAITLISTED), (press, CONFIRMED),
                                     (empty, None)):
                yield attendees.AttendeeQuery(sort=sort, descending=descending,
                                              category_id=category, status=status)
            yield attendees.AttendeeQuery(sort=sort, descending=descending, category_id=press,
                                          search="mueller")


def offset_pages(event, query) -> list[list[int]]:
    """The reference: ORDER BY … LIMIT/OFFSET, page after page."""
    pages, number = [], 1
    while True:
        rows = db.session.scalars(attendees.select_attendees(event, query)
                                  .limit(PER_PAGE).offset((number - 1) * PER_PAGE)).all()
        if not rows:
            return pages
        pages.append([row.id for row in rows])
        number += 1


@pytest.fixture(params=["as configured", "capped count, window always"])
def shortcuts(request, monkeypatch):
    """The fast paths at sizes this data reaches: the count stops after 5 matches, and every
    search first tries a window of 2 rows per wanted row in the sort's index (SQLite; on
    PostgreSQL only when asked, see test_first_matches_with_a_window)."""
    if request.param == "as configured":
        return attendee_pages.COUNT_CAP
    monkeypatch.setattr(attendee_pages, "COUNT_CAP", 5)
    monkeypatch.setattr(attendee_pages, "WINDOW_PER_ROW", 2)
    monkeypatch.setattr(attendee_pages, "WINDOW_WORTH", 0)
    return 5


def test_forward_and_backward_walks_give_the_offset_pages(app, event_id, shortcuts):
    with app.app_context():
        event = db.session.get(Event, event_id)
        checked = 0
        for query in queries(event):
            expected = offset_pages(event, query)
            flat = [rid for rows in expected for rid in rows]
            page = attendees.page_of_attendees(event, query, per_page=PER_PAGE)
            # A search's count stops at the cap ("1–4 of more than 5"); filters count exactly.
            capped = bool(query.search) and len(flat) > shortcuts
            assert (page.total, page.more_than) == ((shortcuts, True) if capped
                                                    else (len(flat), False)), query
            walked, place = [], 1
            while True:
                assert [r.id for r in page.items] == (expected[len(walked)] if expected
                                                      else []), query
                if page.items:
                    assert (page.first, page.last) == (place, place + len(page.items) - 1)
                walked.append([r.id for r in page.items])
                place += len(page.items)
                if not page.has_next:
                    break
                page = attendees.page_of_attendees(event, query, after=page.next_cursor,
                                                   per_page=PER_PAGE)
            assert [rid for rows in walked for rid in rows] == flat, query
            # Backwards from the last page: the same rows, pages counted from the end.
            page = attendees.page_of_attendees(event, query, last=True, per_page=PER_PAGE)
            assert (page.total, page.more_than) == (len(flat), False), query  # all counted
            backwards = []
            while True:
                backwards[:0] = [r.id for r in page.items]
                if page.items:
                    assert page.last == len(flat) - len(backwards) + len(page.items), query
                if not page.has_prev:
                    assert not page.items or page.first == 1
                    break
                page = attendees.page_of_attendees(event, query, before=page.prev_cursor,
                                                   per_page=PER_PAGE)
            assert backwards == flat, query
            checked += 1
        assert checked == len(attendees.SORTS) * 2 * (len(SEARCHES) + 5)


@pytest.mark.parametrize("per_row", [1, 2, 40])
def test_first_matches_with_a_window(app, event_id, per_row, monkeypatch):
    """Looking at a window of the sort's index first gives the rows of ORDER BY … LIMIT
    over every match, whether the window holds them all, some or none (both databases)."""
    monkeypatch.setattr(attendee_pages, "WINDOW_PER_ROW", per_row)
    with app.app_context():
        event = db.session.get(Event, event_id)
        for sort in attendees.SORTS:
            for descending in (False, True):
                for search in SEARCHES[1:] + ("a", "example", "ue"):
                    query = attendees.AttendeeQuery(sort=sort, descending=descending,
                                                    search=search)
                    flat = [rid for rows in offset_pages(event, query) for rid in rows]
                    for limit in (1, 3, 7):
                        found = attendee_pages.first_matches(
                            attendees._conditions(event, query, search=False), search,
                            attendee_pages.key_columns("name" if sort == "category" else sort),
                            not descending, limit, window=True)
                        if sort != "category":  # the category walk is page()'s
                            assert [r.id for r in found] == flat[:limit], (query, limit)


def test_next_then_previous_returns_the_same_page(app, event_id):
    with app.app_context():
        event = db.session.get(Event, event_id)
        for sort in attendees.SORTS:
            query = attendees.AttendeeQuery(sort=sort, descending=sort == "category")
            first = attendees.page_of_attendees(event, query, per_page=PER_PAGE)
            second = attendees.page_of_attendees(event, query, after=first.next_cursor,
                                                 per_page=PER_PAGE)
            back = attendees.page_of_attendees(event, query, before=second.prev_cursor,
                                               per_page=PER_PAGE)
            assert [r.id for r in back.items] == [r.id for r in first.items]
            assert (back.first, back.last, back.has_prev) == (1, PER_PAGE, False)


def test_the_count_from_the_category_counts_matches_a_count(app, event_id):
    with app.app_context():
        event = db.session.get(Event, event_id)
        counts = attendees.counts(event)
        for query in queries(event):
            known = attendees.known_total(counts, query)
            counted = attendees.page_of_attendees(event, query, per_page=PER_PAGE).total
            assert known is None if query.search else known == counted


def _token(data) -> str:
    raw = json.dumps(data).encode() if not isinstance(data, bytes) else data
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("token", [
    "", "!!!", "a", _token(b"\xff\xfe"), _token([1, 2]), _token({"s": "name"}),
    _token({"s": "name", "d": 0, "k": ["a", "b"], "p": 1, "g": None}),
    _token({"s": "name", "d": 0, "k": ["a", "b", 2**40], "p": 1, "g": None}),
    _token({"s": "name", "d": 0, "k": ["a", "b", True], "p": 1, "g": None}),
    _token({"s": "name", "d": 0, "k": ["a\x00", "b", 1], "p": 1, "g": None}),
    _token({"s": "name", "d": 0, "k": [1, "b", 1], "p": 1, "g": None}),
    _token({"s": "name", "d": 0, "k": ["a", "b", 1], "p": -1, "g": None}),
    _token({"s": "name", "d": 0, "k": ["a", "b", 1], "p": 1, "g": 99999}),
    _token({"s": "registered", "d": 0, "k": ["2030-01-01T00:00:00", 1], "p": 1, "g": None}),
    _token({"s": "registered", "d": 0, "k": ["0001-01-01T00:00:00+01:00", 1], "p": 1,
            "g": None}),
    _token({"s": "registered", "d": 0, "k": ["yesterday", 1], "p": 1, "g": None}),
    _token({"s": "category", "d": 0, "k": ["a", "b", 1], "p": 1, "g": None}),
])
@pytest.mark.parametrize("sort", attendees.SORTS)
def test_cursors_from_outside_give_the_first_page(app, event_id, token, sort):
    with app.app_context():
        event = db.session.get(Event, event_id)
        query = attendees.AttendeeQuery(sort=sort)
        first = [r.id for r in attendees.page_of_attendees(event, query, per_page=5).items]
        for direction in ("after", "before"):
            page = attendees.page_of_attendees(event, query, per_page=5, **{direction: token})
            assert [r.id for r in page.items] == first, (token, direction)


def test_a_category_of_another_event_lists_no_one(app, event_id, make_event):
    make_event(slug="other", categories=[{"name": "Attendee", "capacity": 5}])
    with app.app_context():
        event = db.session.get(Event, event_id)
        other = db.session.scalar(db.select(Event).where(Event.slug == "other"))
        query = attendees.AttendeeQuery(category_id=other.categories[0].id)
        page = attendees.page_of_attendees(event, query)
        assert (page.items, page.total, page.has_next) == ([], 0, False)
