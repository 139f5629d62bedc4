"""Moderator pages: my sessions, the run of show, and the public "now on stage" display."""

from flask import abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..auth.access import roles_required
from ..extensions import db
from ..http import no_store, wants_json
from ..models import EventSession, utcnow
from ..services import events, live, moderation
from ..services.applications import decks
from ..services.live import board
from ..services.programme import calendars
from . import bp
from .forms import RunActionForm, StageMessageForm, role_label


def _run_error_text(code: str) -> str:
    return {
        live.NOT_STARTED: _("The session has not started yet."),
        live.ALREADY_RUNNING: _("The session is already running."),
        live.ALREADY_ENDED: _("The session has ended."),
        live.NO_PITCHES: _("This session has no pitches to run."),
        live.LAST_STEP: _("This is the last pitch. Press “End” to finish the session."),
        live.FIRST_STEP: _("The session is at its first pitch already."),
        live.NOTHING_TO_UNDO: _("There is nothing to undo."),
        live.UNDO_EXPIRED: ngettext(
            "The last step was more than %(num)d minute ago and can no longer be undone.",
            "The last step was more than %(num)d minutes ago and can no longer be undone.",
            live.UNDO_MINUTES),
        live.STALE: _("Your co-moderator changed the session a moment ago; "
                      "this screen now shows the current state."),
        live.ALREADY_PAUSED: _("The timer is paused already."),
        live.NOT_PAUSED: _("The timer is not paused."),
        live.TOO_SHORT: _("The phase cannot be shorter than nothing."),
        live.NO_QA: _("There is no Q&A to skip now."),
    }.get(code, _("This is not possible right now."))


@bp.get("/moderator/")
@roles_required("moderator", "organiser")
def my_sessions():
    now = utcnow()
    mine = moderation.assignments_of(current_user)
    all_pitch = moderation.pitch_sessions() if current_user.has_role("organiser") else []
    ids = [a.session_id for a in mine] + [s.id for s in all_pitch]
    running = live.live_session_ids(ids)

    def is_live(session: EventSession) -> bool:
        return session.id in running or session.starts_at <= now < session.ends_at

    # Relative like every link on a page: the browser resolves it against the address it
    # reached Summit at, whatever SUMMIT_BASE_URL says.
    feed = url_for("schedule.moderator_feed",
                   token=calendars.moderator_calendar_token(current_user))
    return render_template("moderators/my_sessions.html", assignments=mine,
                           pitch_sessions=all_pitch, running=running, is_live=is_live,
                           role_label=role_label, calendar_feed=feed,
                           decks=decks.for_sessions(ids))


def session_for_runner(session_id: int) -> EventSession:
    """The session, if the user may run it (its moderators, organisers): else 403."""
    session = db.get_or_404(EventSession, session_id)
    if not moderation.may_run(current_user, session):
        abort(403)
    return session


@bp.get("/moderator/sessions/<int:session_id>/run")
@roles_required("moderator", "organiser")
def run(session_id):
    return render_run(session_for_runner(session_id))


def render_run(session: EventSession, message_form: StageMessageForm | None = None,
               status: int = 200):
    snapshot = live.snapshot(session)
    moderators = session.moderators_in_order
    return render_template("moderators/run.html", session=session, event=session.event,
                           snap=snapshot, form=RunActionForm(), moderators=moderators,
                           role_label=role_label, error_text=_run_error_text,
                           undo_minutes=live.UNDO_MINUTES, presets=live.PRESETS,
                           message_form=message_form or StageMessageForm(),
                           late=board.expected(session.event).get(session.id)), status


@bp.get("/moderator/sessions/<int:session_id>/run/end")
@roles_required("moderator", "organiser")
def confirm_end(session_id):
    """The question before "end", as a page of its own: the run page asks the same in a
    dialog, but only with JavaScript, and an end cannot be undone after UNDO_MINUTES."""
    session = session_for_runner(session_id)
    snapshot = live.snapshot(session)
    if snapshot["state"] != "running":
        flash(_run_error_text(live.NOT_STARTED if snapshot["state"] == "idle"
                              else live.ALREADY_ENDED), "warning")
        return redirect(url_for(".run", session_id=session.id))
    return render_template("moderators/end.html", session=session, event=session.event,
                           snap=snapshot, form=RunActionForm(), undo_minutes=live.UNDO_MINUTES)


@bp.post("/moderator/sessions/<int:session_id>/run/<action>")
@roles_required("moderator", "organiser")
def run_action(session_id, action):
    if action not in live.ACTIONS:
        abort(404)
    session = session_for_runner(session_id)
    form = RunActionForm()
    if not form.validate_on_submit():
        if wants_json():
            return no_store(jsonify({"error": {"status": 400, "message": _(
                "The form has expired. Please reload the page.")}})), 400
        flash(_("The form has expired. Please try again."), "error")
        return redirect(url_for(".run", session_id=session.id))
    if action == "end" and form.confirm.data != "yes":
        # Only the confirmation's own button says "yes": one tap never ends a session.
        if wants_json():
            body = {"error": {"status": 400, "code": "confirm", "message": _(
                "Please confirm that the session should end.")}, "state": live.snapshot(session)}
            return no_store(jsonify(body)), 400
        return redirect(url_for(".confirm_end", session_id=session.id))
    try:
        live.apply(action, session, expected_version=form.version.data, actor=current_user)
    except live.RunError as exc:
        message = _run_error_text(exc.code)
        if wants_json():
            body = {"error": {"status": 409, "code": exc.code, "message": message},
                    "state": live.snapshot(session)}
            return no_store(jsonify(body)), 409
        flash(message, "warning")
        return redirect(url_for(".run", session_id=session.id))
    if wants_json():
        return no_store(jsonify(live.snapshot(session)))
    return redirect(url_for(".run", session_id=session.id))


@bp.get("/moderator/sessions/<int:session_id>/state.json")
@roles_required("moderator", "organiser")
def run_state(session_id):
    session = session_for_runner(session_id)
    return no_store(jsonify(live.snapshot(session)))


def _public_session(slug: str, session_id: int) -> EventSession:
    event = events.get_by_slug(slug)
    session = db.get_or_404(EventSession, session_id)
    if session.event_id != event.id:
        abort(404)
    return session


@bp.get("/events/<slug>/sessions/<int:session_id>/stage")
def stage(slug, session_id):
    session = _public_session(slug, session_id)
    return render_template("moderators/stage.html", session=session, event=session.event,
                           snap=live.for_hall(live.snapshot(session)),
                           late=board.expected(session.event).get(session.id))


@bp.get("/events/<slug>/sessions/<int:session_id>/stage.json")
def stage_state(slug, session_id):
    session = _public_session(slug, session_id)
    # The hall sees the show: not the controls, not the messages to the speaker.
    return no_store(jsonify(live.for_hall(live.snapshot(session))))
