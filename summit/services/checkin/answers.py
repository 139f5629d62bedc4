"""What a scan answers and what its record says, shared by every way a desk checks in."""

# A scan's result: one of these, or a cancelled or waitlisted registration's status.
CHECKED_IN = "checked_in"
ALREADY_CHECKED_IN = "already_checked_in"
UNKNOWN = "unknown"
ADMITTED = (CHECKED_IN, ALREADY_CHECKED_IN)

_DESK_COLUMN_LENGTH = 60


def attendee_answer(first_name: str, last_name: str, organisation: str, category: str) -> dict:
    """Who a scan is about, as the desk's answer and the API show it."""
    return {"first_name": first_name, "last_name": last_name, "category": category,
            "organisation": organisation}


def desk_label(desk: str | None) -> str:
    """The desk's name as a CheckIn row keeps it."""
    return (desk or "").strip()[:_DESK_COLUMN_LENGTH]
