"""Reads that join several organisation tables, each in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Prefetch, Q

from blocs.models import Bloc, BlocYear, Council, Membership, Unit, UnitLineage, UnitName
from thidua.lib.collation import vietnamese_sort_key


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


@dataclass
class BlocYearSummary:
    bloc: Bloc
    bloc_year: BlocYear | None
    member_count: int = 0
    head: MemberRow | None = None
    deputy: MemberRow | None = None


@dataclass
class CouncilOverview:
    council: Council
    year: int | None
    years: list[int]
    blocs: list[BlocYearSummary] = field(default_factory=list)


def council_overviews(
    councils: Sequence[Council], year: int | None = None
) -> list[CouncilOverview]:
    """Each council's blocs in ``year`` (default: the council's latest year), with heads."""
    council_ids = [council.pk for council in councils]
    years_by_council: dict[int, list[int]] = defaultdict(list)
    for council_id, year_value in (
        BlocYear.objects.filter(bloc__council_id__in=council_ids)
        .values_list("bloc__council_id", "year")
        .distinct()
        .order_by("-year")
    ):
        years_by_council[council_id].append(year_value)
    chosen = {
        council_id: (year if year in years else (years[0] if years else None))
        for council_id, years in years_by_council.items()
    }
    wanted = Q(pk__in=[])
    for council_id, chosen_year in chosen.items():
        if chosen_year is not None:
            wanted |= Q(bloc__council_id=council_id, year=chosen_year)
    bloc_years = {
        bloc_year.bloc_id: bloc_year
        for bloc_year in BlocYear.objects.filter(wanted)
        .annotate(member_count=Count("memberships"))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(
                    role__in=[Membership.Role.HEAD, Membership.Role.DEPUTY]
                )
                .select_related("unit")
                .prefetch_related("unit__former_names"),
            )
        )
    }
    overviews = {
        council.pk: CouncilOverview(
            council=council,
            year=chosen.get(council.pk),
            years=years_by_council.get(council.pk, []),
        )
        for council in councils
    }
    for bloc in Bloc.objects.filter(council_id__in=council_ids):
        bloc_year = bloc_years.get(bloc.pk)
        summary = BlocYearSummary(bloc=bloc, bloc_year=bloc_year)
        if bloc_year is not None:
            summary.member_count = bloc_year.member_count
            for membership in bloc_year.memberships.all():
                row = member_row(membership, bloc_year.last_day)
                if membership.role == Membership.Role.HEAD:
                    summary.head = row
                else:
                    summary.deputy = row
        overviews[bloc.council_id].blocs.append(summary)
    return [overviews[council.pk] for council in councils]


@dataclass
class HomePage:
    active: list[CouncilOverview]
    former: list[CouncilOverview]


def home_page(today: datetime.date) -> HomePage:
    """Councils working today first; councils merged into another keep their history below."""
    councils = list(Council.objects.select_related("successor"))
    overviews = council_overviews(councils)
    return HomePage(
        active=[overview for overview in overviews if overview.council.is_active_on(today)],
        former=[overview for overview in overviews if not overview.council.is_active_on(today)],
    )


@dataclass
class BlocHistoryRow:
    unit_id: int
    name: str
    roles: list[str | None]  # one entry per year of ``BlocHistory.years``; None: not a member


@dataclass
class BlocHistory:
    bloc: Bloc
    years: list[BlocYear]
    leadership: list[tuple[BlocYear, MemberRow | None, MemberRow | None]]
    rows: list[BlocHistoryRow]


def bloc_history(bloc: Bloc) -> BlocHistory:
    """Members over the years (latest name of each unit), heads and deputies per year."""
    years = list(
        BlocYear.objects.filter(bloc=bloc)
        .order_by("-year")
        .prefetch_related(memberships_with_names())
    )
    leadership = []
    rows: dict[int, BlocHistoryRow] = {}
    for index, bloc_year in enumerate(years):
        head = deputy = None
        for membership in bloc_year.memberships.all():
            row = rows.setdefault(
                membership.unit_id,
                BlocHistoryRow(
                    unit_id=membership.unit_id,
                    name=membership.unit.name_in_year(bloc_year.year),
                    roles=[None] * len(years),
                ),
            )
            row.roles[index] = membership.role
            if membership.role == Membership.Role.HEAD:
                head = member_row(membership, bloc_year.last_day)
            elif membership.role == Membership.Role.DEPUTY:
                deputy = member_row(membership, bloc_year.last_day)
        leadership.append((bloc_year, head, deputy))
    return BlocHistory(
        bloc=bloc,
        years=years,
        leadership=leadership,
        rows=sorted(rows.values(), key=lambda row: vietnamese_sort_key(row.name)),
    )


@dataclass(frozen=True)
class CycleStep:
    state: str
    label: str
    status: str  # "done", "current" or "upcoming"


def cycle_steps(state: str) -> list[CycleStep]:
    """The yearly cycle as a row of steps, with this bloc-year's place in it."""
    order = list(BlocYear.State)
    current = order.index(BlocYear.State(state))
    return [
        CycleStep(
            state=step.value,
            label=str(step.label),
            status="done" if index < current else "current" if index == current else "upcoming",
        )
        for index, step in enumerate(order)
    ]


@dataclass
class BlocYearPage:
    bloc_year: BlocYear
    members: list[MemberRow]
    other_years: list[int]
    steps: list[CycleStep]

    @property
    def head(self) -> MemberRow | None:
        return next((row for row in self.members if row.role == Membership.Role.HEAD), None)

    @property
    def deputy(self) -> MemberRow | None:
        return next((row for row in self.members if row.role == Membership.Role.DEPUTY), None)


def bloc_year_page(bloc_year: BlocYear) -> BlocYearPage:
    memberships = (
        Membership.objects.filter(bloc_year=bloc_year)
        .select_related("unit")
        .prefetch_related("unit__former_names")
    )
    other_years = list(
        BlocYear.objects.filter(bloc_id=bloc_year.bloc_id)
        .order_by("-year")
        .values_list("year", flat=True)
    )
    return BlocYearPage(
        bloc_year=bloc_year,
        members=sorted_member_rows(memberships, bloc_year.last_day),
        other_years=other_years,
        steps=cycle_steps(bloc_year.state),
    )


@dataclass
class UnitYearRow:
    year: int
    bloc: Bloc
    name: str
    role_label: str


@dataclass
class UnitPage:
    unit: Unit
    former_names: list[UnitName]
    predecessors: list[UnitLineage]
    successors: list[UnitLineage]
    years: list[UnitYearRow]


def unit_page(unit_id: int) -> UnitPage | None:
    unit = (
        Unit.objects.select_related("council")
        .prefetch_related(
            "former_names",
            Prefetch(
                "predecessor_links",
                queryset=UnitLineage.objects.select_related("predecessor"),
            ),
            Prefetch("successor_links", queryset=UnitLineage.objects.select_related("successor")),
        )
        .filter(pk=unit_id)
        .first()
    )
    if unit is None:
        return None
    memberships = (
        Membership.objects.filter(unit=unit).select_related("bloc_year__bloc").order_by("-year")
    )
    return UnitPage(
        unit=unit,
        former_names=list(unit.former_names.all()),
        predecessors=list(unit.predecessor_links.all()),
        successors=list(unit.successor_links.all()),
        years=[
            UnitYearRow(
                year=membership.year,
                bloc=membership.bloc_year.bloc,
                name=unit.name_in_year(membership.year),
                role_label=membership.get_role_display(),
            )
            for membership in memberships
        ],
    )


def latest_year(council_ids: Iterable[int]) -> int | None:
    return BlocYear.objects.filter(bloc__council_id__in=list(council_ids)).aggregate(Max("year"))[
        "year__max"
    ]
