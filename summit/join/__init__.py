"""The invitee's door: the page behind an invitation link, where they join the team."""

from flask import Blueprint

bp = Blueprint("join", __name__)

from . import routes  # noqa: E402,F401
