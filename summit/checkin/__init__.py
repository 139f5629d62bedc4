from flask import Blueprint

bp = Blueprint("checkin", __name__)

from . import routes  # noqa: E402,F401
