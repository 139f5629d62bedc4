"""Translated labels for programme values (session kinds, languages, moderator roles)."""

from flask_babel import lazy_gettext as _l

LANGUAGE_CODES = ("de", "en")

_KINDS = {
    "pitch": _l("Pitch session"),
    "keynote": _l("Keynote"),
    "workshop": _l("Workshop"),
    "panel": _l("Panel"),
    "break": _l("Break"),
}
_LANGUAGES = {"de": _l("German"), "en": _l("English")}
_ROLES = {"lead": _l("Lead moderator"), "co": _l("Co-moderator")}


def kind_label(kind: str) -> str:
    return str(_KINDS.get(kind, kind))


def language_label(code: str | None) -> str:
    return str(_LANGUAGES.get(code, code or ""))


def role_label(role: str) -> str:
    return str(_ROLES.get(role, role))
