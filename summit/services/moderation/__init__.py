"""Moderators: who may moderate, their languages and availability windows, assignment to
sessions by hand and automatically (the planner in planner.py is a pure function)."""

from .moderators import (
    ModerationError,
    add_window,
    assignments_of,
    auto_assign_event,
    delete_window,
    get_moderator,
    get_window,
    may_run,
    moderators,
    pitch_sessions,
    sessions_needing_moderators,
    set_languages,
    staffing,
    unassign,
    update_window,
    windows_for,
)
