"""Error pages for people and JSON errors for the API: never a bare 500 trace."""

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from .extensions import db
from .http import is_api_request


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("Please log in or send a valid API token."),
        403: _("You do not have permission to do this."),
        404: _("This page does not exist."),
        405: _("This method is not allowed here."),
        409: _("This conflicts with the current state."),
        413: _("The request is too large."),
        422: _("Some of the data is not valid."),
        429: _("Too many requests. Please wait a moment and try again."),
        500: _("Something went wrong on our side. Please try again."),
        503: _("The service is briefly unavailable. Please try again in a moment."),
    }


def error_response(status: int, message: str | None = None, **extra):
    message = message or _messages().get(status, _("Error"))
    if is_api_request():
        body = {"error": {"status": status, "message": message}}
        body.update(extra)
        return make_response(jsonify(body), status)
    page = render_template("errors/error.html", status=status, message=message)
    return make_response(page, status)


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return error_response(400, _("The form has expired or was not sent from this site. "
                                     "Please reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        response = error_response(exc.code or 500)
        if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        # A locked or unreachable database is a passing condition: say so, retryable.
        if isinstance(exc, OperationalError):
            response = error_response(503)
            response.headers["Retry-After"] = "2"
            return response
        return error_response(500)
