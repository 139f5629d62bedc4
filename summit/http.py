"""Request and response helpers shared by pages and the API: ids in URLs, downloads, private
pages, JSON or HTML.

Blueprints and the API both use these, so neither imports the other's routes.
"""

from flask import Request as FlaskRequest
from flask import Response, make_response, request, send_file
from werkzeug.routing import IntegerConverter

from .models.types import MAX_ID, MIN_ID

# Up to this size a generated file stays in memory; a full print run spills to disk.
SPOOL_BYTES = 8 * 1024 * 1024


class Request(FlaskRequest):
    """MAX_CONTENT_LENGTH for every body, except the endpoints that declared a larger one
    (UPLOAD_LIMITS, e.g. the call's form with its pitch deck).

    Decided from the matched endpoint rather than in a before_request hook, because the
    CSRF check reads the form (and so enforces the limit) before any blueprint's hook."""

    upload_limits: dict[str, int] = {}

    @property
    def max_content_length(self) -> int | None:
        limit = self.upload_limits.get(self.endpoint or "")
        return limit if limit is not None else super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value


class IdConverter(IntegerConverter):
    """The app's `<int:...>`: every integer in a URL is a database id, so a number outside
    the id range matches no route (404) instead of reaching the database.

    Replacing `int` rather than adding an `id` converter bounds every route, also the ones
    still to be written, without anyone having to remember it.
    """

    def __init__(self, url_map, fixed_digits=0, min=MIN_ID, max=MAX_ID, signed=False):
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def wants_json() -> bool:
    """The client (a page's script, a scanner app) asked for JSON rather than a page."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def no_store(response: Response) -> Response:
    """Live state and personal data: never served from a cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


def private(body, status: int = 200) -> Response:
    """A page behind a personal link: never cached by proxies, never indexed."""
    response = no_store(make_response(body, status))
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def pdf_response(data, filename: str) -> Response:
    data.seek(0)
    response = send_file(data, mimetype="application/pdf", as_attachment=True,
                         download_name=filename, max_age=0)
    # Names and check-in codes: never kept by a shared cache.
    response.headers["Cache-Control"] = "private, no-store"
    return response


def ics_response(body: bytes, filename: str, *, personal: bool = False) -> Response:
    """A calendar download; calendar apps re-fetch it, so it is never cached stale."""
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-cache" if personal else "no-cache"
    return response
