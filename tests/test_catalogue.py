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
