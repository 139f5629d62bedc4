"""The audience vote through the API: casting (public), results and the round's state."""

from flask import g, jsonify, request
from flask_babel import gettext as _

from ..extensions import db
from ..models import EventSession
from ..services import events, moderation, voting
from ..vote.forms import VoteApiForm, VoteStateForm
from ..vote.limits import vote_limits
from . import bp
from .core import ApiError, endpoint, json_object, parse_body
from .schemas import SCHEMAS

SCHEMAS.update({
    "VoteCast": {
        "type": "object", "required": ["result"],
        "properties": {"result": {"type": "string", "enum": [voting.COUNTED, voting.CHANGED]}},
    },
    "VoteResults": {
        "type": "object", "required": ["open", "revealed", "total", "results"],
        "properties": {
            "open": {"type": "boolean"},
            "revealed": {"type": "boolean"},
            "total": {"type": "integer"},
            "results": {"type": "array", "items": {
                "type": "object", "required": ["pitch_id", "votes"],
                "properties": {"pitch_id": {"type": "integer"}, "votes": {"type": "integer"}}}},
        },
    },
})

VOTES = "/events/<slug>/sessions/<int:session_id>/votes"


def _session(slug: str, session_id: int) -> EventSession:
    event = events.get_by_slug(slug)
    session = db.session.get(EventSession, session_id)
    if session is None or session.event_id != event.id or session.kind != "pitch":
        raise ApiError(404, _("This event has no pitch session with this id."))
    return session


@endpoint(VOTES, "POST",
          summary="Vote for a pitch with the code a checked-in badge's QR holds (public, "
                  "rate-limited; wrong codes slow the client down). 201 counted or changed "
                  "(one vote per badge, changeable until the vote closes); 403 not checked "
                  "in (or cancelled, waitlisted); 404 unknown code or pitch; 409 voting not "
                  "open.",
          body=VoteApiForm,
          responses={201: "VoteCast", 403: "Error", 404: "Error", 409: "Error",
                     422: "ValidationError"},
          tag="vote", route=False)
@vote_limits
def cast_vote(slug: str, session_id: int):
    form = parse_body(VoteApiForm)
    # A plainly valid vote is counted by one statement before anything else is loaded (a
    # burst is a thousand of them); anything else loads the session and is explained.
    cast = voting.count_at_once(slug, session_id, form.pitch_id.data, code=form.code.data)
    try:
        if cast is None:
            cast = voting.explain(_session(slug, session_id), form.pitch_id.data,
                                  code=form.code.data)
    except voting.VoteRefused as refused:
        raise ApiError(refused.status, str(refused.message), reason=refused.reason) from None
    return jsonify({"result": cast.result}), 201


@endpoint(VOTES, "GET", summary="The vote's state and the count per pitch (organisers see it "
                                "before the reveal too).",
          roles=("organiser",), responses={200: "VoteResults", 404: "Error"}, tag="vote",
          route=False)
def vote_results(slug: str, session_id: int):
    session = _session(slug, session_id)
    return jsonify(voting.results(session).as_api())


@endpoint(VOTES, "PUT", summary="Open, close or reveal the vote (organisers and the session's "
                                "moderators). 409 when the session cannot have a vote or the "
                                "result is revealed while voting is open. `ballot` (organisers "
                                "only): the pitch ids on the ballot, set before any opening in "
                                "the same request; 409 while voting is open or when a pitch "
                                "taken off has votes, 422 when empty or not of the session.",
          roles=("organiser", "moderator"), body=VoteStateForm,
          responses={200: "VoteResults", 403: "Error", 404: "Error", 409: "Error",
                     422: "ValidationError"}, tag="vote", route=False)
def vote_state(slug: str, session_id: int):
    session = _session(slug, session_id)
    if not moderation.may_run(g.api_user, session):
        raise ApiError(403)
    payload = json_object()
    form = parse_body(VoteStateForm)
    changes = {name: getattr(form, name).data for name in ("open", "revealed")
               if payload.get(name) is not None}
    if payload.get("ballot") is not None:
        if not g.api_user.has_role("organiser"):
            raise ApiError(403)
        voting.set_ballot(session, form.ballot.data, actor=g.api_user)
    voting.set_state(session, actor=g.api_user, **changes)
    return jsonify(voting.results(session).as_api())


def votes(slug: str, session_id: int):
    """One rule for the three methods (see core.endpoint's `route`)."""
    view = {"POST": cast_vote, "GET": vote_results, "PUT": vote_state}[request.method]
    return view(slug=slug, session_id=session_id)


bp.add_url_rule(VOTES, view_func=votes, methods=["GET", "PUT", "POST"])
