"""The speaker's view (confidence monitor) behind its unguessable link, and the organiser's
settings for it: create or renew the link, the warning threshold."""

from flask import abort, flash, jsonify, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ..auth.access import roles_required
from ..extensions import limiter, public_limit
from ..forms_common import show_error
from ..http import no_store, wants_json
from ..models import EventSession
from ..services import events, live, programme
from ..services.errors import FieldError
from ..services.live import speaker, stage_messages
from . import bp
from .forms import RenewLinkForm, WarningForm


def _by_token(token: str) -> EventSession:
    session = speaker.by_token(token)
    if session is None:
        abort(404)
    return session


@bp.get("/stage/<token>")
@limiter.limit(public_limit)
def speaker_view(token):
    session = _by_token(token)
    snap = live.for_speaker(live.snapshot(session))
    response = no_store(make_response(render_template(
        "stage/speaker.html", session=session, event=session.event, snap=snap, token=token,
        csrf=generate_csrf())))
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/stage/<token>/state.json")
@limiter.limit("120/minute")
def speaker_state(token):
    return no_store(jsonify(live.for_speaker(live.snapshot(_by_token(token)))))


@bp.post("/stage/<token>/messages/<int:message_id>/seen")
@limiter.limit(public_limit)
def message_seen(token, message_id):
    """The speaker view displayed the message: the moderators see "seen at 10:42"."""
    session = _by_token(token)
    if stage_messages.get(session, message_id) is None:
        abort(404)
    stage_messages.mark_seen(session, message_id)
    if wants_json():
        return no_store(jsonify({"seen": True}))
    return redirect(url_for(".speaker_view", token=token))


ORGANISER = "/organiser/events/<slug>/programme/sessions/<int:session_id>/speaker-view"


def _organisers_session(slug: str, session_id: int) -> EventSession:
    return programme.get_session(events.get_by_slug(slug), session_id)


def _back(session: EventSession):
    return redirect(url_for("schedule.organiser_session", slug=session.event.slug,
                            session_id=session.id) + "#speaker-view")


@bp.post(ORGANISER + "/link")
@roles_required("organiser")
def renew_link(slug, session_id):
    session = _organisers_session(slug, session_id)
    if not RenewLinkForm().validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return _back(session)
    had_one = session.stage_token is not None
    speaker.renew_token(session, actor=current_user)
    flash(_("The speaker view has a new link; the old one no longer works.") if had_one
          else _("The speaker view's link is ready."), "success")
    return _back(session)


@bp.post(ORGANISER + "/warning")
@roles_required("organiser")
def set_warning(slug, session_id):
    session = _organisers_session(slug, session_id)
    form = WarningForm()
    if form.validate_on_submit():
        try:
            speaker.set_warning_seconds(session, form.warning_seconds.data, actor=current_user)
        except FieldError as exc:
            show_error(form, exc)
        else:
            flash(_("Your changes were saved."), "success")
            return _back(session)
    elif form.warning_seconds.errors:
        # One message for every kind of wrong number, next to the field.
        form.warning_seconds.errors[:] = [str(speaker.warning_range())]
    return render_template("stage/warning.html", session=session, event=session.event,
                           form=form), 422
