from flask import Blueprint

bp = Blueprint("moderators", __name__)

from . import routes  # noqa: E402,F401
