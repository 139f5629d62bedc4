"""Push across gunicorn workers through Redis (SUMMIT_REDIS_URL), and Redis going away in the
middle of a session: presses keep working, screens fall back to polling, and push comes back
with Redis. Each test runs its own redis-server on a free port, so it can be killed."""

import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from live_helpers import Browser, socket_inodes, worker_pids
from moderators_fixtures import *  # noqa: F403
from moderators_fixtures import DEMO_PASSWORD, LAURA


class PrivateRedis:
    def __init__(self, folder: Path):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.folder, self.process = folder, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self):
        self.process.kill()
        self.process.wait()


@pytest.fixture
def private_redis(tmp_path, monkeypatch):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    server.start()
    monkeypatch.setenv("SUMMIT_REDIS_URL", server.url)
    yield server
    if server.process.poll() is None:
        server.kill()


class Moderator(Browser):
    """A logged-in moderator talking to the served app, a new connection per request."""

    def __init__(self, base: str):
        super().__init__(base)
        self.login(LAURA, DEMO_PASSWORD)

    def press(self, session_id: int, action: str) -> dict:
        run = f"/moderator/sessions/{session_id}/run"
        status, text = self.request(f"{run}/{action}", {"csrf_token": self.token(run)},
                                    headers={"Accept": "application/json"})
        assert status == 200, text
        return json.loads(text)


class Stream:
    def __init__(self, url: str):
        self.response = urllib.request.urlopen(url, timeout=20)
        self.local_port = self.response.fp.raw._sock.getsockname()[1]

    def next_state(self) -> dict | None:
        """The next event's data; None when the server ended the stream."""
        data = []
        for raw in iter(self.response.readline, b""):
            line = raw.decode().rstrip("\n")
            if line.startswith("data: "):
                data.append(line[6:])
            elif line == "" and data:
                return json.loads("\n".join(data))
        return None

    def close(self):
        self.response.close()


def _unavailable(url: str) -> bool:
    """Whether the server answers the stream with the one event that sends screens to
    polling (and ends it)."""
    with urllib.request.urlopen(url, timeout=10) as response:
        if response.headers["Content-Type"].startswith("text/event-stream"):
            first = response.readline()
            return first == b"event: unavailable\n"
    raise AssertionError("not an event stream")


def _inode_of_peer(port: int) -> set[str]:
    """The server-side socket whose remote end is our local `port` (from /proc/net/tcp)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[2].split(":")[1], 16) == port:
            found.add(fields[9])
    return found


def _holders(master_pid: int, streams: list[Stream]) -> set[int]:
    workers = {pid: socket_inodes(pid) for pid in worker_pids(master_pid)}
    return {pid for stream in streams for pid, inodes in workers.items()
            if _inode_of_peer(stream.local_port) & inodes}


@pytest.fixture
def served(demo_data, private_redis, monkeypatch, request):
    monkeypatch.setenv("SUMMIT_TEST_WORKERS", "3")
    server = request.getfixturevalue("live_server")
    return server, demo_data


def test_a_press_on_one_worker_reaches_streams_on_every_worker(served):
    server, demo = served
    url = f"{server.url}/events/{demo.slug}/sessions/{demo.pitch_session_id}/stage/stream"
    streams = []
    # Open streams until at least two workers hold some: the press lands on one of them.
    while len(streams) < 24 and (len(streams) < 6 or len(_holders(server.process.pid,
                                                                    streams)) < 2):
        streams.append(Stream(url))
        assert streams[-1].next_state()["state"] == "idle"
    assert len(_holders(server.process.pid, streams)) >= 2
    moderator = Moderator(server.url)
    moderator.press(demo.pitch_session_id, "start")
    assert {s.next_state()["state"] for s in streams} == {"running"}
    after = moderator.press(demo.pitch_session_id, "next")
    assert [s.next_state()["version"] for s in streams] == [after["version"]] * len(streams)
    for stream in streams:
        stream.close()


def test_redis_going_away_loses_no_press_and_push_comes_back(served, private_redis):
    server, demo = served
    sid = demo.pitch_session_id
    url = f"{server.url}/events/{demo.slug}/sessions/{sid}/stage/stream"
    state_url = f"{server.url}/events/{demo.slug}/sessions/{sid}/stage.json"
    stream = Stream(url)
    assert stream.next_state()["state"] == "idle"
    moderator = Moderator(server.url)

    private_redis.kill()
    assert stream.next_state() is None  # the server ends the stream: the screen polls
    assert _unavailable(url)
    pressed = moderator.press(sid, "start")  # the press is not lost ...
    assert pressed["state"] == "running"
    with urllib.request.urlopen(state_url, timeout=10) as polled:  # ... and polling sees it
        assert json.loads(polled.read())["version"] == pressed["version"]

    private_redis.start()
    deadline = time.monotonic() + 15
    while _unavailable(url):
        assert time.monotonic() < deadline
        time.sleep(0.5)
    stream = Stream(url)
    assert stream.next_state()["version"] == pressed["version"]  # catches up at once
    after = moderator.press(sid, "next")
    assert stream.next_state()["version"] == after["version"]
    stream.close()


def test_several_workers_without_redis_send_screens_to_polling(demo_data, monkeypatch, request):
    """A worker cannot reach the streams of the others without Redis: rather than a screen
    that silently stops, the stream is refused and the screen polls (as it did before)."""
    monkeypatch.delenv("SUMMIT_REDIS_URL", raising=False)
    server = request.getfixturevalue("live_server")  # two workers
    base = f"{server.url}/events/{demo_data.slug}/sessions/{demo_data.pitch_session_id}"
    assert _unavailable(base + "/stage/stream")
    with urllib.request.urlopen(base + "/stage.json", timeout=10) as polled:
        assert json.loads(polled.read())["state"] == "idle"
