"""A unit's history as open data: every year it (or a unit that became it through a merger or
a rename) was a member, with the rank, total and band of the years whose results are public,
and its awards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef, Subquery

from awards.history import HistoryEntry, history_entries
from awards.models import AwardGrant
from blocs.access import AnyUser
from blocs.models import Bloc, BlocYear
from blocs.selectors import UnitPage
from portal.opendata.datasets import UNIT_AWARDS, UNIT_RESULTS, Row, Table, results_public, slug
from scoring import access as scoring_access
from scoring.models import RankingSnapshot
from scoring.rows import row_of


@dataclass(frozen=True)
class UnitHistoryRow:
    """A year the unit (or a unit that became it) was a member of a bloc, with the results this
    person may see."""

    year: int
    bloc: Bloc
    bloc_year: BlocYear
    unit_id: int
    unit_code: str
    unit_name: str
    inherited: bool
    role: str
    role_label: str
    results: bool  # rank, total and band are shown
    public: bool  # …and they are public
    rank: int | None = None
    shared: bool = False
    units_ranked: int | None = None
    total: Decimal | None = None
    band: str = ""
    state_label: str = ""


def unit_history(page: UnitPage, user: AnyUser) -> list[UnitHistoryRow]:
    """Year by year, following the lineage: the bloc, the role, and (where this person may see
    them) the rank, total and band from the bloc-year's latest snapshot. One query."""
    bloc_year_ids = {row.bloc_year.pk for row in page.years if row.bloc_year is not None}
    latest = (
        RankingSnapshot.objects.filter(bloc_year=OuterRef("bloc_year"))
        .order_by("-number")
        .values("number")[:1]
    )
    snapshots = (
        {
            snapshot.bloc_year_id: snapshot
            for snapshot in RankingSnapshot.objects.filter(
                bloc_year_id__in=bloc_year_ids,
                bloc_year__state__in=scoring_access.MEMBER_RESULT_STATES,
                number=Subquery(latest),
            )
        }
        if bloc_year_ids
        else {}
    )
    rows: list[UnitHistoryRow] = []
    for year_row in page.years:
        bloc_year = year_row.bloc_year
        assert bloc_year is not None
        public = results_public(bloc_year)
        snapshot = snapshots.get(bloc_year.pk)
        visible = snapshot is not None and (
            public or (user.is_authenticated and scoring_access.can_see_results(user, bloc_year))
        )
        ranking = snapshot.rows if visible and snapshot is not None else []
        own = row_of(ranking, year_row.unit_id)
        rows.append(
            UnitHistoryRow(
                year=year_row.year,
                bloc=year_row.bloc,
                bloc_year=bloc_year,
                unit_id=year_row.unit_id,
                unit_code=year_row.code,
                unit_name=year_row.name,
                inherited=year_row.inherited,
                role=year_row.role,
                role_label=year_row.role_label,
                results=own is not None,
                public=public and own is not None,
                rank=own.place if own else None,
                shared=own.shared if own else False,
                units_ranked=len(ranking) if own else None,
                total=own.total if own else None,
                band=own.band if own else "",
                state_label=str(bloc_year.get_state_display()),
            )
        )
    return rows


def unit_awards(page: UnitPage) -> list[HistoryEntry]:
    """Awards of the unit and of the units that became it, newest year first, the highest award
    first: the lineage of ``awards.history``, read in two queries whatever its depth."""
    units = [page.unit.pk, *page.ancestors]
    grants = list(AwardGrant.objects.filter(unit_id__in=units).select_related("decision"))
    return history_entries(
        grants, page.unit.pk, lambda grant: page.name_of(grant.unit_id, grant.year)
    )


def _unit_stem(page: UnitPage, what: str) -> str:
    return slug(f"unit-{what}", page.unit.council.code, page.unit.code)


def unit_results_table(page: UnitPage) -> Table:
    """The unit's years as the public sees them (whoever downloads)."""
    rows: list[Row] = [
        {
            "year": row.year,
            "bloc_id": row.bloc.pk,
            "bloc_code": row.bloc.code,
            "bloc_name": row.bloc.name,
            "unit_id": row.unit_id,
            "unit_code": row.unit_code,
            "unit_name": row.unit_name,
            "inherited": row.inherited,
            "role": row.role,
            "results_public": row.public,
            "rank": row.rank if row.public else None,
            "rank_shared": row.shared if row.public else None,
            "units_ranked": row.units_ranked if row.public else None,
            "total": row.total if row.public else None,
            "band": row.band if row.public else "",
        }
        for row in unit_history(page, AnonymousUser())
    ]
    return Table(UNIT_RESULTS, _unit_stem(page, "results"), rows)


def unit_awards_table(page: UnitPage, entries: Sequence[HistoryEntry] | None = None) -> Table:
    rows: list[Row] = [
        {
            "year": entry.year,
            "unit_id": entry.unit_id,
            "unit_code": page.code_of(entry.unit_id),
            "unit_name": page.name_of(entry.unit_id, entry.year),
            "inherited": entry.inherited,
            "award_code": entry.award_code,
            "award_name": entry.award_name,
            "decision_number": entry.decision_number,
            "decision_date": entry.decision_date,
            "decision_text": entry.decision_text,
        }
        for entry in (unit_awards(page) if entries is None else entries)
    ]
    return Table(UNIT_AWARDS, _unit_stem(page, "awards"), rows)
