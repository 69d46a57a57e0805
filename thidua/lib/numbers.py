"""Numbers as Vietnamese readers write them: ``1.234,50`` (English: ``1,234.50``)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats


def format_number(value: Decimal | float | int | None, places: int = 2) -> str:
    """Group thousands and fix the decimals, in the active language's format."""
    if value is None:
        return ""
    # Django's number_format cuts extra decimals off; scores are rounded half up (42,857 → 42,86).
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, places, use_l10n=True, force_grouping=True)
