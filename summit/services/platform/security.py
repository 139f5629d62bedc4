"""Installation-wide security settings: whether every organiser must use two-factor log-in.

While it is required, an organiser without a second factor reaches only the set-up page (and
log-out) until they have enrolled; see auth/enforce.py.
"""

from flask_babel import lazy_gettext as _l

from ...extensions import db
from ...models import ORGANISER, InstallationSettings, User, utcnow
from ..errors import FieldError
from . import audit

_ROW = 1


def settings() -> InstallationSettings:
    """The settings row; defaults (nothing required) until an organiser changes one."""
    return db.session.get(InstallationSettings, _ROW) or InstallationSettings(
        id=_ROW, require_organiser_two_factor=False)


def two_factor_required() -> bool:
    return bool(db.session.scalar(
        db.select(InstallationSettings.require_organiser_two_factor)
        .where(InstallationSettings.id == _ROW)))


def must_enrol(user) -> bool:
    """An organiser without a second factor while the installation requires one."""
    return (getattr(user, "is_authenticated", False) and user.has_role(ORGANISER)
            and not user.totp_secret and two_factor_required())


def set_two_factor_required(required: bool, *, actor: User) -> bool:
    """Switch the requirement; True if it changed. Whoever switches it on must have two-factor
    log-in themselves, so that nobody locks out the team they stand in."""
    row = db.session.get(InstallationSettings, _ROW)
    if required and not actor.totp_secret:
        raise FieldError("require_two_factor", _l(
            "Set up two-factor log-in for your own account first; then you can require it "
            "for every organiser."))
    if row is None:
        row = InstallationSettings(id=_ROW, require_organiser_two_factor=False)
        db.session.add(row)
    if row.require_organiser_two_factor == bool(required):
        db.session.rollback()
        return False
    row.require_organiser_two_factor = bool(required)
    row.updated_at, row.updated_by_id = utcnow(), actor.id
    audit.record("security.two_factor_required", actor=actor, required=bool(required))
    db.session.commit()
    return True
