"""Rate limits kept in Redis hold across gunicorn workers (the production set-up)."""

import uuid

import pytest
from live_helpers import Browser

REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_available() -> bool:
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:
        return False


@pytest.fixture
def redis_limited(monkeypatch):
    if not _redis_available():
        pytest.skip("Redis is not running on 127.0.0.1:6379 (.ci/run starts it)")
    prefix = "summit-test-" + uuid.uuid4().hex[:8]
    monkeypatch.setenv("SUMMIT_RATELIMIT_ENABLED", "true")
    monkeypatch.setenv("SUMMIT_RATELIMIT_STORAGE_URI", REDIS_URL)
    monkeypatch.setenv("SUMMIT_RATELIMIT_KEY_PREFIX", prefix)
    monkeypatch.setenv("SUMMIT_TEST_WORKERS", "3")
    yield prefix
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)


def test_login_limit_holds_across_workers(redis_limited, live_server):
    statuses = []
    for _ in range(14):
        # A new connection each time, so the requests spread over the workers.
        browser = Browser(live_server.url)
        status, _page = browser.request("/login", {
            "email": "x@example.org", "password": "wrong", "csrf_token": browser.token("/login")})
        statuses.append(status)
    # The limit is 10 per minute per client for all workers together.
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429] * 4
    import redis

    keys = list(redis.Redis.from_url(REDIS_URL).scan_iter(f"*{redis_limited}*"))
    assert keys, "the limiter did not keep its counters in Redis"
