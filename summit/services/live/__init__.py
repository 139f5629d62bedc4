"""Live state of a running pitch session: the run of show (start, next, back, end) that
moderators drive, the timeline computed from it, and the snapshot every screen of the
session shows."""

from .run_of_show import (
    ACTIONS,
    ALREADY_ENDED,
    ALREADY_RUNNING,
    FIRST_STEP,
    LAST_STEP,
    NO_PITCHES,
    NOT_STARTED,
    STALE,
    RunError,
    apply,
    live_session_ids,
)
from .screens import snapshot
