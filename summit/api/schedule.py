"""The programme over the API: read the schedule; organisers create sessions and pitches,
reorder pitches and assign moderators, through the same forms and services as the pages."""

from datetime import datetime

from flask import g, jsonify
from flask_babel import gettext as _

from ..extensions import db
from ..i18n import current_language
from ..models import Event, EventSession, Pitch, User, localised, translations
from ..schedule.forms import AssignModeratorForm, PitchForm, ReorderForm, SessionForm
from ..services import events, moderation, programme
from ..services.platform import users
from .core import endpoint, parse_body, validation_error
from .schemas import DATE_TIME, LANG_QUERY, SCHEMAS, translations_schema


def _local_iso(moment: datetime, event: Event) -> str:
    """ISO 8601 with the event's UTC offset: 2014-09-10T11:00:00+02:00."""
    return moment.astimezone(event.tz).isoformat(timespec="seconds")


def pitch_json(pitch: Pitch, starts_at: datetime, ends_at: datetime, event: Event,
               language: str) -> dict:
    return {
        "id": pitch.id, "position": pitch.position,
        "title": localised(pitch, "title", language),
        "description": localised(pitch, "description", language),
        "translations": translations(pitch),
        "presenter": pitch.presenter, "organisation": pitch.organisation,
        "starts_at": _local_iso(starts_at, event), "ends_at": _local_iso(ends_at, event),
        "pitch_minutes": pitch.pitch_minutes, "qa_minutes": pitch.qa_minutes,
        "changeover_minutes": pitch.changeover_minutes,
    }


def session_json(session: EventSession, language: str | None = None) -> dict:
    """The session with its texts in the request's language (Accept-Language or ?lang=),
    falling back to the other, and both as stored under `translations`."""
    event = session.event
    language = language or current_language()
    moderators = session.moderators_in_order
    texts = translations(session)
    room = session.room
    for lang in texts:
        texts[lang]["room"] = (room.name_de if lang == "de" else room.name) if room else None
    return {
        "id": session.id, "title": localised(session, "title", language), "kind": session.kind,
        "room": localised(room, "name", language) if room else None,
        "starts_at": _local_iso(session.starts_at, event),
        "ends_at": _local_iso(session.ends_at, event),
        "language": session.language,
        "description": localised(session, "description", language),
        "translations": texts,
        "sequence": session.sequence,
        "moderators": [{"name": a.user.name, "role": a.role} for a in moderators],
        "pitches": [pitch_json(pitch, start, end, event, language)
                    for pitch, start, end in programme.pitch_schedule(session)],
    }


@endpoint("/events/<slug>/schedule", "GET", summary="The programme: sessions with moderators "
          "and pitches, times in the event's timezone with its UTC offset; texts in the "
          "language of Accept-Language or ?lang=, both languages under `translations`",
          query=LANG_QUERY,
          responses={200: "Schedule", 404: "Error"}, tag="programme")
def get_schedule(slug: str):
    event = events.get_by_slug(slug)
    return jsonify({"event": event.slug, "timezone": event.timezone,
                    "sessions": [session_json(s) for s in programme.sessions_for(event)]})


@endpoint("/events/<slug>/sessions/<int:session_id>", "GET", summary="One session",
          query=LANG_QUERY,
          responses={200: "ProgrammeSession", 404: "Error"}, tag="programme")
def get_session(slug: str, session_id: int):
    event = events.get_by_slug(slug)
    return jsonify(session_json(programme.get_session(event, session_id)))


@endpoint("/events/<slug>/sessions", "POST", summary="Create a session (times without an "
          "offset are read in the event's timezone)", roles=("organiser",), body=SessionForm,
          responses={201: "ProgrammeSession", 404: "Error", 422: "ValidationError"},
          tag="programme")
def create_session(slug: str):
    event = events.get_by_slug(slug)
    form = parse_body(SessionForm, event=event)
    session = programme.create_session(event, actor=g.api_user, **form.session_fields())
    return jsonify(session_json(session)), 201


@endpoint("/events/<slug>/sessions/<int:session_id>/pitches", "POST",
          summary="Add a pitch at the end of a pitch session", roles=("organiser",),
          body=PitchForm, responses={201: "ProgrammeSession", 404: "Error",
                                     422: "ValidationError"}, tag="programme")
def create_pitch(slug: str, session_id: int):
    event = events.get_by_slug(slug)
    session = programme.get_session(event, session_id)
    form = parse_body(PitchForm)
    registration_id = programme.registration_for_email(event, form.presenter_email.data)
    programme.create_pitch(session, actor=g.api_user, registration_id=registration_id,
                           **form.pitch_fields())
    return jsonify(session_json(session)), 201


@endpoint("/events/<slug>/sessions/<int:session_id>/pitches/order", "PUT",
          summary="Put the session's pitches in a new order; pitch_ids must list each of "
          "them exactly once", roles=("organiser",), body=ReorderForm,
          responses={200: "ProgrammeSession", 404: "Error", 422: "ValidationError"},
          tag="programme")
def reorder_pitches(slug: str, session_id: int):
    event = events.get_by_slug(slug)
    session = programme.get_session(event, session_id)
    form = parse_body(ReorderForm)
    programme.reorder(session, form.pitch_ids.data, actor=g.api_user)
    return jsonify(session_json(session))


@endpoint("/events/<slug>/sessions/<int:session_id>/moderators", "POST",
          summary="Assign a moderator by hand (pinned); a new lead makes the previous lead "
          "co-moderator; 409 when they moderate an overlapping session",
          roles=("organiser",), body=AssignModeratorForm,
          responses={200: "ProgrammeSession", 404: "Error", 409: "Error",
                     422: "ValidationError"}, tag="programme")
def assign_moderator(slug: str, session_id: int):
    event = events.get_by_slug(slug)
    session = programme.get_session(event, session_id)
    form = parse_body(AssignModeratorForm)
    if form.user_id.data is not None:
        user, field = db.session.get(User, form.user_id.data), "user_id"
    else:
        user, field = users.find_by_email(form.email.data), "email"
    if user is None:
        raise validation_error({field: [_("There is no user with this id or e-mail.")]})
    moderation.assign_moderator(session, user, form.role.data or None, actor=g.api_user)
    return jsonify(session_json(session))


@endpoint("/events/<slug>/schedule/warnings", "GET", summary="Schedule warnings for "
          "organisers: room, presenter and moderator conflicts, overruns",
          roles=("organiser",), responses={200: "ScheduleWarnings", 404: "Error"},
          tag="programme")
def schedule_warnings(slug: str):
    from ..schedule.warning_text import describe

    event = events.get_by_slug(slug)
    return jsonify({"warnings": [
        {"code": w.code, "severity": w.severity, "session_id": w.session_id,
         "message": describe(w, event), "text": w.text}
        for w in programme.warnings(event)]})


_PITCH = {
    "type": "object",
    "required": ["id", "position", "title", "presenter", "organisation", "starts_at",
                 "ends_at"],
    "properties": {
        "id": {"type": "integer"}, "position": {"type": "integer"},
        "title": {"type": "string", "description": "in the request's language, else the other"},
        "description": {"type": "string", "description": "the pitch's summary"},
        "translations": translations_schema("title", "description"),
        "presenter": {"type": "string"},
        "organisation": {"type": "string"}, "starts_at": DATE_TIME, "ends_at": DATE_TIME,
        "pitch_minutes": {"type": "integer"}, "qa_minutes": {"type": "integer"},
        "changeover_minutes": {"type": "integer"},
    },
}

SCHEMAS.update({
    "ProgrammeSession": {
        "type": "object",
        "required": ["id", "title", "kind", "room", "starts_at", "ends_at", "language",
                     "moderators", "pitches"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string", "description": "in the request's language (Accept-"
                      "Language or ?lang=), else the other language"},
            "translations": translations_schema("title", "description", "room"),
            "kind": {"type": "string", "enum": ["pitch", "keynote", "workshop", "panel",
                                                "break"]},
            "room": {"type": ["string", "null"]},
            "starts_at": DATE_TIME, "ends_at": DATE_TIME,
            "language": {"type": ["string", "null"]},
            "description": {"type": "string"},
            "sequence": {"type": "integer"},
            "moderators": {"type": "array", "items": {
                "type": "object", "required": ["name", "role"],
                "properties": {"name": {"type": "string"},
                               "role": {"type": "string", "enum": ["lead", "co"]}}}},
            "pitches": {"type": "array", "items": _PITCH},
        },
    },
    "Schedule": {
        "type": "object",
        "required": ["sessions"],
        "properties": {
            "event": {"type": "string"}, "timezone": {"type": "string"},
            "sessions": {"type": "array",
                         "items": {"$ref": "#/components/schemas/ProgrammeSession"}},
        },
    },
    "ScheduleWarnings": {
        "type": "object",
        "required": ["warnings"],
        "properties": {"warnings": {"type": "array", "items": {
            "type": "object", "required": ["code", "severity", "session_id", "message"],
            "properties": {"code": {"type": "string"},
                           "severity": {"type": "string", "enum": ["error", "warning"]},
                           "session_id": {"type": "integer"}, "message": {"type": "string"},
                           "text": {"type": "string"}}}}},
    },
})
