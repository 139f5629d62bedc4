"""The attendee's mails, composed in their language: text with an HTML alternative, the
manage link, and for a confirmed place the link to the badge and the event as an .ics
attachment."""

import uuid
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ...extensions import db
from ...i18n import format_date, format_date_range
from ...models import CANCELLED, CONFIRMED, Registration, User, localised, utcnow
from ..platform import theme
from ..programme import calendars
from . import addresses, links, outbox


def confirmation(registration: Registration, *, waitlist_position: int | None):
    """Sent on registering: a confirmed place (waitlist_position None), or a place on the
    waiting list at that position, as it was at sign-up: a sign-up queues it for the sender
    to compose (`queue_confirmation`), and a move up the list has its own mail."""
    confirmed = waitlist_position is None
    with force_locale(registration.language):
        if confirmed:
            subject = _("Your registration for %(event)s is confirmed",
                        event=_event_name(registration))
        else:
            subject = _("You are on the waiting list for %(event)s",
                        event=_event_name(registration))
        return _compose(registration, "confirmation", subject, confirmed=confirmed,
                        with_calendar=confirmed, waitlist_position=waitlist_position)


CONFIRMATION = "registration.confirmation"  # the outbox's name for it


def queue_confirmation(registration: Registration, *,
                       waitlist_position: int | None = None) -> None:
    """Queue the confirmation in the sign-up's transaction, for the sender to compose: the
    templates, the calendar file and the MIME serialisation (most of a sign-up's work) stay
    out of a burst of sign-ups. `registration` must have its id (flushed)."""
    queue_confirmations([(registration, waitlist_position)])


def queue_confirmations(people: list[tuple[Registration, int | None]]) -> None:
    """queue_confirmation for many (registration, waiting-list position): one INSERT."""
    outbox.queue_all_to_compose(CONFIRMATION, [
        (registration.email, registration.id, position) for registration, position in people])


def composed(composer: str, registration_id: int, *,
             waitlist_position: int | None) -> Message | None:
    """The message a row queued by `queue_confirmation` stands for (the sender asks); None
    once it is no longer true: the registration was cancelled before the sender came to it
    (the cancellation's own mail tells the person)."""
    if composer != CONFIRMATION:
        raise ValueError(f"no such mail to compose: {composer!r}")
    registration = db.session.get(Registration, registration_id)
    if registration is None:  # the foreign key deletes the row with its registration
        raise ValueError(f"registration {registration_id} no longer exists")
    if registration.status == CANCELLED:
        return None
    return confirmation(registration, waitlist_position=waitlist_position)


def promoted(registration: Registration):
    """A place became free and the person moved up from the waiting list."""
    with force_locale(registration.language):
        subject = _("Good news: your place at %(event)s is confirmed",
                    event=_event_name(registration))
        return _compose(registration, "promoted", subject, confirmed=True,
                        with_calendar=True)


def cancelled(registration: Registration):
    with force_locale(registration.language):
        subject = _("Your registration for %(event)s is cancelled",
                    event=_event_name(registration))
        return _compose(registration, "cancelled", subject, confirmed=False)


def manage_link(registration: Registration):
    with force_locale(registration.language):
        subject = _("Your link to manage your registration for %(event)s",
                    event=_event_name(registration))
        return _compose(registration, "manage_link", subject,
                        confirmed=registration.status == CONFIRMED)


def _event_name(registration: Registration) -> str:
    return localised(registration.event, "name", registration.language)


def password_reset(user: User, reset_url: str, *, language: str) -> Message:
    """The link to set a new password, for someone who logs in (not an attendee)."""
    with force_locale(language):
        subject = _("Set a new password for Summit")
        context = {"user": user, "reset_url": reset_url, "subject": subject,
                   "language": language, "colours": theme.palette(None)}
        body = MIMEMultipart("alternative")
        body.attach(MIMEText(render_template("email/password_reset.txt", **context),
                             "plain", "utf-8"))
        body.attach(MIMEText(render_template("email/password_reset.html", **context),
                             "html", "utf-8"))
        return _address(body, subject, user.name, user.email, language)


def _compose(registration: Registration, template: str, subject: str, *, confirmed: bool,
             with_calendar: bool = False, **context) -> Message:
    event = registration.event
    language = registration.language
    context.update(
        registration=registration, event=event, subject=subject, confirmed=confirmed,
        category=registration.category.display_name(language),
        dates=format_date_range(event.starts_on, event.ends_on, locale=language),
        manage_url=links.manage_url(registration), event_url=links.event_url(event.slug),
        # A link rather than an attachment: a PDF would make every mail longer.
        badge_url=links.badge_url(registration) if confirmed else None,
        colours=theme.palette(event.primary_colour),  # mail takes no stylesheet: inlined
    )
    # The compat32 MIME classes: the same standard message as EmailMessage builds, in a
    # fraction of the time.
    body = MIMEMultipart("alternative", boundary=_boundary())
    body.attach(MIMEText(render_template(f"email/{template}.txt", **context), "plain", "utf-8"))
    body.attach(MIMEText(render_template(f"email/{template}.html", **context), "html", "utf-8"))
    if with_calendar:
        message = MIMEMultipart("mixed", boundary=_boundary())
        message.attach(body)
        # The same file as the manage page offers, so both update one calendar entry.
        calendar = MIMEText(calendars.registration_calendar(registration).decode(),
                            "calendar", "utf-8")
        calendar.set_param("method", "PUBLISH")
        calendar.add_header("Content-Disposition", "attachment", filename=f"{event.slug}.ics")
        message.attach(calendar)
    else:
        message = body
    return _address(message, subject, registration.full_name, registration.email, language)


def _boundary() -> str:
    """A multipart boundary made up front: the generator would otherwise search every part's
    text for a free one, a regular expression compiled per message. "_" is not in base64,
    the encoding of every part here, so no part can contain it."""
    return f"=_{uuid.uuid4().hex}"


def invitation(invitation, *, inviter: str, url: str, expires_at) -> Message:
    """An invitation to the team: the link where the invitee chooses a name and password,
    in the language the organiser chose for them."""
    from ..platform.team import role_label  # team queues this mail: imported when used

    with force_locale(invitation.language):
        subject = _("You are invited to the Summit team")
        context = {"subject": subject, "inviter": inviter, "url": url,
                   "role": role_label(invitation.role), "language": invitation.language,
                   "expires": format_date(expires_at),
                   "colours": theme.palette(None)}
        body = MIMEMultipart("alternative")
        body.attach(MIMEText(render_template("email/invitation.txt", **context),
                             "plain", "utf-8"))
        body.attach(MIMEText(render_template("email/invitation.html", **context),
                             "html", "utf-8"))
    return _address(body, subject, "", invitation.email, invitation.language)


def _address(message: Message, subject: str, name: str, email: str, language: str) -> Message:
    message["Subject"] = Header(subject, "utf-8")
    message["From"] = current_app.config["SUMMIT_MAIL_FROM"]
    message["To"] = addresses.recipient_header(name, email)
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain="summit.localhost")
    message["Content-Language"] = language
    return message
