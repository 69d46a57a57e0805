"""Numbers as Vietnamese readers write them: ``1.234,50`` (English: ``1,234.50``)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.utils import formats
from django.utils.translation import get_language


def format_number(value: Decimal | float | int | None, places: int = 2) -> str:
    """Group thousands and fix the decimals, in the active language's format."""
    if value is None:
        return ""
    # Django's number_format cuts extra decimals off; scores are rounded half up (42,857 → 42,86).
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    separators = _separators(get_language())
    if separators is None:
        return formats.number_format(rounded, places, use_l10n=True, force_grouping=True)
    # Python groups by three with "," and marks decimals with "."; swap in the language's marks.
    # A page of scores formats hundreds of numbers, and this is several times faster than
    # Django's number_format, which looks the format up again on every call.
    return f"{rounded:,.{places}f}".translate(separators)


@lru_cache(maxsize=16)
def _separators(language: str | None) -> dict[int, str] | None:
    """The translation table for a language whose numbers group by three; None otherwise."""
    grouping = formats.get_format("NUMBER_GROUPING", language)
    if grouping != 3:
        return None
    decimal = str(formats.get_format("DECIMAL_SEPARATOR", language))
    thousands = str(formats.get_format("THOUSAND_SEPARATOR", language))
    return str.maketrans({",": thousands, ".": decimal})
