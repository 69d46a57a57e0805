"""Everything the documents of a bloc-year read, loaded once: the members (in their names of
that year, with their leaders), the head and deputy, those elected for the next year, the latest
ranking snapshot, the award proposals, the ballot and the legal basis of the year's rule set.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from awards.models import Ballot, Proposal
from awards.selectors import rule_set_for_year
from blocs.models import BlocYear, Membership, Unit
from scoring.models import RankingSnapshot


@dataclass
class Member:
    unit: Unit
    name: str
    role: str
    leader: str  # "Giám đốc Nguyễn Văn Hai"


@dataclass
class YearData:
    """Everything the documents of a bloc-year read, loaded once."""

    bloc_year: BlocYear
    members: list[Member]
    head: Member | None
    deputy: Member | None
    snapshot: RankingSnapshot | None
    proposals: list[Proposal]
    ballot: Ballot | None
    next_head: str = ""
    next_deputy: str = ""
    legal_basis: list[str] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.bloc_year.year

    @property
    def bloc_name(self) -> str:
        return self.bloc_year.bloc.name


def _member(membership: Membership, year: int) -> Member:
    unit = membership.unit
    leader = " ".join(part for part in (unit.leader_title, unit.leader_name) if part)
    return Member(unit=unit, name=unit.name_in_year(year), role=membership.role, leader=leader)


def year_data(bloc_year: BlocYear) -> YearData:
    memberships = (
        Membership.objects.filter(bloc_year=bloc_year)
        .select_related("unit")
        .prefetch_related("unit__former_names")
    )
    members = sorted(
        (_member(m, bloc_year.year) for m in memberships), key=lambda member: member.name
    )
    head = next((m for m in members if m.role == Membership.Role.HEAD), None)
    deputy = next((m for m in members if m.role == Membership.Role.DEPUTY), None)
    following = (
        BlocYear.objects.filter(bloc_id=bloc_year.bloc_id, year=bloc_year.year + 1)
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
        .first()
    )
    next_head = next_deputy = ""
    if following is not None:
        for membership in following.memberships.all():
            name = membership.unit.name_in_year(following.year)
            if membership.role == Membership.Role.HEAD:
                next_head = name
            else:
                next_deputy = name
    rule_set = rule_set_for_year(bloc_year.year)
    return YearData(
        bloc_year=bloc_year,
        members=members,
        head=head,
        deputy=deputy,
        snapshot=RankingSnapshot.objects.filter(bloc_year=bloc_year).order_by("-number").first(),
        proposals=list(
            Proposal.objects.filter(bloc_year=bloc_year)
            .exclude(status=Proposal.Status.REJECTED)
            .select_related("unit", "award_type", "decision")
            .order_by("award_type__order", "rank")
        ),
        ballot=Ballot.objects.filter(bloc_year=bloc_year)
        .prefetch_related("results__unit", "results__award_type")
        .first(),
        next_head=next_head,
        next_deputy=next_deputy,
        legal_basis=[
            line for line in (rule_set.legal_basis.splitlines() if rule_set else []) if line.strip()
        ],
    )
