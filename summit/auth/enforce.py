"""While the installation requires two-factor log-in, an organiser without it reaches only the
set-up page, log-out and the language switch: every other page sends them to the set-up."""

from flask import redirect, request, url_for
from flask_login import current_user

from ..services.platform import security
from . import bp

_ALLOWED = {"auth.two_factor_setup", "auth.logout", "auth.set_language", "static"}


@bp.before_app_request
def require_second_factor():
    if request.endpoint in _ALLOWED or request.blueprint == "api":
        return None  # the API authenticates by token, not by the browser's log-in
    if security.must_enrol(current_user):
        return redirect(url_for("auth.two_factor_setup"))
    return None
