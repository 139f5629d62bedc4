"""Scale: one event with 100,000 registrations — desk search, organiser list, CSV export, badges.

Run from the repo root:
    .venv/bin/python bench/scale.py [--registrations 100000]
    .venv/bin/python bench/scale.py --database-url postgresql://postgres@127.0.0.1:5432/test

Seeds a fresh SQLite file (or a fresh schema on the PostgreSQL server; pg_trgm's schema
`public` stays on the search path so the trigram index can be built) with one event of N
registrations (bulk INSERT, with the folded search key the ORM listener would write) and a
second event of N/10, then measures through the services, in process:

- desk search (services/checkin/scans.search) by name, e-mail and organisation, folded
  ("mueller" finds Müller): p50/p95 over a fixed set of queries;
- the organiser's attendee list (services/registrations/attendees.page_of_attendees):
  first, middle and last page (keyset cursors), every sort both ways, with a
  category/status filter (a page in its middle) and a search: p50/p95;
- CSV export (attendee_export.stream_csv) and a badge run (badges.print_badges) of the
  small and the large event, each in a fresh child process, peak RSS (ru_maxrss) and the
  ratio large/small. --badges N limits the badge run to N badges of each event (100,000
  badges take minutes on this machine); the figure says what was run.

The last line: registrations=N desk_search_p95_ms=… list_p95_ms=… export_rss_ratio=…
badges_rss_ratio=…
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

FIRST = ("Jürgen Anna-Lena Łukasz Zoë Søren François José Małgorzata Ines Jörg Ana Mehmet "
         "Wei Yuki Olga Pierre Sophie Lars Ahmed Chloé Björn Élodie Mateo Nils").split()
LAST = ("Müller Schäfer Żółć Ørsted Nguyễn Yılmaz Dvořák Weiß Schmidt Fischer Meyer Wagner "
        "Becker Schulz Hoffmann Koch Richter Klein Wolf Schröder Neumann Zimmermann Braun "
        "Krüger Hofmann Hartmann Lange Schmitt Werner Krause Meier Lehmann García Martín "
        "Rossi Kowalski Novák Horváth Jensen").split()
ORGS = ("Stiftung Zukunft", "Bäckerei Grün", "Université de Genève", "Technische Universität "
        "München", "Öko-Institut", "Charité", "Fraunhofer", "Søren & Co", "Acme GmbH",
        "Café Élan", "Wiener Städtische", "Zürich Versicherung")
DESK_QUERIES = ["mueller", "Müller", "muller", "jose", "lukasz", "schafer anna", "weiss",
                "zurich", "person12345", "person777@", "oeko", "universite geneve", "nguyen",
                "yilmaz", "dvorak", "charite", "krueger jorg", "elodie", "gmbh", "zzzz-none"]
LIST_SEARCHES = ["mueller", "jose", "person4242", "fraunhofer"]


def seed(event_slug: str, count: int, db, models, codes, search_key) -> int:
    rng = random.Random(2014 + count)
    event = models.Event(slug=event_slug, name="Scale Summit", venue="Berlin",
                         starts_on=date(2030, 9, 10), ends_on=date(2030, 9, 11))
    for position, name in enumerate(("Attendee", "Press", "Staff", "Speaker")):
        event.categories.append(models.Category(name=name, capacity=count, position=position))
    db.session.add(event)
    db.session.flush()
    categories = [category.id for category in event.categories]
    start = datetime(2030, 1, 1, tzinfo=UTC)
    batch = []
    for index in range(count):
        first, last, org = rng.choice(FIRST), rng.choice(LAST), rng.choice(ORGS)
        email = f"person{index}@{event_slug}.example.org"
        status = ("confirmed", "confirmed", "confirmed", "waitlisted", "cancelled")[index % 5]
        batch.append({
            "event_id": event.id, "category_id": categories[index % len(categories)],
            "status": status, "first_name": first, "last_name": last, "email": email,
            "email_normalised": email, "organisation": org, "language": "en", "needs": "",
            "public_listing": False, "manage_token": codes.new_manage_token(),
            "checkin_code": codes.new_checkin_code(),
            "created_at": start + timedelta(seconds=index * 7),
            "search_key": search_key(first, last, email, org),
            "sort_last": last.lower(), "sort_first": first.lower(),
        })
        if len(batch) == 5000:
            db.session.execute(sa.insert(models.Registration), batch)
            batch = []
    if batch:
        db.session.execute(sa.insert(models.Registration), batch)
    db.session.commit()
    return event.id


def cursor_at(event, query, offset: int, attendees, attendee_pages) -> str:
    """The cursor "after the row at `offset`" (untimed, by OFFSET), as a Next link holds it."""
    from summit.extensions import db

    row = db.session.scalars(attendees.select_attendees(event, query)
                             .offset(offset).limit(1)).one()
    return attendee_pages.encode(row, offset + 1, query)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(call, repeat: int = 3) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def make_app(url: str, workdir: Path):
    from summit import create_app

    return create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                       "SUMMIT_MAIL_DIR": str(workdir / "mail"), "RATELIMIT_ENABLED": False})


def child(args) -> None:
    """One export or badge run in a fresh process; prints its peak RSS in MB as JSON."""
    from summit.extensions import db
    from summit.models import Event
    from summit.services import badges
    from summit.services.registrations import attendee_export

    app = make_app(args.url, Path(args.workdir))
    with app.test_request_context():
        event = db.session.get(Event, args.event_id)
        started = time.perf_counter()
        rows = 0
        if args.child == "export":
            with open(os.devnull, "w", encoding="utf-8") as sink:
                for line in attendee_export.stream_csv(event):
                    sink.write(line)
                    rows += 1
        else:
            from summit.services.badges import selection
            limit = args.limit
            # Limited by category when asked for fewer badges than the event has.
            category = None
            if limit:
                for each in event.categories:
                    if selection.count(selection.select(event, category=each)) <= limit:
                        category = each
                        break
            with open(os.devnull, "wb") as sink:
                run = badges.print_badges(event, sink, layout=None, category=category,
                                          mark_printed=False)
            rows = run.count
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak}))


def run_child(kind: str, url: str, workdir: Path, event_id: int, limit: int = 0) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--url", url, "--workdir", str(workdir),
         "--event-id", str(event_id), "--limit", str(limit)],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def measure(args) -> None:
    from summit import models
    from summit.extensions import db
    from summit.models import Event
    from summit.services.checkin import scans
    from summit.services.registrations import attendee_pages, attendees, codes
    from summit.text import search_key

    workdir = Path(tempfile.mkdtemp(prefix="summit-scale-"))
    url, schema, engine = f"sqlite:///{workdir / 'scale.db'}", None, None
    if args.database_url:
        from summit.config import normalise_database_url

        base = normalise_database_url(args.database_url)
        schema = "scale_" + uuid.uuid4().hex[:8]
        engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
        # public stays on the path: pg_trgm's operator classes live there.
        url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema},public"
    app = make_app(url, workdir)
    n = args.registrations
    try:
        with app.test_request_context():
            db.create_all()
            started = time.perf_counter()
            big = seed("scale-big", n, db, models, codes, search_key)
            seed_s = time.perf_counter() - started
            small = seed("scale-small", max(1, n // 10), db, models, codes, search_key)
            if db.engine.dialect.name == "postgresql":
                db.session.execute(sa.text("ANALYZE registrations"))
                db.session.commit()
            print(f"{db.engine.dialect.name}: seeded {n} registrations in {seed_s:.1f} s "
                  f"(+{n // 10} in a second event); load average {os.getloadavg()}")
            event = db.session.get(Event, big)

            desk = []
            for query in DESK_QUERIES:
                desk += timed(lambda q=query: scans.search(event, q))
                db.session.rollback()
            desk_p50, desk_p95 = percentiles(desk)
            print(f"desk search ({len(DESK_QUERIES)} queries x3): p50 {desk_p50:.1f} ms, "
                  f"p95 {desk_p95:.1f} ms")

            category = event.categories[1].id
            lists = []
            per_kind: dict[str, list[float]] = {}
            # Keyset pages: the first, the one whose cursor is the middle row (reached by
            # "Next" from the row before it), the last; the filter at its middle too.
            for sort in attendees.SORTS:
                for descending in (False, True):
                    query = attendees.AttendeeQuery(sort=sort, descending=descending)
                    middle = cursor_at(event, query, n // 2, attendees, attendee_pages)
                    for where, kwargs in (("1", {}), ("mid", {"after": middle}),
                                          ("last", {"last": True})):
                        samples = timed(lambda q=query, k=kwargs:
                                        attendees.page_of_attendees(event, q, **k).items, 2)
                        per_kind.setdefault(f"{sort} page {where}", []).extend(samples)
                        lists += samples
                    filtered = attendees.AttendeeQuery(sort=sort, descending=descending,
                                                       category_id=category, status="confirmed")
                    middle = cursor_at(event, filtered, n * 3 // 40, attendees, attendee_pages)
                    samples = timed(lambda q=filtered, c=middle:
                                    attendees.page_of_attendees(event, q, after=c).items, 2)
                    per_kind.setdefault("filter", []).extend(samples)
                    lists += samples
                    for text in LIST_SEARCHES:
                        searched = attendees.AttendeeQuery(sort=sort, descending=descending,
                                                           search=text, status="confirmed")
                        samples = timed(lambda q=searched:
                                        attendees.page_of_attendees(event, q).items, 1)
                        per_kind.setdefault("search", []).extend(samples)
                        lists += samples
                    db.session.rollback()
            list_p50, list_p95 = percentiles(lists)
            for kind, samples in per_kind.items():
                p50, p95 = percentiles(samples)
                print(f"  list {kind:18} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms")
            print(f"attendee list ({len(lists)} pages): p50 {list_p50:.1f} ms, "
                  f"p95 {list_p95:.1f} ms")
            db.session.remove()
            db.engine.dispose()

        export_ratio = badges_ratio = "skipped"
        if not args.skip_export:
            export_small = run_child("export", url, workdir, small)
            export_big = run_child("export", url, workdir, big)
            export_ratio = f"{export_big['peak_mb'] / export_small['peak_mb']:.2f}"
            print(f"CSV export: {export_small['rows'] - 2} rows peak "
                  f"{export_small['peak_mb']:.0f} MB ({export_small['seconds']:.1f} s), "
                  f"{export_big['rows'] - 2} rows peak {export_big['peak_mb']:.0f} MB "
                  f"({export_big['seconds']:.1f} s), ratio {export_ratio}")
        if not args.skip_badges:
            badge_small = run_child("badges", url, workdir, small, args.badges // 10)
            badge_big = run_child("badges", url, workdir, big, args.badges)
            badges_ratio = f"{badge_big['peak_mb'] / badge_small['peak_mb']:.2f}"
            print(f"badge run: {badge_small['rows']} badges peak "
                  f"{badge_small['peak_mb']:.0f} MB ({badge_small['seconds']:.1f} s), "
                  f"{badge_big['rows']} badges peak {badge_big['peak_mb']:.0f} MB "
                  f"({badge_big['seconds']:.1f} s), ratio {badges_ratio}")
        print(f"load average {os.getloadavg()}")
        print(f"registrations={n} desk_search_p95_ms={desk_p95:.1f} list_p95_ms={list_p95:.1f} "
              f"export_rss_ratio={export_ratio} badges_rss_ratio={badges_ratio}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if engine is not None:
            with engine.connect() as conn:
                conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
            engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrations", type=int, default=100_000)
    parser.add_argument("--database-url", help="postgresql://... (default: a SQLite file)")
    parser.add_argument("--badges", type=int, default=0,
                        help="badges of the large event at most (0: all confirmed); the "
                             "small event prints a tenth of that")
    parser.add_argument("--skip-export", action="store_true",
                        help="leave out the CSV export (its ratio prints as 'skipped')")
    parser.add_argument("--skip-badges", action="store_true",
                        help="leave out the badge run (its ratio prints as 'skipped')")
    parser.add_argument("--child", choices=("export", "badges"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--event-id", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
    else:
        measure(args)


if __name__ == "__main__":
    main()
