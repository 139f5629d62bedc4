"""Operational endpoints: /healthz for load balancers and monitoring."""

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError:
        db.session.rollback()
        database = "unreachable"
    healthy = database == "ok"
    return jsonify({"status": "ok" if healthy else "degraded", "database": database}), (
        200 if healthy else 503)
