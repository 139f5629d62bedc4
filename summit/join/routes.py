from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from ..auth.routes import home_for
from ..extensions import db
from ..forms_common import show_error
from ..http import private
from ..services.platform import team
from . import bp
from .forms import JoinForm

# A dead link answers Gone when it once worked, Not Found when it never did.
_LINK_STATUS = {"forged": 404, "expired": 410, "used": 410, "withdrawn": 410, "replaced": 410}


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str):
    try:
        invitation = team.invitation_for_token(token)
    except team.LinkError as exc:
        return _dead_link(exc.reason)
    form = JoinForm()
    if form.validate_on_submit():
        try:
            user = team.accept(token, name=form.name.data, password=form.password.data)
        except team.LinkError as exc:  # used or withdrawn in the meantime
            db.session.rollback()
            return _dead_link(exc.reason)
        except team.TeamError as exc:
            db.session.rollback()
            show_error(form, exc)
        else:
            logout_user()  # whoever was logged in on this browser before
            login_user(user)
            if user.locale:
                g.chosen_language = user.locale
            flash(_("Welcome to the team, %(name)s. You are logged in.", name=user.name),
                  "success")
            return redirect(url_for("registration.index") if user.role == "jury"
                            else home_for(user))
    status = 422 if form.is_submitted() else 200
    # The link is a key: the page must not stay in caches nor be indexed.
    return private(render_template("join/join.html", form=form, invitation=invitation,
                                   role=team.role_label(invitation.role)), status)


def _dead_link(reason: str):
    return private(render_template("join/dead_link.html", reason=reason), _LINK_STATUS[reason])
