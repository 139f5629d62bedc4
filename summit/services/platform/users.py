"""Accounts: creating users, checking passwords, issuing API tokens."""

import functools
import hashlib
import secrets
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import bindparam, func, inspect, or_, select, update
from sqlalchemy.orm import make_transient_to_detached
from werkzeug.security import generate_password_hash

from ...extensions import autocommit_connection, db
from ...models import ROLES, ApiToken, User, utcnow
from ..errors import FieldError


class UserError(FieldError):
    """A user could not be created as asked; the message says why (English: the CLI's)."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    query = db.select(User).where(func.lower(User.email) == normalise_email(email))
    return db.session.scalar(query)


def create_user(email: str, *, role: str, password: str, name: str = "",
                languages: str = "de,en") -> User:
    if role not in ROLES:
        raise UserError("role", f"Unknown role {role!r}; choose one of: {', '.join(ROLES)}.")
    try:
        email = validate_email(email.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise UserError("email", f"Not a valid e-mail address: {exc}") from exc
    if len(password) < 8:
        raise UserError("password", "The password must have at least 8 characters.")
    if find_by_email(email):
        raise UserError("email", f"A user with the e-mail {email} already exists.",
                        status=409)
    user = User(email=email, role=role, name=name or email.split("@")[0], languages=languages)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


@functools.cache
def _dummy_user() -> User:
    """Checked against for unknown e-mails, so that they cost as much as a wrong password."""
    return User(password_hash=generate_password_hash(secrets.token_urlsafe(16)))


def authenticate(email: str, password: str) -> User | None:
    user = find_by_email(email)
    if user is None or not user.active:
        _dummy_user().check_password(password)
        return None
    return user if user.check_password(password) else None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(user: User, label: str = "") -> str:
    """A new bearer token; only its hash is kept, so it is shown exactly once."""
    token = "smt_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=_token_hash(token), label=label))
    db.session.commit()
    return token


# How stale ApiToken.last_used_at may get. It tells organisers whether a token is still in
# use; writing it on every request would add a write transaction to every scan at the desk
# (and on SQLite every writer waits for the one before it).
LAST_USED_PRECISION = timedelta(minutes=1)


_USERS, _TOKENS = User.__table__, ApiToken.__table__


def token_holder():
    """The active user holding the token whose hash is the bind parameter bearer_token_hash,
    with the token's id and last use. (No parameter bears a column's name: in a statement
    with an UPDATE, SQLAlchemy would set that column too.)"""
    return (select(_USERS, _TOKENS.c.id.label("token_id"),
                   _TOKENS.c.last_used_at.label("token_last_used_at"))
            .join(_TOKENS, _TOKENS.c.user_id == _USERS.c.id)
            .where(_TOKENS.c.token_hash == bindparam("bearer_token_hash"),
                   _USERS.c.active.is_(True)))


def token_use_noted(token_id):
    """The UPDATE that stamps a token's use (bind parameter now) when its stamp is older than
    LAST_USED_PRECISION (bind parameter stale_before, see use_stamps)."""
    return (update(_TOKENS)
            .where(_TOKENS.c.id == token_id,
                   or_(_TOKENS.c.last_used_at.is_(None),
                       _TOKENS.c.last_used_at <= bindparam("stale_before")))
            .values(last_used_at=bindparam("now")))


def use_stamps(token: str) -> dict:
    """The bind parameters of token_holder and token_use_noted for this token, now."""
    now = utcnow()
    return {"bearer_token_hash": _token_hash(token), "now": now,
            "stale_before": now - LAST_USED_PRECISION}


# Built once: the busiest requests (a desk's scans) each check a token.
_HOLDER_OF_TOKEN = token_holder()
_USE_NOTED = token_use_noted(bindparam("token_id"))


def user_for_token(token: str) -> User | None:
    """The active user holding this bearer token, or None.

    Read in autocommit, in one round trip, so that checking the token opens no transaction
    of the request's. (A desk's plain scan checks its token in the scan's own statement:
    checkin.check_in_for_token_holder.) The user joins the request's session as if loaded
    there (lazy relationships and changes work as usual).
    """
    with autocommit_connection() as connection:
        row = holder_of_token(connection, token)
    return None if row is None else _as_loaded(row._mapping)


def holder_of_token(connection, token: str):
    """token_holder's row for this token on the given connection, its use noted; or None."""
    stamps = use_stamps(token)
    row = connection.execute(_HOLDER_OF_TOKEN, stamps).first()
    if row is not None and (row.token_last_used_at is None
                            or row.token_last_used_at <= stamps["stale_before"]):
        connection.execute(_USE_NOTED, stamps | {"token_id": row.token_id})
    return row


def _as_loaded(columns) -> User:
    """A User from its row, in the session as though the session had loaded it (the one the
    session holds already, if it does)."""
    held = db.session.identity_map.get(inspect(User).identity_key_from_primary_key(
        (columns[_USERS.c.id],)))
    if held is not None:
        return held
    user = User(**{attribute.key: columns[attribute.columns[0]]
                   for attribute in inspect(User).column_attrs})
    make_transient_to_detached(user)
    db.session.add(user)
    return user
