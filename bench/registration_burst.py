"""Registration burst: 1,000 sign-ups from 50 concurrent clients for 800 places.

Run from the repo root:
    .venv/bin/python bench/registration_burst.py [--runs 3] [--workers 4]
    .venv/bin/python bench/registration_burst.py --database-url postgresql://postgres@127.0.0.1/test

Each run starts the app under gunicorn on a fresh database (a SQLite file in its own temporary
instance folder, or a fresh schema when --database-url points at PostgreSQL), migrates it with
`flask db upgrade`, creates an event with one category of 800 places, and fires the sign-ups at
POST /api/v1/events/{slug}/registrations with keep-alive connections. It prints throughput,
p50/p95 latency, and how many were confirmed, waitlisted and failed; the target is exactly
800 confirmed, 200 waitlisted, 0 errors, one confirmation queued with each sign-up (the
outbox row naming it, the waiting-list position for exactly the waitlisted) at >= 300 req/s.
With --runs N it also prints the medians. The last line reads `req_per_s=… confirmed=… errors=…`.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLUG = "burst-summit"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Database:
    """A fresh SQLite file or PostgreSQL schema, dropped afterwards."""

    def __init__(self, base_url: str | None, instance: Path):
        self.base_url, self.schema = base_url, None
        if not base_url:
            self.url = f"sqlite:///{instance / 'burst.db'}"
            return
        import sqlalchemy as sa

        from summit.config import normalise_database_url

        self.schema = "bench_" + uuid.uuid4().hex[:10]
        self.engine = sa.create_engine(normalise_database_url(base_url),
                                       isolation_level="AUTOCOMMIT")
        with self.engine.connect() as conn:
            # In public, as tests/conftest.py does: created by a migration it would land in
            # this schema and vanish with it, leaving later runs without its operators.
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
            conn.execute(sa.text(f"CREATE SCHEMA {self.schema}"))
        url = normalise_database_url(base_url)
        # public stays on the path: pg_trgm's operator classes (the search index) live there.
        path = f"{self.schema},public"
        self.url = f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{path}"

    def drop(self) -> None:
        if self.schema:
            import sqlalchemy as sa

            with self.engine.connect() as conn:
                conn.execute(sa.text(f"DROP SCHEMA {self.schema} CASCADE"))
            self.engine.dispose()


def prepare(env: dict, capacity: int) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "summit", "db", "upgrade"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    script = (
        "from datetime import date\n"
        "from summit import create_app\n"
        "from summit.services import events\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        f"    events.create_event(slug={SLUG!r}, name='Burst Summit', venue='Allianz Forum',"
        f" starts_on=date({date.today().year + 1}, 9, 10),"
        f" ends_on=date({date.today().year + 1}, 9, 11),"
        f" categories=[{{'name': 'Attendee', 'capacity': {capacity}}}])\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True)


def start_server(env: dict, port: int, workers: int | None, log: Path,
                 options: tuple[str, ...] = ()) -> subprocess.Popen:
    """gunicorn on the port; `options` are further gunicorn flags (they come last and win).
    workers=None leaves the number to them (or to gunicorn.conf.py)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *(["-w", str(workers)] if workers else []),
         "-b", f"127.0.0.1:{port}", "--timeout", "120", "--backlog", "2048", *options,
         "wsgi:app"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90  # a busy machine boots workers slowly
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start:\n" + log.read_text())


def server_cpu_seconds(master_pid: int) -> float:
    """CPU time used so far by gunicorn's master and its workers, live or exited (Linux
    /proc): what a request costs, whatever else runs on the machine. A worker restarted
    after max_requests counts too: the master has reaped it (its cutime and cstime)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    ticks = 0
    for pid in [master_pid, *map(int, children)]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # a worker exited just now: the master's cutime has it
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
        if pid == master_pid:
            ticks += int(fields[13]) + int(fields[14])  # cutime, cstime: exited workers
    return ticks / os.sysconf("SC_CLK_TCK")


def fire(port: int, total: int, clients: int) -> dict:
    jobs: queue.Queue[int] = queue.Queue()
    for number in range(total):
        jobs.put(number)
    latencies: list[float] = []
    outcomes: dict[str, int] = {}
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start.wait()
        while True:
            try:
                number = jobs.get_nowait()
            except queue.Empty:
                break
            body = json.dumps({"first_name": "Burst", "last_name": f"Person {number}",
                               "email": f"burst{number}@example.org", "category": "Attendee",
                               "consent": True})
            began = time.perf_counter()
            try:
                connection.request("POST", f"/api/v1/events/{SLUG}/registrations", body,
                                   {"Content-Type": "application/json"})
                response = connection.getresponse()
                payload = response.read()
                outcome = (json.loads(payload)["status"] if response.status == 201
                           else f"HTTP {response.status}")
            except (OSError, http.client.HTTPException, ValueError) as exc:
                connection.close()
                outcome = f"error {type(exc).__name__}"
            elapsed = time.perf_counter() - began
            with lock:
                latencies.append(elapsed)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    latencies.sort()
    return {
        "wall": wall, "throughput": total / wall,
        "p50": latencies[len(latencies) // 2] * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "max": latencies[-1] * 1000,
        "confirmed": outcomes.pop("confirmed", 0), "waitlisted": outcomes.pop("waitlisted", 0),
        "errors": sum(outcomes.values()), "error_kinds": outcomes,
    }


def stored_counts(env: dict) -> dict:
    script = (
        "import json\n"
        "from summit import create_app\n"
        "from summit.extensions import db\n"
        "from summit.models import OutboxMessage as O, Registration as R\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    rows = dict(db.session.execute(db.select(R.status, db.func.count())"
        ".group_by(R.status)).all())\n"
        # Every sign-up's confirmation queued with it, saying what the answer said.
        "    rows['mails'] = db.session.scalar(db.select(db.func.count()).select_from(O)"
        ".join(R, R.id == O.registration_id).where(db.or_("
        "db.and_(R.status == 'confirmed', O.waitlist_position.is_(None)),"
        "db.and_(R.status == 'waitlisted', O.waitlist_position.is_not(None)))))\n"
        "    rows['outbox'] = db.session.scalar(db.select(db.func.count()).select_from(O))\n"
        "    print(json.dumps(rows))\n"
    )
    return _answer_of(script, env)


def deliver_all(env: dict) -> dict:
    """The sender's side of the burst: compose and write every queued mail (.eml files, no
    SMTP server here), as `flask send-mail --loop` would; its time and CPU."""
    script = (
        "import json, time\n"
        "from summit import create_app\n"
        "from summit.services.mail import outbox\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    began, cpu, sent = time.perf_counter(), time.process_time(), 0\n"
        "    while report := outbox.deliver_due(app.config, limit=200):\n"
        "        if not report.total: break\n"
        "        sent += len(report.sent)\n"
        "    print(json.dumps({'sent': sent, 'seconds': time.perf_counter() - began,"
        " 'cpu': time.process_time() - cpu}))\n"
    )
    return _answer_of(script, env)


def _answer_of(script: str, env: dict) -> dict:
    """Run the script against the bench's database; the JSON of its last line."""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True,
                            capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_once(args) -> dict:
    instance = Path(tempfile.mkdtemp(prefix="summit-burst-"))
    database = Database(args.database_url, instance)
    port = free_port()
    env = dict(os.environ, SUMMIT_INSTANCE_PATH=str(instance), SUMMIT_DATABASE_URL=database.url,
               SUMMIT_RATELIMIT_ENABLED="false", SUMMIT_SECRET_KEY="bench-secret",
               SUMMIT_BASE_URL=f"http://127.0.0.1:{port}", PYTHONPATH=str(ROOT))
    server = None
    try:
        prepare(env, args.capacity)
        server = start_server(env, port, args.workers, instance / "gunicorn.log")
        cpu_before = server_cpu_seconds(server.pid)
        result = fire(port, args.requests, args.clients)
        # CPU milliseconds gunicorn spent per sign-up: what a sign-up costs, whatever else
        # runs on the machine (the database server's own CPU is not in it).
        result["server_ms"] = (server_cpu_seconds(server.pid) - cpu_before) * 1000 / args.requests
        result["stored"] = stored_counts(env)
        if args.deliver:
            result["delivered"] = deliver_all(env)
        return result
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        database.drop()
        shutil.rmtree(instance, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--capacity", type=int, default=800)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--deliver", action="store_true",
                        help="after the burst, let the sender compose and write every mail")
    parser.add_argument("--database-url", help="PostgreSQL server URL; a fresh schema is "
                                               "created and dropped (default: SQLite file)")
    args = parser.parse_args()
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{backend}: {args.requests} registrations from {args.clients} clients for "
          f"{args.capacity} places, gunicorn -w {args.workers}")
    results = []
    for run in range(1, args.runs + 1):
        result = run_once(args)
        results.append(result)
        print(f"run {run}: {result['throughput']:7.1f} req/s  p50 {result['p50']:6.1f} ms  "
              f"p95 {result['p95']:6.1f} ms  max {result['max']:6.1f} ms  "
              f"confirmed {result['confirmed']}  waitlisted {result['waitlisted']}  "
              f"errors {result['errors']} {result['error_kinds'] or ''}  "
              f"stored {result['stored']}  server CPU {result['server_ms']:.2f} ms/sign-up")
        if "delivered" in result:
            sent = result["delivered"]
            print(f"       the sender then composed and wrote {sent['sent']} mails in "
                  f"{sent['seconds']:.1f} s ({sent['cpu'] * 1000 / max(sent['sent'], 1):.2f} ms "
                  f"CPU each)")
    if len(results) > 1:
        def median(key):
            return statistics.median(r[key] for r in results)

        print(f"median: {median('throughput'):7.1f} req/s  p50 {median('p50'):6.1f} ms  "
              f"p95 {median('p95'):6.1f} ms  confirmed {median('confirmed'):.0f}  "
              f"waitlisted {median('waitlisted'):.0f}  errors {median('errors'):.0f}  "
              f"server CPU {median('server_ms'):.2f} ms/sign-up")
    expected = (args.capacity, args.requests - args.capacity, 0)
    ok = all((r["confirmed"], r["waitlisted"], r["errors"]) == expected
             and r["stored"].get("confirmed") == args.capacity
             and r["stored"]["mails"] == r["stored"]["outbox"] == args.requests
             for r in results)
    fast = all(r["throughput"] >= 300 for r in results)
    print(f"exactly {expected[0]} confirmed, {expected[1]} waitlisted, 0 errors, one "
          f"confirmation queued with each: "
          f"{'yes' if ok else 'NO'}; >= 300 req/s every run: {'yes' if fast else 'no'}")
    # The figures for tools outside the repo: medians over the runs.
    print(f"req_per_s={statistics.median(r['throughput'] for r in results):.1f} "
          f"confirmed={statistics.median(r['confirmed'] for r in results):.0f} "
          f"errors={statistics.median(r['errors'] for r in results):.0f}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
