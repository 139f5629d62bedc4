"""The jury's pages: the applications assigned to me, one application with my review."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import roles_required
from ..forms_common import show_error
from ..http import private
from ..i18n import current_language
from ..services import applications
from ..services.applications import jury, review
from ..services.errors import FieldError
from . import bp
from .forms import ConflictForm, review_form


@bp.before_request
@roles_required("jury")
def require_jury():
    """Every jury page needs the jury role; each application also needs the assignment."""


@bp.get("/")
def index():
    assigned = jury.assigned_to(current_user)
    reviewed = {a.id for a in assigned if review.own_review(a, current_user) is not None}
    return private(render_template("jury/index.html", assigned=assigned, reviewed=reviewed,
                                   shown={a.id: review.shown(a) for a in assigned}), 200)


@bp.route("/applications/<int:application_id>", methods=["GET", "POST"])
def application(application_id: int):
    item = applications.get_application(application_id)
    jury.check_assigned(item, current_user)
    call = applications.get_call(item.event)
    own = review.own_review(item, current_user)
    data = {"comment": own.comment} | {f"score_{k}": int(v) for k, v in own.scores.items()} \
        if own else {}
    form = review_form(call.criteria, current_language(), data=data or None)
    status = 200
    if form.validate_on_submit():
        try:
            review.save(item, current_user, scores=form.scores(), comment=form.comment.data)
        except FieldError as exc:
            show_error(form, exc)
            status = exc.status
        else:
            flash(_("Your review is saved."), "success")
            return redirect(url_for(".application", application_id=item.id))
    elif form.is_submitted():
        status = 422
    return private(render_template(
        "jury/application.html", item=item, shown=review.shown(item), call=call, form=form,
        own=own, others=review.others(item, current_user), conflict_form=ConflictForm(),
        review_open=call.review_open(), weighted=review.weighted), status)


@bp.post("/applications/<int:application_id>/conflict")
def conflict(application_id: int):
    item = applications.get_application(application_id)
    jury.check_assigned(item, current_user)
    if ConflictForm().validate_on_submit():
        jury.declare_conflict(item, current_user)
        flash(_("Noted: you have a conflict of interest and no longer review this "
                "application."), "info")
    return redirect(url_for(".index"))
