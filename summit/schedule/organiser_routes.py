"""Organiser pages for the programme: overview, sessions, rooms, pitches and warnings."""

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from ..auth.access import roles_required
from ..extensions import db
from ..forms_common import show_error
from ..i18n import current_language, format_time
from ..models import Registration, localised
from ..services import events, live, programme
from ..services.programme import rooms
from ..services.programme.sessions import ProgrammeError
from . import bp
from .forms import MoveForm, PitchForm, ReorderForm, RoomForm, SessionForm
from .warning_text import describe

PREFIX = "/organiser/events/<slug>/programme"
organiser_only = roles_required("organiser")


def _tr(obj, field: str) -> str:
    return localised(obj, field, current_language())


def _live(session) -> dict:
    """Whether the session runs on stage now and which pitch is on stage: the editor warns
    that changes reach the hall display at once."""
    return {"is_live": bool(live.live_session_ids([session.id])),
            "on_stage": live.current_pitch(session)}


def _warnings(event):
    grouped = programme.warnings_by_session(event)
    return {sid: [(w, describe(w, event)) for w in items] for sid, items in grouped.items()}


@bp.get(PREFIX)
@organiser_only
def organiser_programme(slug: str):
    event = events.get_by_slug(slug)
    sessions = programme.sessions_for(event)
    return render_template("schedule/organiser/programme.html", event=event,
                           days=programme.days(event, sessions), warnings=_warnings(event))


@bp.get(PREFIX + "/warnings")
@organiser_only
def organiser_warnings(slug: str):
    event = events.get_by_slug(slug)
    sessions = {s.id: s for s in programme.sessions_for(event)}
    items = [(sessions[w.session_id], w, describe(w, event)) for w in programme.warnings(event)]
    return render_template("schedule/organiser/warnings.html", event=event, items=items)


# --- sessions -----------------------------------------------------------------------------


@bp.route(PREFIX + "/sessions/new", methods=["GET", "POST"])
@organiser_only
def organiser_new_session(slug: str):
    event = events.get_by_slug(slug)
    form = SessionForm(event=event)
    if form.validate_on_submit():
        try:
            session = programme.create_session(event, actor=current_user,
                                               **form.session_fields())
        except ProgrammeError as exc:
            show_error(form, exc)
        else:
            flash(_("The session “%(title)s” was created.", title=_tr(session, "title")), "success")
            return redirect(url_for(".organiser_session", slug=slug, session_id=session.id))
    status = 422 if form.errors else 200
    return render_template("schedule/organiser/session_form.html", event=event, form=form,
                           session=None), status


@bp.route(PREFIX + "/sessions/<int:session_id>", methods=["GET", "POST"])
@organiser_only
def organiser_session(slug: str, session_id: int):
    """The session editor: its details, moderators, warnings and (pitch sessions) pitches."""
    event = events.get_by_slug(slug)
    session = programme.get_session(event, session_id)
    form = SessionForm(event=event, obj=session)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                programme.update_session(session, actor=current_user, **form.session_fields())
            except ProgrammeError as exc:
                show_error(form, exc)
            else:
                flash(_("Your changes were saved."), "success")
                return redirect(url_for(".organiser_session", slug=slug, session_id=session.id))
        status = 422
    return render_template(
        "schedule/organiser/session.html", event=event, session=session, form=form,
        schedule=programme.pitch_schedule(session),
        warnings=_warnings(event).get(session.id, []), move_form=MoveForm(),
        **_live(session)), status


@bp.post(PREFIX + "/sessions/<int:session_id>/delete")
@organiser_only
def organiser_delete_session(slug: str, session_id: int):
    event = events.get_by_slug(slug)
    session = programme.get_session(event, session_id)
    # CSRFProtect has checked the token of every POST before the view runs.
    title = _tr(session, "title")
    programme.delete_session(session, actor=current_user)
    flash(_("The session “%(title)s” was deleted.", title=title), "success")
    return redirect(url_for(".organiser_programme", slug=slug))


# --- pitches ------------------------------------------------------------------------------


@bp.route(PREFIX + "/sessions/<int:session_id>/pitches/new", methods=["GET", "POST"])
@organiser_only
def organiser_new_pitch(slug: str, session_id: int):
    event = events.get_by_slug(slug)
    session = programme.get_session(event, session_id)
    form = PitchForm()
    if form.validate_on_submit():
        try:
            registration_id = programme.registration_for_email(event, form.presenter_email.data)
            pitch = programme.create_pitch(session, actor=current_user,
                                           registration_id=registration_id,
                                           **form.pitch_fields())
        except ProgrammeError as exc:
            show_error(form, exc)
        else:
            flash(_("The pitch “%(title)s” was added.", title=_tr(pitch, "title")), "success")
            return redirect(url_for(".organiser_session", slug=slug, session_id=session.id,
                                    _anchor="pitches"))
    return render_template("schedule/organiser/pitch_form.html", event=event, session=session,
                           form=form, pitch=None), 422 if form.errors else 200


@bp.route(PREFIX + "/sessions/<int:session_id>/pitches/<int:pitch_id>",
          methods=["GET", "POST"])
@organiser_only
def organiser_pitch(slug: str, session_id: int, pitch_id: int):
    event = events.get_by_slug(slug)
    session = programme.get_session(event, session_id)
    pitch = programme.get_pitch(session, pitch_id)
    form = PitchForm(obj=pitch)
    if request.method == "GET" and pitch.registration_id:
        registration = db.session.get(Registration, pitch.registration_id)
        form.presenter_email.data = registration.email if registration else ""
    if form.validate_on_submit():
        try:
            registration_id = programme.registration_for_email(event, form.presenter_email.data)
            programme.update_pitch(pitch, actor=current_user, registration_id=registration_id,
                                   **form.pitch_fields())
        except ProgrammeError as exc:
            show_error(form, exc)
        else:
            flash(_("Your changes were saved."), "success")
            return redirect(url_for(".organiser_session", slug=slug, session_id=session.id,
                                    _anchor="pitches"))
    return render_template("schedule/organiser/pitch_form.html", event=event, session=session,
                           form=form, pitch=pitch, **_live(session)), 422 if form.errors else 200


@bp.post(PREFIX + "/sessions/<int:session_id>/pitches/<int:pitch_id>/delete")
@organiser_only
def organiser_delete_pitch(slug: str, session_id: int, pitch_id: int):
    event = events.get_by_slug(slug)
    session = programme.get_session(event, session_id)
    pitch = programme.get_pitch(session, pitch_id)
    title = _tr(pitch, "title")
    try:
        programme.delete_pitch(pitch, actor=current_user)
    except ProgrammeError as exc:
        flash(exc.message, "error")
        return redirect(url_for(".organiser_pitch", slug=slug, session_id=session.id,
                                pitch_id=pitch.id))
    flash(_("The pitch “%(title)s” was deleted.", title=title), "success")
    return redirect(url_for(".organiser_session", slug=slug, session_id=session.id,
                            _anchor="pitches"))


@bp.post(PREFIX + "/sessions/<int:session_id>/pitches/<int:pitch_id>/move")
@organiser_only
def organiser_move_pitch(slug: str, session_id: int, pitch_id: int):
    """Move up / down: plain forms, so reordering works from the keyboard and without JS."""
    event = events.get_by_slug(slug)
    session = programme.get_session(event, session_id)
    pitch = programme.get_pitch(session, pitch_id)
    form = MoveForm()
    if form.validate_on_submit():
        programme.move_pitch(pitch, form.direction.data, actor=current_user)
    else:
        flash(_("The pitch could not be moved. Please try again."), "error")
    return redirect(url_for(".organiser_session", slug=slug, session_id=session.id,
                            _anchor=f"pitch-{pitch.id}"))


@bp.post(PREFIX + "/sessions/<int:session_id>/order")
@organiser_only
def organiser_reorder(slug: str, session_id: int):
    """Drag and drop posts {pitch_ids: [...]} here (CSRF token in X-CSRFToken); the reply has
    the new times and the session's warnings so that the page updates in place."""
    event = events.get_by_slug(slug)
    session = programme.get_session(event, session_id)
    payload = request.get_json(silent=True)
    ids = payload.get("pitch_ids") if isinstance(payload, dict) else None
    if not isinstance(ids, list):
        return jsonify(error=_("Send the new order as {\"pitch_ids\": [...]}.")), 400
    formdata = MultiDict((f"pitch_ids-{index}", str(value)) for index, value in enumerate(ids))
    form = ReorderForm(formdata=formdata, meta={"csrf": False})
    if not form.validate():
        return jsonify(error=_("The order is not valid."), errors=form.errors), 422
    try:
        programme.reorder(session, form.pitch_ids.data, actor=current_user)
    except ProgrammeError as exc:
        return jsonify(error=exc.message, errors={exc.field: [exc.message]}), exc.status
    tz = event.timezone
    return jsonify(
        pitches=[{"id": pitch.id, "position": pitch.position, "starts": format_time(start, tz),
                  "ends": format_time(end, tz)}
                 for pitch, start, end in programme.pitch_schedule(session)],
        warnings=[{"severity": w.severity, "text": text}
                  for w, text in _warnings(event).get(session.id, [])],
    )


# --- rooms --------------------------------------------------------------------------------


@bp.route(PREFIX + "/rooms", methods=["GET", "POST"])
@organiser_only
def organiser_rooms(slug: str):
    event = events.get_by_slug(slug)
    form = RoomForm()
    if form.validate_on_submit():
        try:
            room = rooms.create_room(event, name=form.name.data, name_de=form.name_de.data,
                                     capacity=form.capacity.data, actor=current_user)
        except ProgrammeError as exc:
            show_error(form, exc)
        else:
            flash(_("The room %(name)s was added.", name=_tr(room, "name")), "success")
            return redirect(url_for(".organiser_rooms", slug=slug))
    return render_template("schedule/organiser/rooms.html", event=event, form=form,
                           room=None), 422 if form.errors else 200


@bp.route(PREFIX + "/rooms/<int:room_id>", methods=["GET", "POST"])
@organiser_only
def organiser_room(slug: str, room_id: int):
    event = events.get_by_slug(slug)
    room = rooms.get_room(event, room_id)
    form = RoomForm(obj=room)
    if form.validate_on_submit():
        try:
            rooms.update_room(room, name=form.name.data, name_de=form.name_de.data,
                              capacity=form.capacity.data, actor=current_user)
        except ProgrammeError as exc:
            show_error(form, exc)
        else:
            flash(_("Your changes were saved."), "success")
            return redirect(url_for(".organiser_rooms", slug=slug))
    return render_template("schedule/organiser/rooms.html", event=event, form=form,
                           room=room), 422 if form.errors else 200


@bp.post(PREFIX + "/rooms/<int:room_id>/delete")
@organiser_only
def organiser_delete_room(slug: str, room_id: int):
    event = events.get_by_slug(slug)
    room = rooms.get_room(event, room_id)
    name = _tr(room, "name")
    rooms.delete_room(room, actor=current_user)
    flash(_("The room %(name)s was deleted; its sessions have no room now.", name=name),
          "success")
    return redirect(url_for(".organiser_rooms", slug=slug))
