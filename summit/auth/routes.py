from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter, public_limit
from ..forms_common import show_error
from ..http import no_store
from ..i18n import current_language
from ..services.errors import FieldError
from ..services.platform import accounts, security, two_factor, users
from . import bp
from .access import roles_required
from .forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    CodeForm,
    DisableTwoFactorForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
)


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
    if user.has_role("jury"):
        return url_for("jury.index")
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
        if user.totp_secret:
            # The password is right; the session is made only after the second factor.
            session[_PENDING] = {"user": accounts.session_id(user),
                                 "remember": bool(form.remember.data),
                                 "next": _safe_next(form.next.data)}
            return redirect(url_for(".login_code"))
        return _logged_in(user, remember=form.remember.data, next_url=form.next.data)
    status = 422 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


def _logged_in(user, *, remember: bool, next_url: str | None):
    login_user(user, remember=remember)
    if user.locale:
        g.chosen_language = user.locale
    return redirect(_safe_next(next_url) or home_for(user))


_PENDING = "pending_login"


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SUMMIT_LOGIN_LIMIT"], methods=["POST"])
def login_code():
    pending = session.get(_PENDING) or {}
    user = accounts.user_for_session(str(pending.get("user", "")))
    if user is None or not user.active:
        return redirect(url_for(".login"))
    form = CodeForm()
    if form.validate_on_submit():
        if two_factor.verify(user, form.code.data):
            session.pop(_PENDING, None)
            return _logged_in(user, remember=pending.get("remember", False),
                              next_url=pending.get("next"))
        form.code.errors.append(_("That code does not match. Enter the code your app "
                                  "shows now."))
        return render_template("auth/login_code.html", form=form), 401
    status = 422 if form.is_submitted() else 200
    return render_template("auth/login_code.html", form=form), status


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


def _address_key() -> str:
    """The per-address limit's key: the address as the service will look it up."""
    return "reset:" + users.normalise_email(request.form.get("email", ""))[:254]


@bp.route("/login/forgot", methods=["GET", "POST"])
@limiter.limit(public_limit, methods=["POST"])
@limiter.limit(lambda: current_app.config["SUMMIT_RESET_ADDRESS_LIMIT"], methods=["POST"],
               key_func=_address_key)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.request_password_reset(form.email.data, language=current_language())
        except FieldError as exc:
            show_error(form, exc)
            return render_template("auth/forgot.html", form=form), exc.status
        # The same answer whether or not the address has an account.
        return render_template("auth/forgot_sent.html", email=form.email.data)
    status = 422 if form.is_submitted() else 200
    return render_template("auth/forgot.html", form=form), status


@bp.route("/login/reset/<token>", methods=["GET", "POST"])
@limiter.limit(public_limit, methods=["POST"])
def reset_password(token: str):
    try:
        user = accounts.user_for_reset(token)
    except accounts.ResetLinkInvalid:
        return render_template("auth/reset_invalid.html"), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(token, form.new_password.data, form.repeat_password.data)
        except FieldError as exc:
            show_error(form, exc)
            return render_template("auth/reset.html", form=form, user=user,
                                   min_length=accounts.PASSWORD_MIN), exc.status
        except accounts.ResetLinkInvalid:  # used up in another tab meanwhile
            return render_template("auth/reset_invalid.html"), 410
        logout_user()  # whoever was logged in here, the next log-in is with the new password
        flash(_("Your new password is saved. Please log in with it."), "success")
        return redirect(url_for(".login"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/reset.html", form=form, user=user,
                                   min_length=accounts.PASSWORD_MIN), status


def _account_page(password_form=None, email_form=None, disable_form=None, status=200):
    return render_template("auth/account.html",
                           disable_form=disable_form or DisableTwoFactorForm(formdata=None,
                                                                             prefix="tf"),
                           password_form=password_form or ChangePasswordForm(formdata=None),
                           email_form=email_form or ChangeEmailForm(formdata=None,
                                                                    prefix="change"),
                           min_length=accounts.PASSWORD_MIN), status


@bp.get("/account")
@login_required
def account():
    return _account_page()


@bp.post("/account/password")
@login_required
def change_password():
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _account_page(password_form=form, status=422)
    try:
        accounts.change_password(current_user, current=form.current_password.data,
                                 password=form.new_password.data,
                                 repeat=form.repeat_password.data)
    except FieldError as exc:
        show_error(form, exc)
        return _account_page(password_form=form, status=exc.status)
    # This browser gets a session for the new password; every other one is logged out.
    login_user(current_user._get_current_object())
    flash(_("Your password is changed. Other browsers where you were logged in are logged "
            "out; API tokens keep working."), "success")
    return redirect(url_for(".account"))


@bp.post("/account/email")
@login_required
def change_email():
    form = ChangeEmailForm(prefix="change")
    if not form.validate_on_submit():
        return _account_page(email_form=form, status=422)
    try:
        accounts.change_email(current_user, password=form.current_password.data,
                              email=form.email.data)
    except FieldError as exc:
        show_error(form, exc)
        return _account_page(email_form=form, status=exc.status)
    flash(_("Your e-mail address is changed. Log in with it from now on."), "success")
    return redirect(url_for(".account"))


_ENROLMENT = "totp_enrolment"


@bp.route("/account/two-factor", methods=["GET", "POST"])
@roles_required("organiser")
def two_factor_setup():
    if current_user.totp_secret:
        return redirect(url_for(".account"))
    # The secret waits in the (signed) session until a first code confirms it: nothing is
    # stored for a set-up that is never finished.
    secret = session.setdefault(_ENROLMENT, two_factor.new_secret())
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.enable(current_user, secret, form.code.data)
        except FieldError as exc:
            show_error(form, exc)
        else:
            session.pop(_ENROLMENT, None)
            # Shown once, never from a cache.
            return no_store(make_response(render_template("auth/recovery_codes.html",
                                                          codes=codes)))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/two_factor_setup.html", form=form, secret=secret,
                           qr=two_factor.qr_svg(current_user, secret),
                           required=security.two_factor_required()), status


@bp.post("/account/two-factor/disable")
@roles_required("organiser")
def two_factor_disable():
    form = DisableTwoFactorForm(prefix="tf")
    if not form.validate_on_submit():
        return _account_page(disable_form=form, status=422)
    try:
        two_factor.disable(current_user, password=form.current_password.data,
                           code=form.code.data)
    except FieldError as exc:
        show_error(form, exc)
        return _account_page(disable_form=form, status=exc.status)
    flash(_("Two-factor log-in is off. You log in with your password alone."), "info")
    return redirect(url_for(".account"))
