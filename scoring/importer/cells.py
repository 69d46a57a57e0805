"""Reading one cell of a workbook: text, numbers, formulas, and the row that reports a bad one."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from common.text import printable
from scoring import rules

MAX_SHOWN = 60  # characters of a cell's value repeated in a problem
MAX_AMOUNT = Decimal("1000000")  # criteria maxima have 8 digits, 2 of them decimals

# (reason, sheet, row, column letter, value shown)
Report = Callable[[str, str, int, str, str], None]


class CellProblem(Exception):
    pass


def blank(cell: Any) -> bool:
    if cell is None or cell.value is None:
        return True
    return isinstance(cell.value, str) and not cell.value.strip()


def is_formula(cell: Any) -> bool:
    return cell is not None and getattr(cell, "data_type", None) == "f"


def shown(cell: Any) -> str:
    """A cell's value as the report repeats it."""
    value = None if cell is None else cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float):
        text = repr(value).removesuffix(".0")
    elif isinstance(value, datetime.datetime | datetime.date):
        text = value.strftime("%d/%m/%Y")
    else:
        text = " ".join(str(value).split())
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def lower_first(message: str) -> str:
    return message[:1].lower() + message[1:]


def cell_text(cell: Any) -> str:
    """The text of a cell, trimmed; numbers as written (``2019``, not ``2019.0``)."""
    if blank(cell):
        return ""
    if is_formula(cell):
        raise CellProblem(_("ô chứa công thức; hãy nhập giá trị (hoặc dán bằng “Dán giá trị”)."))
    value = cell.value
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return " ".join(printable(str(value)).split())  # common.text: no control characters


def cell_number(cell: Any) -> Decimal | None:
    """A numeric cell, or text such as ``95,5`` / ``95.5``; blank is None."""
    if blank(cell):
        return None
    if is_formula(cell):
        raise CellProblem(_("ô chứa công thức; hãy nhập số (hoặc dán bằng “Dán giá trị”)."))
    value = cell.value
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise CellProblem(_("không phải là một số."))
    if isinstance(value, str):
        try:
            return rules.parse_amount(value)
        except rules.InputError as error:
            # The rules' message repeats the value; the report shows it apart.
            message, prefix = str(error), f"“{value}” "
            raise CellProblem(lower_first(message.removeprefix(prefix))) from None
    # Floats come from the XML text of the cell: their shortest repr is what was typed.
    amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not amount.is_finite() or abs(amount) >= Decimal("1e9"):
        raise CellProblem(_("số quá lớn."))
    return amount


def cell_at(cells: Sequence[Any], index: int | None) -> Any:
    return cells[index] if index is not None and index < len(cells) else None


def column_letter(index: int) -> str:
    return get_column_letter(index + 1)


def two_places(value: Decimal) -> bool:
    """Not negative, below the models' limit, at most two decimals."""
    return 0 <= value < MAX_AMOUNT and value == rules.quantize(value)


class Row:
    """One row being read: flags a bad cell and remembers that the row had one."""

    def __init__(
        self, report: Report, sheet: str, index: int, number: int, cells: Sequence[Any]
    ) -> None:
        self.report, self.sheet, self.cells = report, sheet, cells
        self.index = index  # in the list of the sheet's rows
        self.number = number  # as Excel shows it
        self.ok = True

    @property
    def blank(self) -> bool:
        return all(blank(cell) for cell in self.cells)

    def cell(self, index: int | None) -> Any:
        return cell_at(self.cells, index)

    def flag(self, index: int, reason: str, value: str | None = None) -> None:
        self.ok = False
        shown_value = shown(self.cell(index)) if value is None else value
        self.report(reason, self.sheet, self.number, column_letter(index), shown_value)

    def text(self, index: int, length: int = 0) -> str | None:
        """The cell's text ("" when blank), or None when it cannot be one (flagged)."""
        try:
            text = cell_text(self.cell(index))
        except CellProblem as problem:
            self.flag(index, str(problem))
            return None
        if length and len(text) > length:
            self.flag(index, _("dài quá %(length)s ký tự.") % {"length": length})
            return None
        return text

    def amount(self, index: int | None) -> Decimal | None:
        """The cell's number; None when blank, or when it is not a number (flagged)."""
        if index is None:
            return None
        try:
            return cell_number(self.cell(index))
        except CellProblem as problem:
            self.flag(index, str(problem))
            return None
