"""`flask --app summit send-mail`: deliver the outbox, once or as a background loop."""

import signal
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db
from ..services.mail import outbox


@click.command("send-mail")
@with_appcontext
@click.option("--loop", is_flag=True, help="Keep running and deliver new mail as it arrives.")
@click.option("--interval", default=5.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds between deliveries with --loop.")
def send_mail(loop: bool, interval: float) -> None:
    """Send queued mail over SMTP (SUMMIT_MAIL_URL), or write .eml files without it."""
    config = current_app.config
    where = config["SUMMIT_MAIL_URL"] or f"{config['SUMMIT_MAIL_DIR']} (.eml files)"
    if not loop:
        _print(outbox.deliver_due(config), where, quiet_when_idle=False)
        return
    stop = []
    signal.signal(signal.SIGTERM, lambda *_args: stop.append(True))
    click.echo(f"Delivering mail to {where} every {interval:g} s; Ctrl+C stops.")
    try:
        while not stop:
            try:
                _print(outbox.deliver_due(config), where, quiet_when_idle=True)
            except Exception as exc:  # a database hiccup must not end the worker
                db.session.rollback()
                click.echo(f"Delivery run failed: {type(exc).__name__}: {exc}", err=True)
            slept = 0.0
            while not stop and slept < interval:
                time.sleep(min(0.2, interval))
                slept += 0.2
    except KeyboardInterrupt:
        pass
    click.echo("Mail delivery stopped.")


def _print(report: outbox.DeliveryReport, where: str, *, quiet_when_idle: bool) -> None:
    for message_id, recipient, subject in report.sent:
        click.echo(f"sent #{message_id} to {recipient}: {subject}")
    for message_id, recipient, error in report.retrying:
        click.echo(f"not sent #{message_id} to {recipient}, will retry: {error}", err=True)
    for message_id, recipient, error in report.failed:
        click.echo(f"FAILED #{message_id} to {recipient}, giving up after "
                   f"{outbox.MAX_ATTEMPTS} attempts: {error}", err=True)
    if report.total or not quiet_when_idle:
        click.echo(f"{len(report.sent)} sent, {len(report.retrying)} to retry, "
                   f"{len(report.failed)} failed; {outbox.pending_count()} pending "
                   f"(delivering to {where}).")
