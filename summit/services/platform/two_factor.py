"""Optional second factor for log-in: a TOTP app (RFC 6238, via pyotp) plus ten single-use
recovery codes for the day the phone is lost. Only organisers are offered it for now."""

import hashlib
import hmac
import secrets

import pyotp
import qrcode
import qrcode.image.svg
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ...extensions import db
from ...models import RecoveryCode, User, utcnow
from . import security
from .accounts import AccountError

RECOVERY_CODES = 10
ISSUER = "Summit"
# One step either side: a phone clock a little off still works.
VALID_WINDOW = 1


def new_secret() -> str:
    return pyotp.random_base32()


def qr_svg(user: User, secret: str) -> Markup:
    """The otpauth:// URI as an inline SVG, for the authenticator app's camera."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    svg = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage).to_string(
        encoding="unicode")
    svg = svg[svg.index("<svg"):]  # no XML declaration inside HTML
    return Markup(svg.replace("<svg ", '<svg role="img" aria-labelledby="qr-label" ', 1))


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _clean(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def _totp_ok(secret: str, code: str) -> bool:
    return code.isdigit() and pyotp.TOTP(secret).verify(code, valid_window=VALID_WINDOW)


def enable(user: User, secret: str, code: str) -> list[str]:
    """Switch it on once the app shows a matching code; the recovery codes, shown once."""
    if not _totp_ok(secret, _clean(code)):
        raise AccountError("code", _l("That code does not match. Enter the code your app "
                                      "shows now."))
    user.totp_secret = secret
    user.recovery_codes.clear()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    user.recovery_codes.extend(RecoveryCode(code_hash=_code_hash(code)) for code in codes)
    db.session.commit()
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def verify(user: User, code: str) -> bool:
    """The app's current code, or an unused recovery code (which is then spent)."""
    code = _clean(code)
    if user.totp_secret is None:
        return False
    if _totp_ok(user.totp_secret, code):
        return True
    wanted = _code_hash(code)
    for recovery in user.recovery_codes:
        if recovery.used_at is None and hmac.compare_digest(recovery.code_hash, wanted):
            recovery.used_at = utcnow()
            db.session.commit()
            return True
    return False


def disable(user: User, *, password: str, code: str) -> None:
    if security.two_factor_required():
        raise AccountError("code", _l("Two-factor log-in is required for every organiser of "
                                      "this installation, so it cannot be switched off."))
    if not user.check_password(password or ""):
        raise AccountError("current_password", _l("That is not your current password."))
    if not verify(user, code):
        raise AccountError("code", _l("That code does not match. Enter the code your app "
                                      "shows now."))
    user.totp_secret = None
    user.recovery_codes.clear()
    db.session.commit()
