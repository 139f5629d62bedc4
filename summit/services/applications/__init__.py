"""The call for pitches and its jury: applying (call), decks, jury review (review),
balanced assignment (assignment, pure), ranking, decisions and the step onto the stage."""

from .call import (
    CallClosed,
    DuplicateApplication,
    can_edit,
    get_application,
    get_by_token,
    get_call,
    open_call,
    reviews_of,
    set_criteria,
    set_redacted_summary,
    state,
    submit,
    update,
    withdraw,
)

__all__ = ["CallClosed", "DuplicateApplication", "can_edit", "get_application",
           "get_by_token", "get_call", "open_call", "reviews_of",
           "set_redacted_summary", "set_criteria", "state", "submit",
           "update", "withdraw"]
