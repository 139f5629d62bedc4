"""The check-in desk: scan badges, find people without one, undo, watch the arrivals.

Every page works without JavaScript (forms post, the page renders the answer). desk.js sends the
same forms with fetch and asks for JSON, which carries the same server-rendered partials, so a
scan answers without a reload and the wording lives in the templates only.
"""

from datetime import datetime

from flask import abort, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import roles_required
from ..http import wants_json
from ..i18n import current_language, format_datetime, format_time
from ..models import Event, utcnow
from ..services import checkin, events
from . import bp
from .forms import DeskNameForm, RegistrationActionForm, ScanForm, SearchForm

DESK_COOKIE = "summit_desk"
ONE_YEAR = 365 * 24 * 3600


@bp.get("/desk/")
@roles_required("organiser", "staff")
def desk_index():
    return render_template("checkin/index.html", events=events.list_events())


@bp.get("/desk/<slug>")
@roles_required("organiser", "staff")
def desk(slug: str):
    event = events.get_by_slug(slug)
    return _desk_page(event, query=request.args.get("q", ""))


@bp.post("/desk/<slug>/scan")
@roles_required("organiser", "staff")
def scan(slug: str):
    event = events.get_by_slug(slug)
    form = ScanForm()
    if not form.validate_on_submit():
        return _answer(event, {"kind": "error", "message": _first_error(form)}, status=422,
                       scan_form=form)
    desk_name = form.desk.data or _desk_name()
    result = checkin.scan(event, form.code.data, desk=desk_name, user=current_user)
    return _answer(event, _outcome(result, scanned=form.code.data), desk_name=desk_name)


@bp.post("/desk/<slug>/checkin")
@roles_required("organiser", "staff")
def check_in_by_name(slug: str):
    event = events.get_by_slug(slug)
    form = RegistrationActionForm()
    registration = _registration_from(event, form)
    result = checkin.check_in_registration(registration, desk=_desk_name(), user=current_user)
    return _answer(event, _outcome(result), query=form.q.data or "")


@bp.post("/desk/<slug>/undo")
@roles_required("organiser", "staff")
def undo(slug: str):
    event = events.get_by_slug(slug)
    form = RegistrationActionForm()
    registration = _registration_from(event, form)
    try:
        checkin.undo(registration, user=current_user)
    except checkin.CheckinError:
        outcome = {"kind": "error", "registration": registration,
                   "message": _("%(name)s is not checked in, so there is nothing to undo.",
                                name=registration.full_name)}
        return _answer(event, outcome, status=409, query=form.q.data or "")
    return _answer(event, {"kind": "undone", "registration": registration},
                   query=form.q.data or "")


@bp.post("/desk/<slug>/name")
@roles_required("organiser", "staff")
def set_desk_name(slug: str):
    event = events.get_by_slug(slug)
    form = DeskNameForm()
    if not form.validate_on_submit():
        if wants_json():
            return jsonify({"errors": form.errors}), 422
        return _desk_page(event, desk_form=form, status=422)
    name = (form.desk.data or "").strip()
    response = (jsonify({"desk": name}) if wants_json()
                else redirect(url_for(".desk", slug=event.slug)))
    response.set_cookie(DESK_COOKIE, name, max_age=ONE_YEAR, path="/desk", samesite="Lax",
                        httponly=True)
    return response


@bp.get("/desk/<slug>/live.json")
@roles_required("organiser", "staff")
def live(slug: str):
    event = events.get_by_slug(slug)
    counts = checkin.live_counts(event)
    return jsonify({
        "categories": [{"id": c.category.id, "name": c.display_name(current_language()),
                        "confirmed": c.confirmed,
                        "checked_in": c.checked_in} for c in counts],
        "total": {"confirmed": sum(c.confirmed for c in counts),
                  "checked_in": sum(c.checked_in for c in counts)},
        "html": render_template("checkin/_live.html", **_live_context(event, counts)),
    })


# --- helpers ------------------------------------------------------------------------------


def _desk_name() -> str:
    return (request.cookies.get(DESK_COOKIE) or "").strip()[:60]


def _first_error(form) -> str:
    for messages in form.errors.values():
        if messages:
            return str(messages[0])
    return _("Some of the data is not valid.")


def _registration_from(event: Event, form: RegistrationActionForm):
    if not form.validate_on_submit():
        abort(400)
    registration = checkin.get_registration(event, form.registration_id.data)
    if registration is None:
        abort(404)
    return registration


def _outcome(result: checkin.ScanResult, scanned: str | None = None) -> dict:
    registration = result.registration
    checked_in_at = result.checked_in_at
    if checked_in_at is None and registration is not None:
        checked_in_at = registration.checked_in_at
    return {"kind": result.result, "registration": registration, "checked_in_at": checked_in_at,
            "scanned": (scanned or "").strip()[:60]}


def desk_time(moment: datetime | None, event: Event) -> str:
    """'09:12' today, with the date on other days: the desk cares about today."""
    if moment is None:
        return ""
    if moment.astimezone(event.tz).date() == utcnow().astimezone(event.tz).date():
        return format_time(moment, event.tz)
    return format_datetime(moment, event.tz, fmt="short")


def _live_context(event: Event, counts=None) -> dict:
    counts = counts if counts is not None else checkin.live_counts(event)
    return {"event": event, "counts": counts, "locale": current_language(),
            "total_confirmed": sum(c.confirmed for c in counts),
            "total_checked_in": sum(c.checked_in for c in counts),
            "recent": checkin.recent_scans(event), "desk_time": desk_time}


def _answer_context(event: Event, outcome: dict | None) -> dict:
    return {"event": event, "outcome": outcome, "desk_time": desk_time,
            "locale": current_language()}


def _answer(event: Event, outcome: dict, *, status: int = 200, scan_form=None,
            query: str = "", desk_name: str | None = None):
    desk_name = _desk_name() if desk_name is None else desk_name
    if not wants_json():
        return _desk_page(event, outcome=outcome, scan_form=scan_form, query=query,
                          status=status, desk_name=desk_name)
    registration = outcome.get("registration")
    body = {
        "result": outcome["kind"],
        "checked_in_at": _iso(outcome.get("checked_in_at")),
        "attendee": (checkin.attendee_summary(registration, current_language())
                     if registration is not None else None),
        "html": render_template("checkin/_answer.html",
                                **_answer_context(event, outcome)),
    }
    # The latest scans and counts come along, so the desk shows this scan without waiting.
    body["live_html"] = render_template("checkin/_live.html", **_live_context(event))
    if query:
        body["search_html"] = render_template(
            "checkin/_search_results.html", event=event, query=query,
            results=checkin.search(event, query), locale=current_language(),
            desk_time=desk_time)
    return jsonify(body), status


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _desk_page(event: Event, *, outcome: dict | None = None, scan_form=None, desk_form=None,
               query: str = "", status: int = 200, desk_name: str | None = None):
    desk_name = _desk_name() if desk_name is None else desk_name
    search_form = SearchForm(formdata=None, q=query)
    results = checkin.search(event, query) if query else []
    page = render_template(
        "checkin/desk.html",
        scan_form=scan_form or ScanForm(formdata=None),
        desk_form=desk_form or DeskNameForm(formdata=None, desk=desk_name),
        desk_names=[_("Desk %(number)s", number=number) for number in range(1, 7)],
        desk_name=desk_name, search_form=search_form, query=query, results=results,
        **_live_context(event) | _answer_context(event, outcome))
    return page if status == 200 else (page, status)
