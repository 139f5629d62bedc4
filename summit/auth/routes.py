from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..extensions import limiter
from ..services.platform import users
from . import bp
from .forms import LoginForm


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: a login link must not send anyone elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_for(user) -> str:
    if user.has_role("organiser"):
        return url_for("organiser.dashboard")
    if user.has_role("moderator"):
        return url_for("moderators.my_sessions")
    return url_for("checkin.desk_index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SUMMIT_LOGIN_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = users.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Wrong e-mail or password."))
            return render_template("auth/login.html", form=form), 401
        login_user(user, remember=form.remember.data)
        if user.locale:
            g.chosen_language = user.locale
        return redirect(_safe_next(form.next.data) or home_for(user))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("registration.index"))


@bp.post("/language/<code>")
def set_language(code: str):
    """The header's language switch; remembered in a cookie (see i18n)."""
    if code in current_app.config["SUMMIT_LANGUAGES"]:
        g.chosen_language = code
    return redirect(_safe_next(request.form.get("next")) or url_for("registration.index"))
