from flask import Blueprint

bp = Blueprint("apply", __name__)

from . import routes  # noqa: E402,F401
