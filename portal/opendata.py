"""Open data: every public table of the site, defined once and served as CSV, XLSX and JSON.

Each dataset has a fixed list of columns with stable English ``snake_case`` names (the contract
documented in ``docs/open-data.md``; ``tests/public/test_open_data.py`` lists them exactly).
Its rows come from the same selectors as the public pages, so a file never says more than the
page does:

* the organisation (councils' blocs, members, heads and deputies) is public;
* a bloc-year's ranking and its decided awards are public once its results are finally
  published (``scoring.access.PUBLISHED_STATES``), read from the latest frozen snapshot;
* a unit's history lists every year it (or a unit that became it through a merger or rename)
  was a member, with the rank, total and band only of the years whose results are public.

Open data is the same for everybody: a logged-in member who may see a provisional ranking finds
it on the ranking page, never in these files.

Formats (``render``): CSV is UTF-8 with a byte-order mark for Excel, amounts with a decimal
comma (``95,50``) as the project's other CSV files, dates ``yyyy-mm-dd``, booleans
``true``/``false``, and every text cell guarded by ``csv_safe``; XLSX has typed cells (numbers,
dates, booleans, texts that are never formulas); JSON keeps amounts as strings with a dot
(``"95.50"``) so that no decimal is lost, dates as ``"yyyy-mm-dd"``, and ``null`` for empty.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import openpyxl
from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef, Subquery
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from awards.history import HistoryEntry, award_orders, history_entries
from awards.models import AwardGrant
from blocs.access import AnyUser
from blocs.models import Bloc, BlocYear
from blocs.selectors import CouncilOverview, MemberRow, UnitPage, sorted_member_rows
from common.exporters import CSV, JSON, XLSX, Export, ascii_fold, csv_safe
from common.text import printable
from scoring import access as scoring_access
from scoring.models import RankingSnapshot
from scoring.rules import quantize

INTEGER, DECIMAL, STRING, DATE, BOOLEAN = "integer", "decimal", "string", "date", "boolean"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str  # English; the documentation repeats it


@dataclass(frozen=True)
class Dataset:
    name: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


@dataclass(frozen=True)
class Table:
    """One downloadable table: its dataset, the file name without extension, and its rows
    (one dict per row, keyed by column name, with Python values: int, Decimal, str, date,
    bool or None)."""

    dataset: Dataset
    stem: str
    rows: list[dict[str, Any]]


C = Column
_BLOC = (
    C("bloc_id", INTEGER, "Bloc identifier (stable, used in the site's URLs)"),
    C("bloc_code", STRING, "Bloc code within its council, e.g. TM3"),
)
_UNIT = (
    C("unit_id", INTEGER, "Unit identifier (stable, used in the site's URLs)"),
    C("unit_code", STRING, "Unit code within its council, e.g. SYT"),
    C("unit_name", STRING, "Unit name in force on 31 December of the year"),
)
_DECISION = (
    C("award_code", STRING, "Award type code, e.g. PROV_FLAG"),
    C("award_name", STRING, "Award name, e.g. Cờ thi đua của Ủy ban nhân dân tỉnh"),
    C("decision_number", STRING, "Number of the award decision, e.g. 245/QĐ-UBND"),
    C("decision_date", DATE, "Date of the award decision"),
    C("decision_text", STRING, "Decision as written in paper records before the app"),
)

COUNCIL_BLOCS = Dataset(
    "council_blocs",
    (
        C("council_code", STRING, "Council code, e.g. QNA"),
        C("year", INTEGER, "Emulation year"),
        *_BLOC,
        C("bloc_name", STRING, "Bloc name"),
        C("bloc_kind", STRING, "bloc (khối) or cluster (cụm)"),
        C("state", STRING, "Cycle state of the year; empty when the bloc has not opened it"),
        C("cycle_step", INTEGER, "Place of the state in the 8-step cycle (1 setup … 8 decided)"),
        C("results_public", BOOLEAN, "True once the ranking is finally published"),
        C("member_count", INTEGER, "Number of member units that year"),
        C("head_unit_id", INTEGER, "Unit identifier of the head (Trưởng khối)"),
        C("head_unit_code", STRING, "Unit code of the head"),
        C("head_unit_name", STRING, "Name of the head that year"),
        C("deputy_unit_id", INTEGER, "Unit identifier of the deputy (Khối phó)"),
        C("deputy_unit_code", STRING, "Unit code of the deputy"),
        C("deputy_unit_name", STRING, "Name of the deputy that year"),
    ),
)
BLOC_MEMBERS = Dataset(
    "bloc_members",
    (
        *_BLOC,
        C("year", INTEGER, "Emulation year"),
        *_UNIT,
        C("role", STRING, "head, deputy or member"),
    ),
)
BLOC_YEAR_RANKING = Dataset(
    "bloc_year_ranking",
    (
        *_BLOC,
        C("year", INTEGER, "Emulation year"),
        C("rank", INTEGER, "Rank; empty for a unit without a complete score"),
        C("rank_shared", BOOLEAN, "True when units still tied after every tie-break share it"),
        *_UNIT,
        C("total", DECIMAL, "Total points: standard + bonus (capped) − penalty"),
        C("standard_points", DECIMAL, "Points of the standard criteria"),
        C("bonus_points", DECIMAL, "Bonus points counted (after the cap)"),
        C("penalty_points", DECIMAL, "Penalty points"),
        C("self_total", DECIMAL, "Total of the unit's self-assessment"),
        C("band", STRING, "Classification band (xếp loại)"),
        C("tie_break", STRING, "Which rule separated the unit from a unit with equal total"),
    ),
)
BLOC_YEAR_AWARDS = Dataset(
    "bloc_year_awards",
    (*_BLOC, C("year", INTEGER, "Emulation year"), *_UNIT, *_DECISION),
)
UNIT_RESULTS = Dataset(
    "unit_results",
    (
        C("year", INTEGER, "Emulation year"),
        *_BLOC,
        C("bloc_name", STRING, "Bloc name"),
        *_UNIT,
        C("inherited", BOOLEAN, "True for a year of a unit that became this one (merger, rename)"),
        C("role", STRING, "head, deputy or member"),
        C("results_public", BOOLEAN, "True when that year's ranking is published"),
        C("rank", INTEGER, "Rank in the bloc; empty while not published"),
        C("rank_shared", BOOLEAN, "True when the rank is shared with another unit"),
        C("units_ranked", INTEGER, "Number of units in that year's ranking"),
        C("total", DECIMAL, "Total points; empty while not published"),
        C("band", STRING, "Classification band; empty while not published"),
    ),
)
UNIT_AWARDS = Dataset(
    "unit_awards",
    (
        C("year", INTEGER, "Year the award is for"),
        *_UNIT,
        C("inherited", BOOLEAN, "True for an award of a unit that became this one"),
        *_DECISION,
    ),
)
DATASETS = (
    COUNCIL_BLOCS,
    BLOC_MEMBERS,
    BLOC_YEAR_RANKING,
    BLOC_YEAR_AWARDS,
    UNIT_RESULTS,
    UNIT_AWARDS,
)


def results_public(bloc_year: BlocYear) -> bool:
    """Anybody may see the bloc-year's ranking and awards: its results are finally published."""
    return bloc_year.state in scoring_access.PUBLISHED_STATES


def _slug(*parts: object) -> str:
    text = "-".join(str(part) for part in parts)
    return re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_fold(text)).strip("-")


def _amount(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    return quantize(Decimal(str(value)))


# ---------------------------------------------------------------------------- organisation


def council_blocs_table(overview: CouncilOverview) -> Table:
    """The council's blocs in the overview's year, as the council page lists them."""
    rows: list[dict[str, Any]] = []
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
    return Table(COUNCIL_BLOCS, _slug("council-blocs", overview.council.code, overview.year), rows)


def _member_rows(bloc: Bloc, year: int, members: Iterable[MemberRow]) -> list[dict[str, Any]]:
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
    rows: list[dict[str, Any]] = []
    for bloc_year in bloc_years:
        members = sorted_member_rows(bloc_year.memberships.all(), bloc_year.last_day)
        rows.extend(_member_rows(bloc, bloc_year.year, members))
    return Table(BLOC_MEMBERS, _slug("bloc-members", bloc.council.code, bloc.code), rows)


def bloc_year_members_table(bloc_year: BlocYear, members: Sequence[MemberRow]) -> Table:
    bloc = bloc_year.bloc
    return Table(
        BLOC_MEMBERS,
        _slug("bloc-members", bloc.council.code, bloc.code, bloc_year.year),
        _member_rows(bloc, bloc_year.year, members),
    )


# ---------------------------------------------------------------------------- bloc-year results


@dataclass(frozen=True)
class PublicResults:
    """What anybody sees of a published bloc-year: the ranking and the decided awards."""

    snapshot: RankingSnapshot | None
    ranking: list[dict[str, Any]]
    awards: list[dict[str, Any]]


def _latest_snapshot(bloc_year: BlocYear) -> RankingSnapshot | None:
    return RankingSnapshot.objects.filter(bloc_year=bloc_year).order_by("-number").first()


def _ranking_rows(
    bloc_year: BlocYear, snapshot: RankingSnapshot | None, names: Mapping[int, MemberRow]
) -> list[dict[str, Any]]:
    if snapshot is None:
        return []
    bloc = bloc_year.bloc
    rows: list[dict[str, Any]] = []
    for row in snapshot.rows:
        member = names.get(row["unit_id"])
        rows.append(
            {
                "bloc_id": bloc.pk,
                "bloc_code": bloc.code,
                "year": bloc_year.year,
                "rank": row.get("rank") or None,
                "rank_shared": bool(row.get("shared")),
                "unit_id": row["unit_id"],
                "unit_code": row.get("code") or (member.code if member else ""),
                "unit_name": member.name if member else row.get("name", ""),
                "total": _amount(row.get("total")),
                "standard_points": _amount(row.get("standard")),
                "bonus_points": _amount(row.get("bonus")),
                "penalty_points": _amount(row.get("penalty")),
                "self_total": _amount(row.get("self_total")),
                "band": row.get("band") or "",
                "tie_break": row.get("tie_break") or "",
            }
        )
    return rows


def _award_rows(
    bloc_year: BlocYear, names: Mapping[int, MemberRow], ranks: Mapping[int, int | None]
) -> list[dict[str, Any]]:
    """Awards the members received for the year (from a decision, or from paper records)."""
    grants = list(
        AwardGrant.objects.filter(
            year=bloc_year.year, unit__memberships__bloc_year=bloc_year
        ).select_related("decision")
    )
    orders = award_orders({grant.award_code for grant in grants})
    bloc = bloc_year.bloc
    rows: list[dict[str, Any]] = []
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
    rows.sort(
        key=lambda row: (
            orders.get(row["award_code"], 10**6),
            ranks.get(row["unit_id"]) or 10**6,
            row["unit_name"],
        )
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
    ranking = _ranking_rows(bloc_year, snapshot, names)
    ranks = {row["unit_id"]: row["rank"] for row in ranking}
    return PublicResults(
        snapshot=snapshot,
        ranking=ranking,
        awards=_award_rows(bloc_year, names, ranks) if awards else [],
    )


def ranking_table(bloc_year: BlocYear, results: PublicResults) -> Table | None:
    """None when the published year has no ranking (a year decided on paper, never scored)."""
    if results.snapshot is None:
        return None
    bloc = bloc_year.bloc
    return Table(
        BLOC_YEAR_RANKING,
        _slug("bloc-ranking", bloc.council.code, bloc.code, bloc_year.year),
        results.ranking,
    )


def awards_table(bloc_year: BlocYear, results: PublicResults) -> Table:
    bloc = bloc_year.bloc
    return Table(
        BLOC_YEAR_AWARDS,
        _slug("bloc-awards", bloc.council.code, bloc.code, bloc_year.year),
        results.awards,
    )


# ---------------------------------------------------------------------------- a unit's history


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
        own = (
            next((row for row in snapshot.rows if row.get("unit_id") == year_row.unit_id), None)
            if visible and snapshot is not None
            else None
        )
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
                rank=(own.get("rank") or None) if own else None,
                shared=bool(own.get("shared")) if own else False,
                units_ranked=len(snapshot.rows) if own and snapshot else None,
                total=_amount(own.get("total")) if own else None,
                band=(own.get("band") or "") if own else "",
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
    return _slug(f"unit-{what}", page.unit.council.code, page.unit.code)


def unit_results_table(page: UnitPage) -> Table:
    """The unit's years as the public sees them (whoever downloads)."""
    rows = [
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
    rows = [
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


# ---------------------------------------------------------------------------- the three formats


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{quantize(value):.2f}".replace(".", ",")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return csv_safe(value)


def to_csv(table: Table) -> Export:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    names = table.dataset.column_names
    writer.writerow(names)
    for row in table.rows:
        writer.writerow([_csv_cell(row[name]) for name in names])
    # The byte-order mark tells Excel the file is UTF-8.
    return Export(f"{table.stem}.csv", CSV, buffer.getvalue().encode("utf-8-sig"))


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return f"{quantize(value):.2f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def to_json(table: Table) -> Export:
    names = table.dataset.column_names
    document = {
        "dataset": table.dataset.name,
        "columns": [{"name": column.name, "type": column.type} for column in table.dataset.columns],
        "rows": [{name: _json_value(row[name]) for name in names} for row in table.rows],
    }
    content = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    return Export(f"{table.stem}.json", JSON, content)


_XLSX_FORMATS = {DECIMAL: "0.00", DATE: "DD/MM/YYYY"}


def to_xlsx(table: Table) -> Export:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = printable(table.dataset.name)[:31]
    columns = table.dataset.columns
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.name)
        cell.font = Font(bold=True)
        width = max([len(column.name), *(len(str(row[column.name] or "")) for row in table.rows)])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 6) + 2, 60)
    for number, row in enumerate(table.rows, start=2):
        for index, column in enumerate(columns, start=1):
            value = row[column.name]
            cell = sheet.cell(row=number, column=index)
            cell.value = printable(value) if isinstance(value, str) else value
            if isinstance(value, str):
                # A name like "=HYPERLINK(…)" stays text, never a formula.
                cell.data_type = "s"
            elif value is not None and column.type in _XLSX_FORMATS:
                cell.number_format = _XLSX_FORMATS[column.type]
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Export(f"{table.stem}.xlsx", XLSX, buffer.getvalue())


RENDERERS: dict[str, Callable[[Table], Export]] = {
    "csv": to_csv,
    "xlsx": to_xlsx,
    "json": to_json,
}
FORMATS = tuple(RENDERERS)
