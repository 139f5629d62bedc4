"""Badge print runs through the API: the same service as the organiser page and the CLI."""

import tempfile

from flask import request
from flask_babel import gettext as _

from ..http import SPOOL_BYTES, pdf_response
from ..i18n import current_language
from ..services import badges, events
from ..services.badges.layouts import DEFAULT_LAYOUT, LAYOUTS, UnknownLayout
from .core import ApiError, endpoint, validation_error

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _flag(name: str) -> bool:
    value = request.args.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise validation_error({name: [_("Use true or false.")]})


@endpoint(
    "/events/<slug>/badges.pdf", "GET",
    summary="Print run: the event's badges as one PDF. Without filters every confirmed "
            "attendee, every time; the printed badges are marked as printed (mark=false for "
            "a test print). 409 when the selection is empty.",
    roles=("organiser",),
    responses={200: "BadgesPdf", 404: "Error", 409: "Error", 422: "ValidationError"},
    query={
        "layout": {"type": "string", "enum": list(LAYOUTS), "default": DEFAULT_LAYOUT},
        "category": {"type": "string",
                     "description": "a category's name (any case) or id; all when absent"},
        "unprinted": {"type": "boolean", "default": False,
                      "description": "only badges not printed before"},
        "crop_marks": {"type": "boolean", "default": False},
        "mark": {"type": "boolean", "default": True,
                 "description": "mark the printed badges as printed"},
    },
    content_type="application/pdf", tag="badges",
)
def badges_pdf(slug: str):
    event = events.get_by_slug(slug)
    only_unprinted, crop_marks = _flag("unprinted"), _flag("crop_marks")
    mark = _flag("mark") if "mark" in request.args else True
    category = request.args.get("category") or None
    out, run = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES), None
    try:
        run = badges.print_badges(
            event, out, layout=request.args.get("layout") or DEFAULT_LAYOUT, category=category,
            only_unprinted=only_unprinted, crop_marks=crop_marks, mark_printed=mark,
            locale=current_language())
    except UnknownLayout as exc:
        raise validation_error({"layout": [_(
            "Unknown layout “%(name)s”. Layouts: %(names)s.",
            name=exc.name, names=", ".join(LAYOUTS))]}) from None
    except badges.EmptySelection:
        raise ApiError(409, badges.empty_message(bool(category or only_unprinted))) from None
    finally:
        if run is None:  # refused, also with a SelectionError (core.py answers it): no PDF
            out.close()
    response = pdf_response(out, f"badges-{event.slug}-{run.layout}.pdf")
    response.headers["X-Badge-Count"] = str(run.count)
    response.headers["X-Badge-Pages"] = str(run.pages)
    if run.missing_glyphs:
        # Registration ids only: header values must stay ASCII.
        response.headers["X-Badge-Missing-Glyphs"] = ",".join(
            item.reference for item in run.missing_glyphs)
    return response
