"""JSON schemas of the API's responses, referenced by name from the endpoint declarations."""

DATE_TIME = {"type": "string", "format": "date-time"}
NULLABLE_DATE_TIME = {"type": ["string", "null"], "format": "date-time"}

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
            "name": {"type": "string"},
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
            "name": {"type": "string"},
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
                    "primary_colour": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"},
                    "registration_opens_at": NULLABLE_DATE_TIME,
                    "registration_closes_at": NULLABLE_DATE_TIME,
                },
            },
        ],
    },
}
