"""The councils' pages: each council's blocs in a year with their heads and progress, the home
page, and the councils a council merged with."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Max, Prefetch, Q

from blocs.models import Bloc, BlocYear, Council, Membership
from blocs.selectors.cycle import CycleStep, cycle_step_number, cycle_steps
from blocs.selectors.members import MemberRow, member_row


@dataclass
class BlocYearSummary:
    bloc: Bloc
    bloc_year: BlocYear | None
    member_count: int = 0
    head: MemberRow | None = None
    deputy: MemberRow | None = None

    @property
    def steps(self) -> list[CycleStep]:
        """The cycle as steps, for a compact progress bar (empty when the year is not open)."""
        return cycle_steps(self.bloc_year.state) if self.bloc_year else []

    @property
    def step_number(self) -> int:
        """1 for SETUP … 8 for DECIDED; 0 when the year is not open."""
        return cycle_step_number(self.bloc_year.state) if self.bloc_year else 0

    @property
    def step_count(self) -> int:
        return len(BlocYear.State)


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


@dataclass(frozen=True)
class CouncilLink:
    """A council that merged into this one, or the one this council merged into, and the day
    the merger took effect (the day after the merged council's last day)."""

    council: Council
    day: datetime.date | None


@dataclass
class CouncilPage:
    council: Council
    overview: CouncilOverview
    predecessors: list[CouncilLink]
    successor: CouncilLink | None


def _merger_day(merged: Council) -> datetime.date | None:
    return merged.valid_until + datetime.timedelta(days=1) if merged.valid_until else None


def council_page(council: Council, year: int | None = None) -> CouncilPage:
    """The council's blocs in ``year`` with their progress, and the councils it merged with.

    ``council`` comes with its successor loaded (``access.get_council``)."""
    (overview,) = council_overviews([council], year)
    predecessors = [
        CouncilLink(predecessor, _merger_day(predecessor))
        for predecessor in Council.objects.filter(successor=council).order_by("name")
    ]
    successor = CouncilLink(council.successor, _merger_day(council)) if council.successor else None
    return CouncilPage(
        council=council, overview=overview, predecessors=predecessors, successor=successor
    )


def latest_year(council_ids: Iterable[int]) -> int | None:
    return BlocYear.objects.filter(bloc__council_id__in=list(council_ids)).aggregate(Max("year"))[
        "year__max"
    ]
