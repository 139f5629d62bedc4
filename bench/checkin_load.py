"""Check-in under load: two desks scanning badges while people keep registering.

Run from the repo root:
    .venv/bin/python bench/checkin_load.py [--duration 20] [--workers 5] [--threads 1]
    .venv/bin/python bench/checkin_load.py --config            # gunicorn -c gunicorn.conf.py
    .venv/bin/python bench/checkin_load.py --database-url postgresql://postgres@127.0.0.1/test

Each run migrates a fresh database (a SQLite file in a temporary instance folder, or a schema
of its own on PostgreSQL, dropped afterwards), seeds a 1,000-person event, a desk account and
its API token, and starts gunicorn with SUMMIT_RATELIMIT_ENABLED=false. For --duration
seconds two desks POST /api/v1/events/{slug}/checkins with the bearer token, each with
--scanners connections in parallel (a desk with several scanners; 1 = one scan at a time):
mostly first scans, some repeated scans (people who come back) and some unknown codes,
while --registrants clients POST registrations (--registration-rate a second each: late
sign-ups trickle in during check-in; 0 hammers back to back). It prints scans/s, p50/p95/p99
scan latency, registrations/s, and checks the stored check-ins against the answers (every
badge welcomed exactly once). Target: >= 500 scans/s with p99 < 50 ms on 2 cores, on SQLite
and on PostgreSQL. The last line reads `scans_per_s=… p99_ms=… exactly_once=yes|no`.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from registration_burst import ROOT, Database, free_port, server_cpu_seconds, start_server

SLUG = "load-summit"
DESK_EMAIL = "desk@load.example"
# Of every scan: an unknown code (a foreign badge, a misread), a repeat (someone who comes
# back in), else the next first scan of this desk's queue.
UNKNOWN_SHARE, REPEAT_SHARE = 0.05, 0.25


def prepare(env: dict, people: int) -> tuple[str, list[str]]:
    """Migrate, seed the event and its people, create the desk account: (token, codes)."""
    def flask(*args: str) -> str:
        return subprocess.run([sys.executable, "-m", "flask", "--app", "summit", *args],
                              cwd=ROOT, env=env, check=True, capture_output=True,
                              text=True).stdout

    flask("db", "upgrade")
    flask("create-user", DESK_EMAIL, "--role", "staff", "--password", "bench-desk-password")
    token = flask("create-api-token", DESK_EMAIL).strip().splitlines()[-1]
    script = f"""
import json
from datetime import date
from summit import create_app
from summit.extensions import db
from summit.models import Registration
from summit.services.registrations import codes
from summit.services import events
app = create_app()
with app.app_context():
    year = date.today().year + 1
    event = events.create_event(slug={SLUG!r}, name="Load Summit", venue="Forum",
        starts_on=date(year, 9, 10), ends_on=date(year, 9, 11),
        categories=[{{"name": "Attendee", "capacity": 100000}}])
    category = event.categories[0]
    for number in range({people}):
        email = f"guest{{number}}@example.org"
        db.session.add(Registration(event_id=event.id, category_id=category.id,
            status="confirmed", first_name="Guest", last_name=f"Nr. {{number}}",
            email=email, email_normalised=email, manage_token=codes.new_manage_token(),
            checkin_code=codes.new_checkin_code()))
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # Statistics, as autovacuum gathers them long before the doors open: fresh from
        # the seed the planner has none and may read the whole event to find one badge.
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
    print(json.dumps(db.session.scalars(db.select(Registration.checkin_code)).all()))
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    return token, json.loads(out.strip().splitlines()[-1])


class Desk:
    """One desk: its own queue of badges (first scans) and the ones it has already seen."""

    def __init__(self, name: str, codes: list[str], seed: int):
        self.name, self.queue, self.seen = name, list(codes), []
        self.random = random.Random(seed)
        self.lock = threading.Lock()

    def next_code(self) -> tuple[str, str]:
        with self.lock:
            roll = self.random.random()
            if roll < UNKNOWN_SHARE:
                return "unknown", "".join(self.random.choice("23456789ABCDEFGHJKMNPQRSTWXYZ")
                                          for _ in range(27))
            if self.queue and (roll >= UNKNOWN_SHARE + REPEAT_SHARE or not self.seen):
                code = self.queue.pop()
                self.seen.append(code)
                return "first", code
            if not self.seen:
                return "unknown", "X" * 27
            return "repeat", self.random.choice(self.seen)


def scanner(port: int, token: str, desk: Desk, stop: threading.Event, record) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    while not stop.is_set():
        kind, code = desk.next_code()
        body = json.dumps({"code": code, "desk": desk.name})
        began = time.perf_counter()
        try:
            connection.request("POST", f"/api/v1/events/{SLUG}/checkins", body, headers)
            response = connection.getresponse()
            payload = json.loads(response.read())
            outcome = payload.get("result") or f"HTTP {response.status}"
        except (OSError, http.client.HTTPException, ValueError) as exc:
            connection.close()
            outcome = f"error {type(exc).__name__}"
        record("scan", kind, outcome, time.perf_counter() - began, code)
    connection.close()


def registrant(port: int, number: int, rate: float, stop: threading.Event, record) -> None:
    """Registers people one after another: `rate` a second, or back to back when 0."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    sequence, started = 0, time.perf_counter()
    while not stop.is_set():
        if rate and stop.wait(max(0.0, started + sequence / rate - time.perf_counter())):
            break
        sequence += 1
        body = json.dumps({"first_name": "Late", "last_name": f"Comer {number}-{sequence}",
                           "email": f"late{number}-{sequence}@example.org",
                           "category": "Attendee", "consent": True})
        began = time.perf_counter()
        try:
            connection.request("POST", f"/api/v1/events/{SLUG}/registrations", body,
                               {"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            outcome = "registered" if response.status == 201 else f"HTTP {response.status}"
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            outcome = f"error {type(exc).__name__}"
        record("registration", "", outcome, time.perf_counter() - began, "")
    connection.close()


def stored_check_ins(env: dict) -> dict:
    script = """
import json
from summit import create_app
from summit.extensions import db
from summit.models import CheckIn, Registration
app = create_app()
with app.app_context():
    arrived = db.session.scalar(db.select(db.func.count()).select_from(Registration)
                                .where(Registration.checked_in_at.is_not(None)))
    rows = dict(db.session.execute(db.select(CheckIn.result, db.func.count())
                                   .group_by(CheckIn.result)).all())
    print(json.dumps({"arrived": arrived, "rows": rows}))
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


def run_once(args) -> dict:
    instance = Path(tempfile.mkdtemp(prefix="summit-checkin-load-"))
    database = Database(args.database_url, instance)
    port = free_port()
    env = dict(os.environ, SUMMIT_INSTANCE_PATH=str(instance), SUMMIT_DATABASE_URL=database.url,
               SUMMIT_RATELIMIT_ENABLED="false", SUMMIT_SECRET_KEY="bench-secret",
               SUMMIT_BASE_URL=f"http://127.0.0.1:{port}", PYTHONPATH=str(ROOT))
    workers: int | None = args.workers or os.cpu_count()
    options: tuple[str, ...] = ("--threads", str(args.threads))
    if args.config:
        # gunicorn.conf.py decides, from SUMMIT_WORKERS / SUMMIT_THREADS when given.
        workers = None
        env.update({"SUMMIT_THREADS": str(args.threads)},
                   **({"SUMMIT_WORKERS": str(args.workers)} if args.workers else {}))
        options = ("-c", "gunicorn.conf.py", "--access-logfile", str(instance / "access.log"))
    server = None
    try:
        token, codes = prepare(env, args.people)
        server = start_server(env, port, workers, instance / "gunicorn.log", options)
        half = len(codes) // 2
        desks = [Desk("Desk A", codes[:half], 1), Desk("Desk B", codes[half:], 2)]
        lock = threading.Lock()
        samples: list[tuple[str, str, str, float, str]] = []

        def record(*sample) -> None:
            with lock:
                samples.append(sample)

        stop = threading.Event()
        threads = [threading.Thread(target=scanner, args=(port, token, desk, stop, record))
                   for desk in desks for _ in range(args.scanners)]
        threads += [threading.Thread(target=registrant,
                                     args=(port, n, args.registration_rate, stop, record))
                    for n in range(args.registrants)]
        cpu_before, client_before = server_cpu_seconds(server.pid), time.process_time()
        for thread in threads:
            thread.start()
        time.sleep(args.duration)
        stop.set()
        for thread in threads:
            thread.join()
        server_cpu = server_cpu_seconds(server.pid) - cpu_before
        client_cpu = time.process_time() - client_before
        stored = stored_check_ins(env)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        database.drop()
        shutil.rmtree(instance, ignore_errors=True)
    scans = sorted(s[3] for s in samples if s[0] == "scan")
    outcomes: dict[str, int] = {}
    for kind, scan_kind, outcome, _, _ in samples:
        key = f"{kind}:{scan_kind}:{outcome}"
        outcomes[key] = outcomes.get(key, 0) + 1
    # A repeat can overtake the first scan of the same badge on another scanner, so count
    # welcomes per badge rather than per kind of scan.
    welcomed = [s[4] for s in samples if s[0] == "scan" and s[2] == "checked_in"]
    scanned = {s[4] for s in samples if s[0] == "scan" and s[1] != "unknown"}
    return {
        "scans_per_s": len(scans) / args.duration,
        "p50": percentile(scans, 0.50), "p95": percentile(scans, 0.95),
        "p99": percentile(scans, 0.99),
        "registrations_per_s": outcomes.get("registration::registered", 0) / args.duration,
        "outcomes": outcomes,
        # CPU milliseconds per request (scans and registrations together), server and client.
        "server_ms": server_cpu * 1000 / max(1, len(samples)),
        "client_ms": client_cpu * 1000 / max(1, len(samples)),
        # Exactly once: every scanned badge welcomed once, and the database agrees.
        "consistent": (len(welcomed) == len(set(welcomed)) == len(scanned)
                       == stored["arrived"] == stored["rows"].get("checked_in", 0)),
        "stored": stored,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20, help="seconds of load")
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--scanners", type=int, default=1,
                        help="parallel connections per desk (1: a desk scans one badge at a "
                             "time, as a handheld scanner does)")
    parser.add_argument("--registrants", type=int, default=1,
                        help="clients registering in the background")
    parser.add_argument("--registration-rate", type=float, default=2,
                        help="registrations a second per registrant (0: back to back)")
    parser.add_argument("--workers", type=int,
                        help="gunicorn workers (default: one per core, or the config's)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker (> 1 selects the gthread worker)")
    parser.add_argument("--config", action="store_true",
                        help="use gunicorn.conf.py (SUMMIT_WORKERS/SUMMIT_THREADS from the "
                             "flags above) instead of plain flags")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--database-url", help="PostgreSQL server URL; a fresh schema is "
                                               "created and dropped (default: SQLite file)")
    args = parser.parse_args()
    backend = "PostgreSQL" if args.database_url else "SQLite"
    server = "gunicorn.conf.py" if args.config else "flags"
    print(f"{backend}: {args.people} people, 2 desks x {args.scanners} scanners, "
          f"{args.registrants} registrant(s) at {args.registration_rate:g}/s, "
          f"{args.duration:g} s, gunicorn ({server}) "
          f"-w {args.workers or ('config' if args.config else os.cpu_count())} "
          f"--threads {args.threads}")
    results = []
    for run in range(1, args.runs + 1):
        result = run_once(args)
        results.append(result)
        print(f"run {run}: {result['scans_per_s']:7.1f} scans/s  p50 {result['p50']:6.1f} ms  "
              f"p95 {result['p95']:6.1f} ms  p99 {result['p99']:6.1f} ms  "
              f"{result['registrations_per_s']:5.1f} registrations/s  "
              f"exactly-once {'ok' if result['consistent'] else 'BROKEN'}")
        print(f"       CPU per request: server {result['server_ms']:.2f} ms, "
              f"client {result['client_ms']:.2f} ms")
        print(f"       answers {json.dumps(result['outcomes'], sort_keys=True)}")
    if len(results) > 1:
        def median(key):
            return statistics.median(r[key] for r in results)

        print(f"median: {median('scans_per_s'):7.1f} scans/s  p50 {median('p50'):6.1f} ms  "
              f"p95 {median('p95'):6.1f} ms  p99 {median('p99'):6.1f} ms  "
              f"{median('registrations_per_s'):5.1f} registrations/s  "
              f"server CPU {median('server_ms'):.2f} ms/request")
    ok = all(r["consistent"] for r in results)
    met = ok and all(r["scans_per_s"] >= 500 and r["p99"] < 50 for r in results)
    print("target met: >= 500 scans/s, p99 < 50 ms" if met else
          "TARGET MISSED (>= 500 scans/s, p99 < 50 ms)" if ok else
          "CHECK-IN ANSWERS AND DATABASE DISAGREE")
    # The figures for tools outside the repo: medians over the runs.
    print(f"scans_per_s={statistics.median(r['scans_per_s'] for r in results):.1f} "
          f"p99_ms={statistics.median(r['p99'] for r in results):.1f} "
          f"exactly_once={'yes' if ok else 'no'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
