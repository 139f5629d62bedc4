"""What automatic assignment works with: the sessions to fill, the moderators, the seats kept
as they are, time already booked elsewhere; what it returns; and the checks that this input
is consistent. The rules themselves live in planner.py.

Plain frozen dataclasses, no Flask, no database: callers translate models into them and write
the result back themselves. All datetimes must be of one kind (aware UTC in Summit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from .reasons import Reason
from .windows import Window

LEAD = "lead"
CO = "co"
ROLES = (LEAD, CO)

_T = TypeVar("_T", "SessionSlot", "ModeratorInfo")


@dataclass(frozen=True)
class SessionSlot:
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    language: str | None = None
    moderators_needed: int = 2  # usually a lead and a co-moderator


@dataclass(frozen=True)
class ModeratorInfo:
    id: int
    name: str
    languages: frozenset[str] = frozenset()
    # Empty means "no windows recorded" = available for the whole event (see windows.py).
    availability: tuple[Window, ...] = ()


@dataclass(frozen=True)
class Pinned:
    session_id: int
    moderator_id: int
    role: str  # LEAD or CO


@dataclass(frozen=True)
class Booking:
    """Time a moderator is already committed to outside the sessions being assigned.

    It only blocks time and adds load; it never fills a seat. To keep an assignment to one
    of the sessions being assigned, pass it as `Pinned` instead.
    """

    moderator_id: int
    starts_at: datetime
    ends_at: datetime
    session_id: int | None = None


@dataclass(frozen=True)
class Assignment:
    session_id: int
    moderator_id: int
    role: str
    pinned: bool


@dataclass
class Unfilled:
    """A session that is not fully staffed: seats missing, or (missing == 0) no lead."""

    session_id: int
    missing: int
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class AssignmentResult:
    assignments: list[Assignment]
    unfilled: list[Unfilled]


# --- consistency of the input -------------------------------------------------------------


def index_by_id(items: list[_T], kind: str) -> dict[int, _T]:
    """Items by id; raises ValueError for a duplicate id."""
    by_id = {item.id: item for item in items}
    if len(by_id) != len(items):
        raise ValueError(f"duplicate {kind} ids")
    return by_id


def check_slot(slot: SessionSlot) -> None:
    if slot.ends_at <= slot.starts_at:
        raise ValueError(f"session {slot.id} ends before it starts")
    if slot.moderators_needed < 0:
        raise ValueError(f"session {slot.id} needs a negative number of moderators")


def check_pin(
    pin: Pinned, by_session: dict[int, list[Pinned]], mod_by_id: dict[int, ModeratorInfo]
) -> None:
    """A pin to a known session and moderator, in a known role, not clashing with the pins
    taken so far (`by_session`)."""
    if pin.session_id not in by_session:
        raise ValueError(f"pinned to unknown session {pin.session_id}")
    if pin.moderator_id not in mod_by_id:
        raise ValueError(f"unknown moderator {pin.moderator_id} pinned")
    if pin.role not in ROLES:
        raise ValueError(f"unknown role {pin.role!r}")
    others = by_session[pin.session_id]
    if any(p.moderator_id == pin.moderator_id for p in others):
        raise ValueError(f"moderator {pin.moderator_id} pinned twice to session {pin.session_id}")
    if pin.role == LEAD and any(p.role == LEAD for p in others):
        raise ValueError(f"two pinned leads for session {pin.session_id}")
