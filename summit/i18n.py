"""Language choice and locale-aware formatting in the event's timezone."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale

LANGUAGE_COOKIE = "summit_lang"
ONE_YEAR = 365 * 24 * 3600


def supported_languages() -> dict[str, str]:
    return current_app.config["SUMMIT_LANGUAGES"]


def select_locale() -> str:
    """The user's explicit choice (remembered in a cookie), else the browser's preference."""
    if not has_request_context():  # CLI and services: the default, not a crash
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = getattr(g, "chosen_language", None) or request.cookies.get(LANGUAGE_COOKIE)
    if chosen in supported_languages():
        return chosen
    return request.accept_languages.best_match(list(supported_languages())) or "en"


def select_timezone() -> str:
    return getattr(g, "timezone", None) or current_app.config["BABEL_DEFAULT_TIMEZONE"]


def current_language() -> str:
    return str(get_locale() or "en")


def _tz(tz: ZoneInfo | str | None) -> ZoneInfo:
    if isinstance(tz, ZoneInfo):
        return tz
    return ZoneInfo(tz or current_app.config["BABEL_DEFAULT_TIMEZONE"])


def format_datetime(value: datetime | None, tz=None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    return babel_dates.format_datetime(value, fmt, tzinfo=_tz(tz), locale=current_language())


def format_time(value: datetime | None, tz=None, fmt: str = "short") -> str:
    if value is None:
        return ""
    return babel_dates.format_time(value, fmt, tzinfo=_tz(tz), locale=current_language())


def format_date(value: date | datetime | None, tz=None, fmt: str = "long") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(_tz(tz)).date()
    return babel_dates.format_date(value, fmt, locale=current_language())


def format_date_range(start: date, end: date, locale: str | None = None) -> str:
    """'September 10–11, 2014' / '10.–11. September 2014', as the locale writes it."""
    locale = locale or current_language()
    last = babel_dates.format_date(end, "long", locale=locale)
    if start == end:
        return last
    if (start.year, start.month) != (end.year, end.month):
        return f"{babel_dates.format_date(start, 'long', locale=locale)} – {last}"
    if locale == "de":
        return f"{start.day}.–{last}"
    return last.replace(str(end.day), f"{start.day}–{end.day}", 1)


def init_app(app: Flask) -> None:
    @app.after_request
    def remember_language(response):
        chosen = getattr(g, "chosen_language", None)
        if chosen:
            response.set_cookie(
                LANGUAGE_COOKIE, chosen, max_age=ONE_YEAR, samesite="Lax", httponly=True,
                secure=app.config.get("SESSION_COOKIE_SECURE", False),
            )
        return response
