"""The members of a year as the pages show them: that year's names, head and deputy first."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q

from blocs.models import BlocYear, Membership, UnitName
from common.collation import vietnamese_sort_key


@dataclass(frozen=True)
class MemberRow:
    """A unit as a page about one year shows it: the name of that year and its role."""

    unit_id: int
    code: str
    name: str
    short_name: str
    role: str
    role_label: str


def member_row(membership: Membership, day: datetime.date) -> MemberRow:
    unit = membership.unit
    return MemberRow(
        unit_id=unit.pk,
        code=unit.code,
        name=unit.name_on(day),
        short_name=unit.short_name_on(day),
        role=membership.role,
        role_label=membership.get_role_display(),
    )


_ROLE_ORDER: dict[str, int] = {
    Membership.Role.HEAD: 0,
    Membership.Role.DEPUTY: 1,
    Membership.Role.MEMBER: 2,
}


def unit_names_on(unit_ids: Iterable[int], day: datetime.date) -> dict[int, str]:
    """Unit id → the former name in force on ``day``, for the units that then had one (the
    others go by their current name). One query, whatever the number of units; the same rule as
    ``Unit.name_on``."""
    names: dict[int, str] = {}
    for unit_id, name in (
        UnitName.objects.filter(unit_id__in=list(unit_ids), valid_until__gte=day)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .order_by("-valid_until")
        .values_list("unit_id", "name")
    ):
        names[unit_id] = name  # the earliest ending one wins, as in Unit.name_record_on
    return names


def memberships_with_names() -> Prefetch[Any, Any, Any]:
    """Memberships with their units and the units' former names, for ``member_row``."""
    return Prefetch(
        "memberships",
        queryset=Membership.objects.select_related("unit").prefetch_related("unit__former_names"),
    )


def sorted_member_rows(memberships: Iterable[Membership], day: datetime.date) -> list[MemberRow]:
    """Head first, then deputy, then members in alphabetical order of that year's name."""
    rows = [member_row(membership, day) for membership in memberships]
    return sorted(rows, key=lambda row: (_ROLE_ORDER[row.role], vietnamese_sort_key(row.name)))


def bloc_year_members(bloc_year: BlocYear) -> list[MemberRow]:
    """The year's members with that year's names, head and deputy first (two queries)."""
    memberships = (
        Membership.objects.filter(bloc_year=bloc_year)
        .select_related("unit")
        .prefetch_related("unit__former_names")
    )
    return sorted_member_rows(memberships, bloc_year.last_day)
