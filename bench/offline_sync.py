"""Two desks come back online after 500 offline scans each and sync at once.

Run from the repo root:
    .venv/bin/python bench/offline_sync.py [--workers 2] [--shared 50] [--batch 500]
    .venv/bin/python bench/offline_sync.py --database-url postgresql://postgres@127.0.0.1/test

A fresh database (SQLite file, or a PostgreSQL schema of its own, dropped afterwards) with a
1,000-person event and a desk account; gunicorn serves it. Each desk logs in (session + CSRF,
as the desk page does) and holds 500 scans made offline: --shared badges both desks let in
(conflicts to be), the rest its own queue. Both desks POST their queue to
/desk/{slug}/sync at the same moment (in --batch sized requests, in order); the time until
both are answered is synced_s. Then both send everything again, as a desk whose answer got
lost would, and the database must still hold every scan once, each badge checked in once.
Last line: scans=1000 synced_s=… exactly_once=yes|no conflicts=…
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from checkin_load import DESK_EMAIL, SLUG, prepare
from registration_burst import ROOT, Database, free_port, start_server

PASSWORD = "bench-desk-password"
SCANS_PER_DESK = 500
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class DeskSession:
    """One desk's browser: its cookies and CSRF token."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def csrf(self, path: str) -> str:
        with self.opener.open(self.base + path) as response:
            return CSRF.search(response.read().decode()).group(1)

    def log_in(self) -> None:
        data = urllib.parse.urlencode({"email": DESK_EMAIL, "password": PASSWORD,
                                       "csrf_token": self.csrf("/login")}).encode()
        self.opener.open(urllib.request.Request(self.base + "/login", data=data)).read()
        self.token = self.csrf(f"/desk/{SLUG}")

    def sync(self, scans: list[dict]) -> list[dict]:
        request = urllib.request.Request(
            f"{self.base}/desk/{SLUG}/sync", data=json.dumps({"scans": scans}).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json",
                     "X-CSRFToken": self.token})
        with self.opener.open(request, timeout=300) as response:
            return json.loads(response.read())["results"]


def offline_queue(desk: str, codes: list[str], start: datetime) -> list[dict]:
    return [{"code": code, "scanned_at": (start + timedelta(seconds=2 * n)).isoformat(),
             "nonce": uuid.uuid4().hex, "desk": desk, "local_answer": "checked_in"}
            for n, code in enumerate(codes)]


def stored(env: dict) -> dict:
    script = """
import json
from summit import create_app
from summit.extensions import db
from summit.models import CheckIn, Registration
app = create_app()
with app.app_context():
    count = lambda q: db.session.scalar(q)
    print(json.dumps({
        "rows": count(db.select(db.func.count()).select_from(CheckIn)),
        "nonces": count(db.select(db.func.count(db.distinct(CheckIn.nonce)))),
        "arrived": count(db.select(db.func.count()).select_from(Registration)
                         .where(Registration.checked_in_at.is_not(None))),
        "checked_in_rows": count(db.select(db.func.count()).select_from(CheckIn)
                                 .where(CheckIn.result == "checked_in")),
        "badges_checked_in": count(db.select(db.func.count(db.distinct(CheckIn.registration_id)))
                                   .where(CheckIn.result == "checked_in")),
        "conflicts": count(db.select(db.func.count()).select_from(CheckIn)
                           .where(CheckIn.result == "conflict")),
    }))
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--shared", type=int, default=50)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    instance = Path(tempfile.mkdtemp(prefix="summit-offline-sync-"))
    database = Database(args.database_url, instance)
    port = free_port()
    env = dict(os.environ, SUMMIT_INSTANCE_PATH=str(instance), SUMMIT_DATABASE_URL=database.url,
               SUMMIT_RATELIMIT_ENABLED="false", SUMMIT_SECRET_KEY="bench-secret",
               SUMMIT_BASE_URL=f"http://127.0.0.1:{port}", PYTHONPATH=str(ROOT))
    server = None
    try:
        _token, codes = prepare(env, 1000)
        server = start_server(env, port, args.workers, instance / "gunicorn.log")
        shared = codes[:args.shared]
        own = SCANS_PER_DESK - args.shared
        start = datetime.now(UTC) - timedelta(hours=1)
        queues = [offline_queue("Desk A", shared + codes[args.shared:args.shared + own], start),
                  offline_queue("Desk B", shared + codes[args.shared + own:
                                                         args.shared + 2 * own],
                                start + timedelta(seconds=1))]
        desks = [DeskSession(port), DeskSession(port)]
        for desk in desks:
            desk.log_in()
        answers: list[list[dict]] = [[], []]

        def send(index: int) -> None:
            queue = queues[index]
            for at in range(0, len(queue), args.batch):
                answers[index].extend(desks[index].sync(queue[at:at + args.batch]))

        began = time.perf_counter()
        threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        synced_s = time.perf_counter() - began
        first = stored(env)
        answers = [[], []]
        for thread in [threading.Thread(target=send, args=(i,)) for i in range(2)]:
            thread.start()
            thread.join()
        again = stored(env)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        database.drop()
        shutil.rmtree(instance, ignore_errors=True)
    total = 2 * SCANS_PER_DESK
    badges = 2 * own + args.shared
    exactly_once = (first == again and first["rows"] == first["nonces"] == total
                    and first["arrived"] == first["checked_in_rows"]
                    == first["badges_checked_in"] == badges
                    and first["conflicts"] == args.shared)
    print(f"first sync: {json.dumps(first)}")
    print(f"after resending both queues: {json.dumps(again)}")
    print(f"scans={total} synced_s={synced_s:.2f} exactly_once={'yes' if exactly_once else 'no'} "
          f"conflicts={first['conflicts']}")


if __name__ == "__main__":
    main()
