"""Check-in through the API: what a badge's QR holds in, the desk's answer out."""

from flask import g, jsonify, request
from flask_babel import gettext as _

from ..checkin.forms import ScanForm, plain_scan
from ..i18n import current_language
from ..models import CANCELLED
from ..services import checkin, events
from .core import ApiError, bearer_token, endpoint, parse_body
from .schemas import DATE_TIME, SCHEMAS

# The desk a scan through the API is recorded at when it names none.
API_DESK = "API"

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
                                                  checkin.ALREADY_CHECKED_IN,
                                                  checkin.CONFLICT]},
            "checked_in_at": DATE_TIME,
            "nonce": {"type": "string"},
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


def _scan_at_once(slug: str, *, roles: tuple[str, ...]):
    """The busy path: a desk's scan of a known badge, sent as {"code": …, "desk": …} (what
    the form takes as it is), with the token's check in the same statement (on PostgreSQL),
    before the event is even loaded. None for anything else: the usual way answers."""
    token = bearer_token()
    if token is None:
        return None
    body = request.get_json(silent=True)
    if not plain_scan(body):
        return None
    answer = checkin.check_in_for_token_holder(
        slug, checkin.normalise_code(body["code"]), token=token, roles=roles,
        desk=body.get("desk") or API_DESK)
    if answer is None:
        return None
    return jsonify({"result": answer.result, "checked_in_at": answer.checked_in_at.isoformat(),
                    "attendee": answer.attendee(current_language())})


@endpoint("/events/<slug>/checkins", "POST",
          summary="Check in the holder of a badge: send exactly what its QR code holds",
          roles=("organiser", "staff"), body=ScanForm,
          responses={200: "Checkin", 404: "CheckinUnknown", 409: "CheckinRefused",
                     422: "ValidationError"},
          tag="check-in", busy=_scan_at_once)
def create_checkin(slug: str):
    form = _scan_body(slug)
    offline = bool(form.nonce.data or form.scanned_at.data)
    event, desk = events.get_by_slug(slug), form.desk.data or API_DESK
    if offline:
        scan = checkin.record_offline_scan(
            event, form.code.data, nonce=checkin.check_nonce(form.nonce.data),
            scanned_at=checkin.parse_scanned_at(form.scanned_at.data), desk=desk,
            user=g.api_user)
    else:
        scan = checkin.find_and_check_in(event, form.code.data, desk=desk, user=g.api_user)
    if scan.result == checkin.UNKNOWN:
        raise ApiError(404, _("No badge of this event has this code."), result=scan.result)
    if not scan.admitted:
        message = (_("This registration is cancelled: no check-in.")
                   if scan.result == CANCELLED
                   else _("This registration is on the waiting list: no check-in."))
        # Built here rather than with ApiError: the body carries a top-level "status" too.
        return jsonify({"error": {"status": 409, "message": message}, "result": scan.result,
                        "status": scan.registration.status,
                        "attendee": checkin.attendee_summary(scan.registration,
                                                             current_language())}), 409
    body = {"result": scan.result, "checked_in_at": scan.checked_in_at.isoformat(),
            "attendee": checkin.attendee_summary(scan.registration, current_language())}
    if form.nonce.data:
        body["nonce"] = form.nonce.data
    return jsonify(body)


def _scan_body(slug: str) -> ScanForm:
    """The scan as sent; for an unknown event 404 comes first, whatever the body."""
    try:
        return parse_body(ScanForm)
    except ApiError:
        events.get_by_slug(slug)
        raise


@endpoint("/events/<slug>/checkins/snapshot", "GET",
          summary="What a desk needs to answer scans offline: every registration with the "
                  "keyed hash of its code (HMAC-SHA256 with the returned key, never the code), "
                  "name, category, status and check-in time",
          roles=("organiser", "staff"), responses={200: None}, tag="check-in")
def checkin_snapshot(slug: str):
    event = events.get_by_slug(slug)
    return jsonify(checkin.snapshot(event, g.api_user, current_language()))
