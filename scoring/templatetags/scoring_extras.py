"""Labels for the history panel: audit entries store stable keys, people read words."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

CHANGE_LABELS = {
    "value": _("số nhập"),
    "target": _("chỉ tiêu"),
    "note": _("ghi chú"),
    "reason": _("lý do"),
    "council_adjustment": _("điều chỉnh"),
    "code": _("mã"),
    "title": _("nội dung"),
    "max_points": _("điểm tối đa"),
}


@register.filter
def change_label(key: str) -> str:
    return str(CHANGE_LABELS.get(key, key))
