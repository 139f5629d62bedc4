"""The audience vote: the phone-first vote page, the moderators' controls, the organiser's
results."""

from flask import Blueprint

bp = Blueprint("vote", __name__)

from . import organiser_routes, routes  # noqa: E402,F401
