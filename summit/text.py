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
from sqlalchemy.sql.visitors import InternalTraversal, replacement_traverse
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


def trigram_match(query: str | None) -> str:
    """What the trigram index is asked for the query (SQLite's FTS5 MATCH syntax); empty when
    no word of it has ≥ 3 characters in each spelling, so that no index can narrow it."""
    return _trigram_query([spellings(word) for word in (query or "").split()])


def narrowed_by_index(query: str | None) -> bool:
    """True when the trigram index can look up a word of the query, so that the matches can
    be found without reading every row."""
    return bool(trigram_match(query))


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
    inherit_cache = True  # statements with a search are compiled once, like any other
    _traverse_internals = [("id_column", InternalTraversal.dp_clauseelement),
                           ("match", InternalTraversal.dp_clauseelement)]

    def __init__(self, id_column, match: str):
        self.id_column = id_column
        self.match = bindparam(None, match, unique=True)

    def self_group(self, against=None):
        # A condition of its own: without this, and_() wraps a Boolean element as `(…) = 1`
        # on SQLite, which hides the IN from the planner and asks the index once per row.
        return self


@compiles(_TrigramPrefilter)
def _no_prefilter(element, compiler, **kw):
    return "1 = 1"


@compiles(_TrigramPrefilter, "sqlite")
def _sqlite_prefilter(element, compiler, **kw):
    return (f"{compiler.process(element.id_column, **kw)} IN (SELECT rowid FROM "
            f"{SQLITE_SEARCH_TABLE} WHERE {SQLITE_SEARCH_TABLE} MATCH "
            f"{compiler.process(element.match, **kw)})")


def found_by_index_first(conditions: list, table) -> list:
    """The conditions with `table`'s columns hidden from SQLite's planner (`+column`), so
    that a search's `id IN (trigram index)` is the only way in: the index's matches are read
    by rowid and the conditions checked on them. Without this the planner, seeing the
    event's condition or an ORDER BY that an index serves, walks the event's index and asks
    the search index once per row: all 100,000 rows when nothing matches. PostgreSQL's
    planner does the same with an index that serves an ORDER BY … LIMIT; there a column is
    hidden as coalesce(column, column), the same value, and pg_trgm's index is the way in."""
    def hide(element):
        if getattr(element, "table", None) is table and isinstance(element, ColumnElement) \
                and not isinstance(element, _Unindexed):
            return _Unindexed(element)
        return None

    return [replacement_traverse(condition, {}, hide) for condition in conditions]


class _Unindexed(ColumnElement):
    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]

    def __init__(self, column):
        self.column = column
        self.type = column.type


@compiles(_Unindexed)
def _coalesced(element, compiler, **kw):
    column = compiler.process(element.column, **kw)
    return f"coalesce({column}, {column})"


@compiles(_Unindexed, "sqlite")
def _unary_plus(element, compiler, **kw):
    return "+" + compiler.process(element.column, **kw)
