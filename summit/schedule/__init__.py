from flask import Blueprint

bp = Blueprint("schedule", __name__)

from . import calendar_routes, organiser_routes, routes  # noqa: E402,F401
