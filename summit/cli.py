"""Flask commands: `flask --app summit COMMAND` (badges has its own module)."""

import signal
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .badges.cli import badges_command
from .extensions import db
from .services.mail import outbox
from .services.platform import backup as backups
from .services.platform import demo, users


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Create the Vision Summit 2014 demo (safe to run again)."""
    created = demo.seed()
    if created.get("event"):
        click.echo(f"Created the demo event '{demo.SLUG}' with "
                   f"{created['registrations']} sample registrations.")
    else:
        click.echo(f"The demo event '{demo.SLUG}' exists already; left as it is.")
    click.echo(f"Demo organiser: {demo.ORGANISER[0]} / {demo.ORGANISER[1]}")
    from .services.applications.demo import JUROR

    click.echo(f"Demo jury member: {JUROR[0]} / {JUROR[1]}")


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--role", required=True, help="organiser, moderator, staff or jury")
@click.option("--password", help="asked for when not given")
@click.option("--name", default="", help="shown in the programme (moderators)")
def create_user(email: str, role: str, password: str | None, name: str) -> None:
    """Create a user who can log in."""
    from .models import ROLES

    if role not in ROLES:
        raise click.BadParameter(f"choose one of: {', '.join(ROLES)}", param_hint="--role")
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = users.create_user(email, role=role, password=password, name=name)
    except users.UserError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.role} {user.email}.")


@click.command("create-api-token")
@with_appcontext
@click.argument("email")
@click.option("--label", default="", help="a note on what the token is for")
def create_api_token(email: str, label: str) -> None:
    """Print a new API token for the user (the token is the last line)."""
    user = users.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No user with the e-mail {email}.")
    token = users.issue_api_token(user, label)
    click.echo(f"API token for {user.email} ({user.role}); it is shown only once:")
    click.echo(token)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(file: Path) -> None:
    """Write a consistent copy of the database to FILE (SQLite; explains pg_dump otherwise)."""
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        source = backups.sqlite_path(url)
        if source is None:
            raise click.ClickException(backups.postgres_advice(url))
        pages = backups.backup_sqlite(source, file)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up {source} to {file} ({pages} pages).")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="This replaces every record with the backup's. Continue?")
@with_appcontext
def restore(file: Path) -> None:
    """Replace the database's content with a backup made by `backup` (SQLite)."""
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        target = backups.sqlite_path(url)
        if target is None:
            raise click.ClickException(backups.postgres_advice(url))
        backups.restore_sqlite(file, target)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {target} from {file}.")


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
    for message_id, recipient, why in report.withdrawn:
        click.echo(f"withdrawn #{message_id} to {recipient}: {why}")
    for message_id, recipient, error in report.failed:
        # Given up after the last attempt, or at once when no retry could help.
        click.echo(f"FAILED #{message_id} to {recipient}, given up: {error}", err=True)
    if report.total or not quiet_when_idle:
        withdrawn = f", {len(report.withdrawn)} withdrawn" if report.withdrawn else ""
        click.echo(f"{len(report.sent)} sent, {len(report.retrying)} to retry, "
                   f"{len(report.failed)} failed{withdrawn}; {outbox.pending_count()} pending "
                   f"(delivering to {where}).")


def init_app(app: Flask) -> None:
    for command in (seed_demo, create_user, create_api_token, backup, restore, send_mail):
        app.cli.add_command(command)
    app.cli.add_command(badges_command)
