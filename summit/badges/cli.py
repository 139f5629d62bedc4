"""`flask --app summit badges SLUG --output FILE`: a print run from the command line."""

import os
import sys
import tempfile
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from ..extensions import db
from ..models import Event
from ..services import badges
from ..services.badges.layouts import DEFAULT_LAYOUT, LAYOUTS, UnknownLayout, get_layout


@click.command("badges")
@click.argument("slug")
@click.option("--output", "-o", required=True,
              type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="the PDF file to write")
@click.option("--layout", default=DEFAULT_LAYOUT, show_default=True,
              help="sheet layout: " + ", ".join(LAYOUTS))
@click.option("--category", default=None, help="only this category (name or id)")
@click.option("--not-printed", "not_printed", is_flag=True,
              help="only badges that were not printed before")
@click.option("--person", default=None,
              help="only this person: their check-in code or e-mail address")
@click.option("--crop-marks", is_flag=True, help="cut guides for sheets trimmed by hand")
@click.option("--no-mark", is_flag=True, help="do not mark the badges as printed (test print)")
@click.option("--language", default=None,
              help="language of category names and dates on the badge (en, de)")
@with_appcontext
def badges_command(slug: str, output: Path, layout: str, category: str | None,
                   not_printed: bool, person: str | None, crop_marks: bool, no_mark: bool,
                   language: str | None) -> None:
    """Print the badges of the event SLUG into a PDF.

    Without a filter every confirmed attendee is printed, every time. The file appears only
    when the print run succeeded; nothing is marked as printed otherwise.
    """
    languages = current_app.config["SUMMIT_LANGUAGES"]
    if language is not None and language not in languages:
        raise click.BadParameter(f"choose one of: {', '.join(languages)}",
                                 param_hint="--language")
    language = language or current_app.config["BABEL_DEFAULT_LOCALE"]
    # No request here to choose a language from: messages and badges use the chosen one.
    with force_locale(language):
        _print_run(slug, output, layout, category, not_printed, person, crop_marks, no_mark,
                   language)


def _print_run(slug: str, output: Path, layout: str, category: str | None,
               not_printed: bool, person: str | None, crop_marks: bool, no_mark: bool,
               language: str) -> None:
    started = time.perf_counter()
    try:
        sheet = get_layout(layout)
    except UnknownLayout as exc:
        raise click.BadParameter(str(exc), param_hint="--layout") from None
    event = db.session.scalar(db.select(Event).where(Event.slug == slug))
    if event is None:
        known = ", ".join(e.slug for e in db.session.scalars(db.select(Event).order_by(Event.slug)))
        raise click.ClickException(f"No event with the slug {slug!r}. Events: {known or 'none'}.")
    try:
        registration = _person(event, person) if person else None
        selection = badges.select(event, category=category, only_unprinted=not_printed,
                                  registration=registration)
    except badges.SelectionError as exc:
        hint = {"category": "--category", "registration": "--person"}.get(exc.field)
        raise click.BadParameter(exc.message, param_hint=hint) from None
    total = badges.count(selection)
    if total == 0:
        raise click.ClickException(badges.empty_message(bool(category or not_printed or person)))

    output = output.expanduser()
    directory = output.parent if str(output.parent) else Path(".")
    if not directory.is_dir():
        raise click.BadParameter(f"the folder {str(directory)!r} does not exist",
                                 param_hint="--output")
    # Written next to the target and renamed at the end: a failed run leaves no half PDF.
    handle = tempfile.NamedTemporaryFile(dir=directory, prefix=f".{output.name}.",
                                         suffix=".part", delete=False)
    try:
        with handle, click.progressbar(length=total, label="Rendering badges",
                                       file=sys.stderr) as bar:
            done = 0

            def progress(count: int) -> None:
                nonlocal done
                bar.update(count - done)
                done = count

            run = badges.print_badges(
                event, handle, layout=sheet, category=selection.category,
                only_unprinted=not_printed, registration=registration, crop_marks=crop_marks,
                mark_printed=not no_mark, on_progress=progress, locale=language)
        os.chmod(handle.name, 0o666 & ~_umask())  # as an ordinary new file, not 0600
        os.replace(handle.name, output)
    except badges.EmptySelection:
        raise click.ClickException(badges.empty_message(True)) from None
    finally:
        if os.path.exists(handle.name):
            os.unlink(handle.name)

    seconds = time.perf_counter() - started
    marked = f"; {run.marked} marked as printed" if run.marked else "; none marked as printed"
    click.echo(f"{run.count} badge{'s' if run.count != 1 else ''} on {run.pages} "
               f"page{'s' if run.pages != 1 else ''} ({run.layout}) written to {output} "
               f"in {seconds:.1f} s{marked}.")
    if run.missing_glyphs:
        click.echo(f"Warning: {len(run.missing_glyphs)} badge(s) have characters no font "
                   "covers (they print as \ufffd):", err=True)
        for item in run.missing_glyphs:
            codes = ", ".join(f"{char} U+{ord(char):04X}" for char in item.characters)
            click.echo(f"  registration {item.reference}: {item.name}: {codes}", err=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _person(event: Event, query: str):
    found = badges.find_people(event, query)
    if len(found) != 1:
        raise badges.SelectionError(
            "registration",
            f"{len(found)} registrations of this event match {query!r}; "
            "give the check-in code or the exact e-mail address.")
    return found[0]
