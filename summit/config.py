"""Configuration: defaults, then SUMMIT_* environment variables, then test overrides."""

import os
import secrets
from pathlib import Path

ENV_PREFIX = "SUMMIT_"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(ENV_PREFIX + name)
    if value is None:
        return default
    return value.strip().lower() not in {"0", "false", "no", "off", ""}


def instance_path() -> str | None:
    """SUMMIT_INSTANCE_PATH moves the instance folder (database, secret key, mail)."""
    path = os.environ.get(ENV_PREFIX + "INSTANCE_PATH")
    return os.path.abspath(path) if path else None


def load_secret_key(instance: Path) -> str:
    """The key from SUMMIT_SECRET_KEY, else one generated once into the instance folder.

    Generated rather than shipped so that no two installations share a key and no key
    ever sits in the repository; mode 0600 because it signs sessions and manage links.
    """
    from_env = os.environ.get(ENV_PREFIX + "SECRET_KEY")
    if from_env:
        return from_env
    key_file = instance / "secret_key"
    if not key_file.exists():
        instance.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return key_file.read_text().strip()


def from_environment(instance: Path) -> dict:
    database_url = os.environ.get(ENV_PREFIX + "DATABASE_URL") or (
        "sqlite:///" + str(instance / "summit.db")
    )
    return {
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SUMMIT_BASE_URL": os.environ.get(ENV_PREFIX + "BASE_URL", "http://127.0.0.1:5000"),
        "SUMMIT_MAIL_URL": os.environ.get(ENV_PREFIX + "MAIL_URL", ""),
        "SUMMIT_MAIL_FROM": os.environ.get(
            ENV_PREFIX + "MAIL_FROM", "Vision Summit <noreply@summit.localhost>"
        ),
        "RATELIMIT_STORAGE_URI": os.environ.get(ENV_PREFIX + "RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_KEY_PREFIX": os.environ.get(ENV_PREFIX + "RATELIMIT_KEY_PREFIX", "summit"),
        # Unset: live updates stay inside the process; set: Redis carries them between
        # workers and machines (services/live/push.py).
        "SUMMIT_REDIS_URL": os.environ.get(ENV_PREFIX + "REDIS_URL") or None,
        "SUMMIT_LIVE_PREFIX": os.environ.get(ENV_PREFIX + "LIVE_PREFIX", "summit"),
        # How long a request waits for SQLite's write lock before answering 503.
        "SUMMIT_DB_PRE_PING": _env_bool("DB_PRE_PING", False),
        "SUMMIT_DB_LOCK_TIMEOUT": float(os.environ.get(ENV_PREFIX + "DB_LOCK_TIMEOUT", "30")),
        "SESSION_COOKIE_SECURE": _env_bool(
            "SECURE_COOKIES", os.environ.get(ENV_PREFIX + "BASE_URL", "").startswith("https://")
        ),
    }


def normalise_database_url(url: str) -> str:
    """Accept postgres:// and postgresql:// as given by hosting providers; use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


DEFAULTS = {
    # A pooled connection is replaced after half an hour rather than pinged before every
    # request: the ping is one more round trip per request (a desk's scan makes one), and a
    # recycle time shorter than any idle cut-off (PostgreSQL's, a firewall's) does the same
    # job. SUMMIT_DB_PRE_PING=true brings the ping back, for a network that drops idle
    # connections sooner. SQLite opens files, not connections: neither applies.
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_recycle": 1800},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Berlin",
    "SUMMIT_LANGUAGES": {"en": "English", "de": "Deutsch"},
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_STRATEGY": "fixed-window",
    "SUMMIT_LOGIN_LIMIT": "10 per minute",
    # Reset links asked for one address, from anywhere: enough for a lost mail or two, too
    # few to flood someone's inbox.
    "SUMMIT_RESET_ADDRESS_LIMIT": "5 per hour",
    "SUMMIT_PUBLIC_LIMIT": "30 per minute",
    # Live streams: a hall's phones may share one address (the venue's Wi-Fi), and a stream
    # reconnects by itself; generous, but a script cannot open thousands per minute.
    "SUMMIT_STREAM_LIMIT": "300 per minute",
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "JSON_SORT_KEYS": False,
}
