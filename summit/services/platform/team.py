"""The team: who may log in and with which role. Organisers invite people by e-mail; the
invitation's signed link lets the invitee choose a name and password. Organisers change
roles and remove people (the account is deactivated, never deleted, so the audit log keeps
their name). The last active organiser can be neither removed nor demoted: nobody could run
the event any more.

Links are signed (itsdangerous) with a lifetime and name the invitation and its nonce, so
resending (a new nonce) kills the old link, and accepting or withdrawing kills every link.
"""

import secrets
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import abort, current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func

from ...extensions import db
from ...models import ORGANISER, ROLES, Invitation, User, utcnow
from ..errors import FieldError
from ..mail import compose, links, outbox
from . import audit
from .users import find_by_email, normalise_email

INVITATION_LIFETIME = timedelta(days=7)
MIN_PASSWORD_LENGTH = 8
PASSWORD_TOO_SHORT = _l("The password must have at least 8 characters.")  # as the CLI asks
_SALT = "summit.team.invitation"


ROLE_LABELS = {"organiser": _l("Organiser"), "moderator": _l("Moderator"),
               "staff": _l("Registration desk"), "jury": _l("Jury")}


def role_label(role: str) -> str:
    """The role as people read it, in the current language."""
    return str(ROLE_LABELS.get(role, role))


class TeamError(FieldError):
    """A team change refused as asked; the message says why (in the reader's language)."""


class LinkError(Exception):
    """An invitation link that does not (or no longer) work: `reason` is forged, expired,
    used or withdrawn."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# --- reading -------------------------------------------------------------------------------

def members() -> list[User]:
    """Everyone with an account: active people first, then by role and name."""
    return list(db.session.scalars(db.select(User).order_by(
        User.active.desc(), User.role, func.lower(User.name), User.id)))


def open_invitations() -> list[Invitation]:
    return list(db.session.scalars(
        db.select(Invitation).where(Invitation.accepted_at.is_(None),
                                    Invitation.withdrawn_at.is_(None))
        .order_by(Invitation.sent_at.desc(), Invitation.id.desc())))


def get_member(user_id: int) -> User:
    return db.get_or_404(User, user_id)


def get_open_invitation(invitation_id: int) -> Invitation:
    invitation = db.get_or_404(Invitation, invitation_id)
    if not invitation.is_open:
        abort(404)
    return invitation


def expires_at(invitation: Invitation):
    return invitation.sent_at + INVITATION_LIFETIME


# --- invitations ---------------------------------------------------------------------------

def invite(email: str, *, role: str, language: str, actor: User) -> Invitation:
    email = _valid_email(email)
    _valid_role(role)
    existing = find_by_email(email)
    if existing is not None:
        if existing.active:
            raise TeamError("email", _l(
                "%(email)s is already in the team. To give them another role, change it "
                "in the list of members.", email=existing.email), status=409)
        raise TeamError("email", _l(
            "%(email)s had an account that was removed; it cannot be invited again.",
            email=existing.email), status=409)
    if _open_invitation_for(email) is not None:
        raise TeamError("email", _l(
            "%(email)s is already invited. Send the invitation again from the list of "
            "invitations if it got lost.", email=email), status=409)
    invitation = Invitation(email=email, role=role, language=language,
                            nonce=secrets.token_hex(16), invited_by=actor, sent_at=utcnow())
    db.session.add(invitation)
    db.session.flush()
    audit.record("team.invited", actor=actor, target=invitation, email=email, role=role)
    _send(invitation, actor)
    db.session.commit()
    return invitation


def resend(invitation: Invitation, *, actor: User) -> Invitation:
    """A new link (and seven days from now); the link sent before stops working."""
    invitation.nonce = secrets.token_hex(16)
    invitation.sent_at = utcnow()
    audit.record("team.invitation_resent", actor=actor, target=invitation,
                 email=invitation.email, role=invitation.role)
    _send(invitation, actor)
    db.session.commit()
    return invitation


def withdraw(invitation: Invitation, *, actor: User) -> None:
    invitation.withdrawn_at = utcnow()
    audit.record("team.invitation_withdrawn", actor=actor, target=invitation,
                 email=invitation.email, role=invitation.role)
    db.session.commit()


def invitation_url(invitation: Invitation) -> str:
    token = _serializer().dumps([invitation.id, invitation.nonce])
    return links.absolute(f"/join/{token}")


def invitation_for_token(token: str, *, lock: bool = False) -> Invitation:
    """The open invitation this link names, or LinkError saying why the link is dead."""
    try:
        invitation_id, nonce = _serializer().loads(
            token, max_age=int(INVITATION_LIFETIME.total_seconds()))
    except SignatureExpired:
        raise LinkError("expired") from None
    except (BadSignature, ValueError, TypeError):
        raise LinkError("forged") from None
    if not isinstance(invitation_id, int):
        raise LinkError("forged")
    query = db.select(Invitation).where(Invitation.id == invitation_id)
    invitation = db.session.scalar(query.with_for_update() if lock else query)
    if invitation is None:
        raise LinkError("forged")
    if invitation.accepted_at is not None:
        raise LinkError("used")
    if invitation.withdrawn_at is not None:
        raise LinkError("withdrawn")
    if not secrets.compare_digest(str(nonce), invitation.nonce):
        raise LinkError("replaced")
    return invitation


def accept(token: str, *, name: str, password: str) -> User:
    """The invitee's account, made from the link; the link works only this once."""
    invitation = invitation_for_token(token, lock=True)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise TeamError("password", PASSWORD_TOO_SHORT)
    if not name.strip():
        raise TeamError("name", _l("Please enter your name."))
    if find_by_email(invitation.email) is not None:
        # Made by hand (flask create-user) since the invitation went out.
        raise TeamError("name", _l("An account with this e-mail exists already; please log "
                                   "in instead."), status=409)
    user = User(email=invitation.email, role=invitation.role, name=name.strip(),
                locale=invitation.language)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    invitation.accepted_at = utcnow()
    invitation.user_id = user.id
    audit.record("team.joined", actor=user, target=user, role=user.role,
                 invitation_id=invitation.id)
    db.session.commit()
    return user


# --- members -------------------------------------------------------------------------------

def change_role(user: User, role: str, *, actor: User) -> bool:
    """False when the role is already the one asked for (nothing recorded)."""
    _valid_role(role)
    if not user.active:
        raise TeamError("role", _l("This account was removed; its role cannot change."))
    if user.role == role:
        return False
    if user.role == ORGANISER:
        _keep_an_organiser(user, _l("%(name)s is the last organiser and must stay one: "
                                    "make someone else organiser first.", name=user.name))
    before, user.role = user.role, role
    audit.record("team.role_changed", actor=actor, target=user, before=before, after=role)
    db.session.commit()
    return True


def remove(user: User, *, actor: User) -> None:
    """Deactivate: the person can no longer log in (sessions and API tokens included, see
    auth.access), while everything they did keeps their name."""
    if not user.active:
        raise TeamError("user", _l("This account was removed already."))
    if user.role == ORGANISER:
        _keep_an_organiser(user, _l("%(name)s is the last organiser and cannot be removed: "
                                    "make someone else organiser first.", name=user.name))
    user.active = False
    audit.record("team.removed", actor=actor, target=user, role=user.role)
    db.session.commit()


def _keep_an_organiser(leaving: User, message) -> None:
    # Lock every active organiser: two organisers demoting each other at the same moment
    # must not both succeed and leave nobody.
    organisers = db.session.scalars(db.select(User.id).where(
        User.role == ORGANISER, User.active.is_(True)).with_for_update()).all()
    if set(organisers) - {leaving.id} == set():
        db.session.rollback()
        raise TeamError("role", message, status=409)


# --- helpers -------------------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _valid_email(email: str) -> str:
    try:
        return validate_email((email or "").strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise TeamError("email", _l("Please enter a valid e-mail address, such as "
                                    "name@example.org.")) from None


def _valid_role(role: str) -> None:
    if role not in ROLES:
        raise TeamError("role", _l("Please choose one of the roles."))


def _open_invitation_for(email: str) -> Invitation | None:
    return db.session.scalar(db.select(Invitation).where(
        func.lower(Invitation.email) == normalise_email(email),
        Invitation.accepted_at.is_(None), Invitation.withdrawn_at.is_(None)))


def _send(invitation: Invitation, actor: User) -> None:
    outbox.queue(compose.invitation(invitation, inviter=actor.name,
                                    url=invitation_url(invitation),
                                    expires_at=expires_at(invitation)))
