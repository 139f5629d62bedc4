"""Why a session stays unfilled, in the reader's language: built from the reason's code and
params (services/moderation/reasons.py), never from its English default text."""

from babel import Locale, UnknownLocaleError
from flask_babel import gettext as _
from flask_babel import ngettext

from .. import i18n
from ..services.moderation import reasons as rules


def language_name(code: str | None) -> str:
    if not code:
        return ""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(i18n.current_language())
    except (UnknownLocaleError, ValueError):
        return code
    return name or code


def _span(params: dict, tz) -> str:
    start, end = params.get("starts_at"), params.get("ends_at")
    if start is None or end is None:
        return ""
    return f"{i18n.format_datetime(start, tz, 'short')}–{i18n.format_time(end, tz)}"


def reason_text(reason: rules.Reason, tz, names: dict[int, str] | None = None) -> str:
    """One sentence; the names of the moderators concerned follow when known."""
    params = reason.params
    count = int(params.get("count") or 0)
    needed = int(params.get("needed") or 0)
    language = params.get("language")
    lang = language_name(language)
    code = reason.code
    if code == rules.NO_LANGUAGE:
        if count == 0:
            text = _("No moderator speaks %(language)s.", language=lang)
        else:
            text = ngettext("Only %(num)d moderator speaks %(language)s; %(needed)d are needed.",
                            "Only %(num)d moderators speak %(language)s; %(needed)d are needed.",
                            count, language=lang, needed=needed)
    elif code == rules.NOT_ENOUGH_MODERATORS:
        text = ngettext("Only %(num)d moderator is registered; %(needed)d are needed.",
                        "Only %(num)d moderators are registered; %(needed)d are needed.",
                        count, needed=needed)
    elif code == rules.NO_AVAILABILITY:
        when = _span(params, tz)
        if language:
            text = ngettext(
                "%(num)d moderator who speaks %(language)s is not available at %(time)s.",
                "%(num)d moderators who speak %(language)s are not available at %(time)s.",
                count, language=lang, time=when)
        else:
            text = ngettext("%(num)d moderator is not available at %(time)s.",
                            "%(num)d moderators are not available at %(time)s.",
                            count, time=when)
    elif code == rules.ALL_BUSY:
        when = _span(params, tz)
        if language:
            text = ngettext(
                "%(num)d moderator who speaks %(language)s is booked elsewhere at %(time)s.",
                "%(num)d moderators who speak %(language)s are booked elsewhere at %(time)s.",
                count, language=lang, time=when)
        else:
            text = ngettext("%(num)d moderator is booked elsewhere at %(time)s.",
                            "%(num)d moderators are booked elsewhere at %(time)s.",
                            count, time=when)
    elif code == rules.NO_LEAD:
        text = _("No lead: every pinned moderator is a co-moderator. Make one of them lead.")
    else:
        text = reason.text
    ids = params.get("moderator_ids") or []
    if names and ids and code != rules.NO_LEAD:
        who = ", ".join(names.get(i, str(i)) for i in ids)
        text = f"{text} ({who})"
    return text
