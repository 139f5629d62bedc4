"""The pieces every API endpoint uses: declaration (which feeds the OpenAPI document),
bearer-token auth, JSON body parsing through the shared WTForms forms, and errors."""

from dataclasses import dataclass, field
from functools import wraps

from flask import abort, g, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ..errors import error_response
from ..services.errors import FieldError
from ..services.platform import users
from . import bp
from .form_schema import bilingual_fields, form_schema, type_errors


@dataclass
class EndpointDoc:
    rule: str
    method: str
    summary: str
    view_name: str
    roles: tuple[str, ...] = ()
    body: type | None = None
    responses: dict[int, str | None] = field(default_factory=dict)
    query: dict[str, dict] = field(default_factory=dict)
    content_type: str = "application/json"
    tag: str = ""


ENDPOINTS: list[EndpointDoc] = []


class ApiError(Exception):
    def __init__(self, status: int, message: str | None = None, **extra):
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):
    return error_response(exc.status, exc.message, **exc.extra)


@bp.errorhandler(FieldError)
def _field_error(exc: FieldError):
    """Input a service refused: 422 with the field's message like any invalid body, or the
    error's own status (409: it clashes with what exists) with that message first."""
    errors = {exc.field: [str(exc.message)]}
    if exc.status == 422:
        return _api_error(validation_error(errors))
    return error_response(exc.status, str(exc.message), errors=errors)


def endpoint(rule: str, method: str, *, summary: str, roles: tuple[str, ...] = (),
             body: type | None = None, responses: dict[int, str | None] | None = None,
             query: dict[str, dict] | None = None, content_type: str = "application/json",
             tag: str = "", route: bool = True, busy=None):
    """Route a view and describe it for /api/v1/openapi.json in one place.

    `roles`: empty for public endpoints; otherwise a valid bearer token of a user with one
    of these roles is required (401 without, 403 with the wrong role). `responses` maps
    status codes to component schema names in api/schemas.py. `route=False` only describes
    it: the caller routes it, e.g. several methods of one id path as one rule (werkzeug
    answers 405 instead of 404 for an out-of-range id when they are separate rules).
    `busy`: the endpoint's busy path, called first with the view's arguments and `roles`: it
    answers the most frequent request at once, checking the token itself in the same round
    trip, or returns None having written nothing (but the token's use), and the usual way
    (the token's check, then the view) answers instead.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if busy is not None:
                answer = busy(*args, roles=roles, **kwargs)
                if answer is not None:
                    return answer
            if roles:
                g.api_user = authenticate(roles)
            return view(*args, **kwargs)

        if route:
            bp.add_url_rule(rule, view_func=wrapped, methods=[method])
        ENDPOINTS.append(EndpointDoc(
            rule=rule, method=method.lower(), summary=summary, view_name=view.__name__,
            roles=roles, body=body, responses=responses or {}, query=query or {},
            content_type=content_type, tag=tag,
        ))
        return wrapped

    return decorator


def bearer_token() -> str | None:
    """The token of the request's 'Authorization: Bearer …' header, if it has one."""
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def authenticate(roles: tuple[str, ...]):
    token = bearer_token()
    user = users.user_for_token(token) if token else None
    if user is None:
        raise ApiError(401, _("Send a valid API token as 'Authorization: Bearer <token>'."))
    if not user.has_role(*roles):
        raise ApiError(403)
    return user


def json_object() -> dict:
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise ApiError(400, _("The request body must be a JSON object."))
    return payload


def _flatten(payload: dict, prefix: str = "") -> MultiDict:
    """JSON into the flat keys WTForms reads ('categories-0-name'); null counts as absent."""
    flat = MultiDict()
    for key, value in payload.items():
        name = f"{prefix}{key}"
        if value is None:
            continue
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "-"))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    flat.update(_flatten(item, f"{name}-{index}-"))
                else:
                    flat.add(f"{name}-{index}", _scalar(item))
        else:
            flat.add(name, _scalar(value))
    return flat


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _field_errors(errors: dict, prefix: str = "") -> dict[str, list[str]]:
    flat: dict[str, list[str]] = {}
    for name, messages in errors.items():
        key = f"{prefix}{name}"
        if isinstance(messages, dict):
            flat.update(_field_errors(messages, key + "."))
        elif any(isinstance(nested, dict | list) for nested in messages):
            # A FieldList: per entry, a form's errors (dict) or a field's messages (list),
            # then any message about the list as a whole.
            for index, nested in enumerate(messages):
                if isinstance(nested, dict):
                    flat.update(_field_errors(nested, f"{key}[{index}]."))
                elif isinstance(nested, list):
                    if nested:
                        flat[f"{key}[{index}]"] = [str(message) for message in nested]
                else:
                    flat.setdefault(key, []).append(str(nested))
        else:
            flat[key] = [str(message) for message in messages]
    return flat


def validation_error(errors: dict[str, list[str]]) -> ApiError:
    return ApiError(422, _("Some of the data is not valid."), errors=errors)


def parse_body(form_class, **form_kwargs):
    """Validate the JSON body with the same form the HTML page uses; 422 with field errors."""
    payload = json_object()
    wrong_types = type_errors(form_schema(form_class), payload)
    if wrong_types:
        raise validation_error(wrong_types)
    payload = _with_translations(payload, bilingual_fields(form_class))
    form = form_class(formdata=_flatten(payload), meta={"csrf": False}, **form_kwargs)
    if not form.validate():
        raise validation_error(_field_errors(form.errors))
    return form


def _with_translations(payload: dict, fields: tuple[str, ...]) -> dict:
    """`{"translations": {"de": {"title": ...}}}` as the flat `title_de` the form reads; a flat
    field given as well wins. Only the form's bilingual texts are taken."""
    given = payload.get("translations")
    payload = {key: value for key, value in payload.items() if key != "translations"}
    if not isinstance(given, dict):
        return payload
    errors = {}
    for language, suffix in (("en", ""), ("de", "_de")):
        texts = given.get(language)
        if texts is None:
            continue
        if not isinstance(texts, dict):
            errors[f"translations.{language}"] = [_("Must be an object.")]
            continue
        for name in fields:
            value = texts.get(name)
            if value is not None and not isinstance(value, str):
                errors[f"translations.{language}.{name}"] = [_("Must be a text.")]
            elif value is not None and payload.get(name + suffix) is None:
                payload[name + suffix] = value
    if errors:
        raise validation_error(errors)
    return payload


def not_found():
    abort(404)
