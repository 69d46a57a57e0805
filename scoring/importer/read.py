"""Reading a bloc-year workbook (docs/import-format.md) into plain data. No database here.

The reader is strict and says everything at once: each problem names the sheet, the cell, the
value found there and the reason, and the caller writes nothing while any problem remains.
Names of sheets, keys and column headers match whatever their case, marks and spacing. This
module opens the file (refusing what is not an .xlsx or unpacks to too much), finds the sheets
and reads them in order with the sheet readers of ``read_bloc``, ``read_criteria`` and
``read_scores``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from common.numbers import format_number
from common.workbooks import UnreadableWorkbook, open_workbook
from scoring.importer.contract import (
    CRITERIA,
    INFO,
    REQUIRED_SHEETS,
    SCORES,
    SELF_SCORES,
    SHEETS,
    UNITS,
    Problem,
    Reading,
    WorkbookData,
    normalise,
)
from scoring.importer.read_bloc import BlocSheetsReader
from scoring.importer.read_criteria import CriteriaSheetReader
from scoring.importer.read_mixed import check_scored_bands
from scoring.importer.read_scores import ScoresSheetReader

logger = logging.getLogger(__name__)

# An XLSX is a zip: refuse one that unpacks to far more than any bloc-year needs (zip bomb).
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
# Rows of one sheet: a bloc-year has tens of units and a few hundred criteria, so a sheet of
# more rows is not one; it is refused before the workbook is loaded whole (a sheet of a hundred
# thousand rows is refused in a fraction of a second instead of seconds of loading).
MAX_SHEET_ROWS = 5000


class _Reader(BlocSheetsReader, CriteriaSheetReader, ScoresSheetReader):
    """Reads the whole workbook: the sheets it finds, in the order the later ones depend on."""

    def read(self) -> None:
        sheets = self._find_sheets()
        data = self.data
        if INFO in sheets:
            self._read_info(self._rows(sheets[INFO]))
        if UNITS in sheets:
            self._read_units(self._rows(sheets[UNITS]))
        self._check_leadership()
        self._check_bands()
        if CRITERIA in sheets:
            self._read_criteria(self._rows(sheets[CRITERIA]))
        if SCORES in sheets:
            data.verified = self._read_scores(self._rows(sheets[SCORES]), SCORES)
        if SELF_SCORES in sheets:
            data.self_points = self._read_scores(self._rows(sheets[SELF_SCORES]), SELF_SCORES)
        if not data.bands_only and data.units_read:
            check_scored_bands(self, data)

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
        # Without both criteria and points, the year was published with bands only.
        self.data.bands_only = CRITERIA not in found and SCORES not in found
        for name in REQUIRED_SHEETS:
            if self.data.bands_only and name in (CRITERIA, SCORES):
                continue
            if name not in found:
                self.problem(
                    _("tệp không có trang này (các trang có trong tệp: %(names)s).")
                    % {"names": present},
                    name,
                )
        return found


def read_workbook(content: bytes, *, filename: str = "", this_year: int | None = None) -> Reading:
    """Read a bloc-year workbook. ``Reading.problems`` lists everything wrong with it, in the
    order of the sheets; the data is complete only when there are none. Years before
    ``this_year`` (default: today's) are past: their head and deputy may be left out."""
    name = f" “{filename}”" if filename else ""
    unreadable = _(
        "Không đọc được tệp%(name)s: đây không phải là tệp Excel .xlsx hoặc tệp đã hỏng (tệp "
        ".xls cũ: mở bằng Excel rồi “Lưu thành” .xlsx)."
    ) % {"name": name}
    try:
        workbook = open_workbook(
            content,
            read_only=False,
            max_unpacked_bytes=MAX_UNPACKED_BYTES,
            max_rows=MAX_SHEET_ROWS,
        )
    except UnreadableWorkbook as failed:
        if failed.long_sheet:
            too_long = _(
                "trang có hơn %(rows)s dòng có dữ liệu: một năm của khối không có nhiều dòng "
                "như vậy; hãy dùng tệp theo mẫu nhập dữ liệu."
            ) % {"rows": format_number(MAX_SHEET_ROWS, places=0)}
            return Reading(WorkbookData(), [Problem(too_long, failed.long_sheet)])
        if failed.too_big:
            too_big = _("Không đọc được tệp%(name)s: tệp quá lớn khi giải nén.") % {"name": name}
            return Reading(WorkbookData(), [Problem(too_big)])
        return Reading(WorkbookData(), [Problem(unreadable)])
    reader = _Reader(workbook, this_year=this_year or timezone.localdate().year)
    try:
        reader.read()
    except Exception:  # a broken part can surface while cells are read
        logger.warning("bloc-year workbook failed while reading", exc_info=True)
        return Reading(WorkbookData(), [Problem(unreadable)])
    finally:
        workbook.close()
    return Reading(reader.data, sorted(reader.problems, key=lambda problem: problem.sort_key))
