"""The base of the bloc-year workbook reader: the data read so far and every problem found, the
rows of a sheet that are not blank, the header row of a table sheet (columns matched by name or
alias, missing or repeated ones reported), the unit codes of the Đơn vị sheet, and the limits
(rows searched for a header, the field lengths of the models the data goes into). One subclass
per group of sheets reads them (``read_bloc``, ``read_criteria``, ``read_scores``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.utils.translation import gettext as _

from scoring.importer.cells import Row, column_letter
from scoring.importer.contract import ALIASES, Problem, WorkbookData, normalise

HEADER_SEARCH_ROWS = 10
# Field lengths of the models the data goes into.
CODE_LENGTH = 20
NAME_LENGTH = 200
TITLE_LENGTH = 500


class SheetReader:
    """What every sheet reader shares; ``scoring.importer.read`` puts the readers together."""

    def __init__(self, workbook: Any, *, this_year: int) -> None:
        self.workbook = workbook
        self.this_year = this_year  # years before it are past: head and deputy may be left out
        self.data = WorkbookData()
        self.problems: list[Problem] = []

    def problem(
        self,
        reason: str,
        sheet: str = "",
        row: int | None = None,
        column: str = "",
        value: str = "",
    ) -> None:
        title = self.data.title(sheet) if sheet else ""
        self.problems.append(Problem(reason, title, row, column, value))

    @staticmethod
    def _rows(worksheet: Any) -> list[tuple[Any, ...]]:
        return [tuple(cells) for cells in worksheet.iter_rows()]

    def _data_rows(self, sheet: str, rows: Sequence[Sequence[Any]], start: int) -> Iterator[Row]:
        """The rows from index ``start`` on that are not blank."""
        for index in range(start, len(rows)):
            cells = rows[index]
            number = getattr(cells[0], "row", None) if cells else None
            row = Row(
                self.problem, sheet, index, number if isinstance(number, int) else index + 1, cells
            )
            if not row.blank:
                yield row

    def _header(
        self,
        rows: Sequence[Sequence[Any]],
        sheet: str,
        columns: Sequence[str],
        required: Sequence[str],
    ) -> tuple[Row, dict[str, int]] | None:
        """The header row (the first of the first rows naming ``columns[0]``) and the index of
        each column found in it. Missing or repeated columns are problems."""
        names = {
            normalise(spelling): column
            for column in columns
            for spelling in (column, *ALIASES.get(column, ()))
        }
        for row in self._data_rows(sheet, rows[:HEADER_SEARCH_ROWS], 0):
            texts = [normalise(c.value) if isinstance(c.value, str) else "" for c in row.cells]
            if normalise(columns[0]) not in texts:
                continue
            found: dict[str, int] = {}
            for index, text in enumerate(texts):
                column = names.get(text)
                if column is not None and column in found:
                    row.flag(
                        index,
                        _("cột lặp lại (đã có ở cột %(other)s).")
                        % {"other": column_letter(found[column])},
                    )
                elif column is not None:
                    found[column] = index
            missing = [column for column in required if column not in found]
            for column in missing:
                self.problem(
                    _("thiếu cột “%(column)s” ở dòng tiêu đề.") % {"column": column},
                    sheet,
                    row.number,
                )
            return (row, found) if not missing and row.ok else None
        self.problem(
            _("không thấy dòng tiêu đề (có cột %(columns)s) trong %(rows)s dòng đầu.")
            % {"columns": ", ".join(f"“{c}”" for c in required), "rows": HEADER_SEARCH_ROWS},
            sheet,
        )
        return None

    def _unit_code(self, text: str) -> str | None:
        """The code of the Đơn vị sheet that ``text`` names, ignoring case."""
        folded = normalise(text)
        return next((row.code for row in self.data.units if normalise(row.code) == folded), None)
