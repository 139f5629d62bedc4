"""Live fan-out: N viewers follow one pitch session's hall display by Server-Sent Events while
a moderator presses "Next" every few seconds.

Run from the repo root:
    .venv/bin/python bench/live_fanout.py                     # N = 100, 500, 1,000
    .venv/bin/python bench/live_fanout.py --viewers 1000 [--presses 5] [--interval 3]
    .venv/bin/python bench/live_fanout.py --no-redis          # one worker, in-process push
    .venv/bin/python bench/live_fanout.py --database-url postgresql://postgres@127.0.0.1/test

It migrates a fresh database (SQLite in a temporary instance folder, or a schema of its own on
PostgreSQL), seeds the demo, and starts gunicorn with gunicorn.conf.py (the gevent worker;
--workers, default 2) and SUMMIT_REDIS_URL (--redis, default the local Redis, under a channel
prefix of its own), rate limits off. The viewers are raw asyncio sockets in this one process,
so the client stays light. For each size it opens N streams of the demo pitch session, the
moderator (a logged-in browser-like client) presses "Next" --presses times, and every viewer
notes when each new state arrived. It prints the delay from the start of each press to each
viewer's receipt (p50/p99), the server's CPU (share of one core, master and workers together,
while the viewers are connected) and resident memory, connection errors, and dropped viewers
(a stream that ended or missed a state). Target: 1,000 viewers, p99 < 1 s, 0 dropped.
The last line reads `viewers=N p50_ms=… p99_ms=… errors=… dropped=…`.
"""

from __future__ import annotations

import argparse
import asyncio
import http.cookiejar
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from registration_burst import ROOT, Database, free_port, server_cpu_seconds, start_server

SLUG = "vision-summit-2014"
MODERATOR = ("laura.haverkamp@vision-summit.example", "demo-moderator")
VERSION = re.compile(rb'"version": (\d+)')


def raise_file_limit(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else wanted
    if soft < min(wanted, target):
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, target), hard))


def server_processes(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [master, *map(int, children)]


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


class Moderator:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        token = self._token("/login")
        data = {"email": MODERATOR[0], "password": MODERATOR[1], "csrf_token": token}
        self.opener.open(base + "/login", data=urllib.parse.urlencode(data).encode())

    def _token(self, path: str) -> str:
        page = self.opener.open(self.base + path).read().decode()
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    def press(self, session_id: int, action: str) -> tuple[float, int]:
        """(when the press began, the version it produced)."""
        token = self._token(f"/moderator/sessions/{session_id}/run")
        began = time.perf_counter()
        request = urllib.request.Request(
            f"{self.base}/moderator/sessions/{session_id}/run/{action}",
            data=urllib.parse.urlencode({"csrf_token": token}).encode(),
            headers={"Accept": "application/json"})
        with self.opener.open(request, timeout=30) as response:
            return began, json.loads(response.read())["version"]


class Viewer:
    def __init__(self):
        self.received: dict[int, float] = {}
        self.error: str | None = None
        self.ended = False


async def view(port: int, path: str, viewer: Viewer, ready: asyncio.Event) -> None:
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Accept: text/event-stream\r\n\r\n".encode())
        await writer.drain()
        status = await reader.readline()
        if b" 200 " not in status:
            viewer.error = status.decode().strip() or "no answer"
            return
        while await reader.readline() not in (b"\r\n", b""):
            pass  # headers
        ready.set()
        while True:
            line = await reader.readline()
            if not line:
                viewer.ended = True
                return
            if line.startswith(b"data: "):
                found = VERSION.search(line)
                if found:
                    viewer.received.setdefault(int(found.group(1)), time.perf_counter())
    except (OSError, asyncio.IncompleteReadError) as exc:
        viewer.error = repr(exc)
    except asyncio.CancelledError:
        pass


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def measure(port: int, session_id: int, moderator: Moderator, viewers_n: int,
                  presses: int, interval: float, master: int) -> dict:
    path = f"/events/{SLUG}/sessions/{session_id}/stage/stream"
    viewers = [Viewer() for _ in range(viewers_n)]
    tasks = []
    for start in range(0, viewers_n, 100):  # connect in waves, as phones come in
        batch = []
        for viewer in viewers[start:start + 100]:
            ready = asyncio.Event()
            tasks.append(asyncio.create_task(view(port, path, viewer, ready)))
            batch.append(ready)
        await asyncio.wait([asyncio.create_task(r.wait()) for r in batch], timeout=10)
    await asyncio.sleep(1)
    pids = server_processes(master)
    cpu_before, wall_before = server_cpu_seconds(master), time.perf_counter()
    loop = asyncio.get_running_loop()
    pressed: list[tuple[float, int]] = []
    for _ in range(presses):
        pressed.append(await loop.run_in_executor(None, moderator.press, session_id, "next"))
        await asyncio.sleep(interval)
    cpu = (server_cpu_seconds(master) - cpu_before) / (time.perf_counter() - wall_before) * 100
    memory = rss_mb(pids)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    delays, dropped = [], 0
    errors = sum(1 for v in viewers if v.error)
    for viewer in viewers:
        if viewer.error:
            continue
        missed = [version for _, version in pressed if version not in viewer.received]
        if missed or viewer.ended:
            dropped += 1
        delays += [(viewer.received[version] - began) * 1000 for began, version in pressed
                   if version in viewer.received]
    return {"viewers": viewers_n, "p50_ms": round(percentile(delays, 0.5)) if delays else -1,
            "p99_ms": round(percentile(delays, 0.99)) if delays else -1,
            "errors": errors, "dropped": dropped, "server_cpu_pct": round(cpu),
            "server_rss_mb": round(memory), "presses": presses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, action="append",
                        help="one size (repeatable); default 100, 500 and 1000")
    parser.add_argument("--presses", type=int, default=5)
    parser.add_argument("--interval", type=float, default=3.0, help="seconds between presses")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--no-redis", action="store_true", help="in-process push, one worker")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    sizes = args.viewers or [100, 500, 1000]
    raise_file_limit(max(sizes) * 2 + 1024)

    instance = Path(tempfile.mkdtemp(prefix="summit-fanout-"))
    database = Database(args.database_url, instance)
    env = dict(os.environ, SUMMIT_DATABASE_URL=database.url, SUMMIT_INSTANCE_PATH=str(instance),
               SUMMIT_RATELIMIT_ENABLED="false", SUMMIT_ACCESS_LOG="/dev/null",
               SUMMIT_LIVE_PREFIX="bench-" + uuid.uuid4().hex[:8])
    workers = 1 if args.no_redis else args.workers
    if not args.no_redis:
        env["SUMMIT_REDIS_URL"] = args.redis
    server = None
    try:
        for command in (["db", "upgrade"], ["seed-demo"]):
            done = subprocess.run([sys.executable, "-m", "flask", "--app", "summit", *command],
                                  cwd=ROOT, env=env, capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"flask {' '.join(command)} failed:\n{done.stderr[-3000:]}")
        port = free_port()
        server = start_server(env, port, workers, instance / "gunicorn.log")
        base = f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"{base}/api/v1/events/{SLUG}/schedule") as response:
            sessions = json.loads(response.read())["sessions"]
        session_id = next(s["id"] for s in sessions if len(s["pitches"]) >= 10)
        moderator = Moderator(base)
        moderator.press(session_id, "start")
        print(f"gunicorn: {workers} gevent worker(s), "
              f"{'Redis pub/sub' if not args.no_redis else 'in-process push'}, "
              f"{os.cpu_count()} cores; {args.presses} presses {args.interval:g} s apart")
        for size in sizes:
            result = asyncio.run(measure(port, session_id, moderator, size, args.presses,
                                         args.interval, server.pid))
            print(" ".join(f"{key}={value}" for key, value in result.items()), flush=True)
        print(" ".join(f"{key}={result[key]}" for key in
                       ("viewers", "p50_ms", "p99_ms", "errors", "dropped")))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        database.drop()
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
