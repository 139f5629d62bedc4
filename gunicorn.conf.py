"""gunicorn settings for `make serve` and production: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every value can be overridden with the usual GUNICORN_CMD_ARGS or the variables below.
"""

import multiprocessing
import os

bind = os.environ.get("SUMMIT_BIND", "127.0.0.1:8000")


def _default_workers() -> int:
    cores = multiprocessing.cpu_count()
    if os.environ.get("SUMMIT_DATABASE_URL", "sqlite").startswith("sqlite"):
        # SQLite lets one process write at a time and makes the others poll for the lock:
        # one worker per core is fastest (bench/checkin_load.py on 2 cores: 562 scans/s with
        # 2 workers, 308 with 5). See docs/performance.md.
        return max(2, cores)
    # PostgreSQL: requests wait on the database server, so two per core plus one keeps the
    # cores busy.
    return cores * 2 + 1


workers = int(os.environ.get("SUMMIT_WORKERS", _default_workers()))
# Live screens (hall displays, moderators, the audience's phones) each hold a Server-Sent
# Events stream open for hours: a gevent worker holds thousands of them in one process, where a
# sync worker would hold one. gevent patches sockets, so psycopg 3, redis-py and SQLite wait
# cooperatively. bench/live_fanout.py and bench/checkin_load.py measured it (docs/performance.md).
worker_class = os.environ.get("SUMMIT_WORKER_CLASS", "gevent")
worker_connections = int(os.environ.get("SUMMIT_WORKER_CONNECTIONS", "2000"))
# More than one thread selects the gthread worker instead (then each stream holds a thread).
threads = int(os.environ.get("SUMMIT_THREADS", "1"))
if threads > 1:
    worker_class = "gthread"
timeout = int(os.environ.get("SUMMIT_TIMEOUT", "30"))
# A restart (a deploy, max_requests) lets running requests finish for this long. Live
# streams never finish, so a longer wait would only hold every restart up; a badge run of
# tens of thousands that needs longer belongs to `flask badges` on the server.
graceful_timeout = 20
# No keep-alive: each request is a new connection, which a free worker accepts. Keep-alive
# saves that connection (about a quarter of a desk's scan in CPU, bench/checkin_load.py on
# PostgreSQL) but ties a client to the worker that accepted it: in bench/vote_burst.py's
# burst, 100 clients connecting at once then waited up to 1.3-2.5 s (p99) where they wait
# 0.16-0.21 s without it, the votes themselves taking at most 44 ms in the workers
# (docs/performance.md). SUMMIT_KEEPALIVE=5 turns it on, e.g. for desks on their own server.
keepalive = int(os.environ.get("SUMMIT_KEEPALIVE", "0"))
# Restart workers now and then so a slow leak can never take the day down. Now and then, not
# every few seconds: a restart imports the app again and ends the live streams the worker
# holds. With 5,000, the check-in rush (600 scans/s) restarted one worker or another every
# 8 s, which cost 0.12 ms of the 2.0 ms of server CPU per scan (bench/checkin_load.py on
# PostgreSQL, docs/performance.md); 100,000 is every few minutes at that rate, and a few
# times a day at most on an ordinary day.
max_requests = int(os.environ.get("SUMMIT_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("SUMMIT_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

