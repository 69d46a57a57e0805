"""A bloc-year's public results: its ranking, read from the latest frozen snapshot, and its
decided awards, once the results are finally published."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from awards.history import award_orders
from awards.models import AwardGrant
from blocs.models import BlocYear
from blocs.selectors import MemberRow
from portal.opendata.datasets import (
    BLOC_YEAR_AWARDS,
    BLOC_YEAR_RANKING,
    Row,
    Table,
    results_public,
    slug,
)
from scoring.models import RankingSnapshot
from scoring.rows import RankingRow


@dataclass(frozen=True)
class PublicResults:
    """What anybody sees of a published bloc-year: the ranking and the decided awards."""

    snapshot: RankingSnapshot | None
    ranking: list[Row]
    awards: list[Row]


def _latest_snapshot(bloc_year: BlocYear) -> RankingSnapshot | None:
    return RankingSnapshot.objects.filter(bloc_year=bloc_year).order_by("-number").first()


def _ranking_rows(
    bloc_year: BlocYear, ranking: Sequence[RankingRow], names: Mapping[int, MemberRow]
) -> list[Row]:
    bloc = bloc_year.bloc
    rows: list[Row] = []
    for row in ranking:
        member = names.get(row.unit_id)
        rows.append(
            {
                "bloc_id": bloc.pk,
                "bloc_code": bloc.code,
                "year": bloc_year.year,
                "rank": row.place,
                "rank_shared": row.shared,
                "unit_id": row.unit_id,
                "unit_code": row.code or (member.code if member else ""),
                "unit_name": member.name if member else row.name,
                "total": row.total,
                # A year ranked without points (by vote, or bands only): none, never 0.
                "standard_points": row.standard if row.total is not None else None,
                "bonus_points": row.bonus if row.total is not None else None,
                "penalty_points": row.penalty if row.total is not None else None,
                "self_total": row.self_total,
                "band": row.band,
                "tie_break": row.tie_break or "",
            }
        )
    return rows


def _award_rows(
    bloc_year: BlocYear, names: Mapping[int, MemberRow], ranks: Mapping[int, int | None]
) -> list[Row]:
    """Awards the members received for the year (from a decision, or from paper records)."""
    grants = list(
        AwardGrant.objects.filter(
            year=bloc_year.year, unit__memberships__bloc_year=bloc_year
        ).select_related("decision")
    )
    orders = award_orders({grant.award_code for grant in grants})

    def name_of(unit_id: int) -> str:
        member = names.get(unit_id)
        return member.name if member else ""

    # The highest award first, then by rank, then by name.
    grants.sort(
        key=lambda grant: (
            orders.get(grant.award_code, 10**6),
            ranks.get(grant.unit_id) or 10**6,
            name_of(grant.unit_id),
        )
    )
    bloc = bloc_year.bloc
    rows: list[Row] = []
    for grant in grants:
        member = names.get(grant.unit_id)
        rows.append(
            {
                "bloc_id": bloc.pk,
                "bloc_code": bloc.code,
                "year": bloc_year.year,
                "unit_id": grant.unit_id,
                "unit_code": member.code if member else "",
                "unit_name": member.name if member else "",
                "award_code": grant.award_code,
                "award_name": grant.award_name,
                "decision_number": grant.decision.number if grant.decision else "",
                "decision_date": grant.decision.date if grant.decision else None,
                "decision_text": grant.decision_text,
            }
        )
    return rows


def public_results(
    bloc_year: BlocYear, members: Sequence[MemberRow], *, awards: bool = True
) -> PublicResults | None:
    """The ranking and decided awards of a published bloc-year; None before publication.

    ``members`` are the year's members with that year's names (``bloc_year_members``); three
    queries: the latest snapshot, the grants, the award catalogue's order (one without the
    awards)."""
    if not results_public(bloc_year):
        return None
    names = {member.unit_id: member for member in members}
    snapshot = _latest_snapshot(bloc_year)
    ranking = snapshot.rows if snapshot is not None else []
    ranks = {row.unit_id: row.place for row in ranking}
    return PublicResults(
        snapshot=snapshot,
        ranking=_ranking_rows(bloc_year, ranking, names),
        awards=_award_rows(bloc_year, names, ranks) if awards else [],
    )


def ranking_table(bloc_year: BlocYear, results: PublicResults) -> Table | None:
    """None when the published year has no ranking (a year decided on paper, never scored)."""
    if results.snapshot is None:
        return None
    bloc = bloc_year.bloc
    return Table(
        BLOC_YEAR_RANKING,
        slug("bloc-ranking", bloc.council.code, bloc.code, bloc_year.year),
        results.ranking,
    )


def awards_table(bloc_year: BlocYear, results: PublicResults) -> Table:
    bloc = bloc_year.bloc
    return Table(
        BLOC_YEAR_AWARDS,
        slug("bloc-awards", bloc.council.code, bloc.code, bloc_year.year),
        results.awards,
    )
