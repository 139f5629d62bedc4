"""Check-in through the API: what a badge's QR holds in, the desk's answer out."""

from flask import g, jsonify
from flask_babel import gettext as _

from ..checkin.forms import ScanForm
from ..models import CANCELLED
from ..services import checkin, events
from .core import ApiError, endpoint, parse_body
from .schemas import DATE_TIME, SCHEMAS

SCHEMAS.update({
    "CheckinAttendee": {
        "type": "object",
        "required": ["first_name", "last_name", "category", "organisation"],
        "properties": {
            "first_name": {"type": "string"},
            "last_name": {"type": "string"},
            "category": {"type": "string"},
            "organisation": {"type": "string"},
        },
    },
    "Checkin": {
        "type": "object",
        "required": ["result", "checked_in_at", "attendee"],
        "properties": {
            "result": {"type": "string", "enum": [checkin.CHECKED_IN,
                                                  checkin.ALREADY_CHECKED_IN]},
            "checked_in_at": DATE_TIME,
            "attendee": {"$ref": "#/components/schemas/CheckinAttendee"},
        },
    },
    "CheckinUnknown": {
        "allOf": [
            {"$ref": "#/components/schemas/Error"},
            # "result" is there when the code is unknown, not when the event is.
            {"type": "object",
             "properties": {"result": {"type": "string", "enum": [checkin.UNKNOWN]}}},
        ],
    },
    "CheckinRefused": {
        "allOf": [
            {"$ref": "#/components/schemas/Error"},
            {
                "type": "object",
                "required": ["result", "status", "attendee"],
                "properties": {
                    "result": {"type": "string", "enum": ["cancelled", "waitlisted"]},
                    "status": {"type": "string", "enum": ["cancelled", "waitlisted"]},
                    "attendee": {"$ref": "#/components/schemas/CheckinAttendee"},
                },
            },
        ],
    },
})


@endpoint("/events/<slug>/checkins", "POST",
          summary="Check in the holder of a badge: send exactly what its QR code holds",
          roles=("organiser", "staff"), body=ScanForm,
          responses={200: "Checkin", 404: "CheckinUnknown", 409: "CheckinRefused",
                     422: "ValidationError"},
          tag="check-in")
def create_checkin(slug: str):
    event = events.get_by_slug(slug)
    form = parse_body(ScanForm)
    scan = checkin.scan(event, form.code.data, desk=form.desk.data or "API", user=g.api_user)
    if scan.result == checkin.UNKNOWN:
        raise ApiError(404, _("No badge of this event has this code."), result=scan.result)
    if not scan.admitted:
        message = (_("This registration is cancelled: no check-in.")
                   if scan.result == CANCELLED
                   else _("This registration is on the waiting list: no check-in."))
        # Built here rather than with ApiError: the body carries a top-level "status" too.
        return jsonify({"error": {"status": 409, "message": message}, "result": scan.result,
                        "status": scan.registration.status,
                        "attendee": checkin.attendee_summary(scan.registration)}), 409
    return jsonify({"result": scan.result, "checked_in_at": scan.checked_in_at.isoformat(),
                    "attendee": checkin.attendee_summary(scan.registration)})
