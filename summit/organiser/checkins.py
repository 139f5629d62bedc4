"""The organiser's check-in review: badges two offline desks both let in, and offline scans of
badges cancelled after the desk's snapshot. The blueprint's before_request requires the
organiser role."""

from flask import make_response, render_template

from ..http import no_store
from ..services import checkin, events
from . import bp


@bp.get("/events/<slug>/checkins")
def checkin_review(slug: str):
    event = events.get_by_slug(slug)
    return no_store(make_response(render_template(
        "organiser/checkins.html", event=event, conflicts=checkin.conflicts(event),
        flagged=checkin.flagged_scans(event))))
