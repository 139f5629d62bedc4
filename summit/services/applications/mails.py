"""The applicant's mails, in their language: the confirmation with the manage link, the
withdrawal, and the decision (accepted, reserve list, declined)."""

from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ...models import Application, localised
from ..mail import links
from ..mail.compose import _address
from ..platform import theme


def manage_url(application: Application) -> str:
    return links.absolute(f"/a/{application.manage_token}")


def confirmation(application: Application) -> Message:
    with force_locale(application.language):
        subject = _("We have received your application for %(event)s",
                    event=_event_name(application))
        return _compose(application, "application_received", subject)


def withdrawn(application: Application) -> Message:
    with force_locale(application.language):
        subject = _("Your application for %(event)s is withdrawn",
                    event=_event_name(application))
        return _compose(application, "application_withdrawn", subject)


def decision(application: Application) -> Message:
    """The mail for the application's current decision (accepted, reserve or rejected)."""
    with force_locale(application.language):
        subjects = {
            "accepted": _("You are invited to pitch at %(event)s", event=_event_name(application)),
            "reserve": _("Your application for %(event)s is on the reserve list",
                         event=_event_name(application)),
            "rejected": _("Your application for %(event)s", event=_event_name(application)),
        }
        return _compose(application, "application_decision", subjects[application.status])


def decision_text(application: Application) -> tuple[str, str]:
    """(subject, plain text) of the decision mail, for the organiser to check first."""
    with force_locale(application.language):
        message = decision(application)
    text = message.get_payload()[0].get_payload(decode=True).decode("utf-8")
    from email.header import decode_header, make_header
    return str(make_header(decode_header(str(message["Subject"])))), text


def _event_name(application: Application) -> str:
    return localised(application.event, "name", application.language)


def _compose(application: Application, template: str, subject: str) -> Message:
    event = application.event
    context = {"application": application, "event": event, "subject": subject,
               "event_name": _event_name(application),
               "language": application.language, "manage_url": manage_url(application),
               "event_url": links.event_url(event.slug),
               "colours": theme.palette(event.primary_colour)}
    body = MIMEMultipart("alternative")
    body.attach(MIMEText(render_template(f"email/{template}.txt", **context), "plain", "utf-8"))
    body.attach(MIMEText(render_template(f"email/{template}.html", **context), "html", "utf-8"))
    return _address(body, subject, application.full_name, application.email,
                    application.language)
