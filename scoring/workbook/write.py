"""Writing a score sheet as an XLSX for download: a short header block (unit, bloc, year, state,
version, time, totals, how to fill it), then the table the upload reads back, one row per
criterion with parents in bold, values as numeric cells, the cells this person may fill tinted,
and text from people always written as text (never a formula Excel would run).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Collection
from decimal import Decimal
from typing import Any

import openpyxl
from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from common.exporters import XLSX, Export
from common.numbers import format_plain
from common.text import printable
from scoring import rules
from scoring.layers import Layer
from scoring.models import Criterion, ScoreLine, ScoreSheet
from scoring.selectors import SheetView
from scoring.workbook.layout import COLUMNS, HEADER_ROW, SHEET_NAME, layer_keys

POINTS_FORMAT = "#,##0.00"
COUNT_FORMAT = "0"


def sheet_filename(sheet: ScoreSheet) -> str:
    return f"bang-diem-{slugify(sheet.unit.code) or sheet.unit_id}-{sheet.bloc_year.year}.xlsx"


def sheet_export(
    view: SheetView,
    *,
    unit_name: str,
    layer: Layer | None,
    editable: Collection[int],
    now: datetime.datetime,
) -> Export:
    """The sheet as an ``Export`` (see ``common.exporters``)."""
    return Export(
        filename=sheet_filename(view.sheet),
        content_type=XLSX,
        content=sheet_workbook(view, unit_name=unit_name, layer=layer, editable=editable, now=now),
    )


_BOLD = Font(bold=True)
_MUTED = Font(italic=True, color="555555")
_HEADER_FILL = PatternFill("solid", fgColor="DCE3EC")
_SECTION_FILL = PatternFill("solid", fgColor="EEF2F7")
_INPUT_FILL = PatternFill("solid", fgColor="FFF6D5")
_THIN = Side(style="thin", color="9AA5B1")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _put_text(cell: Cell, text: str) -> None:
    """Text from people (titles, notes) is always a string cell: ``=1+2`` stays text and never
    becomes a formula that Excel would run; a control character stored before common.text's
    policy is left out."""
    cell.value = printable(text)
    cell.data_type = "s"


def _method_text(criterion: Criterion, step: Decimal, line: ScoreLine | None) -> str:
    if line is not None and line.not_applicable:
        return _("Không áp dụng: %(reason)s") % {"reason": line.not_applicable_reason}
    maximum = format_plain(criterion.max_points)
    method = criterion.method
    if method == rules.DIRECT:
        text = _("Nhập điểm, tối đa %(max)s, bước %(step)s") % {
            "max": maximum,
            "step": format_plain(step),
        }
    elif method == rules.TARGET:
        text = _("Theo tỷ lệ hoàn thành: nhập kết quả và chỉ tiêu")
    elif method == rules.RELATIVE_BEST:
        text = _("So với đơn vị cao nhất khối: nhập kết quả")
    elif method == rules.PASS_FAIL:
        text = _("Đạt / không đạt: nhập 1 (đạt) hoặc 0")
    elif method == rules.TIER:
        text = _("Theo bảng mức: nhập giá trị đo; %(table)s") % {"table": criterion.tier_text}
    else:
        text = _("Nhập số lần; %(each)s điểm mỗi lần, tối đa %(max)s") % {
            "each": format_plain(criterion.points_per_occurrence or Decimal(0)),
            "max": maximum,
        }
    if criterion.scored_by != Criterion.ScoredBy.UNIT:
        text = f"{text}. {criterion.get_scored_by_display()}"
    return text


def _total_text(totals: rules.Totals) -> Decimal | str:
    if totals.complete:
        return totals.total
    return _("chưa đủ: thiếu %(count)s tiêu chí") % {"count": totals.missing}


def sheet_workbook(
    view: SheetView,
    *,
    unit_name: str,
    layer: Layer | None,
    editable: Collection[int],
    now: datetime.datetime,
) -> bytes:
    """An XLSX of the sheet: a short header block, then the table the upload reads back.

    The column "Lý do / ghi chú" holds what the person downloading it would fill: the verified
    reasons for someone verifying, the unit's notes for everyone else.
    """
    layer = Layer(layer) if layer else None
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = _(SHEET_NAME)
    workbook.properties.creator = "Thi đua"
    workbook.properties.title = printable(
        _("Bảng điểm %(unit)s năm %(year)s")
        % {"unit": unit_name, "year": view.sheet.bloc_year.year}
    )
    _write_header_block(worksheet, view, unit_name=unit_name, layer=layer, now=now)
    _write_table(worksheet, view, layer=layer, editable=editable)
    worksheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.paperSize = worksheet.PAPERSIZE_A4
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _how_to_fill(layer: Layer | None) -> str:
    if layer is Layer.VERIFIED:
        return _(
            "Nhập vào hai cột “Thẩm định”, lý do vào cột “Lý do / ghi chú”, rồi tải tệp lên ở "
            "trang bảng điểm (Nhập từ Excel). Không dùng công thức; các cột khác chỉ để xem."
        )
    if layer is Layer.SELF:
        return _(
            "Nhập vào hai cột “Tự chấm”, ghi chú vào cột “Lý do / ghi chú”, rồi tải tệp lên ở "
            "trang bảng điểm (Nhập từ Excel). Không dùng công thức; các cột khác chỉ để xem."
        )
    return _("Bản để xem. Cột “Lý do / ghi chú” là ghi chú của đơn vị.")


def _write_header_block(
    worksheet: Any, view: SheetView, *, unit_name: str, layer: Layer | None, now: datetime.datetime
) -> None:
    """Title, then one label and value a row: unit, bloc, year, state, version, time, totals."""
    sheet = view.sheet
    bloc_year = sheet.bloc_year
    last_column = get_column_letter(len(COLUMNS))
    title = worksheet.cell(row=1, column=1)
    _put_text(title, _("BẢNG ĐIỂM THI ĐUA NĂM %(year)s") % {"year": bloc_year.year})
    title.font = Font(bold=True, size=14)
    worksheet.merge_cells(f"A1:{last_column}1")
    block: list[tuple[str, object]] = [
        (_("Đơn vị"), unit_name),
        (_("Khối thi đua"), bloc_year.bloc.name),
        (_("Năm"), bloc_year.year),
        (_("Trạng thái"), sheet.get_state_display()),
        (_("Phiên bản"), sheet.version),
        (_("Tải về lúc"), formats.date_format(now, "SHORT_DATETIME_FORMAT")),
        (_("Tổng tự chấm"), _total_text(view.self_totals)),
        (_("Tổng thẩm định"), _total_text(view.final_totals)),
        (_("Cách nhập"), _how_to_fill(layer)),
    ]
    for number, (label, value) in enumerate(block, start=2):
        label_cell = worksheet.cell(row=number, column=1)
        _put_text(label_cell, label)
        label_cell.font = _BOLD
        value_cell = worksheet.cell(row=number, column=2)
        if isinstance(value, str):
            _put_text(value_cell, value)
        else:
            value_cell.value = value
            if isinstance(value, Decimal):
                value_cell.number_format = POINTS_FORMAT
        value_cell.alignment = Alignment(horizontal="left", wrap_text=True, vertical="top")
        worksheet.merge_cells(f"B{number}:{last_column}{number}")
    worksheet.row_dimensions[len(block) + 1].height = 30  # the two lines of "Cách nhập"


def _write_table(
    worksheet: Any, view: SheetView, *, layer: Layer | None, editable: Collection[int]
) -> None:
    """The header row (frozen), then one row per criterion; the cells to fill are tinted."""
    positions = {column.key: index for index, column in enumerate(COLUMNS, start=1)}
    for column in COLUMNS:
        cell = worksheet.cell(row=HEADER_ROW, column=positions[column.key])
        _put_text(cell, _(column.header))
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        worksheet.column_dimensions[get_column_letter(positions[column.key])].width = column.width
    worksheet.freeze_panes = f"A{HEADER_ROW + 1}"
    input_keys = {*layer_keys(layer), "text"} if layer else set()
    amount_keys = {"max", "self_value", "self_target", "verified_value", "verified_target"}
    for number, row in enumerate(view.rows, start=HEADER_ROW + 1):
        criterion, line = row.criterion, row.line
        values: dict[str, object] = {
            "code": criterion.code,
            "title": criterion.title,
            "max": criterion.max_points,
        }
        if row.is_leaf and line is not None:
            values.update(
                method=_method_text(criterion, view.criteria_set.step, line),
                self_value=line.self_value,
                self_target=line.self_target,
                verified_value=line.verified_value,
                verified_target=line.verified_target,
                text=(layer or Layer.SELF).text_of(line),
            )
        counts = criterion.method in (rules.PASS_FAIL, rules.PER_OCCURRENCE)
        for key, index in positions.items():
            cell = worksheet.cell(row=number, column=index)
            value = values.get(key)
            if isinstance(value, str):
                _put_text(cell, value)
            elif value is not None:
                cell.value = value
            if key in amount_keys:
                counted = counts and key.endswith("_value")
                cell.number_format = COUNT_FORMAT if counted else POINTS_FORMAT
            cell.border = _BORDER
            if key in ("title", "method", "text"):
                indent = row.depth if key == "title" else 0
                cell.alignment = Alignment(wrap_text=True, vertical="top", indent=indent)
            if not row.is_leaf:
                cell.font = _BOLD
                cell.fill = _SECTION_FILL
            elif line is not None and line.not_applicable:
                cell.font = _MUTED
            elif key in input_keys and criterion.pk in editable:
                cell.fill = _INPUT_FILL
