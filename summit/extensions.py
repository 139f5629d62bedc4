"""Extension objects, created unbound and bound to the app in create_app()."""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import Connection, MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints so that Alembic can alter them later on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def public_limit() -> str:
    """The rate limit of public forms and endpoints (SUMMIT_PUBLIC_LIMIT), read per request."""
    return current_app.config["SUMMIT_PUBLIC_LIMIT"]


@contextmanager
def autocommit_connection() -> Iterator[Connection]:
    """A pooled connection of its own on which every statement is its own transaction.

    For the single statements of the busiest requests (a desk's scan, a vote, the API
    token's check): on PostgreSQL each costs one round trip to the server, where in the
    request's session it would take three (BEGIN, the statement, COMMIT). Use it only
    before the request's session holds a connection: a request would otherwise hold two
    (DESIGN.md), and on SQLite a write here would wait, until the lock timeout, for a write
    the session has not committed. Objects the session loaded earlier show what is written
    here only once they are read again.
    """
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        yield connection
