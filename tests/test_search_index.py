"""The search index (SQLite: FTS5 trigram table kept by triggers; PostgreSQL: pg_trgm) gives
exactly the answers of reading every search key, after inserts, renames and deletions."""

import pytest

from summit.extensions import db
from summit.models import Event, Registration
from summit.services.checkin import scans
from summit.services.registrations import attendee_pages, attendees
from summit.text import spellings

NAMES = [("Zoë", "Müller"), ("Hans", "Mueller"), ("José", "García"), ("Łukasz", "Wiśniewski"),
         ("Anna", "Straße"), ("伟", "王"), ("Emoji 🎉", "Party"), ('Quote "Q"', "O'Brien"),
         ("Per%cent", "Under_score"), ("Al", "Li"), ("Jörg", "Schröder")]
QUERIES = ["mueller", "muller", "Müller", "jose", "lukasz", "strasse", "王", "🎉", '"q"',
           "o'brien", "per%cent", "under_score", "%", "_", "li", "al li", "jorg schroder",
           "example", "nobody-at-all", "zoe mue", "ll"]


def _expected(keys: dict[int, str], query: str) -> set[int]:
    words = [spellings(word) for word in query.split()]
    return {rid for rid, key in keys.items()
            if all(any(s in key for s in each) for each in words)}


@pytest.fixture
def people(make_event, make_registration):
    make_event(categories=[{"name": "Attendee", "capacity": 50}])
    return [make_registration(first_name=first, last_name=last,
                              email=f"{first[:2].lower()}{index}@exämple.org",
                              organisation="Bäckerei Grün" if index % 2 else "")
            for index, (first, last) in enumerate(NAMES)]


def _check(app):
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == "test-summit"))
        keys = dict(db.session.execute(db.select(Registration.id, Registration.search_key)
                                       .where(Registration.event_id == event.id)).all())
        for query in QUERIES:
            found = {r.id for r in attendees.page_of_attendees(
                event, attendees.AttendeeQuery(search=query), per_page=100).items}
            assert found == _expected(keys, query), query
            desk = [r.id for r in scans.search(event, query, limit=100)]
            assert set(desk) <= found, query
            if len("".join(query.split())) >= scans.SEARCH_MIN_LENGTH:
                assert set(desk) == found, query
            # In the list's name order, also when only the first few are asked for.
            rows = {r.id: r for r in db.session.scalars(
                db.select(Registration).where(Registration.id.in_(found)))}
            ordered = sorted(desk, key=lambda rid: (rows[rid].sort_last, rows[rid].sort_first,
                                                    rid))
            assert desk == ordered, query
            for limit in (1, 2):
                assert [r.id for r in scans.search(event, query, limit=limit)] == \
                    desk[:limit], query


@pytest.fixture(params=["as configured", "window always"])
def window(request, monkeypatch):
    """The desk's first look at the name index (attendee_pages.first_matches), taken for
    every search on SQLite: it must give the same rows as the search index alone."""
    if request.param == "window always":
        monkeypatch.setattr(attendee_pages, "WINDOW_PER_ROW", 1)
        monkeypatch.setattr(attendee_pages, "WINDOW_WORTH", 0)


def test_index_answers_like_a_full_scan(app, people, window):
    _check(app)


def test_index_follows_renames_and_deletions(app, people, window):
    with app.app_context():
        renamed = db.session.get(Registration, people[0])
        renamed.last_name = "Schmidt"
        db.session.delete(db.session.get(Registration, people[1]))
        db.session.commit()
    _check(app)
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == "test-summit"))
        assert {r.last_name for r in scans.search(event, "mueller")} == set()
        assert [r.first_name for r in scans.search(event, "schmidt")] == ["Zoë"]


def test_name_sort_follows_lower_case_names_both_ways(app, people):
    with app.app_context():
        renamed = db.session.get(Registration, people[2])
        renamed.last_name = "aaron"  # lower case sorts with "Aaron", not after "Z"
        db.session.commit()
        event = db.session.scalar(db.select(Event).where(Event.slug == "test-summit"))
        rows = db.session.scalars(db.select(Registration)
                                  .where(Registration.event_id == event.id)).all()
        expected = [r.id for r in sorted(rows, key=lambda r: (r.last_name.lower(),
                                                              r.first_name.lower(), r.id))]
        for descending in (False, True):
            query = attendees.AttendeeQuery(descending=descending)
            pages, after = [], None
            while True:
                page = attendees.page_of_attendees(event, query, after=after, per_page=4)
                pages += [r.id for r in page.items]
                if not (after := page.next_cursor):
                    break
            assert pages == (expected[::-1] if descending else expected)
