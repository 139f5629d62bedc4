"""JSON Schema of the WTForms forms the API validates with: documents request bodies in the
OpenAPI document and checks JSON types before the form sees the values."""

from functools import cache

from flask_babel import gettext as _
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
    if isinstance(field, EmailField) and any(isinstance(validator, v.Email)
                                             for validator in field.validators):
        # Only where the form checks it (an optional e-mail field without the check takes any
        # text). Internationalised addresses (jürgen@münchen.de, RFC 6531) are accepted too.
        schema["format"] = "idn-email"
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
            pattern = validator.regex.pattern
            # Optional() ends the chain on an empty or blank string, so the form accepts it:
            # the documented pattern has to admit it too.
            if _optional(field):
                pattern = rf"^\s*$|{pattern}"
            schema["pattern"] = pattern
        elif isinstance(validator, v.AnyOf):
            schema["enum"] = list(validator.values)
    if field.default is not None and not callable(field.default):
        schema["default"] = field.default
    if schema.get("type") == "string" and _validated_as_required(field) and "format" not in schema:
        # DataRequired refuses empty and blank strings.
        schema.setdefault("minLength", 1)
        schema.setdefault("pattern", r"\S")
    if field.description:
        schema["description"] = str(field.description)
    return schema


def _required(field) -> bool:
    """Required in the body: validated as required and without a default to fall back on."""
    return field.default is None and _validated_as_required(field)


def _optional(field) -> bool:
    return any(isinstance(validator, v.Optional) for validator in field.validators)


def _validated_as_required(field) -> bool:
    return any(isinstance(validator, v.DataRequired | v.InputRequired)
               for validator in field.validators)


@cache
def form_schema(form_class) -> dict:
    form = form_class(meta={"csrf": False}) if _is_flask_form(form_class) else form_class()
    properties, required = {}, []
    for field in form:
        if field.type in {"CSRFTokenField", "SubmitField", "HiddenField"}:
            continue
        properties[field.short_name] = field_schema(field)
        if _required(field):
            required.append(field.short_name)
        else:
            properties[field.short_name] = _nullable(properties[field.short_name])
    bilingual = bilingual_fields(form_class)
    if bilingual:
        texts = {"type": "object", "properties": {
            name: {"type": ["string", "null"]} for name in bilingual}}
        properties["translations"] = {
            "type": ["object", "null"], "properties": {"en": texts, "de": texts},
            "description": "The same texts by language: translations.en.title is title, "
                           "translations.de.title is title_de (a field given directly wins)."}
    # Parts of a body that a form does not parse itself (e.g. a registration's answers).
    properties.update(getattr(form_class, "api_extra_properties", {}))
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


@cache
def bilingual_fields(form_class) -> tuple[str, ...]:
    """The form's English fields that have a German twin (`title` and `title_de`)."""
    form = form_class(meta={"csrf": False}) if _is_flask_form(form_class) else form_class()
    names = {field.short_name for field in form}
    return tuple(name for name in names if f"{name}_de" in names)


def _nullable(schema: dict) -> dict:
    """null in a body counts as absent (api.core._flatten), so an optional value takes it.

    Lists and objects stay as they are: a form may insist on them in its own validation.
    """
    kinds = _kinds(schema.get("type"))
    if not kinds or "null" in kinds or {"array", "object"} & set(kinds):
        return schema
    schema = {**schema, "type": [*kinds, "null"]}
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
    return schema


def _kinds(kind) -> list[str]:
    if kind is None:
        return []
    return list(kind) if isinstance(kind, list) else [kind]


def _is_flask_form(form_class) -> bool:
    from flask_wtf import FlaskForm

    return issubclass(form_class, FlaskForm)




def type_errors(schema: dict, payload: dict, prefix: str = "") -> dict[str, list[str]]:
    """Field -> message for values of the wrong JSON type (false where a name belongs)."""
    errors: dict[str, list[str]] = {}
    for name, rules in schema.get("properties", {}).items():
        value = payload.get(name)
        if value is None:
            continue
        key = f"{prefix}{name}"
        # null never gets here, so an optional field's type is the one that was meant.
        expected = [kind for kind in _kinds(rules.get("type")) if kind != "null"]
        expected = expected[0] if len(expected) == 1 else expected
        if not _has_type(value, expected):
            errors[key] = [_type_message(expected)]
        elif expected == "array" and rules["items"].get("type") == "object":
            for index, item in enumerate(value):
                if not isinstance(item, dict):
                    errors[f"{key}[{index}]"] = [_type_message("object")]
                else:
                    errors.update(type_errors(rules["items"], item, f"{key}[{index}]."))
    return errors


def _has_type(value, expected) -> bool:
    checks = {
        "string": lambda x: isinstance(x, str),
        "integer": lambda x: isinstance(x, int) and not isinstance(x, bool),
        "number": lambda x: isinstance(x, int | float) and not isinstance(x, bool),
        "boolean": lambda x: isinstance(x, bool),
        "array": lambda x: isinstance(x, list),
        "object": lambda x: isinstance(x, dict),
    }
    if isinstance(expected, list):
        return any(checks[kind](value) for kind in expected if kind in checks)
    return checks.get(expected, lambda x: True)(value)


def _type_message(expected) -> str:
    messages = {
        "string": _("Must be a text."),
        "integer": _("Must be a whole number."),
        "number": _("Must be a number."),
        "boolean": _("Must be true or false."),
        "array": _("Must be a list."),
        "object": _("Must be an object."),
    }
    return messages.get(expected if isinstance(expected, str) else "", _("Wrong type."))
