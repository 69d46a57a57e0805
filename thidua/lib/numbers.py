"""Numbers as Vietnamese readers write them: ``1.234,50`` (English: ``1,234.50``)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats


def format_number(value: Decimal | float | int | None, places: int = 2) -> str:
    """Group thousands and fix the decimals, in the active language's format."""
    if value is None:
        return ""
    return formats.number_format(value, places, use_l10n=True, force_grouping=True)
