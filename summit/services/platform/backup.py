"""Backups: a consistent copy of a SQLite database while the app keeps running.

PostgreSQL has its own tool for this (pg_dump); we explain it rather than re-implement it.
"""

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    pass


def sqlite_path(database_url: str) -> Path | None:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory database cannot be backed up.")
    return Path(url.database)


def postgres_advice(database_url: str) -> str:
    url = make_url(database_url)
    target = url.set(drivername="postgresql").render_as_string(hide_password=True)
    return (
        "This installation uses PostgreSQL. Back it up with PostgreSQL's own tool, which "
        "takes a consistent snapshot while Summit keeps running:\n"
        f"  pg_dump --format=custom --file=summit.dump '{target}'\n"
        "and restore it into an empty database with:\n"
        f"  pg_restore --clean --if-exists --dbname='{target}' summit.dump"
    )


def backup_sqlite(source: Path, destination: Path) -> int:
    """Copy through SQLite's online backup API: consistent even while others write.
    Returns the number of pages copied."""
    if not source.exists():
        raise BackupError(f"There is no database at {source}.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    if destination.resolve() == source.resolve():
        raise BackupError("The backup file must not be the database itself.")
    with sqlite3.connect(source) as src, sqlite3.connect(destination) as dst:
        src.backup(dst)
        pages = dst.execute("PRAGMA page_count").fetchone()[0]
    return pages


def restore_sqlite(backup: Path, database: Path) -> None:
    """Replace the database's content with the backup's, through the same backup API, so
    open connections see a whole database before or after, never half of one."""
    if not backup.exists():
        raise BackupError(f"There is no backup at {backup}.")
    with sqlite3.connect(backup) as src:
        if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{backup} is damaged; nothing was restored.")
        tables = {row[0] for row in src.execute("SELECT name FROM sqlite_master")}
        if "alembic_version" not in tables and "events" not in tables:
            raise BackupError(f"{backup} is not a Summit database; nothing was restored.")
        with sqlite3.connect(database) as dst:
            src.backup(dst)
