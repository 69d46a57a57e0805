"""Everything the documents of a bloc-year read, loaded once: the members (in their names on
the document's date, with their leaders), the head and deputy, those elected for the next year,
the latest ranking snapshot, the award proposals, the ballot and the legal basis of the year's
rule set.

A document states only what was true on its date, so every name is read on that day (``on``):
the report on 2020 signed on 02/03/2021 names "Sở Lao động - Thương binh và Xã hội" although
that department merged into Sở Nội vụ in 2025.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from awards.models import Ballot, Proposal
from awards.selectors import rule_set_for_year
from blocs.models import BlocYear, Membership, Unit
from common.collation import vietnamese_sort_key
from reports.models import Document
from scoring.models import RankingSnapshot
from scoring.rows import RankingRow


@dataclass
class Member:
    unit: Unit
    name: str
    role: str
    leader: str  # "Giám đốc Nguyễn Văn Hai"


@dataclass
class YearData:
    """Everything the documents of a bloc-year read, loaded once, with names of ``on``."""

    bloc_year: BlocYear
    on: datetime.date  # the day whose names the documents print
    members: list[Member]
    head: Member | None
    deputy: Member | None
    snapshot: RankingSnapshot | None
    proposals: list[Proposal]
    ballot: Ballot | None
    next_head: str = ""
    next_deputy: str = ""
    legal_basis: list[str] = field(default_factory=list)
    report: Document | None = None  # the year's report (the annex cites its number and date)

    @property
    def year(self) -> int:
        return self.bloc_year.year

    @property
    def bloc_name(self) -> str:
        return self.bloc_year.bloc.name

    def unit_name(self, unit: Unit) -> str:
        """The unit's name on the documents' day (reads the prefetched former names)."""
        return unit.name_on(self.on)

    def row_name(self, row: RankingRow) -> str:
        """A snapshot row's unit in its name on the documents' day (the snapshot keeps the name
        of the year)."""
        for member in self.members:
            if member.unit.pk == row.unit_id:
                return member.name
        return row.name


def _member(membership: Membership, on: datetime.date) -> Member:
    unit = membership.unit
    leader = " ".join(part for part in (unit.leader_title, unit.leader_name) if part)
    return Member(unit=unit, name=unit.name_on(on), role=membership.role, leader=leader)


def _elected(bloc_year: BlocYear, on: datetime.date, report: Document | None) -> tuple[str, str]:
    """Next year's head and deputy, as the conference elected them: the head and deputy of
    the bloc's year N + 1 when it is open, else what the year's report records."""
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
    head = deputy = ""
    if following is not None:
        for membership in following.memberships.all():
            if membership.role == Membership.Role.HEAD:
                head = membership.unit.name_on(on)
            else:
                deputy = membership.unit.name_on(on)
    if head and deputy:
        return head, deputy
    recorded: dict[str, Any] = report.narrative if report is not None else {}
    return (
        head or str(recorded.get("next_head") or "").strip(),
        deputy or str(recorded.get("next_deputy") or "").strip(),
    )


def year_data(
    bloc_year: BlocYear,
    on: datetime.date | None = None,
    *,
    snapshot_at: datetime.datetime | None = None,
) -> YearData:
    """The year's data with the names of ``on`` (default: the last day of the year), and the
    latest ranking snapshot — the latest taken by ``snapshot_at`` when given (an issued
    document's files rendered again print the ranking it was issued with, not a correction's
    later snapshot)."""
    on = on or bloc_year.last_day
    snapshots = RankingSnapshot.objects.filter(bloc_year=bloc_year)
    if snapshot_at is not None:
        snapshots = snapshots.filter(created_at__lte=snapshot_at)
    memberships = (
        Membership.objects.filter(bloc_year=bloc_year)
        .select_related("unit")
        .prefetch_related("unit__former_names")
    )
    # In the alphabet's order, as the pages list them: "Đài …" after "Cục …", not last.
    members = sorted(
        (_member(m, on) for m in memberships), key=lambda member: vietnamese_sort_key(member.name)
    )
    head = next((m for m in members if m.role == Membership.Role.HEAD), None)
    deputy = next((m for m in members if m.role == Membership.Role.DEPUTY), None)
    report = Document.objects.filter(bloc_year=bloc_year, kind=Document.Kind.REPORT).first()
    next_head, next_deputy = _elected(bloc_year, on, report)
    rule_set = rule_set_for_year(bloc_year.year)
    return YearData(
        bloc_year=bloc_year,
        on=on,
        members=members,
        head=head,
        deputy=deputy,
        snapshot=snapshots.order_by("-number").first(),
        proposals=list(
            Proposal.objects.filter(bloc_year=bloc_year)
            .exclude(status=Proposal.Status.REJECTED)
            .select_related("unit", "award_type", "decision")
            .prefetch_related("unit__former_names")
            .order_by("award_type__order", "rank")
        ),
        ballot=Ballot.objects.filter(bloc_year=bloc_year)
        .prefetch_related("results__unit__former_names", "results__award_type")
        .first(),
        next_head=next_head,
        next_deputy=next_deputy,
        legal_basis=[
            line for line in (rule_set.legal_basis.splitlines() if rule_set else []) if line.strip()
        ],
        report=report,
    )
