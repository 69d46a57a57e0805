"""The template of an account list: the sheet the upload reads, with the council's open units
on a second sheet (their codes are what the list names) and a short guide on a third."""

from __future__ import annotations

import datetime
import io
from collections.abc import Collection
from typing import Any

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from blocs.models import Council
from blocs.people import reading, rules, upload
from common.exporters import XLSX, Export
from common.text import printable

WIDTHS = {
    reading.USERNAME: 18,
    reading.FULL_NAME: 26,
    reading.EMAIL: 30,
    reading.UNIT_CODE: 12,
    reading.UNIT_NAME: 40,
    reading.ROLE: 22,
    reading.JOB_TITLE: 28,
}
HEADER_FILL = PatternFill("solid", fgColor="DCE6F2")


def _put(sheet: Any, row: int, column: int, value: str) -> Any:
    """A value written as text, even one that starts with "=" (openpyxl would store a
    formula)."""
    cell = sheet.cell(row=row, column=column, value=printable(value))
    cell.data_type = "s"
    return cell


def people_template(
    *, council: Council, council_ids: Collection[int], day: datetime.date
) -> Export:
    workbook = openpyxl.Workbook()
    workbook.properties.creator = "Thi đua"
    sheet = workbook.active
    sheet.title = _(reading.SHEET_NAME)
    for index, key in enumerate(reading.COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=reading.header(key))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[key]
    sheet.freeze_panes = "A2"
    roles = [_("Đầu mối"), _("Lãnh đạo"), _("Quản trị")]
    role_column = get_column_letter(reading.COLUMNS.index(reading.ROLE) + 1)
    choice = DataValidation(
        type="list", formula1='"' + ",".join(roles) + '"', allow_blank=True, showDropDown=False
    )
    choice.add(f"{role_column}2:{role_column}{upload.MAX_ROWS + 1}")
    sheet.add_data_validation(choice)

    units = workbook.create_sheet(_("Đơn vị"))
    for index, title in enumerate((_("Mã đơn vị"), _("Tên đơn vị")), start=1):
        cell = units.cell(row=1, column=index, value=title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    units.column_dimensions["A"].width = 14
    units.column_dimensions["B"].width = 60
    for row, unit in enumerate(rules.open_units(council_ids, day), start=2):
        _put(units, row, 1, unit.code)
        _put(units, row, 2, unit.name)

    guide = workbook.create_sheet(_("Hướng dẫn"))
    guide.column_dimensions["A"].width = 110
    lines = [
        _("Danh sách tài khoản – %(council)s") % {"council": council.name},
        "",
        _("Mỗi dòng của trang “Tài khoản” là một tài khoản; giữ nguyên dòng tiêu đề."),
        _(
            "Tên đăng nhập: chữ không dấu, chữ số và các dấu . _ - @ +, không trùng tài khoản đã "
            "có, ví dụ daumoi.syt."
        ),
        _("Họ và tên, Thư điện tử: bắt buộc; liên kết đặt mật khẩu được gửi đến địa chỉ thư."),
        _(
            "Mã đơn vị hoặc Tên đơn vị: theo trang “Đơn vị” (đơn vị đang hoạt động của hội "
            "đồng); ghi một trong hai là đủ."
        ),
        _("Vai trò: Đầu mối (để trống cũng là Đầu mối), Lãnh đạo hoặc Quản trị."),
        _("Chức vụ: không bắt buộc."),
        "",
        _(
            "Tải tệp lên ở trang “Người dùng” → “Tải danh sách lên”: bạn xem trước các tài "
            "khoản sẽ tạo và các ô cần sửa; chỉ khi xác nhận, mọi tài khoản mới được tạo cùng "
            "lúc và mỗi người nhận thư để tự đặt mật khẩu."
        ),
    ]
    for row, line in enumerate(lines, start=1):
        _put(guide, row, 1, line).font = Font(bold=row == 1)

    buffer = io.BytesIO()
    workbook.save(buffer)
    filename = _("Danh sách tài khoản %(code)s.xlsx") % {"code": council.code}
    return Export(filename, XLSX, buffer.getvalue())
