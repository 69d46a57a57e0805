"""The admin's filter by award, listing the awards by name ("Cờ thi đua của Chính phủ"), not by
their codes (GOV_FLAG).

An award keeps its code from one rule set to the next while its row differs: filtering on the
code keeps the years of every rule set together, and each code is shown with the name of its
latest award type (the rule set in force the latest).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from awards.models import AwardType
from common.collation import vietnamese_sort_key


def award_names(codes: set[str]) -> dict[str, str]:
    """``{code: name}``, the name of the code's award type of the latest rule set."""
    names: dict[str, str] = {}
    rows = AwardType.objects.filter(code__in=codes).order_by("rule_set__valid_from", "pk")
    for code, name in rows.values_list("code", "name"):
        names[code] = name
    return names


class AwardFilter(admin.SimpleListFilter):
    """Rows of one award, by its code at ``code_path``; choices named, in Vietnamese order."""

    title = _("hình thức khen thưởng")
    parameter_name = "award"
    code_path = "award_type__code"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        rows = model_admin.get_queryset(request)
        codes = set(rows.values_list(self.code_path, flat=True).distinct())
        codes.discard("")
        names = award_names(codes)
        return sorted(
            ((code, names.get(code, code)) for code in codes),
            key=lambda choice: (vietnamese_sort_key(choice[1]), choice[0]),
        )

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any] | None:
        value = self.value()
        if not value:
            return None
        return queryset.filter(**{self.code_path: value})


class GrantedAwardFilter(AwardFilter):
    """The same, for awards received, which keep the award's code as text."""

    code_path = "award_code"
