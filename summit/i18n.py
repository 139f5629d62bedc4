"""Language choice and locale-aware formatting in the event's timezone."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale

LANGUAGE_COOKIE = "summit_lang"
ONE_YEAR = 365 * 24 * 3600


def supported_languages() -> dict[str, str]:
    return current_app.config["SUMMIT_LANGUAGES"]


def select_locale() -> str:
    """The user's explicit choice (remembered in a cookie), else the browser's preference,
    with the browser's region for that language: "en_GB" for an en-GB browser.

    The language picks the translations (en_GB falls back to the "en" catalogue, which is
    the source text); the region only picks how dates and times are written, so an English
    page reads "10 September 2014, 14:30" in London and "September 10, 2014, 2:30 PM" in
    New York. Outside a request (CLI, mail worker) the default; callers pick a person's
    language with flask_babel.force_locale.
    """
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = (getattr(g, "chosen_language", None) or _asked_language()
              or request.cookies.get(LANGUAGE_COOKIE))
    if chosen not in supported_languages():
        chosen = request.accept_languages.best_match(list(supported_languages())) or "en"
    return _with_browser_region(chosen)


def _asked_language() -> str | None:
    """`?lang=de` on this one request (the API, a calendar subscription); not remembered."""
    asked = request.args.get("lang", "")
    return asked if asked in supported_languages() else None


def _with_browser_region(language: str) -> str:
    """The language with the region of the first browser preference that names one for it
    (en + "en-GB,en;q=0.8" → en_GB); the bare language when there is none or Babel does not
    know the pair (en-XX)."""
    for tag, _quality in request.accept_languages:
        try:
            locale = Locale.parse(tag.replace("_", "-"), sep="-")
        except (UnknownLocaleError, ValueError):
            continue
        if locale.language == language and locale.territory:
            return f"{language}_{locale.territory}"
    return language


def select_timezone() -> str:
    return getattr(g, "timezone", None) or current_app.config["BABEL_DEFAULT_TIMEZONE"]


def current_language() -> str:
    """The language of the page ("en", "de"): translations, lang attributes, stored choices."""
    locale = get_locale()
    return locale.language if locale else "en"


def current_locale() -> str:
    """The full locale for writing dates and times ("en_GB", "en", "de_DE")."""
    return str(get_locale() or "en")


def _tz(tz: ZoneInfo | str | None) -> ZoneInfo:
    if isinstance(tz, ZoneInfo):
        return tz
    return ZoneInfo(tz or current_app.config["BABEL_DEFAULT_TIMEZONE"])


def format_datetime(value: datetime | None, tz=None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    return babel_dates.format_datetime(value, fmt, tzinfo=_tz(tz), locale=current_locale())


def format_time(value: datetime | None, tz=None, fmt: str = "short") -> str:
    if value is None:
        return ""
    return babel_dates.format_time(value, fmt, tzinfo=_tz(tz), locale=current_locale())


def format_date(value: date | datetime | None, tz=None, fmt: str = "long") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(_tz(tz)).date()
    return babel_dates.format_date(value, fmt, locale=current_locale())


def format_day(value: date) -> str:
    """A day of the event without its year, as the locale writes it: 'Wednesday, September 10'
    / 'Wednesday, 10 September' (en_GB) / 'Mittwoch, 10. September'. The locale's full date
    pattern minus the year, so every region keeps its own order."""
    pattern = Locale.parse(current_locale()).date_formats["full"].pattern
    without_year = re.sub(r"[\s,]*y+[^\sEdMLc]*", "", pattern).strip()
    return babel_dates.format_date(value, without_year, locale=current_locale())


def format_date_range(start: date, end: date, locale: str | None = None) -> str:
    """'September 10–11, 2014' / '10–11 September 2014' (en_GB) / '10.–11. September 2014',
    as the locale writes it. (Babel's interval formats only know abbreviated months.)"""
    locale = locale or current_locale()
    last = babel_dates.format_date(end, "long", locale=locale)
    if start == end:
        return last
    if (start.year, start.month) != (end.year, end.month):
        return f"{babel_dates.format_date(start, 'long', locale=locale)} – {last}"
    if Locale.parse(locale).language == "de":
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
