"""Mail delivery through the outbox against a real SMTP server (aiosmtpd)."""

import threading
from datetime import timedelta
from email.message import EmailMessage

from registration_fixtures import *  # noqa: F403
from registration_fixtures import SmtpServer, deliver, eml_messages, free_port

from summit.extensions import db
from summit.models import OutboxMessage, utcnow
from summit.services.mail import outbox


def api_register(client, email="ada@example.org", **fields):
    body = {"first_name": "Ada", "last_name": "Lovelace", "email": email,
            "category": "Attendee", "consent": True} | fields
    return client.post("/api/v1/events/test-summit/registrations", json=body)


def outbox_rows(app) -> list[dict]:
    with app.app_context():
        return [{"id": row.id, "status": row.status, "attempts": row.attempts,
                 "next_attempt_at": row.next_attempt_at, "last_error": row.last_error}
                for row in db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id))]


def test_send_mail_delivers_over_smtp(app, client, runner, make_event, smtp_server):
    make_event()
    app.config["SUMMIT_MAIL_URL"] = smtp_server.url
    assert api_register(client).status_code == 201
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "sent #1 to ada@example.org" in result.output and "1 sent" in result.output
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["Subject"] == "Your registration for Test Summit is confirmed"
    assert smtp_server.envelopes[0] == ("noreply@summit.localhost", ["ada@example.org"])
    assert [row["status"] for row in outbox_rows(app)] == ["sent"]
    again = runner.invoke(args=["send-mail"])
    assert "0 sent" in again.output and len(smtp_server.messages) == 1
    assert not eml_messages(app)  # SMTP configured: no files


def test_smtp_down_registration_succeeds_and_mail_goes_out_once_it_is_back(app, client,
                                                                           make_event):
    make_event()
    port = free_port()  # nothing listens here yet
    app.config["SUMMIT_MAIL_URL"] = f"smtp://127.0.0.1:{port}"
    response = api_register(client)
    assert response.status_code == 201 and response.get_json()["status"] == "confirmed"

    before = utcnow()
    report = deliver(app)
    assert not report.sent and len(report.retrying) == 1
    [row] = outbox_rows(app)
    assert row["status"] == "pending" and row["attempts"] == 1
    assert row["next_attempt_at"] > before + timedelta(seconds=20)
    assert row["last_error"]
    assert deliver(app).total == 0  # not due again before the back-off has passed

    server = SmtpServer(port).start()
    try:
        report = deliver(app, now=row["next_attempt_at"] + timedelta(seconds=1))
        assert len(report.sent) == 1
        later = deliver(app, now=utcnow() + timedelta(days=1))
        assert later.total == 0
        assert len(server.messages) == 1
        assert server.messages[0]["To"].addresses[0].addr_spec == "ada@example.org"
    finally:
        server.stop()
    [row] = outbox_rows(app)
    assert row["status"] == "sent" and row["attempts"] == 2


def test_backoff_grows_and_delivery_gives_up_after_the_last_attempt(app, client, runner,
                                                                    make_event):
    make_event()
    app.config["SUMMIT_MAIL_URL"] = f"smtp://127.0.0.1:{free_port()}"
    app.config["SUMMIT_MAIL_MAX_ATTEMPTS"] = 3
    api_register(client)
    delays = []
    moment = utcnow()
    for _attempt in range(2):
        report = deliver(app, now=moment)
        assert len(report.retrying) == 1
        [row] = outbox_rows(app)
        delays.append(row["next_attempt_at"] - utcnow())
        moment = row["next_attempt_at"] + timedelta(seconds=1)
    assert delays[1] > delays[0]
    with app.app_context():
        db.session.execute(db.update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.session.commit()
    result = runner.invoke(args=["send-mail"])
    assert "FAILED #1 to ada@example.org" in result.output
    assert outbox_rows(app)[0]["status"] == "failed"
    assert deliver(app, now=utcnow() + timedelta(days=30)).total == 0


def test_two_senders_at_once_never_send_a_message_twice(app, smtp_server):
    app.config["SUMMIT_MAIL_URL"] = smtp_server.url
    with app.app_context():
        for number in range(30):
            message = EmailMessage()
            message["Subject"] = f"Message {number}"
            message["From"] = "noreply@summit.localhost"
            message["To"] = f"person{number}@example.org"
            message.set_content("Hello")
            outbox.queue(message)
        db.session.commit()
    start = threading.Barrier(2)
    reports, errors = [], []

    def sender():
        try:
            with app.app_context():
                start.wait()
                reports.append(outbox.deliver_due(app.config))
        except Exception as exc:  # reported below, not swallowed
            errors.append(exc)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    sent_ids = [message_id for report in reports for message_id, *_ in report.sent]
    assert sorted(sent_ids) == sorted(set(sent_ids)) and len(sent_ids) == 30
    subjects = [message["Subject"] for message in smtp_server.messages]
    assert len(subjects) == 30 and len(set(subjects)) == 30
    assert {row["status"] for row in outbox_rows(app)} == {"sent"}


def test_without_smtp_each_message_is_an_eml_file(app, client, runner, make_event):
    make_event()
    api_register(client)
    api_register(client, email="grace@example.org", first_name="Grace")
    result = runner.invoke(args=["send-mail"])
    assert "2 sent" in result.output and ".eml files" in result.output
    messages = eml_messages(app)
    assert [m["To"].addresses[0].addr_spec for m in messages] == [
        "ada@example.org", "grace@example.org"]
    assert messages[0].get_body(preferencelist=("html",)) is not None


def test_a_rolled_back_registration_leaves_no_mail(app, make_event):
    """The outbox row is written in the registration's transaction: no commit, no mail."""
    from summit.services import registrations
    from summit.services.mail import compose as mails

    make_event()
    with app.app_context():
        from summit.models import Event

        event = db.session.scalar(db.select(Event))
        registration = registrations.register(event, category=event.categories[0],
                                              first_name="A", last_name="B",
                                              email="a@example.org")
        outbox.queue(mails.manage_link(registration))
        db.session.rollback()
    assert len(outbox_rows(app)) == 1  # only the committed confirmation


def test_the_confirmation_links_the_badge_and_the_link_gives_it(app, client, runner,
                                                               make_event):
    make_event(categories=[{"name": "Attendee", "capacity": 1}])
    api_register(client)
    api_register(client, email="grace@example.org", first_name="Grace")  # waitlisted
    runner.invoke(args=["send-mail"])
    confirmed, waitlisted = eml_messages(app)
    text = confirmed.get_body(preferencelist=("plain",)).get_content()
    badge_url = next(line for line in text.splitlines() if line.endswith("/badge.pdf"))
    assert badge_url in confirmed.get_body(preferencelist=("html",)).get_content()
    badge = client.get(badge_url.removeprefix("http://localhost"))
    assert badge.status_code == 200 and badge.data.startswith(b"%PDF")
    assert "badge.pdf" not in waitlisted.get_body(preferencelist=("plain",)).get_content()


def test_no_mail_style_breaks_words():
    """`word-break: break-all` split ordinary words mid-word ("Regis|tration"); only a long
    URL may wrap anywhere (overflow-wrap on its link). The rendering at phone width is
    checked in Chromium: tests/e2e/test_mail_browser.py."""
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "templates" / "email"
    templates = sorted(folder.iterdir())
    assert templates
    for template in templates:
        text = template.read_text(encoding="utf-8")
        assert "break-all" not in text and "word-break: break-word" not in text, template.name


def _parts(raw: bytes) -> list[tuple]:
    """A message's headers and decoded parts, without what differs on every composition
    (Date, Message-ID, multipart boundaries, the calendar's DTSTAMP)."""
    import email
    import re

    parsed = email.message_from_bytes(raw)
    parts = []
    for part in parsed.walk():
        headers = [(name, re.sub(r'boundary="[^"]*"', "", str(value))) for name, value
                   in part.items() if name not in ("Date", "Message-ID")]
        payload = None if part.is_multipart() else part.get_payload(decode=True)
        if payload is not None:
            payload = re.sub(rb"DTSTAMP:\S+", b"", payload)
        parts.append((headers, payload))
    return parts


def test_a_confirmation_is_queued_to_compose_and_sent_as_one_message(app, client, make_event):
    """A sign-up queues what to compose in its own transaction; the sender builds the mail
    (the same as one composed at once), keeps it, and a retry sends the very same bytes."""
    from summit.models import Registration
    from summit.services.mail import compose as mails

    make_event()
    app.config["SUMMIT_MAIL_URL"] = f"smtp://127.0.0.1:{free_port()}"  # down at first
    response = api_register(client, first_name="Jürgen", last_name="Müller-Lüdenscheidt",
                            email="jürgen@münchen.de", language="de")
    assert response.status_code == 201
    with app.app_context():
        queued = db.session.scalar(db.select(OutboxMessage))
        assert (queued.message, queued.composer, queued.waitlist_position) == (
            None, mails.CONFIRMATION, None)
        assert queued.recipient == "jürgen@münchen.de"
    assert len(deliver(app).retrying) == 1  # composed, then the server was down
    with app.app_context():
        kept = db.session.scalar(db.select(OutboxMessage))
        assert kept.message is not None and kept.attempts == 1
        registration = db.session.scalar(db.select(Registration))
        at_once = outbox.wire(mails.confirmation(registration, waitlist_position=None))
        assert _parts(kept.message) == _parts(at_once.data)
        assert (kept.recipient, kept.subject) == (at_once.recipient, at_once.subject)
        assert "Test Summit" in kept.subject and "confirmed" not in kept.subject  # German
        first = kept.message
    server = SmtpServer(int(app.config["SUMMIT_MAIL_URL"].rsplit(":", 1)[1]), smtputf8=True).start()
    try:
        assert len(deliver(app, now=utcnow() + timedelta(hours=1)).sent) == 1
        [received] = server.messages
    finally:
        server.stop()
    with app.app_context():
        assert db.session.scalar(db.select(OutboxMessage.message)) == first
    assert received["Message-ID"] in first.decode("utf-8", "replace")
    assert "Müller-Lüdenscheidt" in received.get_body(preferencelist=("plain",)).get_content()


def test_the_confirmation_says_what_was_true_at_sign_up(app, client, runner, make_event):
    """Composed later, the mail still tells a waitlisted person their place in the queue,
    even when a cancellation has moved them up before the sender ran (the promotion has its
    own mail, after it); a confirmation whose registration was cancelled before the sender
    came to it is withdrawn, not sent: the cancellation's mail is the one that is true."""
    make_event(categories=[{"name": "Attendee", "capacity": 1}])
    first = api_register(client).get_json()
    assert api_register(client, email="grace@example.org", first_name="Grace"
                        ).get_json()["status"] == "waitlisted"
    manage_token = first["manage_url"].rsplit("/", 1)[1]
    assert client.delete(f"/api/v1/registrations/{manage_token}").status_code == 200
    result = runner.invoke(args=["send-mail"])
    assert "3 sent" in result.output and "1 withdrawn" in result.output, result.output
    assert "withdrawn #1 to ada@example.org: the registration was cancelled" in result.output
    subjects = [(m["To"].addresses[0].addr_spec, m["Subject"]) for m in eml_messages(app)]
    assert subjects == [
        ("grace@example.org", "You are on the waiting list for Test Summit"),
        ("ada@example.org", "Your registration for Test Summit is cancelled"),
        ("grace@example.org", "Good news: your place at Test Summit is confirmed"),
    ]
    waiting = eml_messages(app)[0]
    text = waiting.get_body(preferencelist=("plain",)).get_content()
    assert "Your position on the waiting list: 1" in text and "badge.pdf" not in text
    assert not [part for part in waiting.iter_attachments()]
    assert [row["status"] for row in outbox_rows(app)] == ["sent", "sent", "sent"]


def test_a_deleted_registration_takes_its_unsent_confirmation_with_it(app, client, make_event):
    from summit.models import Registration

    make_event()
    api_register(client)
    api_register(client, email="grace@example.org", first_name="Grace")
    with app.app_context():
        db.session.execute(db.delete(Registration).where(
            Registration.email_normalised == "ada@example.org"))
        db.session.commit()
    assert [row["status"] for row in outbox_rows(app)] == ["pending"]
    assert len(deliver(app).sent) == 1
    assert [m["To"].addresses[0].addr_spec for m in eml_messages(app)] == ["grace@example.org"]


def test_a_mail_that_cannot_be_composed_waits_and_the_others_go_out(app, client, make_event):
    make_event()
    api_register(client)
    with app.app_context():
        from summit.models import Registration

        someone = db.session.scalar(db.select(Registration.id))
        outbox.queue_to_compose("no.such.mail", recipient="x@example.org",
                                registration_id=someone)
        db.session.commit()
    api_register(client, email="grace@example.org", first_name="Grace")
    report = deliver(app)
    assert [recipient for _id, recipient, _subject in report.sent] == [
        "ada@example.org", "grace@example.org"]
    [(_id, recipient, error)] = report.retrying
    assert recipient == "x@example.org" and "no.such.mail" in error
    assert [row["status"] for row in outbox_rows(app)] == ["sent", "pending", "sent"]
