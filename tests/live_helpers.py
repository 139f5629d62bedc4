"""Talking to the app served by gunicorn (the `live_server` fixture in conftest): JSON calls,
a browser's cookies and forms, bursts of simultaneous requests, and the worker processes
behind it."""

import http.cookiejar
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path


def call(method: str, url: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def burst(jobs) -> list[tuple[int, dict]]:
    """Run every job in its own thread, all released at the same moment. A request that got
    no answer at all (connection reset, ...) counts as status 0."""
    start = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        start.wait()
        try:
            results[index] = job()
        except Exception as exc:  # counted as an error by the caller
            results[index] = (0, {"exception": repr(exc)})

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def worker_pids(master_pid: int) -> list[int]:
    """The gunicorn workers: the master's child processes (Linux /proc)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text()
    return [int(pid) for pid in children.split()]


def socket_inodes(pid: int) -> set[str]:
    """The inodes of the process's open sockets (Linux /proc/PID/fd)."""
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().as_posix()
        except OSError:
            continue  # closed meanwhile
        if target.startswith("socket:["):
            found.add(target[8:-1])
    return found


class Browser:
    """A cookie-keeping HTTP client on the standard library."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def token(self, path: str) -> str:
        _status, text = self.request(path)
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text).group(1)

    def login(self, email: str, password: str) -> None:
        token = self.token("/login")
        status, page = self.request("/login", {"email": email, "password": password,
                                               "csrf_token": token})
        assert status == 200 and 'name="password"' not in page, f"{email} not logged in"
