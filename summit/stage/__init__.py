from flask import Blueprint

bp = Blueprint("stage", __name__)

from . import routes  # noqa: E402,F401
