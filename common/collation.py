"""Vietnamese sort order for names.

Name columns declare ``db_collation=VIETNAMESE`` and sort correctly on both databases:

* on PostgreSQL the first migration creates a collation of that name from ICU's Vietnamese
  rules (the same rules as the built-in ``vi-x-icu``, whose dashed name SQLite cannot parse);
* on SQLite the project's backend (``common.db.sqlite``) registers the name on every connection
  with a Python comparison that follows
  the Vietnamese alphabet (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), tones
  breaking ties only.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

VIETNAMESE = "vietnamese"

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
# Tone marks in the conventional order: none, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Marks that make a different letter (ă â ê ô ơ ư), kept when tones are removed.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def _split_char(char: str) -> tuple[str, int]:
    """Return the letter without its tone, and the tone's rank."""
    decomposed = unicodedata.normalize("NFD", char)
    tone = 0
    kept = []
    for part in decomposed:
        if part in _TONES:
            tone = _TONES[part]
        elif unicodedata.combining(part) and part not in _LETTER_MARKS:
            continue
        else:
            kept.append(part)
    return unicodedata.normalize("NFC", "".join(kept)), tone


@functools.lru_cache(maxsize=8192)  # SQLite calls it for every comparison of an ORDER BY
def vietnamese_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """A key that sorts Vietnamese text as a Vietnamese reader expects."""
    primary: list[int] = []
    secondary: list[int] = []
    for char in unicodedata.normalize("NFC", text):
        letter, tone = _split_char(char.lower())
        rank = _LETTER_RANK.get(letter)
        # Letters come after spaces, digits and punctuation, as in a dictionary.
        primary.append(1000 + rank if rank is not None else ord(letter[:1] or " "))
        secondary.append(tone)
    return tuple(primary), tuple(secondary), text


def compare_vietnamese(left: str, right: str) -> int:
    left_key, right_key = vietnamese_sort_key(left), vietnamese_sort_key(right)
    return (left_key > right_key) - (left_key < right_key)


def create_postgresql_collation(apps: Any, schema_editor: Any) -> None:
    """Migration step: the ICU collation on PostgreSQL (nothing to do on SQLite)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE COLLATION IF NOT EXISTS \"{VIETNAMESE}\" (provider = icu, locale = 'vi')"
        )


def drop_postgresql_collation(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP COLLATION IF EXISTS "{VIETNAMESE}"')
