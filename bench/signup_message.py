"""The sign-up's one message on PostgreSQL alone: how many sign-ups a second the category's
lock lets through, with the write prepared once per connection (what busy_signup sends)
against the same message planned every time (what it sent before), in the same run.

Run from the repo root:
    .venv/bin/python bench/signup_message.py [--database-url postgresql://postgres@127.0.0.1/test]
        [--signups 1500] [--threads 1 8] [--runs 3]

No HTTP, no Flask: each thread holds one psycopg connection and sends the message, as a
gunicorn worker's request would, for --signups plain sign-ups (80 % of them find a place)
into a fresh schema. Every sign-up takes the same row lock, so the figure is the lock's
ceiling on this machine: what the server does while it holds the lock (the count, the two
inserts, the commit; before, also planning the write) and the hand-over to the next
waiting connection. The last line reads `prepared_per_s=… planned_per_s=… ratio=…`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from registration_burst import ROOT, SLUG, Database, prepare


def sign_ups(url: str, total: int, threads: int, prepared: bool) -> float:
    """Sign-ups per second for `total` sign-ups from `threads` connections."""
    import psycopg

    from summit.models.registration import search_columns
    from summit.services.mail import compose
    from summit.services.registrations import busy_signup, codes

    with psycopg.connect(url, autocommit=True) as connection:
        event_id, category_id = connection.execute(
            "SELECT events.id, categories.id FROM events JOIN categories"
            " ON categories.event_id = events.id WHERE events.slug = %s", (SLUG,)).fetchone()
    planned = busy_signup._LOCK + ";\n" + busy_signup._write_sql()
    numbers = iter(range(total))
    lock = threading.Lock()

    def person(number: int) -> dict:
        email = f"message{number}@example.org"
        return {"event_id": event_id, "category_id": category_id, "first_name": "Message",
                "last_name": f"Person {number}", "email": email, "email_normalised": email,
                "organisation": "", "language": "de", "needs": "", "public_listing": False,
                "manage_token": codes.new_manage_token(),
                "checkin_code": codes.new_checkin_code(),
                **search_columns("Message", f"Person {number}", email, ""),
                "composer": compose.CONFIRMATION, "recipient": email}

    def client() -> None:
        with psycopg.connect(url, autocommit=True) as connection:
            while True:
                with lock:
                    number = next(numbers, None)
                if number is None:
                    return
                if prepared:
                    busy_signup._send(connection, person(number),
                                      prepare=connection not in busy_signup._PREPARED)
                    continue
                with psycopg.ClientCursor(connection) as cursor:
                    cursor.execute(planned, person(number))
                    cursor.nextset()
                    cursor.fetchone()

    workers = [threading.Thread(target=client) for _ in range(threads)]
    began = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return total / (time.perf_counter() - began)


def run_once(args, threads: int, prepared: bool) -> float:
    instance = Path(tempfile.mkdtemp(prefix="summit-message-"))
    database = Database(args.database_url, instance)
    env = dict(os.environ, SUMMIT_INSTANCE_PATH=str(instance), SUMMIT_DATABASE_URL=database.url,
               SUMMIT_SECRET_KEY="bench-secret", PYTHONPATH=str(ROOT))
    try:
        prepare(env, int(args.signups * 0.8))
        url = database.url.replace("postgresql+psycopg://", "postgresql://", 1)
        return sign_ups(url, args.signups, threads, prepared)
    finally:
        database.drop()
        shutil.rmtree(instance, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--signups", type=int, default=1500)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}; {args.signups} sign-ups per run, "
          f"{args.runs} runs each, prepared and planned alternating")
    last = {}
    for threads in args.threads:
        figures: dict[bool, list[float]] = {True: [], False: []}
        for _ in range(args.runs):
            for prepared in (True, False):
                figures[prepared].append(run_once(args, threads, prepared))
        last = {mode: statistics.median(values) for mode, values in figures.items()}
        print(f"{threads:3d} connection(s): prepared "
              + " ".join(f"{value:6.0f}" for value in figures[True])
              + "  planned " + " ".join(f"{value:6.0f}" for value in figures[False])
              + f"  (medians {last[True]:.0f} / {last[False]:.0f} sign-ups/s)")
    print(f"prepared_per_s={last[True]:.0f} planned_per_s={last[False]:.0f} "
          f"ratio={last[True] / last[False]:.2f}")


if __name__ == "__main__":
    sys.exit(main())
