"""The desk offline: the snapshot it answers from, the queue it sends back, the service worker.

All behind the desk's login (session cookie); the sync is a POST with the CSRF token in the
X-CSRFToken header (Flask-WTF checks it for every POST).
"""

from flask import current_app, jsonify, request, send_from_directory
from flask_login import current_user

from ..auth.access import roles_required
from ..http import no_store
from ..i18n import current_language
from ..services import checkin, events
from ..services.errors import FieldError
from . import bp
from .routes import _desk_name


@bp.get("/desk/<slug>/snapshot.json")
@roles_required("organiser", "staff")
def snapshot(slug: str):
    event = events.get_by_slug(slug)
    return no_store(jsonify(checkin.snapshot(event, current_user, current_language())))


@bp.post("/desk/<slug>/sync")
@roles_required("organiser", "staff")
def sync(slug: str):
    event = events.get_by_slug(slug)
    payload = request.get_json(silent=True)
    scans = payload.get("scans") if isinstance(payload, dict) else None
    try:
        results = checkin.apply_batch(event, scans, desk=_desk_name(), user=current_user)
    except FieldError as error:
        return jsonify({"errors": {error.field: [str(error.message)]}}), error.status
    return no_store(jsonify({"results": results}))


@bp.get("/desk/sw.js")
def service_worker():
    """The desk's service worker, served from /desk/ so that its scope covers every desk page."""
    response = send_from_directory(current_app.static_folder, "js/desk-sw.js",
                                   mimetype="text/javascript", max_age=0)
    response.headers["Service-Worker-Allowed"] = "/desk/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/desk/manifest.webmanifest")
def manifest():
    response = send_from_directory(current_app.static_folder, "desk.webmanifest",
                                   mimetype="application/manifest+json", max_age=0)
    return response
