"""The organiser's security settings for the whole installation: whether every organiser must
log in with a second factor. The rule lives in services/platform/security."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField

from ..forms_common import show_error
from ..services.errors import FieldError
from ..services.platform import security
from . import bp


class SecurityForm(FlaskForm):
    require_two_factor = BooleanField(_l("Require two-factor log-in for every organiser "
                                         "account"))


@bp.route("/security", methods=["GET", "POST"])
def security_settings():
    form = SecurityForm(require_two_factor=security.two_factor_required())
    if form.validate_on_submit():
        try:
            changed = security.set_two_factor_required(form.require_two_factor.data,
                                                       actor=current_user)
        except FieldError as exc:
            show_error(form, exc)
            return _page(form, 422)
        if not changed:
            flash(_("Nothing was changed."), "info")
        elif form.require_two_factor.data:
            flash(_("Two-factor log-in is now required for every organiser. Organisers "
                    "without it are asked to set it up when they next open a page."), "success")
        else:
            flash(_("Two-factor log-in is now optional for organisers."), "success")
        return redirect(url_for(".security_settings"))
    return _page(form, 422 if form.is_submitted() else 200)


def _page(form, status):
    return render_template("organiser/security.html", form=form,
                           required=security.two_factor_required()), status
