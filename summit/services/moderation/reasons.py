"""Why a session stays short of moderators: stable reason codes with their parameters, and an
English default text for logs, the CLI and tests. The pages translate from code and params
(summit/moderators/reasons.py), never from the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

NO_LANGUAGE = "no_language"
NOT_ENOUGH_MODERATORS = "not_enough_moderators"
NO_AVAILABILITY = "no_availability"
ALL_BUSY = "all_busy"
NO_LEAD = "no_lead"


@dataclass
class Reason:
    code: str
    params: dict[str, object]
    text: str


def shortage(language: str | None, have: int, needed: int) -> Reason:
    """Fewer moderators (who speak the language) exist at all than the session needs."""
    params: dict[str, object] = {"language": language, "count": have, "needed": needed}
    if language is None:
        subject = "1 moderator is" if have == 1 else f"{have} moderators are"
        text = f"only {subject} registered, {needed} needed"
        return Reason(NOT_ENOUGH_MODERATORS, params, text)
    if have == 0:
        return Reason(NO_LANGUAGE, params, f"no moderator speaks {language}")
    subject = "1 moderator speaks" if have == 1 else f"{have} moderators speak"
    return Reason(NO_LANGUAGE, params, f"only {subject} {language}, {needed} needed")


def not_available(moderator_ids: list[int], language: str | None, starts_at: datetime,
                  ends_at: datetime, display_tz: tzinfo | None) -> Reason:
    """These moderators have no availability window around the session."""
    when = _format_span(starts_at, ends_at, display_tz)
    text = f"{_who(len(moderator_ids), language)} not available at {when}"
    params = {"language": language, "starts_at": starts_at, "ends_at": ends_at,
              "count": len(moderator_ids), "moderator_ids": moderator_ids}
    return Reason(NO_AVAILABILITY, params, text)


def booked_elsewhere(moderator_ids: list[int], language: str | None, starts_at: datetime,
                     ends_at: datetime, display_tz: tzinfo | None) -> Reason:
    """These moderators are available but sit in an overlapping session already."""
    when = _format_span(starts_at, ends_at, display_tz)
    text = f"{_who(len(moderator_ids), language)} booked elsewhere at {when}"
    params = {"language": language, "starts_at": starts_at, "ends_at": ends_at,
              "count": len(moderator_ids), "moderator_ids": moderator_ids}
    return Reason(ALL_BUSY, params, text)


def no_lead(moderator_ids: list[int]) -> Reason:
    """Every seat is filled, but only by pinned co-moderators."""
    text = f"no lead: all {len(moderator_ids)} pinned moderators are co-moderators"
    return Reason(NO_LEAD, {"moderator_ids": moderator_ids}, text)


def _who(count: int, language: str | None) -> str:
    """'3 moderators who speak en are' / '1 moderator is' — the subject of a reason text."""
    noun = "moderator" if count == 1 else "moderators"
    verb = "is" if count == 1 else "are"
    if language is None:
        return f"{count} {noun} {verb}"
    return f"{count} {noun} who {'speaks' if count == 1 else 'speak'} {language} {verb}"


def _format_span(start: datetime, end: datetime, display_tz: tzinfo | None) -> str:
    if display_tz is not None and start.tzinfo is not None:
        start, end = start.astimezone(display_tz), end.astimezone(display_tz)
    end_format = "%H:%M" if end.date() == start.date() else "%Y-%m-%d %H:%M"
    return f"{start:%Y-%m-%d %H:%M}–{end.strftime(end_format)}"
