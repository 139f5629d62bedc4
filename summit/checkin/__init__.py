from flask import Blueprint

bp = Blueprint("checkin", __name__)

from . import offline_routes, routes  # noqa: E402,F401
