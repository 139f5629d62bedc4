"""Applications to pitch through the API: the same form and service as the public page."""

from flask import jsonify
from flask_babel import gettext as _

from ..apply.forms import ApplicationApiForm
from ..extensions import limiter, public_limit
from ..services import applications, events
from ..services.applications.mails import manage_url
from .core import ApiError, endpoint, parse_body
from .schemas import SCHEMAS

SCHEMAS.update({
    "ApplicationCreated": {
        "type": "object", "required": ["id", "status", "manage_url"],
        "properties": {
            "id": {"type": "integer"},
            "status": {"type": "string", "enum": ["submitted"]},
            "manage_url": {"type": "string", "format": "uri"},
        },
    },
})


@endpoint("/events/<slug>/applications", "POST",
          summary="Apply to pitch (public, rate-limited, while the call is open). 201; 409 when "
                  "the e-mail has applied already (error.reason 'duplicate') or the call is "
                  "not open (error.reason 'call_closed'); 422 with field errors. Decks are "
                  "uploaded on the page, not here.",
          body=ApplicationApiForm,
          responses={201: "ApplicationCreated", 404: "Error", 409: "Error",
                     422: "ValidationError"},
          tag="applications")
@limiter.limit(public_limit)
def create_application(slug: str):
    event = events.get_by_slug(slug)
    call = applications.get_call(event)
    if call is None or call.state() != "open":
        raise _closed()
    form = parse_body(ApplicationApiForm)
    try:
        application = applications.submit(event, **form.applicant())
    except applications.DuplicateApplication as exc:
        raise ApiError(409, str(exc.message), reason="duplicate") from exc
    except applications.CallClosed as exc:
        raise _closed() from exc
    return jsonify({"id": application.id, "status": application.status,
                    "manage_url": manage_url(application)}), 201


def _closed() -> ApiError:
    return ApiError(409, _("The call for pitches of this event is not open."),
                    reason="call_closed")
