"""JSON schemas of the API's responses, referenced by name from the endpoint declarations."""

DATE_TIME = {"type": "string", "format": "date-time"}
NULLABLE_DATE_TIME = {"type": ["string", "null"], "format": "date-time"}

# ?lang= on the reading endpoints: "en" or "de" picks the texts' language over Accept-Language;
# any other value is ignored, so the schema takes any text.
LANG_QUERY = {"lang": {"type": "string",
                       "description": "en or de: the language of the texts (else Accept-"
                                      "Language decides)"}}


def translations_schema(*fields: str) -> dict:
    """Both languages of an object's texts as stored ("" or null when not given in one): the
    plain field next to it is the request's language, falling back to the other."""
    texts = {"type": "object", "required": list(fields),
             "properties": {field: {"type": ["string", "null"]} for field in fields}}
    return {"type": "object", "required": ["en", "de"],
            "description": "The texts in English (en) and German (de), as stored.",
            "properties": {"en": texts, "de": texts}}

SCHEMAS: dict[str, dict] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["status", "message"],
                "properties": {"status": {"type": "integer"}, "message": {"type": "string"}},
            },
        },
    },
    "ValidationError": {
        "type": "object",
        "required": ["error", "errors"],
        "properties": {
            "error": {"$ref": "#/components/schemas/Error/properties/error"},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
    },
    "EventSummary": {
        "type": "object",
        "required": ["slug", "name", "venue", "timezone", "starts_on", "ends_on"],
        "properties": {
            "slug": {"type": "string"},
            "name": {"type": "string", "description": "in the request's language (Accept-"
                     "Language or ?lang=), else the other language"},
            "translations": translations_schema("name", "description"),
            "venue": {"type": "string"},
            "timezone": {"type": "string"},
            "starts_on": {"type": "string", "format": "date"},
            "ends_on": {"type": "string", "format": "date"},
        },
    },
    "EventList": {"type": "array", "items": {"$ref": "#/components/schemas/EventSummary"}},
    "CategoryCounts": {
        "type": "object",
        "required": ["id", "name", "capacity", "confirmed", "waitlisted"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string", "description": "in the request's language, else the "
                     "other language"},
            "translations": translations_schema("name"),
            "capacity": {"type": "integer"},
            "confirmed": {"type": "integer"},
            "waitlisted": {"type": "integer"},
            "badge_colour": {"type": "string"},
            "public": {"type": "boolean"},
        },
    },
    "Event": {
        "allOf": [
            {"$ref": "#/components/schemas/EventSummary"},
            {
                "type": "object",
                "required": ["categories", "registration_open"],
                "properties": {
                    "categories": {
                        "type": "array", "items": {"$ref": "#/components/schemas/CategoryCounts"},
                    },
                    "registration_open": {"type": "boolean"},
                    "archived": {"type": "boolean", "description":
                                 "An organiser put the event away: it is left out of "
                                 "GET /events and its registration is closed."},
                    "description": {"type": "string"},
                    "primary_colour": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"},
                    "registration_opens_at": NULLABLE_DATE_TIME,
                    "registration_closes_at": NULLABLE_DATE_TIME,
                },
            },
        ],
    },
}
