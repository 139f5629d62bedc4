"""The programme: rooms, sessions and their ordered pitches (times follow the order),
schedule warnings, translated labels and the calendars (.ics) built from it. Who moderates
a session is the moderation package's business."""

from .pitches import (
    create_pitch,
    delete_pitch,
    get_pitch,
    move_pitch,
    pitch_schedule,
    registration_for_email,
    reorder,
    update_pitch,
)
from .schedule_warnings import warnings, warnings_by_session
from .sessions import (
    ProgrammeError,
    create_session,
    days,
    delete_session,
    get_session,
    sessions_for,
    update_session,
)
