"""gunicorn settings for `make serve` and production: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every value can be overridden with the usual GUNICORN_CMD_ARGS or the variables below.
"""

import multiprocessing
import os

bind = os.environ.get("SUMMIT_BIND", "127.0.0.1:8000")
# Requests mostly wait on the database, so two workers per core plus one keeps cores busy.
workers = int(os.environ.get("SUMMIT_WORKERS", multiprocessing.cpu_count() * 2 + 1))
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
