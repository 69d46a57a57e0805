"""The datasets of open data: each a fixed list of columns with stable English ``snake_case``
names (the contract of ``docs/open-data.md``), and the table type every dataset's rows fill."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from blocs.models import BlocYear
from common.exporters import ascii_fold
from scoring import access as scoring_access

INTEGER, DECIMAL, STRING, DATE, BOOLEAN = "integer", "decimal", "string", "date", "boolean"

# One cell of a table, as Python has it before a format writes it.
Value = int | Decimal | str | datetime.date | bool | None
Row = dict[str, Value]  # keyed by column name


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
    rows: list[Row]


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


def slug(*parts: object) -> str:
    text = "-".join(str(part) for part in parts)
    return re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_fold(text)).strip("-")
