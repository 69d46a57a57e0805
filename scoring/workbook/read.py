"""Reading an uploaded score sheet into entries of one layer for the lines this person may edit.

The reading is strict and says everything at once: the file's size and kind, the worksheet, the
header row (found anywhere near the top, headers matched in Vietnamese or in their translation),
then every row, each problem located by sheet, row and column. Lines the person may not edit must
be left as they are. Nothing is written here; ``WorkbookReading.with_service_errors`` merges
what the save service later finds, in sheet order.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import File
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from common.numbers import format_number
from common.workbooks import UnreadableWorkbook, open_workbook
from scoring.layers import Layer
from scoring.models import Criterion, ScoreLine
from scoring.services.sheets import LineEntry
from scoring.workbook.cells import (
    CellProblem,
    cell_amount,
    cell_code,
    cell_text,
    fold_header,
    is_blank,
    is_formula,
)
from scoring.workbook.layout import COLUMN_BY_KEY, COLUMNS, SHEET_NAME, layer_keys

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# An XLSX is a zip: refuse one that unpacks to far more than any score sheet needs (zip bomb).
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
HEADER_SEARCH_ROWS = 30
# Rows read below the header: the sheet's criteria and this many more (blank rows, notes). A
# file with more is not a score sheet; it is refused at the first row past the limit, without
# reading on (a sheet of a hundred thousand rows is refused as fast as a small one).
EXTRA_ROWS = 500
# Problems listed before the reading stops: past these, more would not help anyone.
MAX_PROBLEMS = 100


@dataclass(frozen=True)
class WorkbookError:
    """One problem of an uploaded workbook, located as precisely as it can be."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""  # a column letter, as Excel shows it

    def __str__(self) -> str:
        place = {"sheet": self.sheet, "row": self.row, "column": self.column}
        if self.row is not None and self.column:
            where = _("Trang “%(sheet)s”, dòng %(row)s, cột %(column)s") % place
        elif self.row is not None:
            where = _("Trang “%(sheet)s”, dòng %(row)s") % place
        elif self.sheet:
            where = _("Trang “%(sheet)s”") % place
        else:
            return self.message
        return f"{where}: {self.message}"

    @property
    def sort_key(self) -> tuple[int, int, str]:
        return (self.row or 0, len(self.column), self.column)


@dataclass
class WorkbookReading:
    """What an upload gave: entries for the lines the person may edit, and every problem."""

    layer: Layer
    sheet_name: str = ""
    entries: dict[int, LineEntry] = field(default_factory=dict)
    rows: dict[int, int] = field(default_factory=dict)  # criterion id → row number
    value_column: str = ""
    errors: list[WorkbookError] = field(default_factory=list)
    seen: dict[int, int] = field(default_factory=dict)  # every criterion met → its row

    def error(self, message: str, row: int | None = None, column: str = "") -> None:
        self.errors.append(WorkbookError(message, self.sheet_name, row, column))

    def with_service_errors(
        self, by_criterion: Mapping[int, str], general: Sequence[str] = ()
    ) -> list[WorkbookError]:
        """The reading's own problems and those the save service found, in sheet order."""
        found = list(self.errors)
        for criterion_id, message in by_criterion.items():
            row = self.rows.get(criterion_id)
            found.append(
                WorkbookError(message, self.sheet_name, row, self.value_column if row else "")
            )
        found.extend(WorkbookError(message, self.sheet_name) for message in general)
        return sorted(found, key=lambda problem: problem.sort_key)


def _known_headers() -> dict[str, str]:
    known: dict[str, str] = {}
    for column in COLUMNS:
        known.setdefault(fold_header(column.header), column.key)
        known.setdefault(fold_header(_(column.header)), column.key)
    return known


def _not_editable_reason(criterion: Criterion, line: ScoreLine, layer: Layer) -> str:
    code = criterion.code
    if line.not_applicable:
        return _("Tiêu chí %(code)s không áp dụng cho đơn vị, bạn không nhập được.") % {
            "code": code
        }
    if criterion.scored_by == Criterion.ScoredBy.BLOC:
        return _("Tiêu chí %(code)s do khối chấm, bạn không nhập được.") % {"code": code}
    if criterion.scored_by == Criterion.ScoredBy.COUNCIL:
        return _("Tiêu chí %(code)s do Cơ quan thường trực Hội đồng chấm, bạn không nhập được.") % {
            "code": code
        }
    if layer is Layer.VERIFIED:
        return _("Tiêu chí %(code)s do thư ký khối thẩm định, bạn không nhập được.") % {
            "code": code
        }
    return _("Tiêu chí %(code)s: bạn không nhập được.") % {"code": code}


def read_sheet_workbook(
    upload: File[Any],
    *,
    criteria: Sequence[Criterion],
    lines: Mapping[int, ScoreLine],
    editable: Mapping[int, ScoreLine],
    layer: Layer,
) -> WorkbookReading:
    """Read an uploaded workbook into entries of ``layer`` for the ``editable`` lines.

    ``criteria`` is the whole tree of the sheet's criteria set (parents too), ``lines`` the
    sheet's lines by criterion id. Nothing is written here.
    """
    reading = WorkbookReading(layer=Layer(layer))
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        reading.error(
            _("Tệp lớn hơn %(limit)s MB; bảng điểm xuất từ hệ thống chỉ vài chục KB.")
            % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
        return reading
    not_xlsx = _(
        "Tệp không phải là tệp Excel .xlsx hoặc đã hỏng. Hãy tải bảng điểm về, nhập vào tệp đó "
        "và lưu dạng .xlsx (tệp .xls cũ: mở bằng Excel rồi “Lưu thành” .xlsx)."
    )
    # No sheet of a score sheet's file has more rows than the header's search, the criteria
    # and the spare rows: a longer one is refused before the file is loaded (the rows below
    # are then read up to the same limit, sheet by sheet, and say where it was passed).
    ceiling = HEADER_SEARCH_ROWS + len(criteria) + EXTRA_ROWS
    try:
        workbook = open_workbook(
            upload.read(), max_unpacked_bytes=MAX_UNPACKED_BYTES, max_rows=ceiling
        )
    except UnreadableWorkbook as unreadable:
        if unreadable.long_sheet:
            reading.errors.append(
                WorkbookError(
                    _(
                        "trang có hơn %(rows)s dòng có dữ liệu, nhiều hơn một bảng điểm "
                        "(%(criteria)s tiêu chí): đây không phải là bảng điểm; hãy dùng tệp "
                        "tải về từ trang bảng điểm."
                    )
                    % {"rows": format_number(ceiling, places=0), "criteria": len(criteria)},
                    sheet=unreadable.long_sheet,
                )
            )
            return reading
        reading.error(
            _("Tệp quá lớn khi giải nén; đây không phải là một bảng điểm.")
            if unreadable.too_big
            else not_xlsx
        )
        return reading
    try:
        _read_workbook(workbook, reading, criteria, lines, editable)
    except Exception:  # a broken part can surface while the rows are streamed
        logger.warning("workbook upload failed while reading rows", exc_info=True)
        reading.entries.clear()
        reading.errors = [WorkbookError(not_xlsx)]
    finally:
        workbook.close()
    reading.errors.sort(key=lambda problem: problem.sort_key)
    return reading


def _find_worksheet(workbook: Any) -> Any:
    wanted = {fold_header(SHEET_NAME), fold_header(_(SHEET_NAME))}
    for worksheet in workbook.worksheets:
        if fold_header(worksheet.title) in wanted:
            return worksheet
    return None


def _header_positions(row: Sequence[Any], known: Mapping[str, str]) -> dict[str, int] | None:
    """Column index (0-based) of each known header, if this row is the header row."""
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        if cell is None or not isinstance(cell.value, str):
            continue
        key = known.get(fold_header(cell.value))
        if key is not None and key not in found:
            found[key] = index
    return found if "code" in found and len(found) >= 2 else None


def _read_workbook(
    workbook: Any,
    reading: WorkbookReading,
    criteria: Sequence[Criterion],
    lines: Mapping[int, ScoreLine],
    editable: Mapping[int, ScoreLine],
) -> None:
    worksheet = _find_worksheet(workbook)
    if worksheet is None:
        names = ", ".join(f"“{name}”" for name in workbook.sheetnames)
        reading.error(
            _("Tệp không có trang “%(sheet)s” (các trang có trong tệp: %(names)s).")
            % {"sheet": _(SHEET_NAME), "names": names}
        )
        return
    reading.sheet_name = worksheet.title
    if hasattr(worksheet, "reset_dimensions"):
        # Dimensions written by other programs are often wrong: read every row there is.
        worksheet.reset_dimensions()
    known = _known_headers()
    value_key, target_key = layer_keys(reading.layer)
    positions: dict[str, int] | None = None
    by_code = {criterion.code: criterion for criterion in criteria}
    by_folded = {criterion.code.casefold(): criterion for criterion in criteria}
    parents = {criterion.parent_id for criterion in criteria if criterion.parent_id}
    last_row = 0  # the last row read, once the header is found
    for number, row in enumerate(worksheet.iter_rows(), start=1):
        if positions is not None and number > last_row:
            reading.error(too_long(len(criteria), EXTRA_ROWS), row=number)
            return
        if len(reading.errors) >= MAX_PROBLEMS:
            reading.error(
                _("còn các dòng sau chưa đọc: hãy sửa %(count)s lỗi trên trước.")
                % {"count": MAX_PROBLEMS},
                row=number,
            )
            return
        if positions is None:
            if number > HEADER_SEARCH_ROWS:
                break
            positions = _header_positions(row, known)
            if positions is None:
                continue
            missing = [key for key in ("code", value_key, target_key) if key not in positions]
            for key in missing:
                reading.error(
                    _("thiếu cột “%(column)s” ở dòng tiêu đề.")
                    % {"column": _(COLUMN_BY_KEY[key].header)},
                    row=number,
                )
            if missing:
                return
            reading.value_column = get_column_letter(positions[value_key] + 1)
            last_row = number + len(criteria) + EXTRA_ROWS
            continue
        _read_row(reading, number, row, positions, by_code, by_folded, parents, lines, editable)
    if positions is None:
        reading.error(
            _(
                "không thấy dòng tiêu đề (có cột “%(code)s” và các cột “%(value)s”, "
                "“%(target)s”) trong %(rows)s dòng đầu."
            )
            % {
                "code": _(COLUMN_BY_KEY["code"].header),
                "value": _(COLUMN_BY_KEY[value_key].header),
                "target": _(COLUMN_BY_KEY[target_key].header),
                "rows": HEADER_SEARCH_ROWS,
            }
        )


def too_long(criteria: int, extra: int) -> str:
    return _(
        "trang có nhiều dòng hơn một bảng điểm (%(criteria)s tiêu chí và %(extra)s dòng dự phòng "
        "sau dòng tiêu đề): đây không phải là bảng điểm; hãy dùng tệp tải về từ trang bảng điểm."
    ) % {"criteria": criteria, "extra": extra}


def _read_row(
    reading: WorkbookReading,
    number: int,
    row: Sequence[Any],
    positions: Mapping[str, int],
    by_code: Mapping[str, Criterion],
    by_folded: Mapping[str, Criterion],
    parents: Collection[int | None],
    lines: Mapping[int, ScoreLine],
    editable: Mapping[int, ScoreLine],
) -> None:
    value_key, target_key = layer_keys(reading.layer)

    def cell(key: str) -> Any:
        index = positions.get(key)
        return row[index] if index is not None and index < len(row) else None

    def letter(key: str) -> str:
        return get_column_letter(positions[key] + 1)

    inputs = [key for key in (value_key, target_key, "text") if key in positions]
    code = cell_code(cell("code"))
    if not code:
        filled = [key for key in (value_key, target_key) if not is_blank(cell(key))]
        if filled or is_formula(cell("code")):
            reading.error(
                _("dòng có số nhưng không có mã tiêu chí ở cột “%(column)s”.")
                % {"column": _(COLUMN_BY_KEY["code"].header)},
                number,
                letter("code"),
            )
        return
    criterion = by_code.get(code) or by_folded.get(code.casefold())
    if criterion is None:
        reading.error(
            _("không có tiêu chí mã “%(code)s” trong bảng tiêu chí của bảng điểm này.")
            % {"code": code},
            number,
            letter("code"),
        )
        return
    if criterion.pk in reading.seen:
        reading.error(
            _("mã “%(code)s” lặp lại (đã có ở dòng %(row)s).")
            % {"code": criterion.code, "row": reading.seen[criterion.pk]},
            number,
            letter("code"),
        )
        return
    reading.seen[criterion.pk] = number
    if criterion.pk in parents:
        for key in inputs:
            if not is_blank(cell(key)):
                reading.error(
                    _(
                        "“%(code)s” là mục lớn, điểm của mục là tổng các tiêu chí con; "
                        "không nhập vào dòng này."
                    )
                    % {"code": criterion.code},
                    number,
                    letter(key),
                )
                break
        return
    line = lines.get(criterion.pk)
    if line is None:
        reading.error(
            _("tiêu chí “%(code)s” không có trong bảng điểm.") % {"code": criterion.code},
            number,
            letter("code"),
        )
        return
    parsed: dict[str, Any] = {}
    problems = False
    for key in inputs:
        try:
            parsed[key] = (
                cell_text(cell(key)) if key == "text" else cell_amount(cell(key), criterion.method)
            )
        except CellProblem as problem:
            reading.error(str(problem), number, letter(key))
            problems = True
    if problems:
        return
    value, target = parsed[value_key], parsed[target_key]
    text: str | None = parsed.get("text")
    if criterion.pk in editable:
        reading.entries[criterion.pk] = LineEntry(value, target, text)
        reading.rows[criterion.pk] = number
        return
    stored_value, stored_target, stored_text = reading.layer.entry_of(line)
    changed = [
        key
        for key, new, old in (
            (value_key, value, stored_value),
            (target_key, target, stored_target),
            ("text", text, stored_text.strip()),
        )
        if key in parsed and new != old
    ]
    if changed:
        reading.error(
            _not_editable_reason(criterion, line, reading.layer), number, letter(changed[0])
        )
