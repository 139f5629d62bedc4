"""/api/v1/openapi.json, generated from the endpoint declarations and the forms they validate
with, so the document cannot drift from the code."""

import re

from flask import jsonify

from ..models.types import MAX_ID, MIN_ID
from . import bp
from .core import ENDPOINTS
from .form_schema import form_schema
from .schemas import SCHEMAS


def _path(rule: str) -> tuple[str, list[dict]]:
    parameters = []
    for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule):
        # `int` is the app's IdConverter (summit/http.py): a number outside the ids is a 404.
        schema = ({"type": "integer", "minimum": MIN_ID, "maximum": MAX_ID}
                  if converter == "int" else {"type": "string"})
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule), parameters


def _response(status: int, schema_name: str | None, content_type: str) -> dict:
    if schema_name is None:
        return {"description": str(status)}
    if content_type != "application/json" and status < 300:
        return {"description": str(status),
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}}}
    return {"description": str(status), "content": {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}}}


def build_spec() -> dict:
    paths: dict[str, dict] = {}
    for doc in ENDPOINTS:
        path, parameters = _path(doc.rule)
        parameters += [
            {"name": name, "in": "query", "required": False, "schema": schema}
            for name, schema in doc.query.items()
        ]
        responses = {str(status): _response(status, name, doc.content_type)
                     for status, name in doc.responses.items()}
        extra = {400: "Error", 429: "Error", 500: "Error"}
        if doc.body:
            extra[422] = "ValidationError"
        if doc.roles:
            extra.update({401: "Error", 403: "Error"})
        if parameters:
            extra[404] = "Error"
        for status, name in extra.items():
            responses.setdefault(str(status), _response(status, name, "application/json"))
        operation = {"operationId": doc.view_name, "summary": doc.summary,
                     "responses": responses}
        if doc.tag:
            operation["tags"] = [doc.tag]
        if parameters:
            operation["parameters"] = parameters
        if doc.roles:
            operation["security"] = [{"bearerAuth": []}]
            operation["description"] = "Requires a token of a user with role: " + \
                " or ".join(doc.roles)
        if doc.body:
            operation["requestBody"] = {"required": True, "content": {
                "application/json": {"schema": form_schema(doc.body)}}}
        paths.setdefault(path, {})[doc.method] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "Summit API", "version": "1.0.0",
                 "description": "Events, registrations, programme and check-in."},
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
    }


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(build_spec())
