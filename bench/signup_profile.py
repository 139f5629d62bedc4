"""Where a sign-up's time goes: cProfile around the test client, SQL statements counted.

Run from the repo root:
    .venv/bin/python bench/signup_profile.py [--signups 300] [--top 25]
    .venv/bin/python bench/signup_profile.py --database-url postgresql://postgres@127.0.0.1/test

Creates an event (one category, places for 80 % of the sign-ups) on a fresh SQLite file or
PostgreSQL schema, warms up with a few sign-ups, then POSTs --signups plain sign-ups (the
busy path, services/registrations/busy_signup.py) to
/api/v1/events/{slug}/registrations, half of them under cProfile. Prints the wall time per
sign-up with and without the profiler (and the CPU time: steadier on a busy machine), SQL
statements per sign-up, the cumulative time per sign-up of the parts named in
docs/performance.md, and the top functions by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from registration_burst import ROOT, Database

sys.path.insert(0, str(ROOT))

# (label, file suffix, function name): the parts of a sign-up worth naming.
PARTS = [
    ("request in total", "flask/app.py", "full_dispatch_request"),
    ("busy path", "registrations/busy_signup.py", "sign_up_at_once"),
    ("  details checked", "registrations/signup.py", "clean_details"),
    ("  e-mail checked", "registrations/signup.py", "clean_email"),
    ("  written step by step", "registrations/busy_signup.py", "_write_step_by_step"),
    ("  written in one message", "registrations/busy_signup.py", "_write_in_one_round_trip"),
    ("readable path (register)", "registrations/signup.py", "register"),
    ("form parsing", "api/core.py", "parse_body"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--signups", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    from sqlalchemy import event as sa_event

    from summit import create_app
    from summit.extensions import db
    from summit.services import events

    folder = Path(tempfile.mkdtemp(prefix="summit-signup-profile-"))
    database = Database(args.database_url, folder)
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": database.url, "SECRET_KEY": "profile",
                          "RATELIMIT_ENABLED": False, "SUMMIT_MAIL_DIR": str(folder / "mail"),
                          "SUMMIT_BASE_URL": "http://localhost", "WTF_CSRF_ENABLED": False})
        year = date.today().year + 1
        with app.app_context():
            db.create_all()
            events.create_event(slug="profile-summit", name="Profile Summit", venue="Forum",
                                starts_on=date(year, 9, 10), ends_on=date(year, 9, 11),
                                categories=[{"name": "Attendee",
                                             "capacity": int(args.signups * 0.8)}])
            statements = [0]
            # How long the category's lock is held: from the statement that takes it to the
            # end of the commit (other sign-ups of the category wait that long).
            held, locked_at = [], [None]

            def count(_conn, _cursor, statement, *_args):
                statements[0] += 1
                if statement.startswith("UPDATE categories SET lock_version"):
                    locked_at[0] = time.perf_counter()

            def committed(_conn):
                if locked_at[0] is not None:
                    held.append(time.perf_counter() - locked_at[0])
                    locked_at[0] = None

            sa_event.listen(db.engine, "before_cursor_execute", count)
            sa_event.listen(db.engine, "commit", committed)
        client = app.test_client()

        def sign_up(number: int) -> None:
            response = client.post("/api/v1/events/profile-summit/registrations", json={
                "first_name": "Profile", "last_name": f"Person {number}",
                "email": f"profile{number}@example.org", "category": "Attendee",
                "consent": True})
            assert response.status_code == 201, response.get_data(as_text=True)

        for number in range(5):  # warm up: templates, statement caches, imports
            sign_up(-number - 1)
        began, cpu, statements[0] = time.perf_counter(), time.process_time(), 0
        half = args.signups // 2
        held.clear()
        for number in range(half):
            sign_up(number)
        held_ms = sorted(seconds * 1000 for seconds in held)
        plain_ms = (time.perf_counter() - began) * 1000 / half
        cpu_ms = (time.process_time() - cpu) * 1000 / half
        per_signup_sql = statements[0] / half
        profiler = cProfile.Profile()
        began = time.perf_counter()
        profiler.enable()
        for number in range(half, args.signups):
            sign_up(number)
        profiler.disable()
        profiled = args.signups - half
        profiled_ms = (time.perf_counter() - began) * 1000 / profiled
    finally:
        database.drop()
        shutil.rmtree(folder, ignore_errors=True)

    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{backend}: {half} sign-ups {plain_ms:.2f} ms each (CPU {cpu_ms:.2f} ms, load "
          f"{os.getloadavg()[0]:.2f}); {profiled} under cProfile "
          f"{profiled_ms:.2f} ms each; {per_signup_sql:.1f} SQL statements per sign-up"
          + (" through SQLAlchemy, + the write: one message of two statements sent by "
             "psycopg itself" if args.database_url else ""))
    if held_ms:
        print(f"category lock held (lock statement to end of commit, without cProfile): "
              f"median {statistics.median(held_ms):.2f} ms, "
              f"p90 {held_ms[int(len(held_ms) * 0.9)]:.2f} ms")
    else:  # PostgreSQL's busy path sends lock and write as one message, past SQLAlchemy
        print("category lock held: inside one message to the server (not seen from here)")
    stats = pstats.Stats(profiler)
    for label, suffix, name in PARTS:
        cumulative = sum(row[3] for (path, _line, function), row in stats.stats.items()
                         if path.endswith(suffix) and function == name)
        print(f"  {label:24} {cumulative * 1000 / profiled:6.2f} ms")
    stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
