"""Live state of a running pitch session: the run of show (start, next, back, end, undo) that
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
    NOTHING_TO_UNDO,
    STALE,
    UNDO_EXPIRED,
    UNDO_MINUTES,
    RunError,
    apply,
    current_pitch,
    live_session_ids,
)
from .screens import snapshot
