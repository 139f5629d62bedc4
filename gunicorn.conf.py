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
# More than one thread selects the gthread worker; measured slower than plain processes for
# the check-in desk on 2 cores, so it stays opt-in.
threads = int(os.environ.get("SUMMIT_THREADS", "1"))
timeout = int(os.environ.get("SUMMIT_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Restart workers now and then so a slow leak can never take the day down.
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("SUMMIT_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
