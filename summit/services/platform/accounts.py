"""A user's own account: forgotten passwords, changing password and e-mail, and the
fingerprint that ties a log-in session (and a reset link) to the password it was made with.

The fingerprint is an HMAC of the password hash. A session stores it (User.get_id) and a
reset link signs it, so setting a new password ends every other session and spends every
link sent before, with nothing extra stored.
"""

import hashlib
import hmac

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ...extensions import db
from ...models import User
from ..errors import FieldError
from ..mail import compose as mails
from ..mail import links, outbox
from ..registrations import clean_email
from ..registrations.signup import too_long
from . import users

PASSWORD_MIN = 10
PASSWORD_MAX = 200
RESET_LINK_SECONDS = 3600
_RESET_SALT = "password-reset"


class AccountError(FieldError):
    """A change to one's own account was refused; the message says why."""


class ResetLinkInvalid(Exception):
    """The reset link is expired, already used (the password changed since) or forged."""


def fingerprint(password_hash: str) -> str:
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, password_hash.encode(), hashlib.sha256).hexdigest()[:20]


def session_id(user: User) -> str:
    """What Flask-Login keeps in the session and the remember cookie."""
    return f"{user.id}:{fingerprint(user.password_hash)}"


def user_for_session(value: str) -> User | None:
    """The user of a session, or None once their password changed since it was made."""
    user_id, _sep, print_ = value.partition(":")
    if not user_id.isdigit() or len(user_id) > 12 or not print_:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not hmac.compare_digest(print_, fingerprint(user.password_hash)):
        return None
    return user


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_RESET_SALT)


def reset_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "p": fingerprint(user.password_hash)})


def reset_url(user: User) -> str:
    return links.absolute(f"/login/reset/{reset_token(user)}")


def request_password_reset(email: str, *, language: str) -> None:
    """Queue a reset link if an active account has this address; says nothing either way.

    An unknown address costs the same lookup and the same composing (the message is thrown
    away), so neither the answer nor its time tells whether the account exists.
    """
    _written, normalised = clean_email(email)
    user = users.find_by_email(normalised)
    if user is None or not user.active:
        mails.password_reset(_stand_in(normalised), "", language=language)
        return
    outbox.queue(mails.password_reset(user, reset_url(user), language=user.locale or language))
    db.session.commit()


def _stand_in(email: str) -> User:
    return User(id=0, email=email, name=email.split("@")[0], password_hash="")


def user_for_reset(token: str) -> User:
    """The user whose link this is; ResetLinkInvalid when it cannot be used (any reason)."""
    if not token or len(token) > 300:
        raise ResetLinkInvalid()
    try:
        data = _serializer().loads(token, max_age=RESET_LINK_SECONDS)
    except (SignatureExpired, BadSignature) as exc:
        raise ResetLinkInvalid() from exc
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise ResetLinkInvalid()
    user = db.session.get(User, data["u"])
    if (user is None or not user.active
            or not hmac.compare_digest(str(data.get("p")), fingerprint(user.password_hash))):
        raise ResetLinkInvalid()
    return user


def _check_new_password(password: str, repeat: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise AccountError("new_password", ngettext(
            "Please choose a password of at least %(num)d character.",
            "Please choose a password of at least %(num)d characters.", PASSWORD_MIN))
    if len(password) > PASSWORD_MAX:
        raise AccountError("new_password", too_long(PASSWORD_MAX))
    if password != repeat:
        raise AccountError("repeat_password", _l("The two passwords are not the same."))


def _check_current(user: User, password: str) -> None:
    if not user.check_password(password or ""):
        raise AccountError("current_password", _l("That is not your current password."))


def reset_password(token: str, password: str, repeat: str) -> User:
    """Set the password through a reset link; the link (and every session) is spent by it."""
    user = user_for_reset(token)
    _check_new_password(password, repeat)
    user.set_password(password)
    db.session.commit()
    return user


def change_password(user: User, *, current: str, password: str, repeat: str) -> None:
    """API tokens are not touched: they belong to scripts and devices, not to a browser."""
    _check_current(user, current)
    _check_new_password(password, repeat)
    user.set_password(password)
    db.session.commit()


def change_email(user: User, *, password: str, email: str) -> None:
    _check_current(user, password)
    written, normalised = clean_email(email)
    other = users.find_by_email(normalised)
    if other is not None and other.id != user.id:
        raise AccountError("email", _l("Another account already uses this e-mail address."),
                           status=409)
    user.email = written
    db.session.commit()
