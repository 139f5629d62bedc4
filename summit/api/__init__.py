"""The JSON API under /api/v1: bearer tokens, JSON errors, an OpenAPI document built from code."""

from flask import Blueprint

from ..extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Bearer tokens, never cookies, authenticate the API, so cross-site forgery has nothing to ride on.
csrf.exempt(bp)

from . import (  # noqa: E402,F401
    applications,
    badges,
    checkins,
    events,
    openapi,
    registrations,
    schedule,
    votes,
)
