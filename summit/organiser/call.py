"""The organiser's pages for the call for pitches: settings and criteria, the applications
with their ranking, assignment to the jury, bulk decisions and the reviews' CSV."""

import csv
import io

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..forms_common import show_error
from ..services import applications, events
from ..services.applications import decisions, jury, ranking
from ..services.errors import FieldError
from ..services.registrations.attendee_export import neutralise
from . import bp
from .call_forms import ActionForm, CallForm, CriteriaForm, DecisionForm


@bp.route("/events/<slug>/call", methods=["GET", "POST"])
def call_settings(slug: str):
    event = events.get_by_slug(slug)
    call = applications.get_call(event)
    form = CallForm(event=event, obj=call) if call else CallForm(
        event=event, reviews_per_application=3, others_reviews="after_own")
    if form.validate_on_submit():
        try:
            applications.open_call(event, actor=current_user, **form.settings())
        except FieldError as exc:
            show_error(form, exc)
        else:
            flash(_("The call's settings are saved."), "success")
            return redirect(url_for(".call_settings", slug=slug))
    return _settings_page(event, form, None)


@bp.post("/events/<slug>/call/criteria")
def call_criteria(slug: str):
    event = events.get_by_slug(slug)
    call = applications.get_call(event)
    form = CriteriaForm()
    if call is not None and form.validate_on_submit():
        try:
            applications.set_criteria(call, form.rows(), actor=current_user)
        except FieldError as exc:
            form.form_errors.append(str(exc.message))
        else:
            flash(_("The criteria are saved."), "success")
            return redirect(url_for(".call_settings", slug=slug) + "#criteria")
    return _settings_page(event, CallForm(event=event, obj=call, formdata=None), form)


def _settings_page(event, form, criteria_form):
    call = applications.get_call(event)
    if criteria_form is None and call is not None:
        rows = [{"name": c.name, "name_de": c.name_de, "weight": c.weight,
                 "scale_max": c.scale_max} for c in call.criteria]
        criteria_form = CriteriaForm(formdata=None, criteria=rows + [{"scale_max": 5}] * 2)
    failed = form.errors or (criteria_form is not None and (
        criteria_form.errors or criteria_form.form_errors))
    return render_template("organiser/call/settings.html", event=event, call=call, form=form,
                           criteria_form=criteria_form), 422 if failed else 200


@bp.get("/events/<slug>/applications")
def applications_page(slug: str):
    event = events.get_by_slug(slug)
    return _applications_page(event)


def _applications_page(event, decision_form=None, status=200):
    call = applications.get_call(event)
    order = "normalised" if request.args.get("order") == "normalised" else "raw"
    rows = ranking.ranking(event, order=order) if call else []
    form = decision_form or DecisionForm(formdata=None)
    form.applications.choices = [(row.application.id, row.application.title) for row in rows]
    counts = {}
    for row in rows:
        counts[row.application.status] = counts.get(row.application.status, 0) + 1
    return render_template(
        "organiser/call/applications.html", event=event, call=call, rows=rows, order=order,
        form=form, action_form=ActionForm(), counts=counts,
        jurors=jury.jurors(), loads=jury.loads(event) if call else [],
        unsent=len(decisions.unsent(event)) if call else 0), status


@bp.post("/events/<slug>/applications/decide")
def applications_decide(slug: str):
    event = events.get_by_slug(slug)
    form = DecisionForm()
    form.applications.choices = [(row.application.id, "") for row in ranking.ranking(event)]
    if form.validate_on_submit():
        try:
            changed = decisions.decide(event, form.applications.data, form.decision.data,
                                       actor=current_user)
        except FieldError as exc:
            show_error(form, exc, fallback="applications")
            return _applications_page(event, form, 422)
        flash(ngettext("%(num)d application changed. Check and send the decision mails "
                       "when you are ready.",
                       "%(num)d applications changed. Check and send the decision mails "
                       "when you are ready.", changed), "success")
        return redirect(url_for(".applications_page", slug=slug))
    return _applications_page(event, form, 422)


@bp.post("/events/<slug>/applications/assign")
def applications_assign(slug: str):
    event = events.get_by_slug(slug)
    if ActionForm().validate_on_submit():
        try:
            result = jury.assign_automatically(event, actor=current_user)
        except FieldError as exc:
            flash(str(exc.message), "error")
        else:
            message = ngettext("%(num)d assignment added.", "%(num)d assignments added.",
                               len(result.added))
            if result.short:
                message += " " + ngettext(
                    "%(num)d application cannot get enough jurors without a conflict.",
                    "%(num)d applications cannot get enough jurors without a conflict.",
                    len(result.short))
            flash(message, "warning" if result.short else "success")
    return redirect(url_for(".applications_page", slug=slug))


@bp.get("/events/<slug>/applications/reviews.csv")
def reviews_csv(slug: str):
    event = events.get_by_slug(slug)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in ranking.reviews_csv_rows(event):
        writer.writerow([neutralise(cell) if isinstance(cell, str) else cell for cell in row])
    response = make_response("\ufeff" + buffer.getvalue())
    response.mimetype = "text/csv"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="reviews-{event.slug}.csv"')
    response.headers["Cache-Control"] = "private, no-store"
    return response
