"""Pitch decks: a PDF, checked to be one, kept in the database and handed only to those
who may read it.

Why the database and not a folder: Summit may run on several app machines behind one
database; a file written to one machine's disk is missing on the others, while a row is
seen by all and is part of every database backup. Decks are few (one per application) and
small (DECK_MAX_BYTES), and their bytes are a deferred column in their own table, so no
list of applications ever loads them.
"""

from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import Forbidden

from ...extensions import db
from ...models import ACCEPTED, Application, ApplicationDeck, User
from ..errors import FieldError

DECK_MAX_BYTES = 10 * 1024 * 1024
NOT_A_PDF = _l("Please upload your pitch deck as a PDF file.")
TOO_LARGE = _l("The file is too large: a pitch deck may be at most 10 MB.")


def checked(filename: str, content: bytes) -> ApplicationDeck:
    """A deck row for these bytes, or FieldError('deck'): nothing is stored for a refusal."""
    if len(content) > DECK_MAX_BYTES:
        raise FieldError("deck", TOO_LARGE)
    if not content.startswith(b"%PDF-"):
        raise FieldError("deck", NOT_A_PDF)
    pages = page_count(content)
    if pages is None or pages < 1:
        raise FieldError("deck", NOT_A_PDF)
    name = "".join(ch for ch in (filename or "") if ch.isprintable() and ch not in '/\\"')
    name = name.strip()[-120:] or "deck.pdf"
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return ApplicationDeck(filename=name, size=len(content), pages=pages, content=content)


def page_count(content: bytes) -> int | None:
    import pypdfium2  # a C library: loaded only when a deck is checked

    try:
        document = pypdfium2.PdfDocument(content)
    except pypdfium2.PdfiumError:
        return None
    try:
        return len(document)
    finally:
        document.close()


def may_read(application: Application, user: User | None) -> bool:
    """Organisers; jurors assigned to it and not in conflict; after acceptance, the
    moderators of the session it pitches in."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.has_role("organiser"):
        return True
    if user.has_role("jury"):
        # The jury's own rule (assigned, no conflict, still in review), so a withdrawn
        # application's deck closes with its page.
        from .jury import check_assigned
        try:
            check_assigned(application, user)
        except Forbidden:
            return False
        return True
    if user.has_role("moderator") and application.status == ACCEPTED and application.pitch_id:
        from ...models import ModeratorAssignment, Pitch
        return db.session.scalar(
            db.select(ModeratorAssignment.id).join(
                Pitch, Pitch.session_id == ModeratorAssignment.session_id)
            .where(Pitch.id == application.pitch_id,
                   ModeratorAssignment.user_id == user.id)) is not None
    return False


def content_of(deck: ApplicationDeck) -> bytes:
    return deck.content


def for_sessions(session_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """{session id: [(application id, pitch title)]} of the accepted applications with a
    deck that pitch in these sessions: what their moderators may download."""
    from ...models import Pitch

    if not session_ids:
        return {}
    rows = db.session.execute(
        db.select(Pitch.session_id, Application.id, Pitch.title)
        .join(Application, Application.pitch_id == Pitch.id)
        .join(ApplicationDeck, ApplicationDeck.application_id == Application.id)
        .where(Pitch.session_id.in_(session_ids), Application.status == ACCEPTED)
        .order_by(Pitch.session_id, Pitch.position))
    found: dict[int, list[tuple[int, str]]] = {}
    for session_id, application_id, title in rows:
        found.setdefault(session_id, []).append((application_id, title))
    return found
