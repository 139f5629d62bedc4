from flask import render_template

from ..auth.access import roles_required
from ..services import events
from . import bp


@bp.before_request
@roles_required("organiser")
def require_organiser():
    """Every organiser page needs the organiser role; checked once for the blueprint."""


@bp.get("/")
def dashboard():
    all_events = events.list_events()
    counts = {event.id: events.category_counts(event) for event in all_events}
    return render_template("organiser/dashboard.html", events=all_events, counts=counts)
