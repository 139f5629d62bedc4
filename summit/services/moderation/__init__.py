"""Moderators: who may moderate, their languages and availability windows, assignment to
sessions by hand and automatically (the planner in planner.py is a pure function)."""

from .assign import (
    HandAssignment,
    assign_moderator,
    auto_assign_event,
    staffing,
    unassign,
)
from .availability import (
    add_window,
    delete_window,
    get_window,
    set_languages,
    update_window,
    windows_for,
)
from .moderators import (
    ModerationError,
    assignments_of,
    get_moderator,
    may_run,
    moderators,
    pitch_sessions,
    sessions_needing_moderators,
)
