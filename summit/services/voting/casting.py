"""Casting a vote: who may, and the one statement that counts it.

The rule "one vote per registration per round, changeable until close" lives in the
database: a unique (round, registration) and one INSERT … ON CONFLICT DO UPDATE that is
only written while the round is open (it joins the open round in the same statement), on
SQLite and PostgreSQL alike. Two phones voting for the same badge at the same
moment both succeed, and one row holds the later choice.

Single choice, not a ranked top three: one tap on a phone in a dark hall, a count everyone
understands and can check in the export, and a winner without a counting rule to explain.
Votes are not pushed one by one (a thousand votes would be a thousand snapshots); the hall
display polls one indexed count every few seconds while the vote is open, which keeps the
vote's write path free of a hot counter row that every voter would have to lock.
"""

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Connection, Integer, Text, bindparam, exists, func, or_, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects import postgresql, sqlite

from ...extensions import autocommit_connection, db
from ...models import (
    CONFIRMED,
    Event,
    EventSession,
    Pitch,
    Registration,
    Vote,
    VotingRound,
    utcnow,
)
from ..checkin import scans
from ..registrations import codes
from . import rounds

COUNTED, CHANGED = "counted", "changed"
# Why a vote was refused: the API's status and the page's answer follow from these.
NOT_OPEN, CLOSED = "not_open", "closed"
UNKNOWN_CODE, UNKNOWN_PITCH = "unknown_code", "unknown_pitch"
NOT_CHECKED_IN, CANCELLED, WAITLISTED = "not_checked_in", "cancelled", "waitlisted"
STATUS = {NOT_OPEN: 409, CLOSED: 409, UNKNOWN_CODE: 404, UNKNOWN_PITCH: 404,
          NOT_CHECKED_IN: 403, CANCELLED: 403, WAITLISTED: 403}
MESSAGES = {
    NOT_OPEN: _("Voting has not opened yet. Please wait for the moderators."),
    CLOSED: _("Voting has closed."),
    UNKNOWN_CODE: _("No badge of this event has this code. Please check the code on your "
                    "badge."),
    UNKNOWN_PITCH: _("Please choose one of the pitches."),
    NOT_CHECKED_IN: _("Your badge is not checked in yet: please check in at the desk first."),
    CANCELLED: _("This registration is cancelled, so it has no vote."),
    WAITLISTED: _("This registration is on the waiting list, so it has no vote yet. Please "
                  "ask at the desk."),
}
FIELDS = {UNKNOWN_CODE: "code", NOT_CHECKED_IN: "code", CANCELLED: "code",
          WAITLISTED: "code", UNKNOWN_PITCH: "pitch_id"}
_LINK_SALT = "summit-vote-link"


class VoteRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
        self.status = STATUS[reason]
        self.field = FIELDS.get(reason, "pitch_id")

    @property
    def message(self):
        return MESSAGES[self.reason]


@dataclass(frozen=True)
class Cast:
    result: str  # COUNTED or CHANGED
    pitch_id: int
    registration_id: int


def voter_link_token(registration: Registration) -> str:
    """The key in the vote link on an attendee's manage page: identifies them without
    typing; signed with the app's secret, so it cannot be made up for someone else."""
    return _serializer().dumps({"r": registration.id})


def voter_from_link(event_id: int, token: str | None) -> Registration | None:
    if not token:
        return None
    try:
        data = _serializer().loads(token)
        registration_id = int(data["r"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event_id:
        return None
    return registration


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_LINK_SALT)


def voter(session: EventSession, raw_code: str | None) -> Registration:
    """Whoever's badge code this is, if they may vote; else VoteRefused saying why. The
    desk's rule for reading a code (scans.normalise_code, the layout variants), without the
    category the desk's answer needs. Only the explaining path asks: the busy one finds the
    badge inside the vote's own statement."""
    code = scans.normalise_code(raw_code)
    if code is None:
        raise VoteRefused(UNKNOWN_CODE)
    candidates = [code, *codes.layout_variants(code)]
    found = db.session.scalars(db.select(Registration).where(
        Registration.checkin_code.in_(candidates),
        Registration.event_id == session.event_id)).all()
    return check_voter(min(found, key=lambda r: candidates.index(r.checkin_code),
                           default=None))


def check_voter(registration: Registration | None) -> Registration:
    if registration is None or registration.anonymised_at is not None:
        raise VoteRefused(UNKNOWN_CODE)
    if registration.status != CONFIRMED:
        raise VoteRefused(CANCELLED if registration.status == "cancelled" else WAITLISTED)
    if registration.checked_in_at is None:
        raise VoteRefused(NOT_CHECKED_IN)
    return registration


def cast(session: EventSession, pitch_id, *, code: str | None = None,
         registration: Registration | None = None) -> Cast:
    """Count (or change) the vote of a checked-in badge, identified by its code or, from the
    manage page's link, by its registration; else VoteRefused saying why."""
    # The page has loaded the session on the request's connection: the vote's statement
    # runs there too, never on a second one (a worker's many phones would wait for the pool).
    counted = _count(db.session.connection(), session.event.slug, session.id, pitch_id,
                     code=code, registration_id=registration.id if registration else None)
    if counted is None:
        return explain(session, pitch_id, code=code, registration=registration)
    db.session.commit()
    return counted


def count_at_once(slug: str, session_id: int, pitch_id, *, code: str | None = None,
                  registration_id: int | None = None) -> Cast | None:
    """The busy path of a vote burst in one autocommitted statement: a checked-in badge's
    exact code (or registration) voting for a pitch on the open ballot. None when anything is
    not plainly right: nothing is written, and explain() then finds out why (or counts a code
    typed in another keyboard layout). The API calls this before its session holds a
    connection (extensions.autocommit_connection)."""
    with autocommit_connection() as connection:
        return _count(connection, slug, session_id, pitch_id, code=code,
                      registration_id=registration_id)


def explain(session: EventSession, pitch_id, *, code: str | None = None,
            registration: Registration | None = None) -> Cast:
    """The readable path, when the busy one wrote nothing: the reason in the order a person
    hears it (the round, their badge, the pitch), or the vote counted after all (a code typed
    in another keyboard layout)."""
    voting = rounds.round_of(session)
    if voting is None or not voting.is_open:
        raise VoteRefused(CLOSED if voting is not None and voting.closed_at else NOT_OPEN)
    person = check_voter(registration) if registration is not None else voter(session, code)
    wanted = _number(pitch_id)
    if wanted is None:
        raise VoteRefused(UNKNOWN_PITCH)
    counted = _write(db.session.connection(), wanted, slug=session.event.slug,
                     session_id=session.id, registration_id=person.id)
    if counted is None:  # the pitch is not on this ballot, or the vote just closed
        db.session.expire(voting)  # read the round anew
        raise VoteRefused(UNKNOWN_PITCH if voting.is_open else CLOSED)
    db.session.commit()
    return counted


def _count(connection: Connection, slug: str, session_id: int, pitch_id, *,
           code: str | None = None, registration_id: int | None = None) -> Cast | None:
    """The busy path on the given connection, in its transaction."""
    wanted, code = _number(pitch_id), scans.normalise_code(code)
    if wanted is None or (code is None and registration_id is None):
        return None
    return _write(connection, wanted, slug=slug, session_id=session_id, code=code,
                  registration_id=registration_id)


def _number(pitch_id) -> int | None:
    try:
        return int(pitch_id)
    except (TypeError, ValueError):
        return None


def _write(connection: Connection, pitch_id: int, *, slug: str, session_id: int,
           code: str | None = None, registration_id: int | None = None) -> Cast | None:
    """The vote's one statement on the given connection (the caller commits, or it is in
    autocommit: one round trip to the database instead of three, which on PostgreSQL is
    most of what a vote costs)."""
    by = "registration" if registration_id is not None else "code"
    row = connection.execute(_upsert(connection.dialect.name, by), {
        "slug": slug, "session_id": session_id, "pitch_id": pitch_id, "now": utcnow(),
        "voter": registration_id if by == "registration" else code}).first()
    if row is None:
        return None
    return Cast(COUNTED if row.changed_at is None else CHANGED, pitch_id, row.registration_id)


_UPSERTS: dict[tuple[str, str], object] = {}


def _upsert(dialect: str, by: str):
    """The one statement of a vote, built once per dialect and voter key (then SQLAlchemy's
    compiled cache serves it): insert the vote if the round is open, the pitch on its ballot
    and the badge (by its code or registration) confirmed, checked in and of the event, or,
    when this registration has voted in the round already, replace its choice."""
    if (dialect, by) not in _UPSERTS:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        voter_key = (Registration.checkin_code == bindparam("voter", type_=Text)
                     if by == "code" else Registration.id == bindparam("voter", type_=Integer))
        chosen = (select(VotingRound.id, Registration.id, Pitch.id,
                         bindparam("now", type_=Vote.cast_at.type))
                  .join(EventSession, EventSession.id == VotingRound.session_id)
                  .join(Event, Event.id == EventSession.event_id)
                  .join(Pitch, Pitch.session_id == EventSession.id)
                  .join(Registration, Registration.event_id == Event.id)
                  .where(EventSession.id == bindparam("session_id", type_=Integer),
                         Event.slug == bindparam("slug", type_=Text),
                         EventSession.kind == "pitch",
                         VotingRound.is_open.is_(True),
                         Pitch.id == bindparam("pitch_id", type_=Integer),
                         _on_ballot(dialect),
                         voter_key,
                         Registration.status == CONFIRMED,
                         Registration.checked_in_at.is_not(None),
                         Registration.anonymised_at.is_(None)))
        # The table, not the class: an ORM insert given parameters would be a bulk insert.
        statement = insert(Vote.__table__).from_select(
            ["round_id", "registration_id", "pitch_id", "cast_at"], chosen)
        votes = Vote.__table__.c
        _UPSERTS[dialect, by] = statement.on_conflict_do_update(
            index_elements=["round_id", "registration_id"],
            set_={"pitch_id": statement.excluded.pitch_id,
                  "changed_at": statement.excluded.cast_at},
        ).returning(votes.changed_at, votes.registration_id)
    return _UPSERTS[dialect, by]


def _on_ballot(dialect: str):
    """The round's ballot holds the pitch (NULL: every pitch of the session), read by the
    vote's own statement: a pitch taken off the ballot is refused like an unknown one."""
    if dialect == "postgresql":
        each = func.json_array_elements_text(VotingRound.ballot).table_valued("value")
        listed = exists().select_from(each).where(each.c.value == sql_cast(Pitch.id, Text))
    else:
        each = func.json_each(VotingRound.ballot).table_valued("value")
        listed = exists().select_from(each).where(each.c.value == Pitch.id)
    return or_(VotingRound.ballot.is_(None), listed)


def choice_of(session: EventSession, registration: Registration) -> int | None:
    """The pitch this person voted for in the session's round (their own page shows it)."""
    voting = rounds.round_of(session)
    if voting is None:
        return None
    return db.session.scalar(select(Vote.pitch_id).where(
        Vote.round_id == voting.id, Vote.registration_id == registration.id))
