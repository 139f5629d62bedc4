"""The vote's rate limits, shared by the vote page and the JSON API."""

from flask import request

from ..extensions import limiter, public_limit
from ..services.checkin import scans

# Wrong codes slow a client down: failed answers (unknown code) count against these, and
# past them the client waits (429), longer the more it guessed. Right codes never count.
WRONG_CODE_LIMIT = "5/minute;20/hour;50/day"
# One badge code voting (or being tried) more often than this from anywhere is not a person.
PER_CODE_LIMIT = "20/minute"


def _code_key() -> str:
    raw = request.form.get("code") or (request.get_json(silent=True) or {}).get("code")
    code = scans.normalise_code(raw if isinstance(raw, str) else None)
    return f"vote-code:{code}" if code else f"vote-code-none:{request.remote_addr}"


def _wrong_code(response) -> bool:
    return response.status_code == 404


def vote_limits(view):
    """Per client, per code, and wrong codes: the same limits for the page and the API."""
    view = limiter.limit(WRONG_CODE_LIMIT, methods=["POST"], deduct_when=_wrong_code,
                         scope="vote-wrong-code")(view)
    view = limiter.limit(PER_CODE_LIMIT, methods=["POST"], key_func=_code_key,
                         scope="vote-per-code")(view)
    return limiter.limit(public_limit, methods=["POST"])(view)
