"""Reading a list of accounts from an uploaded ``.xlsx`` or CSV file (docs/accounts.md).

One row per account under a header row (found in the first rows, headers matched whatever
their case, marks and spacing, in Vietnamese or in English): ``Tên đăng nhập``, ``Họ và tên``,
``Thư điện tử``, ``Mã đơn vị`` and/or ``Tên đơn vị``, and optionally ``Vai trò`` (blank: unit
focal point) and ``Chức vụ``. Other columns (a row number, notes) are ignored.

The reading (``blocs.people.reading.Reading``) says everything at once, each problem at its
row and cell (``C7``): an unknown or closed unit, a login name taken or repeated in the file, a
bad e-mail, a formula. Nothing is written here; ``blocs.people.services.people_create_many``
checks every row again when it writes.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import unicodedata
from collections.abc import Collection, Generator, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from blocs.models import Unit
from blocs.people import rules
from blocs.people.reading import (
    BY_HEADER,
    COLUMNS,
    EMAIL,
    FULL_NAME,
    JOB_TITLE,
    REQUIRED,
    ROLE,
    SHEET_NAME,
    UNIT_CODE,
    UNIT_NAME,
    USERNAME,
    Cell,
    Problem,
    Reading,
    Row,
    field_header,
    field_value,
    header,
    shown,
)
from common.numbers import format_number
from common.text import printable
from common.uploads import CSV
from common.workbooks import UnreadableWorkbook, fold_header, open_workbook

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 500  # accounts in one list: every one gets its e-mail while the confirmation waits
HEADER_SEARCH_ROWS = 10
MAX_SHEET_ROWS = 5000  # rows holding a value in any sheet of the file (accounts, units)


def read_people(
    content: bytes,
    *,
    content_type: str,
    filename: str,
    council_ids: Collection[int],
    day: datetime.date,
) -> Reading:
    """Read an uploaded list (``content_type`` from ``common.uploads.check_upload``: an
    ``.xlsx`` or a CSV) against the units of ``council_ids`` open on ``day``."""
    reading = Reading(filename=filename)
    grid = _csv_grid(content, reading) if content_type == CSV else _xlsx_grid(content, reading)
    if grid is None:
        return reading
    try:
        _read_grid(grid, reading, Units(council_ids, day), council_ids, day)
    except Exception:  # a broken part of a workbook can surface while its rows are streamed
        logger.warning("account list failed while reading rows", exc_info=True)
        reading.rows.clear()
        reading.problems = [Problem(_unreadable())]
    finally:
        grid.close()  # the workbook too
    return reading


def _unreadable() -> str:
    return _(
        "Không đọc được tệp: đây không phải là tệp Excel .xlsx hay tệp CSV, hoặc tệp đã hỏng "
        "(tệp .xls cũ: mở bằng Excel rồi “Lưu thành” .xlsx)."
    )


Grid = Generator[tuple[int, Sequence[Cell]], None, None]


def _xlsx_grid(content: bytes, reading: Reading) -> Grid | None:
    try:
        # A list has at most MAX_ROWS accounts; the template's other sheet lists the council's
        # units. A sheet far longer than both is refused before openpyxl loads the file.
        workbook = open_workbook(content, max_rows=MAX_SHEET_ROWS)
    except UnreadableWorkbook as failed:
        reading.problems.append(
            Problem(
                _(
                    "Trang “%(sheet)s” có hơn %(rows)s dòng có dữ liệu; một danh sách có tối "
                    "đa %(max)s tài khoản: hãy chia thành nhiều tệp."
                )
                % {
                    "sheet": failed.long_sheet,
                    "rows": format_number(MAX_SHEET_ROWS, places=0),
                    "max": MAX_ROWS,
                }
                if failed.long_sheet
                else _("Tệp quá lớn khi giải nén; đây không phải là một danh sách tài khoản.")
                if failed.too_big
                else _unreadable()
            )
        )
        return None
    wanted = {fold_header(SHEET_NAME), fold_header(_(SHEET_NAME))}
    sheets = workbook.worksheets
    sheet = next((ws for ws in sheets if fold_header(ws.title) in wanted), sheets[0])

    def rows() -> Grid:
        try:
            for number, cells in enumerate(sheet.iter_rows(), start=1):
                # The row's number as Excel shows it, from any cell that knows it.
                known = next((c.row for c in cells if isinstance(getattr(c, "row", None), int)), 0)
                yield (
                    known or number,
                    [Cell(cell.value, getattr(cell, "data_type", None) == "f") for cell in cells],
                )
        finally:
            workbook.close()

    return rows()


def _csv_grid(content: bytes, reading: Reading) -> Grid | None:
    """A CSV as Excel saves it: UTF-8 (with or without its mark) or the Vietnamese Windows code
    page; separated by commas, semicolons or tabs."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1258")
        except UnicodeDecodeError:
            reading.problems.append(Problem(_unreadable()))
            return None
    text = unicodedata.normalize("NFC", text)  # the code page writes marks as combining ones
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error:
        reading.problems.append(Problem(_unreadable()))
        return None
    return ((number, [Cell(value) for value in row]) for number, row in enumerate(rows, start=1))


def _text(cell: Cell | None) -> str:
    """A cell's text, trimmed and on one line; numbers as written (``2019``, not ``2019.0``)."""
    value = None if cell is None else cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(printable(str(value)).split())


class Units:
    """The units a list may name: by code (case ignored) or by name or short name (case, marks
    and spacing ignored); open units first, so that a code both a merged council and its
    successor used names the open unit."""

    def __init__(self, council_ids: Collection[int], day: datetime.date) -> None:
        units = list(Unit.objects.filter(council_id__in=list(council_ids)).order_by("pk"))
        self.day = day
        self.by_code: dict[str, list[Unit]] = {}
        self.by_name: dict[str, list[Unit]] = {}
        for unit in units:
            self.by_code.setdefault(unit.code.strip().lower(), []).append(unit)
            for name in {fold_header(unit.name), fold_header(unit.short_name)} - {""}:
                self.by_name.setdefault(name, []).append(unit)

    def find(self, text: str, *, by_code: bool) -> Unit | str:
        """The unit ``text`` names, or why there is none."""
        found = (
            self.by_code.get(text.strip().lower(), [])
            if by_code
            else self.by_name.get(fold_header(text), [])
        )
        open_ = [unit for unit in found if rules.is_open(unit, self.day)]
        if len(open_) == 1:
            return open_[0]
        if len(open_) > 1:
            return _(
                "Có %(count)s đơn vị cùng %(what)s này; hãy ghi mã đơn vị (xem trang “Đơn vị” "
                "của tệp mẫu)."
            ) % {"count": len(open_), "what": _("mã") if by_code else _("tên")}
        if found:
            return _("Đơn vị %(unit)s đã ngừng hoạt động (hoạt động đến hết ngày %(day)s).") % {
                "unit": found[0].name,
                "day": found[0].active_until.strftime("%d/%m/%Y") if found[0].active_until else "",
            }
        if by_code:
            return _("Không có đơn vị mã “%(code)s” trong hội đồng.") % {"code": shown(text)}
        return _("Không có đơn vị tên “%(name)s” trong hội đồng.") % {"name": shown(text)}


def _header_row(grid: Grid, reading: Reading) -> tuple[int, dict[str, int]] | None:
    """The header row (the first of the first non-blank rows naming the login column) and the
    index of each column in it."""
    # The spellings of HEADERS, and each header in the page's language (a template downloaded
    # in English reads back).
    known = {**BY_HEADER, **{fold_header(header(key)): key for key in COLUMNS}}
    seen = 0
    for number, cells in grid:
        texts = [_text(cell) for cell in cells]
        if not any(texts):
            continue
        seen += 1
        keys = [known.get(fold_header(text)) for text in texts]
        if USERNAME in keys:
            found: dict[str, int] = {}
            for index, key in enumerate(keys):
                if key is None:
                    continue
                if key in found:
                    reading.problems.append(
                        Problem(
                            _("Cột “%(column)s” lặp lại (đã có ở cột %(other)s).")
                            % {"column": header(key), "other": get_column_letter(found[key] + 1)},
                            number,
                            get_column_letter(index + 1),
                            texts[index],
                        )
                    )
                else:
                    found[key] = index
            return number, found
        if seen >= HEADER_SEARCH_ROWS:
            break
    reading.problems.append(
        Problem(
            _(
                "Không thấy dòng tiêu đề (có cột “%(column)s”) trong %(rows)s dòng đầu của tệp. "
                "Hãy dùng tệp mẫu."
            )
            % {"column": header(USERNAME), "rows": HEADER_SEARCH_ROWS}
        )
    )
    return None


def _read_grid(
    grid: Grid,
    reading: Reading,
    units: Units,
    council_ids: Collection[int],
    day: datetime.date,
) -> None:
    found = _header_row(grid, reading)
    if found is None:
        return
    header_number, positions = found
    for key in REQUIRED:
        if key not in positions:
            reading.problems.append(
                Problem(
                    _("Thiếu cột “%(column)s” ở dòng tiêu đề.") % {"column": header(key)},
                    header_number,
                )
            )
    if UNIT_CODE not in positions and UNIT_NAME not in positions:
        reading.problems.append(
            Problem(
                _("Thiếu cột “%(code)s” hoặc “%(name)s” ở dòng tiêu đề.")
                % {"code": header(UNIT_CODE), "name": header(UNIT_NAME)},
                header_number,
            )
        )
    if reading.problems:
        return
    reading.columns = {key: get_column_letter(index + 1) for key, index in positions.items()}
    reading.columns["unit"] = reading.columns.get(UNIT_CODE) or reading.columns[UNIT_NAME]
    rows: list[Row] = []
    for number, cells in grid:
        if len(rows) > MAX_ROWS:
            break
        row = _read_row(number, cells, positions, reading.columns, units)
        if row is not None:
            rows.append(row)
    if len(rows) > MAX_ROWS:
        reading.problems.append(
            Problem(
                _("Tệp có hơn %(max)s tài khoản; hãy chia thành nhiều tệp.") % {"max": MAX_ROWS}
            )
        )
        return
    if not rows:
        reading.problems.append(Problem(_("Tệp không có tài khoản nào dưới dòng tiêu đề.")))
        return
    _check_rows(rows, reading.columns, council_ids, day)
    reading.rows = rows


def _read_row(
    number: int,
    cells: Sequence[Cell],
    positions: Mapping[str, int],
    columns: Mapping[str, str],
    units: Units,
) -> Row | None:
    """One row's values (None for a blank row); formulas and units are checked here."""

    def cell(key: str) -> Cell | None:
        index = positions.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    texts = {key: _text(cell(key)) for key in positions}
    if not any(texts.values()):
        return None
    row = Row(number=number)

    def problem(key: str, message: str) -> None:
        row.problems.append(
            Problem(message, number, columns[key], header(key), shown(texts.get(key, "")))
        )

    for key in positions:
        found = cell(key)
        if found is not None and found.formula:
            problem(key, _("Ô chứa công thức; hãy nhập giá trị (hoặc dán bằng “Dán giá trị”)."))
            texts[key] = ""
    row.username = texts.get(USERNAME, "")
    row.full_name = texts.get(FULL_NAME, "")
    row.email = texts.get(EMAIL, "")
    row.job_title = texts.get(JOB_TITLE, "")
    role = rules.role_from_text(texts.get(ROLE, ""))
    if role is None:
        problem(
            ROLE,
            _(
                "Không rõ vai trò; ghi “%(focal)s”, “%(leader)s” hoặc “%(admin)s” (để trống: "
                "%(focal)s)."
            )
            % {
                "focal": _("Đầu mối"),
                "leader": _("Lãnh đạo"),
                "admin": _("Quản trị"),
            },
        )
    else:
        row.role = role
    code, name = texts.get(UNIT_CODE, ""), texts.get(UNIT_NAME, "")
    by_code = units.find(code, by_code=True) if code else None
    by_name = units.find(name, by_code=False) if name else None
    if isinstance(by_code, str):
        problem(UNIT_CODE, by_code)
    if isinstance(by_name, str) and not isinstance(by_code, Unit):
        problem(UNIT_NAME, by_name)
    if isinstance(by_code, Unit) and isinstance(by_name, Unit) and by_code.pk != by_name.pk:
        problem(
            UNIT_NAME,
            _("Tên đơn vị không khớp với mã %(code)s (%(unit)s).")
            % {"code": code, "unit": by_code.name},
        )
    unit = by_code if isinstance(by_code, Unit) else by_name
    if isinstance(unit, Unit):
        row.unit_id, row.unit_name = unit.pk, unit.name
    elif not code and not name and not any(p.column == columns["unit"] for p in row.problems):
        problem(UNIT_CODE if UNIT_CODE in positions else UNIT_NAME, _("Ghi mã hoặc tên đơn vị."))
    return row


def _check_rows(
    rows: Sequence[Row],
    columns: Mapping[str, str],
    council_ids: Collection[int],
    day: datetime.date,
) -> None:
    """The fields' own rules (``rules.person_problems``), login names taken or repeated."""
    taken = rules.taken_usernames(row.username for row in rows)
    units = {unit.pk: unit for unit in rules.open_units(council_ids, day)}
    first: dict[str, int] = {}
    for row in rows:
        marked = {problem.column for problem in row.problems}
        problems = rules.person_problems(
            username=row.username,
            taken=taken,
            full_name=row.full_name,
            email=row.email,
            job_title=row.job_title,
            role=row.role,
            unit=units.get(row.unit_id) if row.unit_id else None,
            council_ids=council_ids,
            day=day,
        )
        folded = row.username.lower()
        if folded and folded in first and "username" not in problems:
            problems["username"] = _("Tên đăng nhập trùng với dòng %(row)s của tệp.") % {
                "row": first[folded]
            }
        first.setdefault(folded, row.number)
        for name, message in problems.items():
            column = columns.get(name, "")
            if column in marked or (name == "unit" and row.unit_id is None):
                continue  # the cell already has its problem (a formula, an unknown unit)
            row.problems.append(
                Problem(
                    message,
                    row.number,
                    column,
                    field_header(name, columns),
                    field_value(row, name),
                )
            )
