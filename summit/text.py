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

from sqlalchemy import and_, bindparam, or_, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.types import Boolean

# SQLite's index for registrations.search_key: an FTS5 table with the trigram tokenizer, kept
# by triggers (models/registration.py, migration 0014). PostgreSQL has a pg_trgm GIN index on
# the column itself, which answers LIKE '%word%' directly.
SQLITE_SEARCH_TABLE = "registrations_search"
TRIGRAM = 3  # the shortest text a trigram index can look up

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
    in the query are searched for literally.

    On registrations.search_key the condition also asks the dialect's index first (SQLite:
    the FTS5 trigram table; elsewhere nothing is added), so the LIKE only checks the rows the
    index found: the same answers, without reading every row."""
    words = [spellings(word) for word in (query or "").split()]
    like = [or_(*(column.contains(spelling, autoescape=True) for spelling in each))
            for each in words]
    prefilter = _trigram_query(words)
    if prefilter and getattr(column, "key", None) == "search_key" \
            and getattr(getattr(column, "table", None), "name", None) == "registrations":
        like.append(_TrigramPrefilter(column.table.c.id, prefilter))
    return and_(true(), *like)


def _trigram_query(words: list[list[str]]) -> str:
    """An FTS5 query for the words whose every spelling has a trigram: ("muller" OR
    "mueller") AND "jose". Shorter words are left to the LIKE. Empty: nothing to look up."""
    parts = []
    for each in words:
        if all(len(spelling) >= TRIGRAM for spelling in each):
            quoted = ['"' + spelling.replace('"', '""') + '"' for spelling in each]
            parts.append("(" + " OR ".join(quoted) + ")")
    return " AND ".join(parts)


class _TrigramPrefilter(ColumnElement):
    """`id IN (rows of the trigram index matching the query)` on SQLite; true elsewhere."""

    type = Boolean()
    inherit_cache = False

    def __init__(self, id_column, match: str):
        self.id_column = id_column
        self.match = bindparam(None, match, unique=True)


@compiles(_TrigramPrefilter)
def _no_prefilter(element, compiler, **kw):
    return "1 = 1"


@compiles(_TrigramPrefilter, "sqlite")
def _sqlite_prefilter(element, compiler, **kw):
    return (f"{compiler.process(element.id_column, **kw)} IN (SELECT rowid FROM "
            f"{SQLITE_SEARCH_TABLE} WHERE {SQLITE_SEARCH_TABLE} MATCH "
            f"{compiler.process(element.match, **kw)})")
