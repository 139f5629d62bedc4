"""Texts kept in English and German: the plain column is the English text, `<field>_de` the
German one. Either may be empty; readers get their language and fall back to the other.

Attribute reads stay plain (`session.title` is the English text): a page, mail, badge, .ics
or API answer asks for the reader's language explicitly with `localised`.
"""

LANGUAGES = ("en", "de")

# The bilingual texts of each model: the English column; `<name>_de` holds the German.
BILINGUAL_FIELDS: dict[str, tuple[str, ...]] = {
    "Event": ("name", "description"),
    "Category": ("name",),
    "Room": ("name",),
    "EventSession": ("title", "description"),
    "Pitch": ("title", "description"),
}


def _language(locale) -> str:
    """"de" for de, de_DE, de-AT or a Babel Locale of German; "en" for everything else."""
    text = str(locale or "en").replace("-", "_").lower()
    return "de" if text.split("_")[0] == "de" else "en"


def in_language(locale, *, english: str, german: str) -> str:
    """A text kept in both languages, in the reader's; the other when that one is empty."""
    english, german = english or "", german or ""
    if _language(locale) == "de":
        return german or english
    return english or german


def localised(obj, field: str, locale) -> str:
    """`obj.<field>` (English) or `obj.<field>_de` in the reader's language, with fallback."""
    if obj is None:
        return ""
    return in_language(locale, english=getattr(obj, field, "") or "",
                       german=getattr(obj, f"{field}_de", "") or "")


def translations(obj, fields: tuple[str, ...] | None = None) -> dict[str, dict[str, str]]:
    """{"en": {field: text}, "de": {field: text}}: both languages as stored, empty kept."""
    fields = fields or BILINGUAL_FIELDS[type(obj).__name__]
    return {
        "en": {field: getattr(obj, field) or "" for field in fields},
        "de": {field: getattr(obj, f"{field}_de") or "" for field in fields},
    }
