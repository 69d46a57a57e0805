"""Reading one cell of an uploaded score sheet: blank or not, a formula (refused: the upload
takes values only), a number (a numeric cell, or text such as ``7,5``; "đạt" and "không đạt"
on a pass/fail line), a note (at most ``MAX_TEXT_LENGTH`` characters) or a criterion code
(headers are matched with ``common.workbooks.fold_header``, whatever their case, marks, spaces
and punctuation). A bad cell raises ``CellProblem`` with the reason.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from common.text import printable
from common.workbooks import fold_header
from scoring import rules

MAX_TEXT_LENGTH = 4000


def is_blank(cell: Any) -> bool:
    if cell is None or cell.value is None:
        return True
    return isinstance(cell.value, str) and not cell.value.strip()


def is_formula(cell: Any) -> bool:
    return cell is not None and getattr(cell, "data_type", None) == "f"


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        value = value.date()  # Excel keeps dates as midnight
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return formats.localize(value)
    return str(value)


class CellProblem(Exception):
    """What is wrong with one cell, in words; the reader places it at the cell."""


def cell_amount(cell: Any, method: str) -> Decimal | None:
    """The number in a cell: a numeric cell, or text such as ``7,5``; blank is None."""
    if is_blank(cell):
        return None
    if is_formula(cell):
        raise CellProblem(_("ô chứa công thức; hãy nhập số (hoặc dán bằng “Dán giá trị”)."))
    value = cell.value
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise CellProblem(_("“%(value)s” không phải là một số.") % {"value": _shown(value)})
    if isinstance(value, str):
        if method == rules.PASS_FAIL:
            word = fold_header(value)
            if word == "dat":
                return Decimal(1)
            if word == "khongdat":
                return Decimal(0)
        try:
            return rules.parse_amount(value)
        except rules.InputError as error:
            raise CellProblem(str(error)) from None
    # Floats come from the XML text of the cell: their shortest repr is what was typed.
    amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if abs(amount) >= Decimal("1e9"):
        raise CellProblem(_("Số quá lớn."))
    return amount


def cell_text(cell: Any) -> str:
    if is_blank(cell):
        return ""
    if is_formula(cell):
        raise CellProblem(_("ô chứa công thức; hãy nhập chữ."))
    value = cell.value
    # common.text: no control characters, whatever the workbook holds.
    text = printable(value if isinstance(value, str) else _shown(value))
    if len(text) > MAX_TEXT_LENGTH:
        raise CellProblem(_("ghi chú dài quá %(max)s ký tự.") % {"max": MAX_TEXT_LENGTH})
    return text.strip()


def cell_code(cell: Any) -> str:
    if is_blank(cell) or is_formula(cell):
        return ""
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
