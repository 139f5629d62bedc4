"""Fixtures for the registration tests: a real SMTP server (aiosmtpd), the mail written to
.eml files, and a small helper to register through the public page."""

import email
import socket
import threading
from email import policy
from pathlib import Path

import pytest
from conftest import csrf_token

from summit.extensions import db
from summit.models import OutboxMessage, Registration
from summit.services.mail import outbox


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    """aiosmtpd on a free local port; `messages` holds what it received (parsed)."""

    def __init__(self, port: int | None = None, *, smtputf8: bool = False):
        self.port = port or free_port()
        self.smtputf8 = smtputf8  # offer SMTPUTF8 (RFC 6531) in the EHLO answer
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.raw: list[bytes] = []  # each message as it came over the wire
        self._lock = threading.Lock()
        self.controller = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        with self._lock:
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.raw.append(envelope.original_content)
            self.messages.append(email.message_from_bytes(envelope.original_content,
                                                          policy=policy.default))
        return "250 OK"

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port,
                                     enable_SMTPUTF8=self.smtputf8)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server():
    server = SmtpServer().start()
    yield server
    server.stop()


def deliver(app, **kwargs) -> outbox.DeliveryReport:
    with app.app_context():
        return outbox.deliver_due(app.config, **kwargs)


def eml_messages(app) -> list[email.message.EmailMessage]:
    """Every .eml file in the mail folder, oldest first."""
    folder = Path(app.config["SUMMIT_MAIL_DIR"])
    files = sorted(folder.glob("*.eml"), key=lambda path: int(path.stem))
    return [email.message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in files]


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def ics_of(message):
    import icalendar

    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            return icalendar.Calendar.from_ical(part.get_payload(decode=True))
    return None


def counts(app) -> tuple[int, int]:
    """(registrations, outbox rows): what a refused request must leave unchanged."""
    with app.app_context():
        return (db.session.scalar(db.select(db.func.count()).select_from(Registration)),
                db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)))


def registration_by_email(app, address: str) -> dict:
    with app.app_context():
        registration = db.session.scalar(db.select(Registration).where(
            Registration.email_normalised == address.lower()))
        return None if registration is None else {
            "id": registration.id, "status": registration.status,
            "token": registration.manage_token, "language": registration.language,
            "first_name": registration.first_name, "category_id": registration.category_id}


def register_on_page(client, slug="test-summit", headers=None, **fields):
    """Fill in the public form as a browser would (GET for the token, then POST)."""
    page = client.get(f"/events/{slug}/register", headers=headers or {})
    data = {"first_name": "Zoë", "last_name": "Müller", "email": "zoe@example.org",
            "organisation": "Lernbrücke", "language": "en", "needs": "", "consent": "y",
            "csrf_token": csrf_token(page)}
    if "category" not in fields:
        import re

        match = re.search(rb'<option[^>]*value="(\d+)"', page.data)
        data["category"] = match.group(1).decode()
    data.update(fields)
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(f"/events/{slug}/register", data=data, headers=headers or {})
