"""Open data of the organisation (public): a council's blocs in a year, a bloc's members and
roles year by year."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from blocs.models import Bloc, BlocYear
from blocs.selectors import CouncilOverview, MemberRow, sorted_member_rows
from portal.opendata.datasets import BLOC_MEMBERS, COUNCIL_BLOCS, Row, Table, results_public, slug


def council_blocs_table(overview: CouncilOverview) -> Table:
    """The council's blocs in the overview's year, as the council page lists them."""
    rows: list[Row] = []
    for summary in overview.blocs:
        bloc_year = summary.bloc_year
        head, deputy = summary.head, summary.deputy
        rows.append(
            {
                "council_code": overview.council.code,
                "year": overview.year,
                "bloc_id": summary.bloc.pk,
                "bloc_code": summary.bloc.code,
                "bloc_name": summary.bloc.name,
                "bloc_kind": summary.bloc.kind,
                "state": bloc_year.state if bloc_year else None,
                "cycle_step": summary.step_number or None,
                "results_public": results_public(bloc_year) if bloc_year else False,
                "member_count": summary.member_count if bloc_year else None,
                "head_unit_id": head.unit_id if head else None,
                "head_unit_code": head.code if head else None,
                "head_unit_name": head.name if head else None,
                "deputy_unit_id": deputy.unit_id if deputy else None,
                "deputy_unit_code": deputy.code if deputy else None,
                "deputy_unit_name": deputy.name if deputy else None,
            }
        )
    return Table(COUNCIL_BLOCS, slug("council-blocs", overview.council.code, overview.year), rows)


def _member_rows(bloc: Bloc, year: int, members: Iterable[MemberRow]) -> list[Row]:
    return [
        {
            "bloc_id": bloc.pk,
            "bloc_code": bloc.code,
            "year": year,
            "unit_id": member.unit_id,
            "unit_code": member.code,
            "unit_name": member.name,
            "role": member.role,
        }
        for member in members
    ]


def bloc_members_table(bloc: Bloc, bloc_years: Sequence[BlocYear]) -> Table:
    """Members and roles of every year of the bloc, latest year first (memberships prefetched
    with their units' former names, as ``blocs.selectors.bloc_history`` loads them)."""
    rows: list[Row] = []
    for bloc_year in bloc_years:
        members = sorted_member_rows(bloc_year.memberships.all(), bloc_year.last_day)
        rows.extend(_member_rows(bloc, bloc_year.year, members))
    return Table(BLOC_MEMBERS, slug("bloc-members", bloc.council.code, bloc.code), rows)


def bloc_year_members_table(bloc_year: BlocYear, members: Sequence[MemberRow]) -> Table:
    bloc = bloc_year.bloc
    return Table(
        BLOC_MEMBERS,
        slug("bloc-members", bloc.council.code, bloc.code, bloc_year.year),
        _member_rows(bloc, bloc_year.year, members),
    )
