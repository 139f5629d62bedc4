"""The organiser's pages after the review: one application (its jurors, its reviews, the
redacted summary), the decision mails checked before sending, the shortlist onto stage."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..forms_common import show_error
from ..services import applications, events, registrations
from ..services.applications import decisions, jury, privacy, stage
from ..services.applications.review import weighted
from ..services.errors import FieldError
from ..services.programme import sessions
from . import bp
from .call_forms import ActionForm, JurorForm, RedactedForm, SendMailsForm, StageForm


def _application(event, application_id):
    item = applications.get_application(application_id)
    if item.event_id != event.id:
        abort(404)
    return item


@bp.route("/events/<slug>/applications/<int:application_id>", methods=["GET", "POST"])
def application_detail(slug: str, application_id: int):
    event = events.get_by_slug(slug)
    item = _application(event, application_id)
    redacted = RedactedForm(obj=item)
    if redacted.validate_on_submit():
        applications.set_redacted_summary(item, redacted.redacted_summary.data or "",
                                          actor=current_user)
        flash(_("The summary for the anonymised review is saved."), "success")
        return redirect(url_for(".application_detail", slug=slug, application_id=item.id))
    return _detail_page(event, item, redacted=redacted)


def _detail_page(event, item, *, redacted=None, juror_form=None, status=200):
    rows = {row.user_id: row for row in jury.assignments(event)
            if row.application_id == item.id}
    juror_form = juror_form or JurorForm(formdata=None)
    juror_form.juror.choices = [(j.id, j.name or j.email) for j in jury.jurors()]
    reviews = applications.reviews_of(item)
    call = applications.get_call(event)
    return render_template(
        "organiser/call/application.html", event=event, item=item, call=call, rows=rows,
        reviews=reviews, weighted=weighted, criteria=call.criteria if call else [],
        redacted=redacted or RedactedForm(obj=item, formdata=None), juror_form=juror_form,
        action_form=ActionForm()), status


@bp.post("/events/<slug>/applications/<int:application_id>/jurors")
def application_add_juror(slug: str, application_id: int):
    event = events.get_by_slug(slug)
    item = _application(event, application_id)
    form = JurorForm()
    form.juror.choices = [(j.id, j.name or j.email) for j in jury.jurors()]
    if form.validate_on_submit():
        try:
            jury.assign(item, form.juror.data, actor=current_user,
                        conflict=bool(form.conflict.data))
        except FieldError as exc:
            show_error(form, exc)
            return _detail_page(event, item, juror_form=form, status=422)
        return redirect(url_for(".application_detail", slug=slug, application_id=item.id))
    return _detail_page(event, item, juror_form=form, status=422)


@bp.post("/events/<slug>/applications/<int:application_id>/jurors/<int:user_id>/remove")
def application_remove_juror(slug: str, application_id: int, user_id: int):
    event = events.get_by_slug(slug)
    item = _application(event, application_id)
    if ActionForm().validate_on_submit():
        jury.unassign(item, user_id, actor=current_user)
    return redirect(url_for(".application_detail", slug=slug, application_id=item.id))


@bp.post("/events/<slug>/applications/<int:application_id>/erase")
def application_erase(slug: str, application_id: int):
    event = events.get_by_slug(slug)
    item = _application(event, application_id)
    if ActionForm().validate_on_submit():
        privacy.anonymise(item, actor=current_user)
        flash(_("The applicant's personal data is erased; the scores stay in the counts."),
              "success")
    return redirect(url_for(".applications_page", slug=slug))


@bp.route("/events/<slug>/applications/decision-mails", methods=["GET", "POST"])
def decision_mails(slug: str):
    event = events.get_by_slug(slug)
    previews = decisions.previews(event)
    form = SendMailsForm()
    form.applications.choices = [(a.id, a.title) for a, _subject, _text in previews]
    if form.validate_on_submit():
        sent = decisions.send_decisions(event, form.applications.data or [],
                                        actor=current_user)
        flash(ngettext("%(num)d decision mail is on its way.",
                       "%(num)d decision mails are on their way.", sent), "success")
        return redirect(url_for(".applications_page", slug=slug))
    return render_template("organiser/call/decision_mails.html", event=event,
                           previews=previews, form=form), 422 if form.is_submitted() else 200


@bp.route("/events/<slug>/applications/stage", methods=["GET", "POST"])
def applications_stage(slug: str):
    event = events.get_by_slug(slug)
    form = StageForm()
    form.session.choices = [(s.id, s.title) for s in sessions.sessions_for(event)
                            if s.kind == "pitch"]
    if form.validate_on_submit():
        by_hand = form.hand_order(stage.waiting_for_stage(event), request.form)
        try:
            done = stage.to_pitches(event, form.session.data, actor=current_user,
                                    order=form.order.data, application_ids=by_hand)
        except registrations.CategoryFull:
            flash(_("The category “Social Entrepreneur” is full: raise its places in the "
                    "event's settings, then run this step again to put the rest on stage."),
                  "error")
            return redirect(url_for(".applications_stage", slug=slug))
        except FieldError as exc:
            show_error(form, exc, fallback="session")
        else:
            flash(ngettext("%(num)d pitch added to the session.",
                           "%(num)d pitches added to the session.", len(done)), "success")
            return redirect(url_for(".applications_stage", slug=slug))
    order = form.order.data if form.order.data in ("raw", "normalised") else "raw"
    waiting = stage.waiting_for_stage(event, order=order)
    return render_template("organiser/call/stage.html", event=event, form=form,
                           waiting=waiting), 422 if form.is_submitted() else 200


