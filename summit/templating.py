"""Template filters and globals: times in the event's zone, the language switch."""

from flask import Flask

from . import i18n


def init_app(app: Flask) -> None:
    app.add_template_filter(i18n.format_datetime, "datetime")
    app.add_template_filter(i18n.format_time, "time")
    app.add_template_filter(i18n.format_date, "date")
    app.add_template_global(i18n.format_date_range, "date_range")
    app.add_template_global(i18n.current_language, "current_language")
    app.add_template_global(i18n.supported_languages, "supported_languages")
