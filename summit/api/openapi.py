"""/api/v1/openapi.json, generated from the endpoint declarations and the forms they validate
with, so the document cannot drift from the code."""

import re

from flask import jsonify
from wtforms import (
    BooleanField,
    DateField,
    DateTimeField,
    DateTimeLocalField,
    DecimalField,
    EmailField,
    FieldList,
    FloatField,
    FormField,
    IntegerField,
    SelectField,
)
from wtforms import validators as v

from . import bp
from .core import ENDPOINTS
from .schemas import SCHEMAS

ERROR_STATUSES = {400: "Error", 401: "Error", 403: "Error", 404: "Error", 405: "Error",
                  409: "Error", 413: "Error", 422: "ValidationError", 429: "Error", 500: "Error",
                  503: "Error"}


def field_schema(field) -> dict:
    if isinstance(field, FieldList):
        item = field.unbound_field.bind(form=None, name="item", _meta=field.meta)
        schema = {"type": "array", "items": field_schema(item)}
        if field.max_entries:
            schema["maxItems"] = field.max_entries
        return schema
    if isinstance(field, FormField):
        return form_schema(field.form_class)
    if isinstance(field, BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, IntegerField):
        schema = {"type": "integer"}
    elif isinstance(field, DecimalField | FloatField):
        schema = {"type": "number"}
    elif isinstance(field, DateField):
        schema = {"type": "string", "format": "date"}
    elif isinstance(field, DateTimeField | DateTimeLocalField):
        schema = {"type": "string", "format": "date-time"}
    elif isinstance(field, SelectField) and getattr(field, "api_schema", None):
        schema = dict(field.api_schema)
    else:
        schema = {"type": "string"}
    if isinstance(field, EmailField):
        schema["format"] = "email"
    for validator in field.validators:
        if isinstance(validator, v.Length):
            if validator.max and validator.max > 0:
                schema["maxLength"] = validator.max
            if validator.min and validator.min > 0:
                schema["minLength"] = validator.min
        elif isinstance(validator, v.NumberRange):
            if validator.min is not None:
                schema["minimum"] = validator.min
            if validator.max is not None:
                schema["maximum"] = validator.max
        elif isinstance(validator, v.Regexp):
            schema["pattern"] = validator.regex.pattern
        elif isinstance(validator, v.AnyOf):
            schema["enum"] = list(validator.values)
    if field.description:
        schema["description"] = str(field.description)
    return schema


def _required(field) -> bool:
    return any(isinstance(validator, v.DataRequired | v.InputRequired)
               for validator in field.validators)


def form_schema(form_class) -> dict:
    form = form_class(meta={"csrf": False}) if _is_flask_form(form_class) else form_class()
    properties, required = {}, []
    for field in form:
        if field.type in {"CSRFTokenField", "SubmitField", "HiddenField"}:
            continue
        properties[field.short_name] = field_schema(field)
        if _required(field):
            required.append(field.short_name)
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def _is_flask_form(form_class) -> bool:
    from flask_wtf import FlaskForm

    return issubclass(form_class, FlaskForm)


def _path(rule: str) -> tuple[str, list[dict]]:
    parameters = []
    for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule):
        schema = {"type": "integer"} if converter == "int" else {"type": "string"}
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
