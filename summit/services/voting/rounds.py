"""A pitch session's voting round: opening, closing and revealing it, and the jury's scores.

One round per pitch session, made when it is first needed; its ballot is the session's
pitches, or those an organiser chose while voting was closed. Every change is audited and
committed here.
"""

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _
from flask_babel import lazy_ngettext as ngettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import EventSession, Pitch, User, Vote, VotingRound, utcnow
from ..errors import FieldError
from ..platform import audit

JURY_MIN, JURY_MAX = 0, 10


class VoteStateError(FieldError):
    """A change of the round's state that its present state forbids (409)."""

    def __init__(self, message: str, field: str = "open"):
        super().__init__(field, message, status=409)


def round_of(session: EventSession) -> VotingRound | None:
    return db.session.scalar(db.select(VotingRound).where(VotingRound.session_id == session.id))


def on_ballot(session: EventSession, voting: VotingRound | None = None) -> list[Pitch]:
    """The session's pitches that are on the ballot, in their order."""
    voting = voting if voting is not None else round_of(session)
    chosen = None if voting is None or voting.ballot is None else set(voting.ballot)
    return [p for p in session.pitches if chosen is None or p.id in chosen]


def set_ballot(session: EventSession, pitch_ids, *, actor: User | None) -> VotingRound:
    """Choose which of the session's pitches are on the ballot. Only while voting is not open
    (409), never none of them, and never taking off a pitch that has votes already (409: its
    votes would vanish from the count). Every pitch chosen is stored as NULL: the whole
    session, pitches added later included."""
    if session.kind != "pitch" or not session.pitches:
        raise VoteStateError(_("This session has no pitches to vote for."), "ballot")
    pitches = {pitch.id: pitch for pitch in session.pitches}
    try:
        wanted = {int(pitch_id) for pitch_id in pitch_ids}
    except (TypeError, ValueError):
        wanted = {0}
    if not wanted <= pitches.keys():
        raise FieldError("ballot", _("Choose among the pitches of this session."))
    if not wanted:
        raise FieldError("ballot", _("Keep at least one pitch on the ballot."))
    voting = ensure_round(session)
    # Lock the round (PostgreSQL): nobody opens it between this check and the write.
    voting = db.session.scalar(select(VotingRound).where(VotingRound.id == voting.id)
                               .with_for_update().execution_options(populate_existing=True))
    if voting.is_open:
        db.session.rollback()
        raise VoteStateError(_("The ballot cannot be changed while voting is open. Close the "
                               "vote first."), "ballot")
    removed = {p.id for p in on_ballot(session, voting)} - wanted
    voted = db.session.scalars(select(Vote.pitch_id).distinct().where(
        Vote.round_id == voting.id, Vote.pitch_id.in_(removed))).all() if removed else []
    if voted:
        db.session.rollback()
        titles = ", ".join(pitches[pitch_id].title for pitch_id in sorted(voted))
        raise VoteStateError(ngettext(
            "%(titles)s already has votes, so it stays on the ballot.",
            "%(titles)s already have votes, so they stay on the ballot.",
            len(voted), titles=titles), "ballot")
    ballot = None if wanted == pitches.keys() else sorted(wanted)
    if ballot != voting.ballot:
        voting.ballot = ballot
        audit.record("vote.ballot", actor=actor, event_id=session.event_id, target=session,
                     pitches=sorted(wanted),
                     titles=[p.title for p in session.pitches if p.id in wanted])
    db.session.commit()
    return voting


def open_sessions(event_id: int) -> list[EventSession]:
    """The event's pitch sessions whose vote is open now."""
    return list(db.session.scalars(
        db.select(EventSession).join(VotingRound, VotingRound.session_id == EventSession.id)
        .where(EventSession.event_id == event_id, VotingRound.is_open.is_(True))
        .order_by(EventSession.starts_at)))


def ensure_round(session: EventSession) -> VotingRound:
    """The session's round, made (closed, hidden) if it has none; two callers at once end up
    with the same row (the unique session_id decides)."""
    found = round_of(session)
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            db.session.add(VotingRound(session_id=session.id, jury_scores={}))
    except IntegrityError:
        pass
    return round_of(session)


def set_state(session: EventSession, *, actor: User | None, open: bool | None = None,
              revealed: bool | None = None) -> VotingRound:
    """Open, close, reveal or hide. Results are revealed only while voting is closed; opening
    again hides them. Unchanged values are no change and leave no audit entry."""
    if session.kind != "pitch":
        raise VoteStateError(_("Only a pitch session has an audience vote."))
    if not session.pitches:
        raise VoteStateError(_("This session has no pitches to vote for."))
    voting = ensure_round(session)
    want_open = voting.is_open if open is None else bool(open)
    if want_open and not voting.is_open and not on_ballot(session, voting):
        # The ballot's pitches were all deleted since it was chosen.
        raise VoteStateError(_("No pitch is on the ballot. Choose the pitches first."))
    want_revealed = voting.revealed if revealed is None else bool(revealed)
    if want_open and want_revealed:
        if revealed:
            raise VoteStateError(_("Close the vote before revealing the result."), "revealed")
        want_revealed = False
    now = utcnow()
    about = {"actor": actor, "event_id": session.event_id, "target": session,
             "title": session.title}
    if want_open and not voting.is_open:
        voting.is_open, voting.opened_at, voting.closed_at = True, now, None
        audit.record("vote.open", **about)
    elif voting.is_open and not want_open:
        voting.is_open, voting.closed_at = False, now
        audit.record("vote.close", **about)
    if want_revealed and not voting.revealed:
        voting.revealed, voting.revealed_at = True, now
        audit.record("vote.reveal", **about)
    elif voting.revealed and not want_revealed:
        voting.revealed, voting.revealed_at = False, None
        audit.record("vote.hide", **about)
    db.session.commit()
    return voting


def parse_score(raw) -> Decimal | None:
    """A jury score as typed ("7", "7.5", "7,5"); blank is no score."""
    text = str(raw if raw is not None else "").strip().replace(",", ".")
    if not text:
        return None
    try:
        score = Decimal(text)
    except InvalidOperation:
        score = None
    if score is None or not score.is_finite() or not JURY_MIN <= score <= JURY_MAX:
        raise FieldError("score", _("Enter a score from 0 to 10, e.g. 7.5."))
    return score.quantize(Decimal("0.1"))


def set_jury_scores(session: EventSession, scores: dict[int, str], *,
                    actor: User | None) -> VotingRound:
    """The jury's score per pitch (0–10, one decimal); all are checked before any is kept."""
    ballot = {pitch.id for pitch in session.pitches}
    parsed = {}
    for pitch_id, raw in scores.items():
        if pitch_id not in ballot:
            continue
        try:
            score = parse_score(raw)
        except FieldError as exc:
            raise FieldError(f"score_{pitch_id}", exc.message) from None
        if score is not None:
            parsed[str(pitch_id)] = str(score)
    voting = ensure_round(session)
    voting.jury_scores = parsed
    audit.record("vote.jury_scores", actor=actor, event_id=session.event_id, target=session,
                 scores=parsed)
    db.session.commit()
    return voting
