"""The programme: rooms, sessions and their ordered pitches (times follow the order),
schedule warnings, translated labels and the calendars (.ics) built from it."""

from .sessions import (
    ProgrammeError,
    assign_moderator,
    create_pitch,
    create_session,
    days,
    delete_pitch,
    delete_session,
    get_pitch,
    get_session,
    move_pitch,
    pitch_schedule,
    registration_for_email,
    reorder,
    sessions_for,
    update_pitch,
    update_session,
    warnings,
    warnings_by_session,
)
