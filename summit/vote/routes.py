"""The vote page (public, phone-first) and the moderators' open / close / reveal buttons."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ..auth.access import roles_required
from ..extensions import db, limiter
from ..http import no_store, private, wants_json
from ..i18n import current_language
from ..models import EventSession
from ..services import events, live, moderation, voting
from ..services.badges.qr import qr_svg
from ..templating import tr
from . import bp
from .forms import BallotForm, VoteControlForm
from .limits import vote_limits


def public_session(slug: str, session_id: int) -> EventSession:
    event = events.get_by_slug(slug)
    session = db.get_or_404(EventSession, session_id)
    if session.event_id != event.id or session.kind != "pitch":
        abort(404)
    return session


@bp.route("/events/<slug>/sessions/<int:session_id>/vote", methods=["GET", "POST"])
@vote_limits
def ballot(slug, session_id):
    session = public_session(slug, session_id)
    form = BallotForm()
    if request.method == "GET" and request.args.get("as"):
        form.voter.data = request.args["as"]
    voter = voting.voter_from_link(session.event_id, form.voter.data)
    if form.voter.data and voter is None:
        form.voter.data = ""
        flash(_("This vote link is not valid. Please type the code on your badge."), "warning")
    pitches = voting.on_ballot(session)
    form.pitch_id.choices = [(p.id, tr(p, "title")) for p in pitches]
    state = voting.screen_state(session, current_language())
    status, answer = 200, None
    if request.method == "POST":
        status, answer = _cast(session, form, voter)
    elif voter is not None:
        form.pitch_id.data = voting.choice_of(session, voter)
    return private(render_template(
        "vote/ballot.html", session=session, event=session.event, form=form, state=state,
        voter=voter, answer=answer, pitches=pitches), status)


def _cast(session, form, voter):
    if not form.validate_on_submit():
        return 422, None
    if voter is None and not form.code.data:
        form.code.errors.append(_("Type the code printed on your badge, or scan its QR code."))
        return 422, None
    try:
        cast = voting.cast(session, form.pitch_id.data, code=form.code.data,
                           registration=voter)
    except voting.VoteRefused as refused:
        field = form.code if refused.field == "code" and voter is None else form.pitch_id
        if refused.field in ("code", "pitch_id"):
            field.errors.append(str(refused.message))
        return refused.status, {"refused": refused.reason, "message": str(refused.message)}
    return 201, {"result": cast.result, "pitch_id": cast.pitch_id}


@bp.get("/events/<slug>/sessions/<int:session_id>/vote/state.json")
@limiter.limit("120/minute")
def state(slug, session_id):
    """The hall display's light poll while voting is open: open, revealed, the count of votes
    cast; the standings only once revealed. One indexed count per call."""
    session = public_session(slug, session_id)
    return no_store(jsonify(voting.screen_state(session, live.display_language(session))))


@bp.post("/moderator/sessions/<int:session_id>/vote")
@roles_required("moderator", "organiser")
def control(session_id):
    session = db.get_or_404(EventSession, session_id)
    if not moderation.may_run(current_user, session):
        abort(403)
    form = VoteControlForm()
    changes = {"open": {"open": True}, "close": {"open": False},
               "reveal": {"open": False, "revealed": True}, "hide": {"revealed": False}}
    if not form.validate_on_submit() or form.action.data not in changes:
        flash(_("The form has expired. Please try again."), "error")
        return redirect(url_for("moderators.run", session_id=session.id))
    try:
        voting.set_state(session, actor=current_user, **changes[form.action.data])
    except voting.VoteStateError as exc:
        if wants_json():
            return no_store(jsonify({"error": {"status": 409, "message": str(exc.message)}})), 409
        flash(str(exc.message), "warning")
    if wants_json():
        return no_store(jsonify(voting.screen_state(session, live.display_language(session))))
    return redirect(url_for("moderators.run", session_id=session.id) + "#vote")


@bp.app_context_processor
def vote_helpers():
    """For the run page's and the hall display's includes, so that their routes stay as
    they are: the session's vote and a QR code to the vote page."""

    def vote_qr(url: str) -> str:
        # Our own markup from the qrcode library; the URL inside it is escaped by it.
        return Markup(qr_svg(url, label=_("QR code to the vote page")))

    def open_votes_for(registration) -> list:
        return [(session, url_for("vote.ballot", slug=session.event.slug, session_id=session.id,
                                  **{"as": voting.voter_link_token(registration)}))
                for session in voting.open_sessions(registration.event_id)]

    def vote_state(session) -> dict:
        # As the hall sees it: pitch titles in the session's language.
        return voting.screen_state(session, live.display_language(session))

    return {"vote_state": vote_state, "vote_control_form": VoteControlForm,
            "vote_qr": vote_qr, "open_votes_for": open_votes_for}
