"""Registrations through the API: the same form, the same service as the public page."""

from flask import jsonify, request
from flask_babel import gettext as _

from ..extensions import limiter, public_limit
from ..i18n import current_language
from ..registration.forms import RegistrationForm
from ..services import events, registrations
from ..services.mail import links
from ..services.questions import answers as question_answers
from ..services.registrations import busy_signup
from .core import ApiError, endpoint, parse_body, validation_error
from .schemas import NULLABLE_DATE_TIME, SCHEMAS

SCHEMAS.update({
    "RegistrationCreated": {
        "type": "object",
        "required": ["id", "status", "manage_url", "badge_url", "calendar_url"],
        "properties": {
            "id": {"type": "integer"},
            "status": {"type": "string", "enum": ["confirmed", "waitlisted"]},
            "waitlist_position": {"type": ["integer", "null"]},
            "manage_url": {"type": "string", "format": "uri"},
            "badge_url": {"type": "string", "format": "uri"},
            "calendar_url": {"type": "string", "format": "uri"},
        },
    },
    "Registration": {
        "type": "object",
        "required": ["status", "first_name", "last_name", "category", "checked_in_at"],
        "properties": {
            "event": {"type": "string"},
            "status": {"type": "string", "enum": ["confirmed", "waitlisted", "cancelled"]},
            "first_name": {"type": "string"},
            "last_name": {"type": "string"},
            "organisation": {"type": "string"},
            "language": {"type": "string"},
            "category": {"type": "string"},
            "checked_in_at": NULLABLE_DATE_TIME,
            "waitlist_position": {"type": ["integer", "null"]},
            "answers": {"type": "array", "items": {"$ref": "#/components/schemas/Answer"}},
        },
    },
    "Answer": {
        "type": "object", "required": ["question_id", "kind", "value", "text"],
        "description": "An answer to one of the event's own questions. `value`: the text "
                       "(text), true/false (yes/no), the option id (choice) or a list of "
                       "option ids (multiple choice); `text`: the answer as words in the "
                       "request's language, multiple choices joined by \"; \".",
        "properties": {
            "question_id": {"type": "integer"},
            "question": {"type": "string"},
            "kind": {"type": "string", "enum": ["text", "choice", "multi", "yesno"]},
            "value": {},
            "text": {"type": "string"},
        },
    },
    "RegistrationCancelled": {
        "type": "object", "required": ["status"],
        "properties": {"status": {"type": "string", "enum": ["cancelled"]}},
    },
})


@endpoint("/events/<slug>/registrations", "POST",
          summary="Register for an event (public, rate-limited). 201 confirmed or waitlisted; "
                  "409 when the e-mail is already registered (error.reason 'duplicate') or "
                  "registration is not open (error.reason 'registration_closed' or "
                  "'registration_not_yet_open'); 422 with field errors.",
          body=RegistrationForm,
          responses={201: "RegistrationCreated", 404: "Error", 409: "Error",
                     422: "ValidationError"},
          tag="registrations")
@limiter.limit(public_limit)
def create_registration(slug: str):
    # A plain sign-up takes the busy path; anything else, and every refusal, the form's.
    signed_up = busy_signup.sign_up_at_once(slug, request.get_json(silent=True),
                                            language=current_language())
    if signed_up is None:
        registration = _register_with_the_form(slug)
        signed_up = busy_signup.SignedUp(
            registration.id, registration.status,
            registrations.waitlist_position(registration), registration.manage_token)
    body = {
        "id": signed_up.id, "status": signed_up.status,
        "waitlist_position": signed_up.waitlist_position,
        "manage_url": links.manage_url(signed_up),
        "badge_url": links.badge_url(signed_up),
        "calendar_url": links.calendar_url(signed_up),
    }
    return jsonify(body), 201, {"Location": links.absolute(
        f"/api/v1/registrations/{signed_up.manage_token}")}


def _register_with_the_form(slug: str):
    event = events.get_by_slug(slug)
    if event.registration_state() != "open":
        raise _closed(event.registration_state())
    form = parse_body(RegistrationForm, event=event)
    answers = (request.get_json(silent=True) or {}).get("answers")
    if answers is not None and not isinstance(answers, dict):
        raise validation_error({"answers": [_(
            "Send the answers as an object: question id to answer (a list of option ids for "
            "multiple choice).")]})
    try:
        return registrations.register(event, **form.registrant(), answers=answers)
    except registrations.DuplicateRegistration as exc:
        raise ApiError(409, _("This e-mail address is already registered for the event. "
                              "You can have the link to the registration sent again at "
                              "%(url)s.", url=links.absolute(f"/events/{event.slug}/resend")),
                       reason="duplicate") from exc
    except registrations.RegistrationClosed as exc:
        raise _closed(exc.state) from exc


def _closed(state: str) -> ApiError:
    if state == "not_yet_open":
        return ApiError(409, _("Registration for this event has not opened yet."),
                        reason="registration_not_yet_open")
    return ApiError(409, _("Registration for this event is closed."),
                    reason="registration_closed")


@endpoint("/registrations/<token>", "GET",
          summary="A registration, by the token of its manage link",
          responses={200: "Registration", 404: "Error"}, tag="registrations")
def get_registration(token: str):
    registration = registrations.get_by_token(token)
    return jsonify({
        "event": registration.event.slug, "status": registration.status,
        "first_name": registration.first_name, "last_name": registration.last_name,
        "organisation": registration.organisation, "language": registration.language,
        "category": registration.category.display_name(current_language()),
        "checked_in_at": _iso(registration.checked_in_at),
        "waitlist_position": registrations.waitlist_position(registration),
        "answers": question_answers.as_data(registration, current_language()),
    })


@endpoint("/registrations/<token>", "DELETE",
          summary="Cancel a registration; the first on the category's waiting list moves up",
          responses={200: "RegistrationCancelled", 404: "Error"}, tag="registrations")
def cancel_registration(token: str):
    registration = registrations.cancel(registrations.get_by_token(token))
    return jsonify({"status": registration.status})


def _iso(value):
    return value.isoformat() if value else None
