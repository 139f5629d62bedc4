"""The call for pitches, public side: the form, the applicant's manage page, withdrawing;
and the deck download for those allowed to read it."""

from io import BytesIO

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import http
from ..extensions import limiter, public_limit
from ..forms_common import show_error
from ..http import pdf_response, private
from ..services import applications, events
from ..services.applications import decks, privacy
from ..services.errors import FieldError
from . import bp
from .forms import ApplicationDetailsForm, ApplicationForm, WithdrawForm

# The form with a deck is larger than any other body the app takes.
UPLOAD_LIMIT = decks.DECK_MAX_BYTES + 512 * 1024


http.Request.upload_limits.update({"apply.apply": UPLOAD_LIMIT, "apply.manage": UPLOAD_LIMIT})


@bp.errorhandler(413)
def deck_too_large(_error):
    """A body over the limit is refused before it is read: say why, in the page's words."""
    return render_template("apply/too_large.html", message=decks.TOO_LARGE,
                           back=request.path), 413


@bp.route("/events/<slug>/apply", methods=["GET", "POST"])
@limiter.limit(public_limit, methods=["POST"])
def apply(slug: str):
    event = events.get_by_slug(slug)
    call = applications.get_call(event)
    if call is None or call.state() != "open":
        return _closed(event, call)
    form = ApplicationForm()
    if form.validate_on_submit():
        try:
            application = applications.submit(event, **form.applicant())
        except applications.CallClosed:
            return _closed(event, call)
        except FieldError as exc:
            show_error(form, exc)
            return render_template("apply/form.html", event=event, call=call,
                                   form=form), exc.status
        flash(_("Thank you! Your application is in. We have sent you an e-mail with the link "
                "to this page, where you can change it until the call closes."), "success")
        return redirect(url_for(".manage", token=application.manage_token))
    status = 422 if form.is_submitted() else 200
    return render_template("apply/form.html", event=event, call=call, form=form), status


def _closed(event, call):
    status = 409 if request.method == "POST" else 200
    state = call.state() if call is not None else "none"
    return render_template("apply/closed.html", event=event, call=call, state=state), status


@bp.route("/a/<token>", methods=["GET", "POST"])
@limiter.limit(public_limit, methods=["POST"])
def manage(token: str):
    application = applications.get_by_token(token)
    editable = applications.can_edit(application)
    form = ApplicationDetailsForm(obj=application)
    status = 200
    if editable and form.validate_on_submit():
        try:
            applications.update(application, deck=form.uploaded_deck(), **form.fields())
        except FieldError as exc:
            show_error(form, exc)
        else:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for(".manage", token=token))
    if form.is_submitted():
        status = 422 if editable else 409
    return private(render_template("apply/manage.html", application=application,
                                   event=application.event, form=form, editable=editable),
                   status)


@bp.get("/a/<token>/data.json")
def personal_data(token: str):
    application = applications.get_by_token(token)
    response = jsonify(privacy.personal_data(application))
    response.headers["Content-Disposition"] = (
        f'attachment; filename="application-{application.event.slug}.json"')
    return private(response, 200)


@bp.route("/a/<token>/withdraw", methods=["GET", "POST"])
@limiter.limit(public_limit, methods=["POST"])
def withdraw(token: str):
    application = applications.get_by_token(token)
    form = WithdrawForm()
    if application.status == "withdrawn":
        return redirect(url_for(".manage", token=token))
    if form.validate_on_submit():
        applications.withdraw(application)
        flash(_("Your application is withdrawn. We have sent you a confirmation by e-mail."),
              "info")
        return redirect(url_for(".manage", token=token))
    return private(render_template("apply/withdraw.html", application=application,
                                   event=application.event, form=form), 200)


@bp.get("/applications/<int:application_id>/deck.pdf")
@login_required
def deck(application_id: int):
    application = applications.get_application(application_id)
    if not decks.may_read(application, current_user):
        abort(403)
    if application.deck is None:
        abort(404)
    # Always a download (send_file's attachment): a PDF from outside is never shown inside
    # our origin, and nosniff keeps browsers from guessing another type.
    response = pdf_response(BytesIO(decks.content_of(application.deck)),
                            application.deck.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Robots-Tag"] = "noindex"
    return response

