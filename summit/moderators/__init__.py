from flask import Blueprint

bp = Blueprint("moderators", __name__)

from . import live_routes, organiser_routes, routes, stage_routes  # noqa: E402,F401
