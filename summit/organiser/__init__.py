from flask import Blueprint

bp = Blueprint("organiser", __name__, url_prefix="/organiser")

from . import (  # noqa: E402,F401
    attendees,
    call,
    call_decisions,
    categories,
    checkins,
    events,
    questions,
    routes,
    security,
    team,
)
