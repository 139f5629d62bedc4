"""The attendee's mails, composed in their language: text with an HTML alternative, the
manage link, and for a confirmed place the link to the badge and the event as an .ics
attachment."""

from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ...i18n import format_date, format_date_range
from ...models import CONFIRMED, Registration, User, localised, utcnow
from ..platform import theme
from ..programme import calendars
from . import addresses, links


def confirmation(registration: Registration, *, waitlist_position: int | None = None):
    """Sent on registering: a confirmed place, or a place on the waiting list."""
    with force_locale(registration.language):
        if registration.status == CONFIRMED:
            subject = _("Your registration for %(event)s is confirmed",
                        event=_event_name(registration))
        else:
            subject = _("You are on the waiting list for %(event)s",
                        event=_event_name(registration))
        return _compose(registration, "confirmation", subject,
                        with_calendar=registration.status == CONFIRMED,
                        waitlist_position=waitlist_position)


def promoted(registration: Registration):
    """A place became free and the person moved up from the waiting list."""
    with force_locale(registration.language):
        subject = _("Good news: your place at %(event)s is confirmed",
                    event=_event_name(registration))
        return _compose(registration, "promoted", subject, with_calendar=True)


def cancelled(registration: Registration):
    with force_locale(registration.language):
        subject = _("Your registration for %(event)s is cancelled",
                    event=_event_name(registration))
        return _compose(registration, "cancelled", subject)


def manage_link(registration: Registration):
    with force_locale(registration.language):
        subject = _("Your link to manage your registration for %(event)s",
                    event=_event_name(registration))
        return _compose(registration, "manage_link", subject)


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


def _compose(registration: Registration, template: str, subject: str, *,
             with_calendar: bool = False, **context) -> Message:
    event = registration.event
    language = registration.language
    context.update(
        registration=registration, event=event, subject=subject,
        category=registration.category.display_name(language),
        dates=format_date_range(event.starts_on, event.ends_on, locale=language),
        manage_url=links.manage_url(registration), event_url=links.event_url(event.slug),
        # A link rather than an attachment: mail is composed inside the sign-up's
        # transaction, and rendering a PDF there would hold the category lock longer.
        badge_url=links.badge_url(registration) if registration.status == CONFIRMED else None,
        colours=theme.palette(event.primary_colour),  # mail takes no stylesheet: inlined
    )
    # The compat32 MIME classes: the same standard message as EmailMessage builds, in a
    # fraction of the time, which matters because mail is composed inside the sign-up.
    body = MIMEMultipart("alternative")
    body.attach(MIMEText(render_template(f"email/{template}.txt", **context), "plain", "utf-8"))
    body.attach(MIMEText(render_template(f"email/{template}.html", **context), "html", "utf-8"))
    if with_calendar:
        message = MIMEMultipart("mixed")
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
