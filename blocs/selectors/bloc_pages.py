"""A bloc's pages: its members, heads and deputies over the years, and one year's page."""

from __future__ import annotations

from dataclasses import dataclass, field

from blocs.models import Bloc, BlocYear, Membership
from blocs.selectors.cycle import CycleStep, cycle_step_number, cycle_steps
from blocs.selectors.members import MemberRow, bloc_year_members, member_row, memberships_with_names
from common.collation import vietnamese_sort_key


@dataclass
class BlocHistoryRow:
    unit_id: int
    name: str
    roles: list[str | None]  # one entry per year of ``BlocHistory.years``; None: not a member


@dataclass(frozen=True)
class BlocYearLeadership:
    """One year of the bloc: head, deputy (names of that year), number of members, progress."""

    bloc_year: BlocYear
    head: MemberRow | None
    deputy: MemberRow | None
    member_count: int

    @property
    def steps(self) -> list[CycleStep]:
        return cycle_steps(self.bloc_year.state)

    @property
    def step_number(self) -> int:
        return cycle_step_number(self.bloc_year.state)

    @property
    def step_count(self) -> int:
        return len(BlocYear.State)


@dataclass
class BlocHistory:
    bloc: Bloc
    years: list[BlocYear]
    leadership: list[tuple[BlocYear, MemberRow | None, MemberRow | None]]
    rows: list[BlocHistoryRow]
    by_year: list[BlocYearLeadership] = field(default_factory=list)


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
        by_year=[
            BlocYearLeadership(
                bloc_year=bloc_year,
                head=head,
                deputy=deputy,
                member_count=len(bloc_year.memberships.all()),
            )
            for bloc_year, head, deputy in leadership
        ],
    )


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
    other_years = list(
        BlocYear.objects.filter(bloc_id=bloc_year.bloc_id)
        .order_by("-year")
        .values_list("year", flat=True)
    )
    return BlocYearPage(
        bloc_year=bloc_year,
        members=bloc_year_members(bloc_year),
        other_years=other_years,
        steps=cycle_steps(bloc_year.state),
    )
