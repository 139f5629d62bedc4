"""Benchmark the check-in desk's hot paths on a 1,000-person event.

Run from the repo root:  .venv/bin/python bench/checkin.py [--people N] [--scans N] [--db URL]
Prints per-call medians (and p95) for a first scan, a repeated scan, an unknown code, a search
by name (at the desk and in the organiser's list) and the live counts. Default database: a
fresh SQLite file in a temporary folder; with --db postgresql://... the run uses a schema of
its own and drops it afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from summit import create_app  # noqa: E402
from summit.extensions import db  # noqa: E402
from summit.models import Category, Event, Registration  # noqa: E402
from summit.services import checkin  # noqa: E402
from summit.services.registrations import (
    attendees,  # noqa: E402
    codes,  # noqa: E402
)

FIRST = ["Zoë", "Jürgen", "Ayşe", "Søren", "María", "Иван", "Mei", "Chidi", "Anna", "Lukas"]
LAST = ["Müller", "Schröder", "Yılmaz", "Dvořák", "Ørsted", "Nguyễn", "Smith", "Kaya", "Weiß"]


def timed(call, items) -> list[float]:
    times = []
    for item in items:
        start = time.perf_counter()
        call(item)
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(f"{label:<28} n={len(times):<5} median {statistics.median(times):7.2f} ms   "
          f"p95 {p95:7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--scans", type=int, default=300)
    parser.add_argument("--db", default="")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="summit-bench-")
    url = args.db or f"sqlite:///{folder}/bench.db"
    if url.startswith("postgres"):
        with _own_schema(url) as schema_url:
            run(args, schema_url)
    else:
        run(args, url)


@contextmanager
def _own_schema(url: str):
    import sqlalchemy as sa

    from summit.config import normalise_database_url

    url = normalise_database_url(url)
    schema = f"bench_{os.getpid()}"
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        # public stays on the path: pg_trgm (the search index's operators) usually lives there.
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema},public"
    finally:
        with engine.connect() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


def run(args, url: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.drop_all()
        db.create_all()
        event = Event(slug="bench", name="Bench", starts_on=date(2030, 9, 10),
                      ends_on=date(2030, 9, 11))
        categories = [Category(name=name, capacity=2000, position=index)
                      for index, name in enumerate(["Attendee", "Press", "Staff"])]
        event.categories.extend(categories)
        db.session.add(event)
        for index in range(args.people):
            email = f"person{index}@example.org"
            db.session.add(Registration(
                event=event, category=categories[index % 3], status="confirmed",
                first_name=FIRST[index % len(FIRST)], last_name=LAST[index % len(LAST)],
                email=email, email_normalised=email, organisation=f"Org {index % 50}",
                manage_token=codes.new_manage_token(), checkin_code=codes.new_checkin_code()))
        db.session.commit()
        all_codes = db.session.scalars(db.select(Registration.checkin_code)).all()
        sample = all_codes[: args.scans]
        print(f"{args.people} people, database {url.split(':')[0]}")
        report("scan (first check-in)", timed(lambda c: checkin.scan(event, c), sample))
        report("scan (already checked in)", timed(lambda c: checkin.scan(event, c), sample))
        unknown = [codes.new_checkin_code() for _ in sample]
        report("scan (unknown code)", timed(lambda c: checkin.scan(event, c), unknown))
        queries = ["müller", "zoe", "dvorak", "org 7", "nobody"] * (args.scans // 5)
        report("search by name", timed(lambda q: checkin.search(event, q), queries))
        report("organiser list search", timed(
            lambda q: attendees.page_of_attendees(event, attendees.AttendeeQuery(search=q)),
            queries))
        report("live counts", timed(lambda _: checkin.live_counts(event), range(args.scans)))
        db.session.remove()  # end the read transaction, or DROP TABLE waits for it
        db.drop_all()


if __name__ == "__main__":
    main()
