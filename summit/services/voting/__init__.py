"""The audience vote of a pitch session: the round (open, close, reveal, jury scores), casting
one vote per checked-in badge, and the results."""

from .casting import (
    CHANGED,
    COUNTED,
    MESSAGES,
    Cast,
    VoteRefused,
    cast,
    check_voter,
    choice_of,
    count_at_once,
    explain,
    voter_from_link,
    voter_link_token,
)
from .results import Results, csv_export, results, screen_state, total, vote_url
from .rounds import (
    VoteStateError,
    ensure_round,
    on_ballot,
    open_sessions,
    parse_score,
    round_of,
    set_ballot,
    set_jury_scores,
    set_state,
)
