"""What the vote says: counts per pitch, turnout, the jury's scores beside them, the export,
and the part every screen of the session may see.

The combining rule (stated on the results page): two awards side by side, never mixed.
The audience award goes to the pitch with the most votes, the jury award to the pitch with
the highest jury score; a tie names every pitch that shares the top. Mixing them by a weight
would make the audience's count depend on a number nobody in the hall can check.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select

from ...extensions import db
from ...models import EventSession, Registration, Vote, localised
from ..mail.links import absolute
from ..registrations.attendee_export import neutralise
from . import rounds


@dataclass
class PitchResult:
    pitch_id: int
    position: int
    title: str
    presenter: str
    votes: int
    jury_score: Decimal | None = None
    share: float = 0.0  # of all votes, 0–1


@dataclass
class Results:
    open: bool
    revealed: bool
    total: int
    checked_in: int
    pitches: list[PitchResult] = field(default_factory=list)

    @property
    def turnout(self) -> float:
        return self.total / self.checked_in if self.checked_in else 0.0

    @property
    def audience_winners(self) -> list[PitchResult]:
        top = max((p.votes for p in self.pitches), default=0)
        return [p for p in self.pitches if top and p.votes == top]

    @property
    def jury_winners(self) -> list[PitchResult]:
        scores = [p.jury_score for p in self.pitches if p.jury_score is not None]
        top = max(scores, default=None)
        return [p for p in self.pitches if top is not None and p.jury_score == top]

    def as_api(self) -> dict:
        return {"open": self.open, "revealed": self.revealed, "total": self.total,
                "results": [{"pitch_id": p.pitch_id, "votes": p.votes} for p in self.pitches]}


def total(session: EventSession) -> int:
    """Votes cast in the session's round (erased people's votes included): one indexed count,
    cheap enough for the hall display to ask every few seconds."""
    voting = rounds.round_of(session)
    if voting is None:
        return 0
    return db.session.scalar(select(func.count()).select_from(Vote)
                             .where(Vote.round_id == voting.id)) or 0


def results(session: EventSession, language: str = "en") -> Results:
    """Counts per ballot pitch, turnout and jury scores; pitch titles in `language`."""
    voting = rounds.round_of(session)
    counts: dict[int, int] = {}
    if voting is not None:
        counts = dict(db.session.execute(
            select(Vote.pitch_id, func.count()).where(Vote.round_id == voting.id)
            .group_by(Vote.pitch_id)).all())
    checked_in = db.session.scalar(
        select(func.count()).select_from(Registration)
        .where(Registration.event_id == session.event_id,
               Registration.checked_in_at.is_not(None), Registration.status == "confirmed")) or 0
    jury = (voting.jury_scores or {}) if voting else {}
    everyone = sum(counts.values())
    pitches = [PitchResult(
        pitch_id=p.id, position=p.position, title=localised(p, "title", language),
        presenter=p.presenter,
        votes=counts.get(p.id, 0),
        jury_score=Decimal(jury[str(p.id)]) if str(p.id) in jury else None,
        share=(counts.get(p.id, 0) / everyone) if everyone else 0.0)
        for p in rounds.on_ballot(session, voting)]
    return Results(open=bool(voting and voting.is_open),
                   revealed=bool(voting and voting.revealed),
                   total=everyone, checked_in=checked_in, pitches=pitches)


def screen_state(session: EventSession, language: str = "en") -> dict:
    """The vote as every screen of the session may show it (the live snapshot's "vote"):
    the standings only once revealed, the count of votes always; titles in `language`
    (the hall display's: the session's)."""
    voting = rounds.round_of(session)
    state = {"open": bool(voting and voting.is_open),
             "revealed": bool(voting and voting.revealed),
             "closed": bool(voting and not voting.is_open and voting.closed_at),
             "total": total(session) if voting else 0, "results": None,
             "vote_url": vote_url(session)}
    if state["revealed"]:
        found = results(session, language)
        winners = {p.pitch_id for p in found.audience_winners}
        state["results"] = [{"pitch_id": p.pitch_id, "title": p.title,
                             "presenter": p.presenter, "votes": p.votes,
                             "share": round(p.share, 4), "winner": p.pitch_id in winners}
                            for p in found.pitches]
    return state


def vote_url(session: EventSession) -> str:
    """The vote page's address, absolute (from SUMMIT_BASE_URL): a phone scans it off the
    hall display."""
    # Built by hand, not with url_for: the push builds snapshots outside any request.
    return absolute(f"/events/{session.event.slug}/sessions/{session.id}/vote")


def csv_export(session: EventSession) -> str:
    found = results(session)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["position", "pitch_id", "title", "presenter", "votes", "share_percent",
                     "jury_score", "audience_award", "jury_award"])
    audience = {p.pitch_id for p in found.audience_winners}
    jury = {p.pitch_id for p in found.jury_winners}
    for p in found.pitches:
        writer.writerow([p.position, p.pitch_id, neutralise(p.title), neutralise(p.presenter),
                         p.votes,
                         f"{p.share * 100:.1f}",
                         "" if p.jury_score is None else str(p.jury_score),
                         "yes" if p.pitch_id in audience else "",
                         "yes" if p.pitch_id in jury else ""])
    writer.writerow([])
    writer.writerow(["total_votes", found.total])
    writer.writerow(["checked_in", found.checked_in])
    writer.writerow(["turnout_percent", f"{found.turnout * 100:.1f}"])
    return out.getvalue()
