"""Audience vote burst: 1,000 checked-in people vote within seconds.

Run from the repo root:
    .venv/bin/python bench/vote_burst.py [--clients 100] [--workers 2] [--threads 1]
    .venv/bin/python bench/vote_burst.py --database-url postgresql://postgres@127.0.0.1/test

Each run migrates a fresh database (a SQLite file in a temporary instance folder, or a schema
of its own on PostgreSQL, dropped afterwards), seeds an event with 1,000 checked-in and 200
not checked-in people and a pitch session of ten pitches, and starts gunicorn with
SUMMIT_RATELIMIT_ENABLED=false (all clients come from one address). An organiser opens the
vote through the API (PUT .../votes); then --clients keep-alive connections POST
.../sessions/{id}/votes: 1,000 first votes and 200 attempts by people not checked in, in
random order, followed by 200 changes of mind. It prints votes/s, p50/p99 latency, when the
1,000th vote was counted, and proves exactly one counted vote per person: the answers say
1,000 "counted", 200 "changed", 200 refused (403); the database holds 1,000 votes of 1,000
different registrations; the API's totals per pitch equal the database's.
Target: all 1,000 counted in under 5 s on 2 cores, 0 errors.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from registration_burst import ROOT, Database, free_port, server_cpu_seconds, start_server

SLUG = "vote-summit"
ORGANISER = "organiser@vote.example"
PEOPLE, LATE, CHANGES, PITCHES = 1000, 200, 200, 10


def prepare(env: dict) -> dict:
    """Migrate, seed, make the organiser's API token: {token, session, pitches, in, out}."""
    def flask(*args: str) -> str:
        return subprocess.run([sys.executable, "-m", "flask", "--app", "summit", *args],
                              cwd=ROOT, env=env, check=True, capture_output=True,
                              text=True).stdout

    flask("db", "upgrade")
    flask("create-user", ORGANISER, "--role", "organiser", "--password", "bench-organiser-pw")
    token = flask("create-api-token", ORGANISER).strip().splitlines()[-1]
    script = f"""
import json
from datetime import UTC, date, datetime
from summit import create_app
from summit.extensions import db
from summit.models import EventSession, Pitch, Registration, utcnow
from summit.services.registrations import codes
from summit.services import events
app = create_app()
with app.app_context():
    year = date.today().year + 1
    event = events.create_event(slug={SLUG!r}, name="Vote Summit", venue="Forum",
        starts_on=date(year, 9, 10), ends_on=date(year, 9, 11),
        categories=[{{"name": "Attendee", "capacity": 100000}}])
    category = event.categories[0]
    people = {{"in": [], "out": []}}
    for number in range({PEOPLE + LATE}):
        email = f"guest{{number}}@example.org"
        registration = Registration(event_id=event.id, category_id=category.id,
            status="confirmed", first_name="Guest", last_name=f"Nr. {{number}}",
            email=email, email_normalised=email, manage_token=codes.new_manage_token(),
            checkin_code=codes.new_checkin_code(),
            checked_in_at=utcnow() if number < {PEOPLE} else None)
        db.session.add(registration)
        people["in" if number < {PEOPLE} else "out"].append(registration)
    session = EventSession(event_id=event.id, title="Pitch-Session", kind="pitch",
        starts_at=datetime(year, 9, 10, 8, tzinfo=UTC),
        ends_at=datetime(year, 9, 10, 11, tzinfo=UTC))
    for position in range(1, {PITCHES} + 1):
        session.pitches.append(Pitch(position=position, title=f"Idee {{position}}",
                                     presenter=f"Gründerin {{position}}"))
    db.session.add(session)
    db.session.commit()
    print(json.dumps({{"session": session.id, "pitches": [p.id for p in session.pitches],
                      "in": [r.checkin_code for r in people["in"]],
                      "out": [r.checkin_code for r in people["out"]]}}))
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    return {"token": token, **json.loads(out.strip().splitlines()[-1])}


def request(connection, method: str, path: str, body: dict | None, headers: dict) -> tuple:
    connection.request(method, path, json.dumps(body) if body is not None else None,
                       {"Content-Type": "application/json", **headers})
    response = connection.getresponse()
    return response.status, json.loads(response.read() or b"null")


def fire(port: int, path: str, jobs: list[tuple[str, dict]], clients: int) -> list[tuple]:
    """Every job once, from `clients` connections: [(kind, status, result, seconds, at)]."""
    work: queue.Queue = queue.Queue()
    for job in jobs:
        work.put(job)
    samples: list[tuple] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    began_all = [0.0]

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start.wait()
        while True:
            try:
                kind, body = work.get_nowait()
            except queue.Empty:
                break
            began = time.perf_counter()
            try:
                status, payload = request(connection, "POST", path, body, {})
                result = (payload or {}).get("result", "") if status == 201 else ""
            except (OSError, http.client.HTTPException, ValueError) as exc:
                connection.close()
                status, result = f"error {type(exc).__name__}", ""
            done = time.perf_counter()
            with lock:
                samples.append((kind, status, result, done - began, done - began_all[0]))
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    began_all[0] = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join()
    return samples


def stored_votes(env: dict) -> dict:
    script = """
import json
from summit import create_app
from summit.extensions import db
from summit.models import Vote
app = create_app()
with app.app_context():
    rows = db.session.scalar(db.select(db.func.count()).select_from(Vote))
    people = db.session.scalar(db.select(db.func.count(db.distinct(Vote.registration_id))))
    per_pitch = dict(db.session.execute(db.select(Vote.pitch_id, db.func.count())
                                        .group_by(Vote.pitch_id)).all())
    print(json.dumps({"rows": rows, "people": people,
                      "per_pitch": {str(k): v for k, v in per_pitch.items()}}))
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def machine_cpu_seconds() -> float:
    """CPU time used by the whole machine (Linux /proc/stat): the database server and the
    clients beside gunicorn."""
    user, nice, system = (int(n) for n in Path("/proc/stat").read_text().split()[1:4])
    return (user + nice + system) / os.sysconf("SC_CLK_TCK")


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000 if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()

    instance = Path(tempfile.mkdtemp(prefix="summit-vote-burst-"))
    database = Database(args.database_url, instance)
    if database.schema:
        # public after the bench's schema, as in tests/conftest.py: pg_trgm lives there (its
        # operator class is needed by the registrations' search index).
        database.url = database.url.replace(f"search_path%3D{database.schema}",
                                            f"search_path%3D{database.schema},public")
    port = free_port()
    env = dict(os.environ, SUMMIT_INSTANCE_PATH=str(instance), SUMMIT_DATABASE_URL=database.url,
               SUMMIT_RATELIMIT_ENABLED="false", SUMMIT_SECRET_KEY="bench-secret",
               SUMMIT_BASE_URL=f"http://127.0.0.1:{port}", PYTHONPATH=str(ROOT))
    server = None
    try:
        seed = prepare(env)
        server = start_server(env, port, args.workers, instance / "gunicorn.log",
                              ("--threads", str(args.threads)))
        path = f"/api/v1/events/{SLUG}/sessions/{seed['session']}/votes"
        organiser = {"Authorization": f"Bearer {seed['token']}"}
        admin = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        status, _ = request(admin, "PUT", path, {"open": True}, organiser)
        assert status == 200, f"could not open the vote: HTTP {status}"

        rng = random.Random(args.seed)
        firsts = [("vote", {"code": code, "pitch_id": rng.choice(seed["pitches"])})
                  for code in seed["in"]]
        refused = [("refused", {"code": code, "pitch_id": rng.choice(seed["pitches"])})
                   for code in seed["out"]]
        burst = firsts + refused
        rng.shuffle(burst)
        # Changes of mind come after the first votes (a person changes a vote they cast).
        changes = [("change", {"code": code, "pitch_id": rng.choice(seed["pitches"])})
                   for code in rng.sample(seed["in"], CHANGES)]
        server_cpu, machine_cpu = server_cpu_seconds(server.pid), machine_cpu_seconds()
        samples = fire(port, path, burst + changes, args.clients)
        server_cpu = server_cpu_seconds(server.pid) - server_cpu
        machine_cpu = machine_cpu_seconds() - machine_cpu

        admin.close()  # idle through the burst: a threaded worker has closed it by now
        admin = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        status, api = request(admin, "GET", path, None, organiser)
        admin.close()
        stored = stored_votes(env)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        database.drop()
        shutil.rmtree(instance, ignore_errors=True)

    answers: dict[str, int] = {}
    for kind, status, result, _, _ in samples:
        key = f"{kind}:{status}:{result}"
        answers[key] = answers.get(key, 0) + 1
    counted_at = sorted(s[4] for s in samples if s[2] == "counted")
    counted = len(counted_at)
    changed = sum(1 for s in samples if s[2] == "changed")
    refused_ok = sum(1 for s in samples if s[0] == "refused" and s[1] == 403)
    errors = sum(1 for s in samples if not isinstance(s[1], int) or s[1] >= 500)
    unexpected = len(samples) - counted - changed - refused_ok
    elapsed = max(s[4] for s in samples)
    latencies = sorted(s[3] for s in samples)
    api_totals = {str(r["pitch_id"]): r["votes"] for r in api["results"] if r["votes"]}
    exactly_once = (counted == PEOPLE and changed == CHANGES and refused_ok == LATE
                    and stored["rows"] == stored["people"] == PEOPLE
                    and api["total"] == PEOPLE and api_totals == stored["per_pitch"])
    print(f"answers: {json.dumps(answers, sort_keys=True)}")
    print(f"database: {stored['rows']} votes of {stored['people']} people; "
          f"API total {api['total']}, per pitch equal to the database: "
          f"{api_totals == stored['per_pitch']}")
    print(f"{len(samples)} requests in {elapsed:.2f} s from {args.clients} clients "
          f"({args.workers} workers x {args.threads} threads); "
          f"1,000th vote counted after {counted_at[-1] if counted_at else float('nan'):.2f} s; "
          f"p50 {percentile(latencies, .5):.1f} ms, p99 {percentile(latencies, .99):.1f} ms")
    print(f"CPU during the burst: gunicorn {server_cpu:.2f} s "
          f"({server_cpu / len(samples) * 1000:.2f} ms per request), the whole machine "
          f"{machine_cpu:.2f} s (the database server and these clients included)")
    print(f"counted={counted}/{PEOPLE} exactly_once={'yes' if exactly_once else 'no'} "
          f"votes_per_s={len(samples) / elapsed:.0f} p99_ms={percentile(latencies, .99):.1f} "
          f"errors={errors + max(0, unexpected - errors)}")


if __name__ == "__main__":
    main()
