"""Text search that ignores case and Vietnamese marks, on both databases (docs/search.md).

What is typed and what is stored are compared *folded*: lower case, without tones or the marks
that make ă â ê ô ơ ư, and đ as d — "so y te" finds "Sở Y tế", "dai pt" finds "Đài PT-TH".

* ``fold`` folds a text in Python (the query, and highlighting);
* ``Folded(expression)`` folds a column in SQL: ``lower(unaccent(…))`` on PostgreSQL (the
  ``unaccent`` extension, created by ``portal``'s first migration), ``thidua_fold(…)`` on SQLite,
  a function ``common.db.sqlite`` registers on every connection with ``fold`` itself;
* ``Terms`` is a query cut into words: a row matches when **every word is in one of the fields
  searched** (``Terms.exact``). On PostgreSQL a row also matches when the whole query is close
  to a field by trigram similarity (``pg_trgm``'s ``word_similarity``, ``Terms.near``), so that
  a typing slip still finds it; SQLite has no trigrams and finds the exact matches only.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, CharField, ExpressionWrapper, F, Func, Q
from django.db.models.expressions import Combinable
from django.db.models.lookups import Contains, GreaterThanOrEqual

# Words of a query taken into account: a longer query adds nothing a person would miss, and
# each word adds a condition per field to the SQL.
MAX_TERMS = 8
# pg_trgm's own default for its word-similarity operator: "giao duk" is near "giáo dục"
# (0.83), "so y te" is not near "Sở Nội vụ" (0.38).
NEAR = 0.6
SQLITE_FUNCTION = "thidua_fold"


@functools.lru_cache(maxsize=8192)  # SQLite calls it for every row a search reads
def fold(text: str) -> str:
    """``text`` as a search compares it: lower case, no tones or letter marks, đ as d."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.replace("đ", "d").replace("Đ", "D").lower()


def fold_or_none(text: str | None) -> str | None:
    """``fold`` for SQLite's function, which receives NULL as None."""
    return None if text is None else fold(text)


class Folded(Func):
    """A text column folded as ``fold`` does, in SQL."""

    function = SQLITE_FUNCTION
    arity = 1
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="lower(unaccent(%(expressions)s))", **extra_context
        )


def _field(field: str | Combinable) -> Folded:
    return Folded(F(field) if isinstance(field, str) else field)


def is_near_supported() -> bool:
    """Trigram similarity is PostgreSQL's (``pg_trgm``)."""
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class Terms:
    """A query cut into folded words (at most ``MAX_TERMS``, each once)."""

    text: str  # the folded query, words joined by one space
    words: tuple[str, ...]

    @classmethod
    def parse(cls, query: str) -> Terms:
        words = tuple(dict.fromkeys(fold(query).split()))[:MAX_TERMS]
        return cls(text=" ".join(words), words=words)

    def __bool__(self) -> bool:
        return bool(self.words)

    def exact(self, *fields: str | Combinable) -> Q:
        """Every word is in one of ``fields`` (a field name, or an expression giving text)."""
        condition = Q()
        for word in self.words:
            either = Q()
            for field in fields:
                either |= Q(Contains(_field(field), word))
            condition &= either
        return condition

    def near(self, *fields: str | Combinable) -> Q | None:
        """The whole query is close to one of ``fields`` (PostgreSQL); None elsewhere."""
        if not self.words or not is_near_supported():
            return None
        from django.contrib.postgres.search import TrigramWordSimilarity

        either = Q()
        for field in fields:
            similarity = TrigramWordSimilarity(self.text, _field(field))
            either |= Q(GreaterThanOrEqual(similarity, NEAR))
        return either

    def matches(self, *fields: str | Combinable) -> Q:
        """``exact`` or ``near``: what a search finds."""
        near = self.near(*fields)
        exact = self.exact(*fields)
        return exact if near is None else exact | near


def flag(condition: Q) -> ExpressionWrapper:
    """A condition as a true/false column, to order exact matches before near ones."""
    return ExpressionWrapper(condition, output_field=BooleanField())


def highlight(text: str, words: Iterable[str]) -> list[tuple[str, bool]]:
    """``text`` cut into parts, each marked True where it matches one of the folded ``words``:
    the template shows those in ``<mark>``. Folding keeps one character for each character of
    a text in NFC (the form browsers and the database hold), so positions carry over."""
    text = unicodedata.normalize("NFC", text)
    folded = "".join(fold(char)[:1] or char for char in text)
    marked = [False] * len(text)
    for word in words:
        if not word:
            continue
        start = folded.find(word)
        while start != -1:
            for index in range(start, start + len(word)):
                marked[index] = True
            start = folded.find(word, start + 1)
    parts: list[tuple[str, bool]] = []
    for char, is_marked in zip(text, marked, strict=True):
        if parts and parts[-1][1] == is_marked:
            parts[-1] = (parts[-1][0] + char, is_marked)
        else:
            parts.append((char, is_marked))
    return parts
