"""Benchmark a whole print run through the service: database rows to PDF and marked printed.

Run from the repo root:  .venv/bin/python bench/badge_print_run.py [--count N] [--database URL]

Creates an event with N confirmed registrations in a temporary SQLite file (or in a fresh
schema of the PostgreSQL server given with --database), then prints every badge with
``services.badges.print_badges`` for each layout and prints wall time, badges per second
and peak Python memory (tracemalloc, in a second run). bench/badges.py measures the
renderer alone.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from summit import create_app  # noqa: E402
from summit.config import normalise_database_url  # noqa: E402
from summit.extensions import db  # noqa: E402
from summit.models import CONFIRMED, Category, Event, Registration  # noqa: E402
from summit.services import badges  # noqa: E402
from summit.services.badges.layouts import LAYOUTS  # noqa: E402
from summit.services.registrations import codes  # noqa: E402

FIRST = "Jürgen Anna-Lena Łukasz Zoë Søren François Γιώργος Анастасия Małgorzata José".split()
LAST = "Müller Schäfer Żółć Ørsted Παπαδόπουλος Кузнецова Nguyễn Yılmaz Dvořák Weiß".split()


def seed(count: int) -> Event:
    rng = random.Random(2014)
    event = Event(slug="bench-summit", name="Vision Summit 2014", venue="Berlin",
                  starts_on=date(2014, 9, 10), ends_on=date(2014, 9, 11))
    for position, (name, colour) in enumerate([("Attendee", "#0B5D66"), ("Press", "#1D4ED8"),
                                               ("Staff", "#374151")]):
        event.categories.append(Category(name=name, capacity=count, badge_colour=colour,
                                         position=position))
    db.session.add(event)
    db.session.flush()
    rows = []
    for index in range(count):
        email = f"person{index}@example.org"
        rows.append({
            "event_id": event.id, "category_id": event.categories[index % 3].id,
            "status": CONFIRMED, "first_name": rng.choice(FIRST), "last_name": rng.choice(LAST),
            "email": email, "email_normalised": email, "organisation": "Stiftung (sample)",
            "manage_token": codes.new_manage_token(), "checkin_code": codes.new_checkin_code(),
        })
    db.session.execute(sa.insert(Registration), rows)
    db.session.commit()
    return event


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1100)
    parser.add_argument("--database", help="postgresql://... (default: a SQLite file)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="summit-bench-"))
    url, schema, engine = f"sqlite:///{workdir / 'bench.db'}", None, None
    if args.database:
        schema = "bench_" + uuid.uuid4().hex[:8]
        engine = sa.create_engine(normalise_database_url(args.database),
                                  isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        url = normalise_database_url(args.database) + f"?options=-csearch_path%3D{schema}"
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                      "SUMMIT_MAIL_DIR": str(workdir / "mail")})
    try:
        with app.test_request_context():
            db.create_all()
            event = seed(args.count)
            print(f"{args.count} confirmed registrations on {db.engine.dialect.name}")
            for layout in LAYOUTS:
                out = io.BytesIO()
                started = time.perf_counter()
                run = badges.print_badges(event, out, layout=layout)
                seconds = time.perf_counter() - started
                # Memory in a second run: tracemalloc slows Python down several times.
                tracemalloc.start()
                badges.print_badges(event, io.BytesIO(), layout=layout)
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                print(f"{layout:14} {run.count} badges, {run.pages:4} pages, "
                      f"{len(out.getvalue()) / 1e6:5.2f} MB PDF, {seconds:5.2f} s "
                      f"({run.count / seconds:6.0f} badges/s), peak {peak / 1e6:5.1f} MB, "
                      f"{run.marked} marked")
            db.session.remove()
            db.engine.dispose()
    finally:
        if engine is not None:
            with engine.connect() as conn:
                conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
            engine.dispose()


if __name__ == "__main__":
    main()
