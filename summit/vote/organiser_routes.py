"""The organiser's side of the vote: every pitch session's vote, its results with turnout
and the jury's scores side by side, and the export."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import roles_required
from ..extensions import db
from ..http import no_store, private
from ..i18n import current_language
from ..models import EventSession
from ..services import events, voting
from ..services.errors import FieldError
from . import bp
from .forms import BallotChoiceForm, JuryForm

ORG = "/organiser/events/<slug>/votes"


def _pitch_sessions(event):
    return db.session.scalars(db.select(EventSession).where(
        EventSession.event_id == event.id, EventSession.kind == "pitch")
        .order_by(EventSession.starts_at, EventSession.id)).all()


def _session(event, session_id: int) -> EventSession:
    session = db.get_or_404(EventSession, session_id)
    if session.event_id != event.id or session.kind != "pitch":
        abort(404)
    return session


@bp.get(ORG)
@roles_required("organiser")
def organiser_list(slug):
    event = events.get_by_slug(slug)
    sessions = _pitch_sessions(event)
    found = {session.id: voting.results(session, current_language()) for session in sessions}
    return render_template("vote/organiser_list.html", event=event, sessions=sessions,
                           found=found)


@bp.get(ORG + "/<int:session_id>")
@roles_required("organiser")
def organiser_results(slug, session_id):
    event = events.get_by_slug(slug)
    return _results_page(event, _session(event, session_id), JuryForm())


def _results_page(event, session, jury_form, *, status=200, score_error=None,
                  ballot_error=None):
    """score_error: (field name, message) of a refused score; the typed scores stay.
    ballot_error: why the ballot was refused; the ticked boxes stay as sent."""
    ballot = voting.on_ballot(session)
    ticked = ({int(i) for i in request.form.getlist("ballot") if i.isdigit()} if ballot_error
              else {p.id for p in ballot})
    return private(render_template(
        "vote/results.html", event=event, session=session,
        found=voting.results(session, current_language()),
        jury_form=jury_form, score_error=score_error,
        typed=request.form if score_error else None, ballot_form=BallotChoiceForm(),
        ticked=ticked, ballot_error=ballot_error), status)


@bp.post(ORG + "/<int:session_id>/jury")
@roles_required("organiser")
def organiser_jury(slug, session_id):
    event = events.get_by_slug(slug)
    session = _session(event, session_id)
    form = JuryForm()
    if not form.validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return redirect(url_for(".organiser_results", slug=slug, session_id=session.id))
    scores = {pitch.id: request.form.get(f"score_{pitch.id}", "") for pitch in session.pitches}
    try:
        voting.set_jury_scores(session, scores, actor=current_user)
    except FieldError as exc:  # shown next to that pitch's score, the others kept as typed
        return _results_page(event, session, form, status=422,
                             score_error=(exc.field, str(exc.message)))
    flash(_("The jury's scores are saved."), "success")
    return redirect(url_for(".organiser_results", slug=slug, session_id=session.id))


@bp.post(ORG + "/<int:session_id>/ballot")
@roles_required("organiser")
def organiser_ballot(slug, session_id):
    event = events.get_by_slug(slug)
    session = _session(event, session_id)
    if not BallotChoiceForm().validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return redirect(url_for(".organiser_results", slug=slug, session_id=session.id))
    try:
        voting.set_ballot(session, request.form.getlist("ballot"), actor=current_user)
    except FieldError as exc:  # shown next to the checkboxes, ticked as sent
        return _results_page(event, session, JuryForm(), status=exc.status,
                             ballot_error=str(exc.message))
    flash(_("The ballot is saved."), "success")
    return redirect(url_for(".organiser_results", slug=slug, session_id=session.id))


@bp.get(ORG + "/<int:session_id>.csv")
@roles_required("organiser")
def organiser_export(slug, session_id):
    event = events.get_by_slug(slug)
    session = _session(event, session_id)
    response = Response("\ufeff" + voting.csv_export(session),
                        content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="vote-{event.slug}-{session.id}.csv"')
    return no_store(response)
