"""A score sheet as an Excel workbook: written for download, read back on upload.

Offices keep their figures in Excel; the workbook lets a unit (or the secretariat verifying) fill
the sheet there and upload it. Writing mirrors the grid: one row per criterion, parents in bold,
values as numeric cells. Reading is strict and says everything at once: each problem names the
sheet, the row, the column and the reason, and the view writes nothing while any remains. The
database is only touched by the caller, through ``scoring.services.sheets.sheet_save``.
"""

from __future__ import annotations

import datetime
import io
import logging
import re
import zipfile
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import openpyxl
from django.core.files.base import File
from django.utils import formats
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from scoring import rules
from scoring.models import Criterion, ScoreLine, ScoreSheet
from scoring.selectors import SheetView
from scoring.services.sheets import SELF, VERIFIED, LineEntry
from thidua.lib.exporters import XLSX, Export, ascii_fold

logger = logging.getLogger(__name__)

SHEET_NAME = gettext_noop("Bảng điểm")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# An XLSX is a zip: refuse one that unpacks to far more than any score sheet needs (zip bomb).
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
HEADER_SEARCH_ROWS = 30
MAX_TEXT_LENGTH = 4000
POINTS_FORMAT = "#,##0.00"
COUNT_FORMAT = "0"


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Vietnamese source; written and matched in its translation too
    width: float


COLUMNS: tuple[Column, ...] = (
    Column("code", gettext_noop("Mã"), 10),
    Column("title", gettext_noop("Nội dung tiêu chí"), 60),
    Column("max", gettext_noop("Điểm tối đa"), 12),
    Column("method", gettext_noop("Cách tính"), 36),
    Column("self_value", gettext_noop("Tự chấm (số nhập)"), 14),
    Column("self_target", gettext_noop("Tự chấm (chỉ tiêu)"), 14),
    Column("verified_value", gettext_noop("Thẩm định (số nhập)"), 14),
    Column("verified_target", gettext_noop("Thẩm định (chỉ tiêu)"), 14),
    Column("text", gettext_noop("Lý do / ghi chú"), 44),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
HEADER_ROW = 12  # where the download puts the table; an upload may have it anywhere near the top


def layer_keys(layer: str) -> tuple[str, str]:
    """The value and target columns of a layer ("self" or "verified")."""
    return f"{layer}_value", f"{layer}_target"


def layer_label(layer: str) -> str:
    """What an upload fills, in words."""
    if layer == SELF:
        return _("cột “Tự chấm” (số nhập, chỉ tiêu) và ghi chú của đơn vị")
    return _("cột “Thẩm định” (số nhập, chỉ tiêu) và lý do thẩm định")


# ---------------------------------------------------------------------------- writing


def sheet_filename(sheet: ScoreSheet) -> str:
    return f"bang-diem-{slugify(sheet.unit.code) or sheet.unit_id}-{sheet.bloc_year.year}.xlsx"


def sheet_export(
    view: SheetView,
    *,
    unit_name: str,
    layer: str | None,
    editable: Collection[int],
    now: datetime.datetime,
) -> Export:
    """The sheet as an ``Export`` (see ``thidua.lib.exporters``)."""
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
    becomes a formula that Excel would run."""
    cell.value = text
    cell.data_type = "s"


def _method_text(criterion: Criterion, step: Decimal, line: ScoreLine | None) -> str:
    if line is not None and line.not_applicable:
        return _("Không áp dụng: %(reason)s") % {"reason": line.not_applicable_reason}
    maximum = rules.format_plain(criterion.max_points)
    method = criterion.method
    if method == rules.DIRECT:
        text = _("Nhập điểm, tối đa %(max)s, bước %(step)s") % {
            "max": maximum,
            "step": rules.format_plain(step),
        }
    elif method == rules.TARGET:
        text = _("Theo tỷ lệ hoàn thành: nhập kết quả và chỉ tiêu")
    elif method == rules.RELATIVE_BEST:
        text = _("So với đơn vị cao nhất khối: nhập kết quả")
    elif method == rules.PASS_FAIL:
        text = _("Đạt / không đạt: nhập 1 (đạt) hoặc 0")
    else:
        text = _("Nhập số lần; %(each)s điểm mỗi lần, tối đa %(max)s") % {
            "each": rules.format_plain(criterion.points_per_occurrence or Decimal(0)),
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
    layer: str | None,
    editable: Collection[int],
    now: datetime.datetime,
) -> bytes:
    """An XLSX of the sheet: a short header block, then the table the upload reads back.

    The column "Lý do / ghi chú" holds what the person downloading it would fill: the verified
    reasons for someone verifying, the unit's notes for everyone else.
    """
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = _(SHEET_NAME)
    workbook.properties.creator = "Thi đua"
    workbook.properties.title = _("Bảng điểm %(unit)s năm %(year)s") % {
        "unit": unit_name,
        "year": view.sheet.bloc_year.year,
    }
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


def _how_to_fill(layer: str | None) -> str:
    if layer == VERIFIED:
        return _(
            "Nhập vào hai cột “Thẩm định”, lý do vào cột “Lý do / ghi chú”, rồi tải tệp lên ở "
            "trang bảng điểm (Nhập từ Excel). Không dùng công thức; các cột khác chỉ để xem."
        )
    if layer == SELF:
        return _(
            "Nhập vào hai cột “Tự chấm”, ghi chú vào cột “Lý do / ghi chú”, rồi tải tệp lên ở "
            "trang bảng điểm (Nhập từ Excel). Không dùng công thức; các cột khác chỉ để xem."
        )
    return _("Bản để xem. Cột “Lý do / ghi chú” là ghi chú của đơn vị.")


def _write_header_block(
    worksheet: Any, view: SheetView, *, unit_name: str, layer: str | None, now: datetime.datetime
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
    worksheet: Any, view: SheetView, *, layer: str | None, editable: Collection[int]
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
                text=line.verified_reason if layer == VERIFIED else line.note,
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


# ---------------------------------------------------------------------------- reading


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

    layer: str
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


def fold_header(text: str) -> str:
    """``Tự chấm (số nhập)`` → ``tuchamsonhap``: headers match whatever the case, the marks,
    the spaces and the punctuation."""
    return re.sub(r"[^a-z0-9]", "", ascii_fold(text).lower())


def _known_headers() -> dict[str, str]:
    known: dict[str, str] = {}
    for column in COLUMNS:
        known.setdefault(fold_header(column.header), column.key)
        known.setdefault(fold_header(_(column.header)), column.key)
    return known


def _blank(cell: Any) -> bool:
    if cell is None or cell.value is None:
        return True
    return isinstance(cell.value, str) and not cell.value.strip()


def _is_formula(cell: Any) -> bool:
    return cell is not None and getattr(cell, "data_type", None) == "f"


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        value = value.date()  # Excel keeps dates as midnight
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return formats.localize(value)
    return str(value)


class _CellProblem(Exception):
    pass


def _amount(cell: Any, method: str) -> Decimal | None:
    """The number in a cell: a numeric cell, or text such as ``7,5``; blank is None."""
    if _blank(cell):
        return None
    if _is_formula(cell):
        raise _CellProblem(_("ô chứa công thức; hãy nhập số (hoặc dán bằng “Dán giá trị”)."))
    value = cell.value
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise _CellProblem(_("“%(value)s” không phải là một số.") % {"value": _shown(value)})
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
            raise _CellProblem(str(error)) from None
    # Floats come from the XML text of the cell: their shortest repr is what was typed.
    amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if abs(amount) >= Decimal("1e9"):
        raise _CellProblem(_("Số quá lớn."))
    return amount


def _text(cell: Any) -> str:
    if _blank(cell):
        return ""
    if _is_formula(cell):
        raise _CellProblem(_("ô chứa công thức; hãy nhập chữ."))
    value = cell.value
    text = value if isinstance(value, str) else _shown(value)
    if len(text) > MAX_TEXT_LENGTH:
        raise _CellProblem(_("ghi chú dài quá %(max)s ký tự.") % {"max": MAX_TEXT_LENGTH})
    return text.strip()


def _code(cell: Any) -> str:
    if _blank(cell) or _is_formula(cell):
        return ""
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _not_editable_reason(criterion: Criterion, line: ScoreLine, layer: str) -> str:
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
    if layer == VERIFIED:
        return _("Tiêu chí %(code)s do thư ký khối thẩm định, bạn không nhập được.") % {
            "code": code
        }
    return _("Tiêu chí %(code)s: bạn không nhập được.") % {"code": code}


def _stored(line: ScoreLine, layer: str) -> tuple[Decimal | None, Decimal | None, str]:
    if layer == SELF:
        return line.self_value, line.self_target, line.note
    return line.verified_value, line.verified_target, line.verified_reason


def read_sheet_workbook(
    upload: File[Any],
    *,
    criteria: Sequence[Criterion],
    lines: Mapping[int, ScoreLine],
    editable: Mapping[int, ScoreLine],
    layer: str,
) -> WorkbookReading:
    """Read an uploaded workbook into entries of ``layer`` for the ``editable`` lines.

    ``criteria`` is the whole tree of the sheet's criteria set (parents too), ``lines`` the
    sheet's lines by criterion id. Nothing is written here.
    """
    reading = WorkbookReading(layer=layer)
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        reading.error(
            _("Tệp lớn hơn %(limit)s MB; bảng điểm xuất từ hệ thống chỉ vài chục KB.")
            % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
        return reading
    content = upload.read()
    not_xlsx = _(
        "Tệp không phải là tệp Excel .xlsx hoặc đã hỏng. Hãy tải bảng điểm về, nhập vào tệp đó "
        "và lưu dạng .xlsx (tệp .xls cũ: mở bằng Excel rồi “Lưu thành” .xlsx)."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        reading.error(not_xlsx)
        return reading
    if unpacked > MAX_UNPACKED_BYTES:
        reading.error(_("Tệp quá lớn khi giải nén; đây không phải là một bảng điểm."))
        return reading
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of errors on a broken file
        logger.info("unreadable workbook upload", exc_info=True)
        reading.error(not_xlsx)
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
    for number, row in enumerate(worksheet.iter_rows(), start=1):
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
    code = _code(cell("code"))
    if not code:
        filled = [key for key in (value_key, target_key) if not _blank(cell(key))]
        if filled or _is_formula(cell("code")):
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
            if not _blank(cell(key)):
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
                _text(cell(key)) if key == "text" else _amount(cell(key), criterion.method)
            )
        except _CellProblem as problem:
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
    stored_value, stored_target, stored_text = _stored(line, reading.layer)
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
