"""``{{ mapping|item:key }}``: one value of a dict, where a template would otherwise loop over
the whole dict to find it (a table of units × sections did that, O(n²) per row)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def item(mapping: Mapping[Any, Any] | None, key: Any) -> Any:
    return mapping.get(key) if mapping else None
