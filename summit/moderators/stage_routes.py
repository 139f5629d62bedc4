"""The moderators' messages to the stage and the session's planned-vs-actual report. The
buttons of the run (pause, ±1 minute, skip Q&A, blackout) go through routes.run_action."""

from flask import Response, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import roles_required
from ..forms_common import show_error
from ..http import no_store, wants_json
from ..services import live
from ..services.errors import FieldError
from ..services.live import report as reports
from ..services.live import stage_messages
from . import bp
from .forms import RunActionForm, StageMessageForm
from .routes import render_run, session_for_runner

PREFIX = "/moderator/sessions/<int:session_id>"


def _expired():
    if wants_json():
        return no_store(jsonify({"error": {"status": 400, "message": _(
            "The form has expired. Please reload the page.")}})), 400
    flash(_("The form has expired. Please try again."), "error")
    return None


@bp.post(PREFIX + "/messages")
@roles_required("moderator", "organiser")
def send_message(session_id):
    session = session_for_runner(session_id)
    form = StageMessageForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            return _expired() or redirect(url_for(".run", session_id=session.id))
        return _refused(session, form, FieldError("body", stage_messages.too_long()))
    body = form.body.data
    if form.preset.data is not None:
        if not 0 <= form.preset.data < len(stage_messages.PRESETS):
            return _refused(session, form, FieldError("body", _("Please write a message.")))
        body = stage_messages.PRESETS[form.preset.data][1]
    try:
        stage_messages.send(session, body, actor=current_user)
    except FieldError as exc:
        return _refused(session, form, exc)
    if wants_json():
        return no_store(jsonify(live.snapshot(session)))
    flash(_("Your message is on the stage."), "success")
    return redirect(url_for(".run", session_id=session.id) + "#messages")


def _refused(session, form, error: FieldError):
    if wants_json():
        return no_store(jsonify({"errors": {error.field: [str(error.message)]}})), 422
    show_error(form, error)
    return render_run(session, message_form=form, status=422)


@bp.post(PREFIX + "/messages/<int:message_id>/dismiss")
@roles_required("moderator", "organiser")
def dismiss_message(session_id, message_id):
    session = session_for_runner(session_id)
    if not RunActionForm().validate_on_submit():
        return _expired() or redirect(url_for(".run", session_id=session.id))
    if stage_messages.get(session, message_id) is None:
        return (no_store(jsonify({"error": {"status": 404, "message": _(
            "This message does not exist.")}})), 404) if wants_json() else ("", 404)
    stage_messages.dismiss(session, message_id)
    if wants_json():
        return no_store(jsonify(live.snapshot(session)))
    return redirect(url_for(".run", session_id=session.id) + "#messages")


@bp.get(PREFIX + "/report")
@roles_required("moderator", "organiser")
def session_report(session_id):
    session = session_for_runner(session_id)
    return render_template("moderators/report.html", session=session, event=session.event,
                           report=reports.report(session))


@bp.get(PREFIX + "/report.csv")
@roles_required("moderator", "organiser")
def session_report_csv(session_id):
    session = session_for_runner(session_id)
    response = Response(reports.as_csv(reports.report(session)),
                        content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{reports.filename(session)}"')
    return no_store(response)
