"""Reads for the column page (one criterion for every member of a bloc-year) and for the
short list of outside-scored criteria on the progress page, each in a fixed number of queries
whatever the number of members."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from blocs.models import BlocYear
from common.collation import vietnamese_sort_key
from scoring.models import Criterion, ScoreLine, ScoreSheet
from scoring.selectors.verification import OUTSIDE_SCORED, column_url, scorer_name


@dataclass
class ColumnRow:
    """One member's line of the criterion: as read, and the form's cell when it is editable
    (else ``reason`` says why not)."""

    line: ScoreLine
    unit_name: str
    cell: object = None
    version: int | None = None  # the sheet's version as the page shows it (editable rows)
    reason: str = ""

    @property
    def sheet(self) -> ScoreSheet:
        return self.line.sheet


def column_rows(lines: dict[int, ScoreLine], year: int) -> list[ColumnRow]:
    """The lines of ``services.columns.column_lines``, by the units' names of that year."""
    rows = [ColumnRow(line, line.sheet.unit.name_in_year(year)) for line in lines.values()]
    return sorted(rows, key=lambda row: vietnamese_sort_key(row.unit_name))


@dataclass
class OutsideColumn:
    """A criterion scored outside the secretariat, with how far its scorer has got."""

    criterion: Criterion
    scorer: str
    url: str
    members: int  # members the line applies to
    missing: int  # of them, still without a verified value
    waiting: int  # of those, on sheets already submitted


def outside_columns(bloc_year: BlocYear) -> list[OutsideColumn]:
    """The bloc-year's criteria scored by the council or a department, in the criteria's
    order, in one query (and one for the departments' former names, when there is one)."""
    open_line = Q(
        lines__sheet__bloc_year=bloc_year,
        lines__not_applicable=False,
    )
    missing = open_line & Q(lines__verified_value__isnull=True)
    criteria = (
        Criterion.objects.filter(scored_by__in=OUTSIDE_SCORED, lines__sheet__bloc_year=bloc_year)
        .select_related("scorer_unit")
        .prefetch_related("scorer_unit__former_names")
        .annotate(
            members=Count("lines", filter=open_line, distinct=True),
            missing=Count("lines", filter=missing, distinct=True),
            waiting=Count(
                "lines",
                filter=missing & Q(lines__sheet__state=ScoreSheet.State.SUBMITTED),
                distinct=True,
            ),
        )
        .order_by("order", "pk")
    )
    return [
        OutsideColumn(
            criterion=criterion,
            scorer=scorer_name(criterion, bloc_year),
            url=column_url(criterion, bloc_year),
            members=criterion.members,
            missing=criterion.missing,
            waiting=criterion.waiting,
        )
        for criterion in criteria
    ]
