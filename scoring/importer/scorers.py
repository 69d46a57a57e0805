"""The departments that score criteria of an imported year (``Cơ quan chấm``): each is a unit of
the workbook's ``Đơn vị`` sheet or a unit the council already has, its code matched ignoring
case. Checked against the database with the other checks, and looked up when the criteria are
written."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.translation import gettext as _

from blocs.models import Council, Unit
from scoring.importer.contract import CRITERIA, SCORER, UNITS, Problem, WorkbookData, normalise


def _outside_codes(data: WorkbookData) -> set[str]:
    """Scorer codes that are not units of the ``Đơn vị`` sheet (those were matched on reading)."""
    listed = {row.code for row in data.units}
    return {row.scorer for row in data.criteria if row.scorer and row.scorer not in listed}


def _council_units(council: Council | None, codes: set[str]) -> dict[str, Unit]:
    """The council's units with these codes, ignoring case, by normalised code (one query)."""
    if council is None or not codes:
        return {}
    wanted = reduce(or_, (Q(code__iexact=code) for code in sorted(codes)))
    return {normalise(unit.code): unit for unit in Unit.objects.filter(wanted, council=council)}


def scorer_problems(data: WorkbookData, council: Council | None) -> list[Problem]:
    """A scorer that is neither in ``Đơn vị`` nor a unit of the council, at its cell."""
    outside = _outside_codes(data)
    known = _council_units(council, outside)
    reason = _(
        "không có đơn vị mã này trong trang “%(sheet)s” hay trong hội đồng (cột “%(column)s”)."
    ) % {"sheet": data.title(UNITS), "column": SCORER}
    return [
        Problem(reason, data.title(CRITERIA), row.row, row.scorer_column, row.scorer)
        for row in data.criteria
        if row.scorer_written and row.scorer in outside and normalise(row.scorer) not in known
    ]


def scorer_units(council: Council, data: WorkbookData, units: dict[str, Unit]) -> dict[str, Unit]:
    """Every scorer code as written → its unit: the members just written, then the council's
    others."""
    outside = _council_units(council, _outside_codes(data))
    found = {}
    for row in data.criteria:
        unit = units.get(row.scorer) or outside.get(normalise(row.scorer))
        if row.scorer and unit is not None:
            found[row.scorer] = unit
    return found
