"""Reading the Điểm and Tự chấm sheets: one row per criterion and one column per member unit,
every cell of a leaf row a number (a blank cell is not 0), within the criterion's maximum, with
at most two decimals and penalties written as positive numbers; parents left empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from scoring import rules
from scoring.importer.cells import Row, blank, cell_at, column_letter, lower_first
from scoring.importer.contract import (
    CRITERIA,
    CRITERION_CODE,
    MAX_POINTS,
    TITLE,
    UNITS,
    CriterionRow,
    normalise,
)
from scoring.importer.reader import SheetReader


class ScoresSheetReader(SheetReader):
    def _read_scores(
        self, rows: Sequence[Sequence[Any]], sheet: str
    ) -> dict[str, dict[str, Decimal]]:
        """Points by unit code and leaf code. Every cell of a leaf row must hold a number."""
        data = self.data
        header = self._header(rows, sheet, (CRITERION_CODE,), (CRITERION_CODE,))
        if header is None:
            return {}
        header_row, columns = header
        start = header_row.index + 1
        code_at = columns[CRITERION_CODE]
        units = self._unit_columns(header_row, code_at, rows[start:])
        points: dict[str, dict[str, Decimal]] = {code: {} for code in units.values()}
        # A member with a published band and an empty column has no points at all (read_mixed).
        without_points = {
            index
            for index, code in units.items()
            if code in data.band_members
            and all(blank(cell_at(cells, index)) for cells in rows[start:])
        }
        by_code = {row.code: row for row in data.criteria}
        by_folded = {normalise(row.code): row for row in data.criteria}
        seen: dict[str, int] = {}
        for row in self._data_rows(sheet, rows, start):
            filled = [index for index in units if not blank(row.cell(index))]
            text = (row.text(code_at) or "").rstrip(".")
            if not text:
                if filled and row.ok:
                    row.flag(code_at, _("dòng có điểm nhưng không có mã tiêu chí."))
                continue
            criterion = by_code.get(text) or by_folded.get(normalise(text))
            if not data.criteria_read:
                criterion = None  # the numbers are still checked
            elif criterion is None:
                reason = _("không có tiêu chí mã này trong trang “%(sheet)s”.")
                row.flag(code_at, reason % {"sheet": data.title(CRITERIA)})
                continue
            elif criterion.code in seen:
                previous = seen[criterion.code]
                row.flag(
                    code_at, _("mã tiêu chí lặp lại (đã có ở dòng %(row)s).") % {"row": previous}
                )
                continue
            else:
                seen[criterion.code] = row.number
                if not criterion.leaf:
                    if filled:
                        reason = _(
                            "“%(code)s” là mục lớn: điểm của mục là tổng các tiêu chí con, "
                            "không nhập ở dòng này."
                        )
                        row.flag(filled[0], reason % {"code": criterion.code})
                    continue
            for index, unit in units.items():
                if index in without_points:
                    continue
                value = row.amount(index)
                if value is None and blank(row.cell(index)) and criterion is not None:
                    reason = _("thiếu điểm của đơn vị “%(unit)s” (ô trống không được tính là 0).")
                    row.flag(index, reason % {"unit": unit})
                elif value is not None and criterion is not None:
                    reason = _points_problem(value, criterion)
                    if reason:
                        row.flag(index, reason)
                    else:
                        points[unit][criterion.code] = value
        for leaf in data.leaves if data.criteria_read else []:
            if leaf.code not in seen:
                self.problem(_("thiếu dòng của tiêu chí “%(code)s”.") % {"code": leaf.code}, sheet)
        return points

    def _unit_columns(
        self, header: Row, code_at: int, below: Sequence[Sequence[Any]]
    ) -> dict[int, str]:
        """Column index → unit code, for the columns right of the criterion codes."""
        data = self.data
        ignored = {normalise(TITLE), normalise(MAX_POINTS)}
        units: dict[int, str] = {}
        for index in range(code_at + 1, len(header.cells)):
            text = header.text(index)
            if text is None or normalise(text) in ignored:
                continue
            code = self._unit_code(text) if data.units_read else text
            if not text:
                if any(not blank(cell_at(cells, index)) for cells in below):
                    header.flag(index, _("cột có điểm nhưng không có mã đơn vị ở dòng tiêu đề."))
            elif code is None:
                reason = _("đơn vị không có trong trang “%(sheet)s”.")
                header.flag(index, reason % {"sheet": data.title(UNITS)})
            elif code in units.values():
                other = next(key for key, value in units.items() if value == code)
                header.flag(
                    index,
                    _("đơn vị có hai cột (đã có ở cột %(other)s).")
                    % {"other": column_letter(other)},
                )
            else:
                units[index] = code
        for unit in data.units if data.units_read else []:
            if unit.code not in units.values() and unit.code not in data.band_members:
                reason = _("thiếu cột điểm của đơn vị “%(unit)s”.") % {"unit": unit.code}
                self.problem(reason, header.sheet, header.number)
        return units


def _points_problem(value: Decimal, criterion: CriterionRow) -> str:
    if value < 0 and criterion.kind == rules.PENALTY:
        return _("điểm trừ ghi bằng số dương (số điểm bị trừ), ví dụ 1 chứ không phải -1.")
    if value != rules.quantize(value):
        return _("điểm chỉ có tối đa hai chữ số thập phân.")
    if criterion.max_points is None or criterion.max_points <= 0:
        return ""  # the criterion's own problem is reported on its sheet
    try:
        rules.check_points(value, criterion.max_points, rules.CENT)
    except rules.InputError as error:
        return lower_first(str(error))
    return ""
