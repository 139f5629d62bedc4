"""The outbox: mail is queued in the caller's transaction and delivered later.

A message is queued together with the change that caused it, so a registration and its
confirmation mail commit (or roll back) together; delivery happens afterwards and may fail
and retry without touching the registration. Two senders may run at once: each message is
claimed with a conditional UPDATE before it is sent, so only one of them sends it.

Recipients are kept as people wrote them (info@münchen.de); addresses.py gives the form
that travels. A message to an address that needs SMTPUTF8 fails at once, with its reason,
when the server does not offer it: no retry would change that.
"""

import os
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.policy import SMTP, compat32
from email.utils import getaddresses, parseaddr
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app
from sqlalchemy import bindparam, insert
from sqlalchemy.orm.exc import StaleDataError

from ...extensions import db
from ...models import OutboxMessage, utcnow
from . import addresses

PENDING, SENT, FAILED = "pending", "sent", "failed"
MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 3600
# A claimed message is not due again for this long: a sender that dies mid-send leaves it
# to be retried later rather than lost, and a live sender never races another.
CLAIM_SECONDS = 300
# The server answered but refused this one message: try the next message at once.
REFUSED = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused)
# Registration asks the server whether it takes SMTPUTF8 while the person waits: briefly.
PROBE_TIMEOUT_SECONDS = 5.0


class Undeliverable(ValueError):
    """This message can never go through this transport as it is configured."""


@dataclass(frozen=True)
class Wire:
    """A message as the outbox stores it: its recipients, its subject and its bytes."""

    recipient: str
    subject: str
    data: bytes


def wire(message: Message) -> Wire:
    """Serialise the message for the outbox: the costly part of queueing, no database."""
    # raw_items: compat32's get_all would turn a UTF-8 address into replacement characters.
    to = [addresses.header_text(value) for name, value in message.raw_items()
          if name.lower() == "to"]
    recipients = [addresses.parse(address).address for _name, address in getaddresses(to)]
    subject = str(make_header(decode_header(str(message["Subject"] or ""))))
    return Wire(", ".join(recipients)[:254], subject[:300],
                message.as_bytes(policy=_wire_policy(message)))


def queue(message: Message) -> OutboxMessage:
    """Add the message to the outbox in the current transaction (the caller commits)."""
    prepared = wire(message)
    row = OutboxMessage(
        recipient=prepared.recipient, subject=prepared.subject, message=prepared.data,
        status=PENDING, attempts=0, next_attempt_at=utcnow(),
    )
    db.session.add(row)
    return row


def queue_to_compose(composer: str, *, recipient: str, registration_id: int,
                     waitlist_position: int | None = None, connection=None) -> None:
    """Add mail the sender composes before its first attempt (compose.composed names what
    `composer` stands for), in the current transaction like `queue`: the session's, or that
    of the Core `connection` given (the sign-up's busy path)."""
    queue_all_to_compose(composer, [(recipient, registration_id, waitlist_position)],
                         connection=connection)


def queue_all_to_compose(composer: str, mails: list[tuple[str, int, int | None]], *,
                         connection=None) -> None:
    """queue_to_compose for many (recipient, registration id, waiting-list position) at
    once: one batched INSERT (an import's thousands of confirmations)."""
    if not mails:
        return
    now = utcnow()
    (connection or db.session).execute(_to_compose(), [
        {"recipient": recipient[:254], "composer": composer,
         "registration_id": registration_id, "waitlist_position": position, "now": now}
        for recipient, registration_id, position in mails])


@cache
def _to_compose():
    table = OutboxMessage.__table__
    return insert(table).values(
        recipient=bindparam("recipient"), subject="", message=None,
        composer=bindparam("composer"), registration_id=bindparam("registration_id"),
        waitlist_position=bindparam("waitlist_position"), status=PENDING, attempts=0,
        next_attempt_at=bindparam("now"), created_at=bindparam("now"))


def _wire_policy(message: Message):
    """CRLF line ends, in the message's own header model (EmailMessage or compat32)."""
    return SMTP if isinstance(message, EmailMessage) else compat32.clone(linesep="\r\n")


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min ... at most an hour."""
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0),
                                 MAX_RETRY_SECONDS))


@dataclass
class DeliveryReport:
    sent: list[tuple[int, str, str]] = field(default_factory=list)
    retrying: list[tuple[int, str, str]] = field(default_factory=list)  # id, recipient, error
    failed: list[tuple[int, str, str]] = field(default_factory=list)  # gave up
    # Mail composed late that was no longer true (compose.composed): id, recipient, why.
    withdrawn: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.sent) + len(self.retrying) + len(self.failed) + len(self.withdrawn)


class _Transport:
    """SMTP when SUMMIT_MAIL_URL is set (one connection per run), else .eml files."""

    def __init__(self, config):
        self.url = (config.get("SUMMIT_MAIL_URL") or "").strip()
        self.mail_dir = Path(config["SUMMIT_MAIL_DIR"])
        self.sender = parseaddr(config.get("SUMMIT_MAIL_FROM", ""))[1] or "noreply@localhost"
        self.timeout = float(config.get("SUMMIT_MAIL_TIMEOUT", 10))
        self.smtp: smtplib.SMTP | None = None
        self.smtputf8 = False  # what the connected server offers

    def send(self, row: OutboxMessage) -> None:
        if not self.url:
            self._write_file(row)  # a file takes any address
            return
        if self.smtp is None:
            self.smtp = self._connect()
        mailboxes = [addresses.parse(address.strip())
                     for address in row.recipient.split(",") if address.strip()]
        options = []
        if any(mailbox.needs_smtputf8 for mailbox in mailboxes):
            if not self.smtputf8:
                raise Undeliverable(
                    "the mail server does not offer SMTPUTF8, which an address with "
                    f"characters beyond ASCII before the @ needs ({row.recipient})")
            options.append("SMTPUTF8")
        self.smtp.sendmail(self.sender, [mailbox.wire for mailbox in mailboxes], row.message,
                           mail_options=options)

    def _write_file(self, row: OutboxMessage) -> None:
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        target = self.mail_dir / f"{row.id}.eml"
        partial = self.mail_dir / f".{row.id}.eml.partial"
        partial.write_bytes(row.message)
        os.replace(partial, target)  # readers never see half a message

    def _connect(self) -> smtplib.SMTP:
        parts = urlsplit(self.url)
        options = {key: values[-1].lower() for key, values in parse_qs(parts.query).items()}
        host = parts.hostname or "localhost"
        context = ssl.create_default_context()
        if parts.scheme == "smtps":
            smtp = smtplib.SMTP_SSL(host, parts.port or 465, timeout=self.timeout,
                                    context=context)
        elif parts.scheme in {"smtp", "smtp+starttls"}:
            smtp = smtplib.SMTP(host, parts.port or 25, timeout=self.timeout)
            if parts.scheme == "smtp+starttls" or options.get("starttls") in {"1", "true", "yes"}:
                smtp.starttls(context=context)
        else:
            raise ValueError(f"SUMMIT_MAIL_URL: unsupported scheme {parts.scheme!r}")
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        smtp.ehlo_or_helo_if_needed()  # (again after STARTTLS) for the extensions offered
        self.smtputf8 = smtp.has_extn("smtputf8")
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None


class Reach:
    """Whether the configured transport can deliver to an address at all.

    Only an address with characters beyond ASCII before the @ can be out of reach: .eml files
    take it, an SMTP server only if it offers SMTPUTF8. The server is asked once per Reach,
    and only when such an address comes. A server that cannot be asked now gets the benefit
    of the doubt: the outbox keeps the message and records why if it cannot be sent.
    """

    def __init__(self, app_config):
        self.config = app_config
        self.smtputf8: bool | None = None  # None: not asked yet, or no answer

    def can_deliver(self, address: str) -> bool:
        if not addresses.needs_smtputf8(address):
            return True
        if self.smtputf8 is None:
            self.smtputf8 = self._ask()
        return self.smtputf8 is not False

    def _ask(self) -> bool | None:
        transport = _Transport(self.config)
        if not transport.url:
            return True
        transport.timeout = min(transport.timeout, PROBE_TIMEOUT_SECONDS)
        try:
            transport.smtp = transport._connect()
            return transport.smtputf8
        except (OSError, ValueError):  # unreachable or misconfigured: no answer now
            return None
        finally:
            transport.close()


def deliver_due(app_config, *, now: datetime | None = None, limit: int = 200,
                max_attempts: int | None = None) -> DeliveryReport:
    """Send the messages that are due; needs an app context. Returns what happened."""
    now = now or utcnow()
    max_attempts = max_attempts or int(app_config.get("SUMMIT_MAIL_MAX_ATTEMPTS", MAX_ATTEMPTS))
    report = DeliveryReport()
    transport = _Transport(app_config)
    due_ids = list(db.session.scalars(
        db.select(OutboxMessage.id)
        .where(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)))
    db.session.commit()  # end the read so that the claims below start fresh transactions
    try:
        for message_id in due_ids:
            if not _claim(message_id, now):
                continue  # another sender has it
            row = db.session.get(OutboxMessage, message_id)
            if row is None:
                continue  # deleted since (its registration erased or deleted)
            if row.message is None and not _compose(row, max_attempts, report):
                continue
            try:
                transport.send(row)
            except Undeliverable as exc:
                _record_failure(message_id, exc, 0, report)  # no retry can help: failed now
                continue
            except (OSError, ValueError) as exc:  # smtplib's errors are OSErrors too
                transport.close()
                _record_failure(message_id, exc, max_attempts, report)
                if not isinstance(exc, REFUSED):
                    break  # the server is unreachable: the rest waits for the next run
                continue
            sent = (row.id, row.recipient, row.subject)
            row.status, row.sent_at, row.last_error = SENT, utcnow(), ""
            _commit_unless_deleted()
            report.sent.append(sent)
    finally:
        transport.close()
        db.session.rollback()
    return report


def _compose(row: OutboxMessage, max_attempts: int, report: DeliveryReport) -> bool:
    """Build a message queued as what to compose, and keep it: every retry then sends the same
    bytes (one Message-ID). A failure is recorded like a failed send, and retried; mail that
    is no longer true is withdrawn (deleted, and reported)."""
    from .compose import composed  # compose queues through this module: imported when used

    message_id, recipient = row.id, row.recipient
    try:
        message = composed(row.composer, row.registration_id,
                           waitlist_position=row.waitlist_position)
        prepared = None if message is None else wire(message)
    except Exception as exc:  # a message that cannot be built must not stop the others
        current_app.logger.exception("could not compose outbox message %s", message_id)
        _record_failure(message_id, exc, max_attempts, report)
        return False
    if prepared is None:
        db.session.delete(row)
        if _commit_unless_deleted():
            report.withdrawn.append((message_id, recipient, "the registration was cancelled "
                                     "before its confirmation went out"))
        return False
    row.recipient, row.subject, row.message = (prepared.recipient, prepared.subject,
                                               prepared.data)
    return _commit_unless_deleted()


def _commit_unless_deleted() -> bool:
    """Commit the row's change; False if the row was deleted meanwhile (an erasure)."""
    try:
        db.session.commit()
        return True
    except StaleDataError:
        db.session.rollback()
        return False


def _claim(message_id: int, now: datetime) -> bool:
    """Take the message for this sender: a conditional UPDATE only one sender can win."""
    table = OutboxMessage.__table__
    result = db.session.execute(
        table.update()
        .where(table.c.id == message_id, table.c.status == PENDING,
               table.c.next_attempt_at <= now)
        .values(next_attempt_at=utcnow() + timedelta(seconds=CLAIM_SECONDS),
                attempts=table.c.attempts + 1))
    db.session.commit()
    return result.rowcount == 1


def _record_failure(message_id: int, exc: Exception, max_attempts: int,
                    report: DeliveryReport) -> None:
    db.session.rollback()
    row = db.session.get(OutboxMessage, message_id, populate_existing=True)
    if row is None:
        return  # deleted meanwhile: nothing left to retry
    row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if row.attempts >= max_attempts:
        row.status = FAILED
        report.failed.append((row.id, row.recipient, row.last_error))
    else:
        row.next_attempt_at = utcnow() + retry_delay(row.attempts)
        report.retrying.append((row.id, row.recipient, row.last_error))
    db.session.commit()


def pending_count() -> int:
    return db.session.scalar(
        db.select(db.func.count()).select_from(OutboxMessage)
        .where(OutboxMessage.status == PENDING)) or 0
