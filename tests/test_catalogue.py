"""German and English ship complete: every message in the code has its German translation,
the translations keep their placeholders, and no user-visible text bypasses gettext.

English is the source language (the msgids), so "complete in English" means every visible
string goes through gettext; "complete in German" means the catalogue translates all of them.
"""

import ast
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "summit" / "translations" / "de" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "lazy_ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def extracted_messages() -> dict[str, tuple[str, int]]:
    """msgid -> (file, line), read the way `make messages` reads babel.cfg."""
    found = {}
    for top, pattern, method in [("summit", "**.py", "python"),
                                 ("templates", "**.html", "jinja2"),
                                 ("templates", "**.txt", "jinja2")]:
        for filename, lineno, message, _comments, _context in extract_from_dir(
                ROOT / top, method_map=[(pattern, method)], keywords=KEYWORDS):
            msgid = message[0] if isinstance(message, tuple) else message
            found.setdefault(msgid, (f"{top}/{filename}", lineno))
    return found


@pytest.fixture(scope="module")
def german():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle, locale="de")


def test_every_message_in_the_code_has_a_german_translation(german):
    messages = extracted_messages()
    assert len(messages) > 300, "extraction found too little; is babel.cfg still right?"
    problems = []
    for msgid, (where, line) in sorted(messages.items(), key=lambda item: item[1]):
        entry = german.get(msgid)
        translations = entry and (entry.string if isinstance(entry.string, tuple)
                                  else (entry.string,))
        if entry is None:
            problems.append(f"{where}:{line} not in the catalogue (run `make messages`): "
                            f"{msgid!r}")
        elif entry.fuzzy or not all(translations):
            problems.append(f"{where}:{line} untranslated or fuzzy: {msgid!r}")
    assert not problems, "\n".join(problems)


def test_translations_keep_their_placeholders(german):
    problems = []
    for entry in german:
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        expected = {name for text in ids for name in _placeholders(text)}
        for text in strings:
            # A plural form may leave out the number ("Ein Abzeichen"), nothing else.
            if _placeholders(text) - expected or expected - _placeholders(text) - {"num"}:
                problems.append(f"{entry.id!r} -> {text!r}")
    assert not problems, "\n".join(problems)


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


# --- nothing visible bypasses gettext -------------------------------------------------------

JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
# Scripts, styles, sample data in <pre> and the class-name blocks are not prose.
NOT_TEXT = re.compile(r"<(script|style|pre)\b.*?</\1>|\{%\s*block \w+_class\s*%\}.*?"
                      r"\{%\s*endblock\s*%\}", re.S | re.I)
TAG = re.compile(r"<[^>]*>", re.S)
VISIBLE_ATTRIBUTE = re.compile(r'\b(?:placeholder|aria-label|title|alt)="([^"]*)"')
BRAND = {"Summit"}


def literal_text(template: str) -> list[str]:
    source = NOT_TEXT.sub(" ", template)
    source = JINJA.sub(" ", source)
    words = [value for tag in TAG.findall(source) for value in VISIBLE_ATTRIBUTE.findall(tag)
             if re.search(r"[^\W\d_]{2}", value)]
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", TAG.sub(" ", source))
    words += re.findall(r"\S*[^\W\d_]{2}\S*", text)
    return [word for word in words if word not in BRAND]


def test_templates_have_no_text_outside_gettext():
    problems = {str(path.relative_to(ROOT)): words
                for path in sorted((ROOT / "templates").rglob("*.html"))
                if (words := literal_text(path.read_text(encoding="utf-8")))}
    assert not problems, problems


def test_the_template_check_sees_untranslated_text():
    assert literal_text('<p class="x">{{ _("Fine") }} Oops</p>') == ["Oops"]
    assert literal_text('<input placeholder="Name" value="{{ v }}">') == ["Name"]
    assert literal_text('<a title="{{ _("Fine") }}">Summit</a>') == []


# Messages that reach a page or an API client. (Command-line messages are for operators and
# stay English; ValueError/TypeError mark programming mistakes, not user input.)
MESSAGE_CALLS = {"flash", "ApiError", "error_response", "ValidationError", "StopValidation",
                 "EventError", "RegistrationError", "ProgrammeError", "ModerationError",
                 "RunError", "SelectionError"}


def untranslated_messages(source: str) -> list[tuple[int, str]]:
    """(line, call) of each flash(), form error or API error given a literal string."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in MESSAGE_CALLS:
            continue
        # A message is prose (it has a space) or an f-string; field names such as
        # "category" and flash's "info" are not. flash's message is its first argument.
        candidates = node.args[:1] if name == "flash" else node.args
        if any(isinstance(arg, ast.JoinedStr) or (
                isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                and " " in arg.value.strip()) for arg in candidates):
            found.append((node.lineno, name))
    return found


def test_python_messages_go_through_gettext():
    problems = [f"{path.relative_to(ROOT)}:{line} {call}(...)"
                for path in sorted((ROOT / "summit").rglob("*.py")) if path.name != "cli.py"
                for line, call in untranslated_messages(path.read_text(encoding="utf-8"))]
    assert not problems, "\n".join(problems)


def test_the_python_check_sees_untranslated_messages():
    source = ('flash(_("Fine"), "info")\nflash(f"Hi {x}")\nraise ApiError(409, "Taken here")\n'
              'raise EventError("slug", _("Taken"))\nraise EventError("slug", "Is taken")\n')
    assert untranslated_messages(source) == [(2, "flash"), (3, "ApiError"), (5, "EventError")]


# --- German wording: one word for one thing, event names without articles, plural counts ----

# (pattern in a German msgstr, what to write instead)
BANNED_GERMAN = [
    (re.compile(r"\bBadges?\b|\bBadge-"), "Namensschild, not Badge"),
    (re.compile(r"\bLeitung\b"), "Hauptmoderation / Co-Moderation for the moderator roles"),
    (re.compile(r"Organisationsteam|\bVeranstalter\b"), "Veranstaltungsteam for the organisers"),
    (re.compile(r"\bEmpfang\b"), "Check-in-Schalter for the registration desk"),
    # "bei Vision Summit" needs "beim", "für Vision Summit" "für den": the article depends
    # on the name. Lead with the name ("Vision Summit: …") or say „die Veranstaltung „…““.
    (re.compile(r"\b(?:an|am|auf|aus|bei|beim|für|im|in|mit|nach|über|von|vom|zu|zum|zur)"
                r"\s+%\(event\)s"), "no preposition right before %(event)s"),
]
LOG_IN_OR_OUT = re.compile(r"\blog(?:ged|ging|s)?\s*(?:in|out)\b", re.I)
REGISTERING = re.compile(r"(?:an|ab)meld|(?:an|ab)gemeldet|melden Sie sich (?:an|ab)", re.I)
LOGGING = re.compile(r"einlogg|auslogg|eingeloggt|ausgeloggt|loggen Sie sich", re.I)


def german_wording_problems(msgid: str, msgstr: str) -> list[str]:
    problems = [f"{msgstr!r}: {hint}" for pattern, hint in BANNED_GERMAN
                if pattern.search(msgstr)]
    # "Anmelden"/"Anmeldung" is registering for the event; logging in is "Einloggen".
    if LOG_IN_OR_OUT.search(msgid) and (REGISTERING.search(msgstr)
                                        or not LOGGING.search(msgstr)):
        problems.append(f"{msgstr!r}: log in/out is Einloggen/Ausloggen")
    if msgstr.strip() == "Anmelden" and "regist" not in msgid.lower():
        problems.append(f"{msgstr!r} for {msgid!r}: Anmelden means registering")
    return problems


def test_german_uses_one_word_for_one_thing(german):
    problems = []
    for entry in german:
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for text in strings:
            problems += german_wording_problems(ids[0], text)
    assert not problems, "\n".join(problems)


def test_the_wording_check_sees_the_old_mistakes():
    assert german_wording_problems("Log in", "Anmelden")
    assert german_wording_problems("Stay logged in", "Angemeldet bleiben")
    assert not german_wording_problems("Log in", "Einloggen")
    assert german_wording_problems("Badge code", "Badge-Code")
    assert german_wording_problems("lead", "Leitung")
    assert german_wording_problems("x", "Ihr Platz bei %(event)s ist bestätigt")
    assert not german_wording_problems("x", "Ihr Platz für die Veranstaltung „%(event)s“")
    assert not german_wording_problems("x", "%(event)s: Ihre Anmeldung ist bestätigt")
    assert not german_wording_problems("Register", "Anmelden")


# A number in a message without a plural form reads "1 Personen" sooner or later. These few
# stand before no noun (or a unit abbreviation), so one form fits every number.
COUNT = re.compile(r"%\((?:num|count|total|n)\)[sd]|%\(\w+\)d")
COUNTS_WITHOUT_NOUN = {
    "of %(total)s confirmed",  # the checked-in figure stands before it
    "%(count)s checked in",
    "position %(n)s on the waiting list",  # an ordinal
    "%(actor)s added the pitch “%(title)s” %(in_session)s as number %(position)d.",  # ordinal
    "%(pitch)d + %(qa)d min Q&A, %(change)d min changeover",
    "Needed: %(num)d",
}


def singular_messages() -> list[tuple[str, str]]:
    """(msgid, where) of every message extracted without a plural form."""
    found = []
    for top, pattern, method in [("summit", "**.py", "python"),
                                 ("templates", "**.html", "jinja2"),
                                 ("templates", "**.txt", "jinja2")]:
        for filename, lineno, message, _comments, _context in extract_from_dir(
                ROOT / top, method_map=[(pattern, method)], keywords=KEYWORDS):
            if isinstance(message, str):
                found.append((message, f"{top}/{filename}:{lineno}"))
    return found


def test_counts_are_shown_with_ngettext():
    problems = [f"{where} {msgid!r}: use ngettext" for msgid, where in singular_messages()
                if COUNT.search(msgid) and msgid not in COUNTS_WITHOUT_NOUN]
    assert not problems, "\n".join(problems)
