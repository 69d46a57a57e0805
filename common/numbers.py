"""Numbers for people, in one place: every amount, share and count a person reads is written
here (grouping, decimal mark, places, rounding), so that a page, a message, a document and a
download say the same number the same way.

* ``format_number`` – pages: the active language's format, thousands grouped, a fixed number of
  places (``1.234,50``; English ``1,234.50``).
* ``format_vietnamese`` – where the Vietnamese way is the rule whatever the page's language:
  official documents (``1.234,50``), files for a Vietnamese Excel and the tie-break sentences
  a snapshot keeps (``95,50``, without grouping).
* ``format_plain`` – an amount inside a sentence: as few decimals as it has (``7,25``, ``10``).
* ``format_input`` – an amount put back into a field to be typed again, in the active
  language's decimal mark (``7,25``).
* ``format_percent`` – a share: ``71,43%``, ``50%``.
* ``decimal_text`` – not for people: the JSON form of an amount, ``"95.50"`` (snapshots, open
  data, the ranking contract), kept here so that every file writes it alike.

Amounts are rounded half up, as Vietnamese score tables do (42,857 → 42,86).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.utils import formats
from django.utils.translation import get_language

Number = Decimal | float | int | str

# Python writes "1,234.50"; the Vietnamese way is "1.234,50".
_VIETNAMESE = str.maketrans({",": ".", ".": ","})


def rounded(value: Number, places: int = 2) -> Decimal:
    """``value`` rounded half up to ``places`` decimals."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _empty(value: object) -> bool:
    return value is None or value == ""


def format_number(value: Number | None, places: int = 2) -> str:
    """Group thousands and fix the decimals, in the active language's format; "" for none."""
    if _empty(value):
        return ""
    assert value is not None
    # Django's number_format cuts extra decimals off; scores are rounded half up (42,857 → 42,86).
    amount = rounded(value, places)
    separators = _separators(get_language())
    if separators is None:
        return formats.number_format(amount, places, use_l10n=True, force_grouping=True)
    # Python groups by three with "," and marks decimals with "."; swap in the language's marks.
    # A page of scores formats hundreds of numbers, and this is several times faster than
    # Django's number_format, which looks the format up again on every call.
    return f"{amount:,.{places}f}".translate(separators)


@lru_cache(maxsize=16)
def _separators(language: str | None) -> dict[int, str] | None:
    """The translation table for a language whose numbers group by three; None otherwise."""
    grouping = formats.get_format("NUMBER_GROUPING", language)
    if grouping != 3:
        return None
    decimal = str(formats.get_format("DECIMAL_SEPARATOR", language))
    thousands = str(formats.get_format("THOUSAND_SEPARATOR", language))
    return str.maketrans({",": thousands, ".": decimal})


@lru_cache(maxsize=16)
def _decimal_mark(language: str | None) -> str:
    """The language's decimal mark, looked up once (a grid puts back a hundred amounts)."""
    return str(formats.get_format("DECIMAL_SEPARATOR", language))


def format_vietnamese(
    value: Number | None, places: int = 2, *, grouping: bool = True, empty: str = ""
) -> str:
    """``1.234,50`` (``1234,50`` without grouping) whatever the active language; ``empty``
    for none."""
    if _empty(value):
        return empty
    assert value is not None
    amount = rounded(value, places)
    if grouping:
        return f"{amount:,.{places}f}".translate(_VIETNAMESE)
    return f"{amount:.{places}f}".replace(".", ",")


def _shortest(value: Number) -> str:
    """As few decimals as the amount has, without an exponent: ``7.25``, ``10``."""
    return f"{Decimal(str(value)).normalize():f}"


def format_plain(value: Number) -> str:
    """``7,25`` / ``10``: an amount in a sentence, Vietnamese decimal comma, no trailing zeros
    and no grouping."""
    return _shortest(value).replace(".", ",")


def format_input(value: Number | None) -> str:
    """``7,25`` (English ``7.25``) / ``10``: an amount as a person types it again into a field,
    in the active language's decimal mark; "" for none."""
    if _empty(value):
        return ""
    assert value is not None
    return _shortest(value).replace(".", _decimal_mark(get_language()))


def format_percent(value: Number) -> str:
    """``71,43%``, ``66,5%``, ``50%``: a share to at most two decimals."""
    return f"{rounded(value):f}".rstrip("0").rstrip(".").replace(".", ",") + "%"


def decimal_text(value: Number | None, places: int = 2) -> str | None:
    """``"95.50"``: an amount as the JSON files keep it (a dot, fixed places); None for none."""
    if _empty(value):
        return None
    assert value is not None
    return f"{rounded(value, places):.{places}f}"
