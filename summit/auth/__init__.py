from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import enforce, routes  # noqa: E402,F401
