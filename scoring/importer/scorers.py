"""The departments that score criteria of an imported year (``Cơ quan chấm``): each is a unit of
the workbook's ``Đơn vị`` sheet or a unit the council already has. Checked against the database
with the other checks, and looked up when the criteria are written."""

from __future__ import annotations

from django.utils.translation import gettext as _

from blocs.models import Council, Unit
from scoring.importer.contract import CRITERIA, SCORER, UNITS, Problem, WorkbookData


def _outside_codes(data: WorkbookData) -> set[str]:
    """Scorer codes that are not units of the ``Đơn vị`` sheet."""
    listed = {row.code for row in data.units}
    return {row.scorer for row in data.criteria if row.scorer and row.scorer not in listed}


def scorer_problems(data: WorkbookData, council: Council | None) -> list[Problem]:
    """A scorer that is neither in ``Đơn vị`` nor a unit of the council, at its cell."""
    outside = _outside_codes(data)
    if not outside:
        return []
    known = (
        set(Unit.objects.filter(council=council, code__in=outside).values_list("code", flat=True))
        if council is not None
        else set()
    )
    reason = _(
        "không có đơn vị mã này trong trang “%(sheet)s” hay trong hội đồng (cột “%(column)s”)."
    ) % {"sheet": data.title(UNITS), "column": SCORER}
    return [
        Problem(reason, data.title(CRITERIA), row.row, row.scorer_column, row.scorer)
        for row in data.criteria
        if row.scorer in outside and row.scorer not in known
    ]


def scorer_units(council: Council, data: WorkbookData, units: dict[str, Unit]) -> dict[str, Unit]:
    """Every scorer code → its unit: the members just written, then the council's others."""
    found = {code: units[code] for code in {row.scorer for row in data.criteria} if code in units}
    outside = _outside_codes(data)
    if outside:
        found.update(
            (unit.code, unit) for unit in Unit.objects.filter(council=council, code__in=outside)
        )
    return found
