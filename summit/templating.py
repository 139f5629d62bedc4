"""Template filters and globals: times in the event's zone, the language switch."""

from flask import Flask

from . import i18n
from .models.bilingual import localised
from .services.applications.labels import stage_label, status_label


def tr(obj, field: str, language: str | None = None) -> str:
    """`{{ session|tr('title') }}`: the text in the page's language (or the one given),
    falling back to the other language when it is empty."""
    return localised(obj, field, language or i18n.current_language())


def init_app(app: Flask) -> None:
    app.add_template_filter(i18n.format_datetime, "datetime")
    app.add_template_filter(i18n.format_time, "time")
    app.add_template_filter(i18n.format_date, "date")
    app.add_template_filter(tr, "tr")
    app.add_template_global(i18n.format_date_range, "date_range")
    app.add_template_global(i18n.current_language, "current_language")
    app.add_template_global(i18n.supported_languages, "supported_languages")
    app.add_template_global(status_label, "application_status")
    app.add_template_global(stage_label, "stage_label")
