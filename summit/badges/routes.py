"""Badge pages: the organiser's print runs and the attendee's own badge."""

import tempfile

from flask import (
    flash,
    jsonify,
    render_template,
    request,
    session,
)
from flask_babel import ngettext

from ..auth.access import roles_required
from ..forms_common import show_error
from ..http import SPOOL_BYTES, pdf_response, private, wants_json
from ..i18n import current_language
from ..services import badges, events, registrations
from ..services.badges.layouts import LAYOUTS, UnknownLayout
from . import bp
from .forms import BadgePrintForm, PersonSearchForm, layout_title

# A flash lives in the session cookie: name at most this many badges there.
FLASH_NAMES = 12
LAST_LAYOUT = "badges_last_layout"


def _page(event, form, search, *, people=None, print_error=None, status=200):
    return render_template(
        "badges/organiser.html", event=event, form=form, search=search, people=people,
        print_error=print_error, counts=badges.badge_counts(event),
        glyph_problems=badges.missing_glyph_report(event), layout_title=layout_title,
    ), status


@bp.get("/organiser/events/<slug>/badges")
@roles_required("organiser")
def organiser_page(slug: str):
    event = events.get_by_slug(slug)
    search = PersonSearchForm(request.args)
    people = None
    if search.q.data and search.validate():
        people = badges.find_people(event, search.q.data)
    # The sheet in the printer rarely changes: offer the last one used again.
    last = session.get(LAST_LAYOUT)
    form = BadgePrintForm(event, **({"layout": last} if last in LAYOUTS else {}))
    return _page(event, form, search, people=people)


@bp.post("/organiser/events/<slug>/badges")
@roles_required("organiser")
def print_run(slug: str):
    event = events.get_by_slug(slug)
    form = BadgePrintForm(event)
    search = PersonSearchForm(formdata=None)
    if not form.validate_on_submit():
        return _page(event, form, search, status=422)
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    try:
        registration = None
        if form.registration.data:
            registration = badges.get_registration(event, form.registration.data)
        run = badges.print_badges(
            event, out, layout=form.layout.data, registration=registration,
            # One person is one person, whatever the sheet filters say.
            category=None if registration else form.category.data or None,
            only_unprinted=False if registration else form.only_unprinted.data,
            crop_marks=form.crop_marks.data, mark_printed=form.mark_printed.data,
            locale=current_language())
    except badges.SelectionError as exc:
        out.close()
        show_error(form, exc)
        return _page(event, form, search, status=422)
    except UnknownLayout as exc:
        out.close()
        form.layout.errors = [*form.layout.errors, str(exc)]
        return _page(event, form, search, status=422)
    except badges.EmptySelection:
        out.close()
        filtered = bool(form.category.data or form.only_unprinted.data)
        return _page(event, form, search, print_error=badges.empty_message(filtered),
                     status=422)
    session[LAST_LAYOUT] = run.layout
    _flash_report(run)
    return pdf_response(out, f"badges-{event.slug}-{run.layout}.pdf")


def _flash_report(run: badges.PrintRun) -> None:
    """Shown on the badges page once the browser comes back to it (badges.js reloads it)."""
    summary = ngettext("Printed %(num)d badge on %(pages)s (%(layout)s).",
                       "Printed %(num)d badges on %(pages)s (%(layout)s).", run.count,
                       pages=ngettext("%(num)d page", "%(num)d pages", run.pages),
                       layout=layout_title(run.layout))
    if run.marked:
        summary += " " + ngettext("%(num)d badge is now marked as printed.",
                                  "%(num)d badges are now marked as printed.", run.marked)
    flash(summary, "success")
    if run.missing_glyphs:
        lines = badges.describe_missing(run)
        shown = "; ".join(lines[:FLASH_NAMES])
        if len(lines) > FLASH_NAMES:
            shown += " " + ngettext("and %(num)d more.", "and %(num)d more.",
                                    len(lines) - FLASH_NAMES)
        flash(ngettext(
            "%(num)d badge has characters no font covers; they print as “�”: %(names)s",
            "%(num)d badges have characters no font covers; they print as “�”: %(names)s",
            len(lines), names=shown), "warning")


@bp.get("/r/<token>/badge.pdf")
def own_badge(token: str):
    """The attendee's badge (A6), behind their manage link's unguessable token."""
    registration = registrations.get_by_token(token)
    reason = badges.refusal_reason(registration)
    if reason:
        return _refused(token, reason)
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    badges.print_badges(registration.event, out, layout="a6", registration=registration,
                        mark_printed=False, locale=registration.language)
    response = pdf_response(out, f"badge-{registration.event.slug}.pdf")
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _refused(token: str, reason: str):
    if wants_json():
        return private(jsonify({"error": {"status": 409, "message": reason}}), 409)
    return private(render_template("badges/refused.html", message=reason,
                                   manage_path=f"/r/{token}"), 409)
