"""How people's names are searched: one folding rule for the desk, the organiser's list and the
stored search key of every registration.

People type "mueller", "muller", "Müller" or "MÜLLER" for Müller, "Jose" for José and "lukasz"
for Łukasz. Folding removes case and accents; German umlauts are folded both ways (ü → u and
ü → ue), so a search in either spelling finds both spellings of a name.

The folding happens in Python, never in SQL: SQLite's lower() knows only ASCII and
PostgreSQL's depends on the server's collation, so the database compares folded ASCII with
LIKE and both give the same answers.
"""

import unicodedata

from sqlalchemy import and_, or_, true

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
# Letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d",
                               "þ": "th", "ı": "i"})


def fold(text: str) -> str:
    """Case- and accent-free form: 'Zoë MÜLLER' -> 'zoe muller', 'Łukasz' -> 'lukasz'.
    ß becomes ss through case folding."""
    decomposed = unicodedata.normalize(
        "NFKD", (text or "").casefold().translate(_UNDECOMPOSED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def spellings(text: str) -> list[str]:
    """The folded forms of a text: umlauts as plain vowels, and (if it has any) as ae/oe/ue.
    'Müller' -> ['muller', 'mueller']; 'Jose' -> ['jose']."""
    plain = fold(text)
    german = fold((text or "").casefold().translate(_GERMAN))
    return [plain] if german == plain else [plain, german]


def search_key(*fields: str | None) -> str:
    """What a search looks in: the fields in all their spellings, separated by spaces."""
    return " ".join(spellings(" ".join(field or "" for field in fields)))


def matches_every_word(column, query: str | None):
    """An SQL condition: the search key `column` contains every word of the query, each in
    one of its spellings ('Müller' finds 'Mueller' and the other way round). LIKE wildcards
    in the query are searched for literally."""
    words = [or_(*(column.contains(spelling, autoescape=True) for spelling in spellings(word)))
             for word in (query or "").split()]
    return and_(true(), *words)
