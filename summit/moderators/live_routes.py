"""Push doors: the live streams (Server-Sent Events) of a session and of an event, and the
organiser's "now" board of every room. The rule lives in services/live/push.py and board.py."""

from flask import Response, abort, current_app, jsonify, render_template, request

from ..auth.access import roles_required
from ..extensions import db, limiter
from ..http import no_store
from ..models import EventSession
from ..services import events
from ..services.live import board, push
from . import bp


def _stream_limit() -> str:
    return current_app.config["SUMMIT_STREAM_LIMIT"]


def _event_stream(channel: str, current) -> Response:
    if not push.can_stream(concurrent=request.environ.get("wsgi.multithread", False),
                           several_processes=request.environ.get("wsgi.multiprocess", False)):
        # Redis is away (or several workers without it): one event tells the screen to poll
        # the JSON snapshot and try the stream again later. An event, not an error status,
        # which browsers would log as a failure on every try.
        body = push.UNAVAILABLE
    else:
        body = push.stream(channel, current)
    response = Response(body, mimetype="text/event-stream")
    # nginx: pass every event on at once instead of buffering the answer.
    response.headers["X-Accel-Buffering"] = "no"
    return no_store(response)


@bp.get("/events/<slug>/sessions/<int:session_id>/stage/stream")
@limiter.limit(_stream_limit)
def stage_stream(slug, session_id):
    event = events.get_by_slug(slug)
    session = db.get_or_404(EventSession, session_id)
    if session.event_id != event.id:
        abort(404)
    return _event_stream(f"session:{session.id}", lambda: push.public_snapshot(session))


@bp.get("/organiser/events/<slug>/now")
@roles_required("organiser")
def now_board(slug):
    event = events.get_by_slug(slug)
    return render_template("moderators/now.html", event=event, board=board.board(event))


@bp.get("/organiser/events/<slug>/now.json")
@roles_required("organiser")
def now_board_state(slug):
    return no_store(jsonify(board.board(events.get_by_slug(slug))))


@bp.get("/organiser/events/<slug>/now/stream")
@roles_required("organiser")
def now_board_stream(slug):
    event = events.get_by_slug(slug)
    return _event_stream(f"event:{event.id}", lambda: board.board(event))
