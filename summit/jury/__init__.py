from flask import Blueprint

bp = Blueprint("jury", __name__, url_prefix="/jury")

from . import routes  # noqa: E402,F401
