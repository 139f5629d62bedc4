"""Live state of a running pitch session: the run of show (start, next, back, end, undo) and
the stage's controls (pause, ±1 minute, skip Q&A, blackout) that moderators drive, their
messages to the stage, the timeline computed from it, the snapshot every screen of the
session shows, the speaker view's link and the planned-vs-actual report."""

from .run_of_show import (
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
    current_pitch,
    live_session_ids,
)
from .screens import display_language, for_hall, for_speaker, snapshot
from .stage_controls import (
    ACTIONS,
    ALREADY_PAUSED,
    NO_QA,
    NOT_PAUSED,
    TOO_SHORT,
    apply,
)
from .stage_messages import PRESETS
