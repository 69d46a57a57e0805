"""Reading a bloc-year workbook (docs/import-format.md) into plain data. No database here.

The reader is strict and says everything at once: each problem names the sheet, the cell, the
value found there and the reason, and the caller writes nothing while any problem remains.
Names of sheets, keys and column headers match whatever their case, marks and spacing.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

import openpyxl
from django.utils.translation import gettext as _

from scoring import rules
from scoring.importer.cells import (
    Row,
    blank,
    cell_at,
    column_letter,
    lower_first,
    two_places,
)
from scoring.importer.contract import (
    ALIASES,
    BLOC_CODE,
    BLOC_NAME,
    BONUS_CAP,
    CODE,
    COUNCIL_CODE,
    COUNCIL_NAME,
    CRITERIA,
    CRITERION_CODE,
    DEPUTY,
    HEAD,
    INFO,
    INFO_KEYS,
    KIND,
    KINDS,
    MAX_POINTS,
    REQUIRED_KEYS,
    REQUIRED_SHEETS,
    SCORES,
    SELF_SCORES,
    SHEETS,
    TITLE,
    UNIT_CODE,
    UNIT_NAME,
    UNITS,
    WOMEN_SHARE,
    YEAR,
    CriterionRow,
    Problem,
    Reading,
    UnitRow,
    WorkbookData,
    normalise,
)

logger = logging.getLogger(__name__)

# An XLSX is a zip: refuse one that unpacks to far more than any bloc-year needs (zip bomb).
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
HEADER_SEARCH_ROWS = 10
# Field lengths of the models the data goes into.
CODE_LENGTH = 20
NAME_LENGTH = 200
TITLE_LENGTH = 500
_CODE_SHAPE = re.compile(r"[^\s.]+(\.[^\s.]+)*")


# ---------------------------------------------------------------------------- the reader


class _Reader:
    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
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

    def read(self) -> None:
        sheets = self._find_sheets()
        data = self.data
        if INFO in sheets:
            self._read_info(self._rows(sheets[INFO]))
        if UNITS in sheets:
            self._read_units(self._rows(sheets[UNITS]))
        self._check_leadership()
        if CRITERIA in sheets:
            self._read_criteria(self._rows(sheets[CRITERIA]))
        if SCORES in sheets:
            data.verified = self._read_scores(self._rows(sheets[SCORES]), SCORES)
        if SELF_SCORES in sheets:
            data.self_points = self._read_scores(self._rows(sheets[SELF_SCORES]), SELF_SCORES)

    def _find_sheets(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        wanted = {normalise(name): name for name in SHEETS}
        for worksheet in self.workbook.worksheets:
            name = wanted.get(normalise(worksheet.title))
            if name is None:
                continue
            if name in found:
                self.problem(
                    _("tệp có hai trang cùng tên: “%(first)s” và “%(second)s”.")
                    % {"first": found[name].title, "second": worksheet.title},
                    name,
                )
                continue
            found[name] = worksheet
            self.data.sheet_titles[name] = worksheet.title
        present = ", ".join(f"“{title}”" for title in self.workbook.sheetnames)
        for name in REQUIRED_SHEETS:
            if name not in found:
                self.problem(
                    _("tệp không có trang này (các trang có trong tệp: %(names)s).")
                    % {"names": present},
                    name,
                )
        return found

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

    # -- Thông tin: key / value rows

    def _read_info(self, rows: Sequence[Sequence[Any]]) -> None:
        data = self.data
        keys = {normalise(key): key for key in INFO_KEYS}
        found: dict[str, Row] = {}
        for row in self._data_rows(INFO, rows, 0):
            key_text = row.text(0)
            if not key_text:
                continue
            key = keys.get(normalise(key_text).rstrip(":").rstrip())
            if key is None:
                if not blank(row.cell(1)):
                    names = ", ".join(f"“{name}”" for name in INFO_KEYS)
                    row.flag(
                        0,
                        _("không phải là mục của trang này (các mục: %(keys)s).") % {"keys": names},
                    )
                continue  # a title or a note
            if key in found:
                row.flag(0, _("mục lặp lại (đã có ở dòng %(row)s).") % {"row": found[key].number})
                continue
            found[key] = row
            data.info_rows[key] = row.number
        for key in REQUIRED_KEYS:
            if key not in found:
                self.problem(_("thiếu mục “%(key)s”.") % {"key": key}, INFO)

        def text(key: str, length: int) -> str:
            row = found.get(key)
            value = row.text(1, length) if row else ""
            if row and value == "" and key in REQUIRED_KEYS:
                row.flag(1, _("thiếu giá trị của mục “%(key)s”.") % {"key": key})
            return value or ""

        data.bloc_code = text(BLOC_CODE, CODE_LENGTH)
        data.bloc_name = text(BLOC_NAME, NAME_LENGTH)
        data.head = text(HEAD, CODE_LENGTH)
        data.deputy = text(DEPUTY, CODE_LENGTH)
        data.council_code = text(COUNCIL_CODE, CODE_LENGTH)
        data.council_name = text(COUNCIL_NAME, NAME_LENGTH)
        if data.council_name and not data.council_code:
            found[COUNCIL_NAME].flag(
                1, _("có tên hội đồng nhưng thiếu mục “%(key)s”.") % {"key": COUNCIL_CODE}
            )
        if YEAR in found:
            row = found[YEAR]
            year = row.amount(1)
            if year is None and row.ok:
                row.flag(1, _("thiếu giá trị của mục “%(key)s”.") % {"key": YEAR})
            elif year is not None and (year != int(year) or not 2000 <= year <= 2100):
                row.flag(1, _("năm phải là số nguyên từ 2000 đến 2100."))
            elif year is not None:
                data.year = int(year)
        if BONUS_CAP in found:
            row = found[BONUS_CAP]
            cap = row.amount(1)
            if cap is not None and not two_places(cap):
                row.flag(1, _("phải là số không âm, tối đa hai chữ số thập phân."))
            data.bonus_cap = cap if row.ok else None

    # -- Đơn vị

    def _read_units(self, rows: Sequence[Sequence[Any]]) -> None:
        header = self._header(
            rows, UNITS, (UNIT_CODE, UNIT_NAME, WOMEN_SHARE), (UNIT_CODE, UNIT_NAME)
        )
        if header is None:
            return
        header_row, columns = header
        code_at, name_at, share_at = (
            columns[UNIT_CODE],
            columns[UNIT_NAME],
            columns.get(WOMEN_SHARE),
        )
        seen: dict[str, int] = {}
        for row in self._data_rows(UNITS, rows, header_row.index + 1):
            code = row.text(code_at, CODE_LENGTH)
            if code == "":
                row.flag(code_at, _("dòng không có mã đơn vị."))
            elif code is not None and " " in code:
                row.flag(code_at, _("mã đơn vị không có dấu cách."))
            elif code is not None and normalise(code) in seen:
                previous = seen[normalise(code)]
                row.flag(
                    code_at, _("mã đơn vị lặp lại (đã có ở dòng %(row)s).") % {"row": previous}
                )
            if code is None or not row.ok:
                continue
            seen[normalise(code)] = row.number
            name = row.text(name_at, NAME_LENGTH)
            if name == "":
                row.flag(name_at, _("thiếu tên đơn vị."))
            share = row.amount(share_at)
            if (
                share_at is not None
                and share is not None
                and not (two_places(share) and share <= 100)
            ):
                row.flag(share_at, _("tỷ lệ nữ phải từ 0 đến 100, tối đa hai chữ số thập phân."))
            # Listed even with a bad cell: its code is known to the other sheets.
            share = share if row.ok else None
            self.data.units.append(
                UnitRow(code, name or "", share, row.number, column_letter(code_at))
            )
        self.data.units_read = True
        if not seen:
            self.problem(_("trang không có đơn vị nào."), UNITS)

    def _unit_code(self, text: str) -> str | None:
        """The code of the Đơn vị sheet that ``text`` names, ignoring case."""
        folded = normalise(text)
        return next((row.code for row in self.data.units if normalise(row.code) == folded), None)

    def _check_leadership(self) -> None:
        data = self.data
        if not data.units_read:
            return
        codes = {}
        for key, text in ((HEAD, data.head), (DEPUTY, data.deputy)):
            code = self._unit_code(text) if text else None
            if text and code is None:
                self.problem(
                    _("đơn vị không có trong trang “%(sheet)s”.") % {"sheet": data.title(UNITS)},
                    INFO,
                    data.info_rows.get(key),
                    "B",
                    text,
                )
            codes[key] = code or ""
        data.head, data.deputy = codes[HEAD], codes[DEPUTY]
        if data.head and data.head == data.deputy:
            self.problem(
                _("Trưởng khối và Khối phó phải là hai đơn vị khác nhau."),
                INFO,
                data.info_rows.get(DEPUTY),
                "B",
                data.deputy,
            )

    # -- Tiêu chí

    def _read_criteria(self, rows: Sequence[Sequence[Any]]) -> None:
        columns_named = (CODE, TITLE, MAX_POINTS, KIND)
        header = self._header(rows, CRITERIA, columns_named, columns_named)
        if header is None:
            return
        header_row, columns = header
        code_at, title_at, max_at, kind_at = (columns[name] for name in columns_named)
        by_code: dict[str, CriterionRow] = {}
        clean = True  # no problem found at a cell of this sheet
        for row in self._data_rows(CRITERIA, rows, header_row.index + 1):
            code = (row.text(code_at) or "").rstrip(".")
            if not code and row.ok:
                row.flag(code_at, _("dòng không có mã tiêu chí."))
            elif code and (len(code) > CODE_LENGTH or not _CODE_SHAPE.fullmatch(code)):
                row.flag(
                    code_at,
                    _(
                        "mã không hợp lệ: viết như I, I.1, I.1.a, không có dấu cách, tối đa "
                        "%(length)s ký tự."
                    )
                    % {"length": CODE_LENGTH},
                )
            elif code in by_code:
                previous = by_code[code].row
                row.flag(
                    code_at, _("mã tiêu chí lặp lại (đã có ở dòng %(row)s).") % {"row": previous}
                )
            title = row.text(title_at, TITLE_LENGTH)
            if title == "":
                row.flag(title_at, _("thiếu nội dung tiêu chí."))
            maximum = row.amount(max_at)
            if maximum is not None and not two_places(maximum):
                row.flag(max_at, _("điểm tối đa phải là số không âm, tối đa hai chữ số thập phân."))
            kind_text = row.text(kind_at) or ""
            kind = KINDS.get(normalise(kind_text)) if kind_text else rules.STANDARD
            if kind is None:
                row.flag(kind_at, _("loại phải là “chuẩn”, “thưởng” hoặc “trừ”."))
            clean = clean and row.ok
            if code and code not in by_code:
                by_code[code] = CriterionRow(
                    code=code,
                    title=title or "",
                    max_points=maximum,
                    kind=kind or rules.STANDARD,
                    row=row.number,
                    order=(len(by_code) + 1) * 10,
                    kind_written=bool(kind_text),
                )
        criteria = list(by_code.values())
        self.data.criteria = criteria
        self.data.criteria_read = True
        if not criteria:
            self.problem(_("trang không có tiêu chí nào."), CRITERIA)
            return
        letters = {
            "code": column_letter(code_at),
            "max": column_letter(max_at),
            "kind": column_letter(kind_at),
        }
        if self._check_tree(criteria, by_code, letters) and clean:
            # The rules' own check, as a safety net: what it finds is reported for the sheet.
            nodes = [rules.TreeNode(c.code, c.parent_code, c.kind, c.max_points) for c in criteria]
            for message in rules.check_tree(nodes):
                self.problem(lower_first(message), CRITERIA)

    def _check_tree(
        self,
        criteria: list[CriterionRow],
        by_code: dict[str, CriterionRow],
        letters: dict[str, str],
    ) -> bool:
        """Parents, kinds and maxima, each problem at its cell. Returns whether all is well; then
        a parent's blank maximum becomes the sum of its children's."""
        problems = len(self.problems)
        children: dict[str, list[CriterionRow]] = {}
        for row in criteria:
            parent = row.parent_code
            if parent is not None and parent not in by_code:
                self.problem(
                    _("thiếu mục cha “%(parent)s”.") % {"parent": parent},
                    CRITERIA,
                    row.row,
                    letters["code"],
                    row.code,
                )
            elif parent is not None:
                children.setdefault(parent, []).append(row)
        for row in criteria:
            row.leaf = row.code not in children
        # Kinds follow the section: a blank kind is the parent's; a written one must agree.
        for row in sorted(criteria, key=lambda item: item.code.count(".")):
            parent_row = by_code.get(row.parent_code or "")
            if parent_row is not None and not row.kind_written:
                row.kind = parent_row.kind
            elif parent_row is not None and row.kind != parent_row.kind:
                reason = _("loại khác với mục cha “%(parent)s”.") % {"parent": parent_row.code}
                self.problem(reason, CRITERIA, row.row, letters["kind"], row.code)

        def total(row: CriterionRow) -> Decimal:
            kids = children.get(row.code, [])
            if not kids or row.max_points is not None:
                return row.max_points or Decimal(0)
            return sum((total(kid) for kid in kids), Decimal(0))

        # Maxima: a leaf needs one above 0; a parent's is blank or the sum of its children's.
        for row in criteria:
            written = rules.format_plain(row.max_points) if row.max_points is not None else ""
            if row.leaf and (row.max_points is None or row.max_points <= 0):
                reason = _("tiêu chí không có tiêu chí con cần điểm tối đa lớn hơn 0.")
                self.problem(reason, CRITERIA, row.row, letters["max"], written)
            elif not row.leaf and row.max_points is not None:
                expected = sum((total(kid) for kid in children[row.code]), Decimal(0))
                if row.max_points != expected:
                    reason = _(
                        "điểm tối đa của %(code)s khác tổng điểm tối đa các tiêu chí con (%(sum)s)."
                    ) % {"code": row.code, "sum": rules.format_plain(expected)}
                    self.problem(reason, CRITERIA, row.row, letters["max"], written)
        if len(self.problems) > problems:
            return False
        for row in criteria:
            row.max_points = total(row)
        return True

    # -- Điểm and Tự chấm

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
            if unit.code not in units.values():
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


def read_workbook(content: bytes, *, filename: str = "") -> Reading:
    """Read a bloc-year workbook. ``Reading.problems`` lists everything wrong with it, in the
    order of the sheets; the data is complete only when there are none."""
    name = f" “{filename}”" if filename else ""
    unreadable = _(
        "Không đọc được tệp%(name)s: đây không phải là tệp Excel .xlsx hoặc tệp đã hỏng (tệp "
        ".xls cũ: mở bằng Excel rồi “Lưu thành” .xlsx)."
    ) % {"name": name}
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return Reading(WorkbookData(), [Problem(unreadable)])
    if unpacked > MAX_UNPACKED_BYTES:
        too_big = _("Không đọc được tệp%(name)s: tệp quá lớn khi giải nén.") % {"name": name}
        return Reading(WorkbookData(), [Problem(too_big)])
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), data_only=False)
    except Exception:  # openpyxl raises many kinds of errors on a broken file
        logger.info("unreadable bloc-year workbook", exc_info=True)
        return Reading(WorkbookData(), [Problem(unreadable)])
    reader = _Reader(workbook)
    try:
        reader.read()
    except Exception:  # a broken part can surface while cells are read
        logger.warning("bloc-year workbook failed while reading", exc_info=True)
        return Reading(WorkbookData(), [Problem(unreadable)])
    finally:
        workbook.close()
    return Reading(reader.data, sorted(reader.problems, key=lambda problem: problem.sort_key))
