"""Template filters for amounts: ``{{ total|number }}`` → ``1.234,50``; ``{{ n|number:0 }}``."""

from __future__ import annotations

from decimal import Decimal

from django import template

from common.numbers import format_number

register = template.Library()


@register.filter
def number(value: Decimal | float | int | None, places: int = 2) -> str:
    return format_number(value, int(places))
