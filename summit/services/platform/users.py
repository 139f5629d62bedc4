"""Accounts: creating users, checking passwords, issuing API tokens."""

import functools
import hashlib
import secrets
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func
from werkzeug.security import generate_password_hash

from ...extensions import db
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


def user_for_token(token: str) -> User | None:
    """The active user holding this bearer token, or None: one query for token and user."""
    row = db.session.execute(
        db.select(User, ApiToken.id, ApiToken.last_used_at)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == _token_hash(token), User.active.is_(True))
    ).first()
    if row is None:
        return None
    user, token_id, last_used_at = row
    now = utcnow()
    if last_used_at is None or now - last_used_at >= LAST_USED_PRECISION:
        db.session.execute(db.update(ApiToken).where(ApiToken.id == token_id)
                           .values(last_used_at=now))
        db.session.commit()
    return user
