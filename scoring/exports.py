"""A bloc-year's ranking as files: CSV, XLSX and JSON, over one snapshot's data dict.

Every exporter reads the same dict: ``RankingSnapshot.data`` once the results are finalized,
or, before that, ``snapshot_data(data, data.rank())`` of the live ranking, so a download
always has the shape of a snapshot; its rows are read typed (``scoring.rows.RankingRow``).
Each returns an ``Export`` (``common.exporters``).

* **CSV** is for people who open it in Excel: UTF-8 with a byte-order mark (without it Excel
  reads Vietnamese letters as mojibake), comma-separated as RFC 4180 says, and amounts written
  the Vietnamese way with a decimal comma and two places (``95,50``), without thousands
  separators, so that Excel set to Vietnamese reads them as numbers; the writer quotes those
  cells. Every cell goes through ``csv_safe`` (no formula injection from a unit's name).
* **XLSX** is the familiar layout of the paper summary: criteria rows × unit columns in rank
  order, then the totals, ranks, bands and explanations; a second sheet holds the ranking table.
* **JSON** is the machine contract, the rows the ``export_ranking`` command prints: amounts are
  strings with a dot and two decimals (``"95.50"``); a unit of a live ranking whose lines are
  not all scored yet has no total (``null`` in JSON, an empty cell in CSV and XLSX).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import openpyxl
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from common.exporters import CSV, JSON, XLSX, Export, ascii_fold, csv_safe
from common.numbers import decimal_text, format_vietnamese
from common.text import printable
from scoring.rows import RankingRow, rows_from_json
from scoring.rules import quantize

SUMMARY_SHEET = gettext_noop("Bảng tổng hợp")
RANKING_SHEET = gettext_noop("Xếp hạng")
POINTS_FORMAT = "#,##0.00"
TITLE_ROW = 1
SUBTITLE_ROW = 2
HEADER_ROW = 4


@dataclass(frozen=True)
class RankingSource:
    """What every ranking exporter reads: the bloc-year's names and one snapshot's data."""

    bloc_code: str
    bloc_name: str
    year: int
    finalized: bool
    snapshot: int | None  # the snapshot's number; None for the live ranking
    data: Mapping[str, Any]

    @property
    def rows(self) -> list[RankingRow]:
        return rows_from_json(self.data.get("rows"))

    @property
    def sections(self) -> list[Mapping[str, Any]]:
        return list(self.data.get("sections", []))


def ranking_filename(source: RankingSource, extension: str) -> str:
    """``xep-hang-TM3-2019.csv``: ASCII, the bloc's code as the office writes it."""
    code = re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_fold(source.bloc_code)).strip("-") or "khoi"
    return f"xep-hang-{code}-{source.year}.{extension}"


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    return quantize(Decimal(str(value)))


def _comma(value: Decimal | None) -> str:
    """``"95,50"``: how a Vietnamese Excel reads an amount."""
    return format_vietnamese(value, grouping=False)


def _headers(source: RankingSource) -> list[str]:
    return [
        _("Hạng"),
        _("Mã đơn vị"),
        _("Đơn vị"),
        _("Tổng điểm"),
        _("Xếp loại"),
        _("Giải thích thứ hạng"),
        *[f"{section['code']}. {section['title']}" for section in source.sections],
    ]


# ---------------------------------------------------------------------------- JSON


def ranking_json_rows(rows: Iterable[RankingRow]) -> list[dict[str, object]]:
    """The rows of the JSON contract (also what ``export_ranking`` prints)."""
    return [
        {
            "rank": row.rank,
            "unit": row.code,
            "name": row.name,
            "total": decimal_text(row.total),
            "band": row.band,
            "tie_break": row.tie_break,
            # Ranked by vote alone: the votes "đồng ý" and the voters (no points).
            **({"votes_for": row.votes_for, "voters": row.voters} if row.by_votes else {}),
        }
        for row in rows
    ]


def ranking_json(source: RankingSource) -> Export:
    document = {
        "bloc": source.bloc_code,
        "year": source.year,
        "finalized": source.finalized,
        "snapshot": source.snapshot,
        "rows": ranking_json_rows(source.rows),
    }
    content = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    return Export(ranking_filename(source, "json"), JSON, content)


# ---------------------------------------------------------------------------- CSV


def ranking_csv(source: RankingSource) -> Export:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_safe(header) for header in _headers(source)])
    codes = [section["code"] for section in source.sections]
    for row in source.rows:
        cells: list[object] = [
            row.rank,
            row.code,
            row.name,
            _comma(row.total),
            row.band,
            row.tie_break or "",
            *[_comma(row.sections.get(code)) for code in codes],
        ]
        writer.writerow([csv_safe(cell) for cell in cells])
    # The byte-order mark tells Excel the file is UTF-8.
    return Export(ranking_filename(source, "csv"), CSV, buffer.getvalue().encode("utf-8-sig"))


# ---------------------------------------------------------------------------- XLSX

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_MUTED = Font(italic=True, color="555555")
_HEADER_FILL = PatternFill("solid", fgColor="DCE3EC")
_SECTION_FILL = PatternFill("solid", fgColor="EEF2F7")
_TOTAL_FILL = PatternFill("solid", fgColor="FFF6D5")
_THIN = Side(style="thin", color="9AA5B1")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _text(cell: Cell, text: str) -> Cell:
    """Names and titles are always string cells: ``=HYPERLINK(…)`` stays text, never a formula;
    a control character stored before common.text's policy is left out."""
    cell.value = printable(text)
    cell.data_type = "s"
    return cell


def _amount(cell: Cell, value: object) -> Cell:
    amount = _decimal(value)
    cell.value = amount
    cell.number_format = POINTS_FORMAT
    return cell


def _subtitle(source: RankingSource) -> str:
    if source.snapshot is not None:
        return _("%(bloc)s – kết quả đã chốt, lần %(number)s") % {
            "bloc": source.bloc_name,
            "number": source.snapshot,
        }
    return _("%(bloc)s – xếp hạng tạm tính, chưa chốt") % {"bloc": source.bloc_name}


def _parent_points(
    criteria: Sequence[Mapping[str, Any]], points: Mapping[str, Any]
) -> dict[str, Decimal | None]:
    """A parent shows the sum of its leaves' points when every leaf below has points."""
    leaves = [criterion for criterion in criteria if criterion.get("leaf")]
    sums: dict[str, Decimal | None] = {}
    for criterion in criteria:
        if criterion.get("leaf"):
            continue
        prefix = criterion["code"] + "."
        values = [
            _decimal(points.get(str(leaf["id"])))
            for leaf in leaves
            if leaf["code"].startswith(prefix)
        ]
        sums[criterion["code"]] = (
            None
            if not values or any(value is None for value in values)
            else sum((value for value in values if value is not None), Decimal(0))
        )
    return sums


def _summary_sheet(sheet: Worksheet, source: RankingSource) -> None:
    rows = source.rows
    criteria = list(source.data.get("criteria", []))
    points = source.data.get("points", {})
    first_unit = 4
    last_column = first_unit + max(len(rows), 1) - 1
    _text(
        sheet.cell(row=TITLE_ROW, column=1),
        _("Bảng tổng hợp kết quả chấm điểm thi đua năm %(year)s") % {"year": source.year},
    ).font = _TITLE
    _text(sheet.cell(row=SUBTITLE_ROW, column=1), _subtitle(source)).font = _MUTED
    sheet.merge_cells(
        start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=last_column
    )
    sheet.merge_cells(
        start_row=SUBTITLE_ROW, start_column=1, end_row=SUBTITLE_ROW, end_column=last_column
    )
    headers = [_("Mã"), _("Nội dung tiêu chí"), _("Điểm tối đa"), *[row.name for row in rows]]
    for column, header in enumerate(headers, start=1):
        cell = _text(sheet.cell(row=HEADER_ROW, column=column), header)
        cell.font, cell.fill, cell.border, cell.alignment = (
            _BOLD,
            _HEADER_FILL,
            _BORDER,
            _HEADER_ALIGN,
        )
    sums = {
        str(row.unit_id): _parent_points(criteria, points.get(str(row.unit_id), {})) for row in rows
    }
    number = HEADER_ROW
    for criterion in criteria:
        number += 1
        leaf = bool(criterion.get("leaf"))
        cells = [
            _text(sheet.cell(row=number, column=1), criterion["code"]),
            _text(sheet.cell(row=number, column=2), criterion["title"]),
            _amount(sheet.cell(row=number, column=3), criterion.get("max")),
        ]
        for offset, row in enumerate(rows):
            unit_key = str(row.unit_id)
            value = (
                points.get(unit_key, {}).get(str(criterion["id"]))
                if leaf
                else sums[unit_key].get(criterion["code"])
            )
            cells.append(_amount(sheet.cell(row=number, column=first_unit + offset), value))
        for cell in cells:
            cell.border = _BORDER
            if not leaf:
                cell.font, cell.fill = _BOLD, _SECTION_FILL
        cells[1].alignment = _WRAP
    footer: list[tuple[str, Callable[[Cell, RankingRow], None]]] = [
        (_("Tổng điểm"), _total_cell),
        (_("Xếp hạng"), _rank_cell),
        (_("Xếp loại"), _band_cell),
        (_("Giải thích"), _explanation_cell),
    ]
    for label, fill in footer:
        number += 1
        label_cell = _text(sheet.cell(row=number, column=2), label)
        label_cell.font = _BOLD
        for column in (1, 2, 3):
            sheet.cell(row=number, column=column).border = _BORDER
            sheet.cell(row=number, column=column).fill = _TOTAL_FILL
        for offset, row in enumerate(rows):
            cell = sheet.cell(row=number, column=first_unit + offset)
            fill(cell, row)
            cell.border = _BORDER
            cell.fill = _TOTAL_FILL
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=first_unit)
    sheet.column_dimensions["A"].width = 9
    sheet.column_dimensions["B"].width = 50
    sheet.column_dimensions["C"].width = 11
    for offset in range(len(rows)):
        sheet.column_dimensions[get_column_letter(first_unit + offset)].width = 18
    sheet.row_dimensions[HEADER_ROW].height = 45
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _total_cell(cell: Cell, row: RankingRow) -> None:
    _amount(cell, row.total).font = _BOLD


def _rank_cell(cell: Cell, row: RankingRow) -> None:
    cell.value = row.rank
    cell.font = _BOLD
    cell.alignment = Alignment(horizontal="center")


def _band_cell(cell: Cell, row: RankingRow) -> None:
    _wrapped(cell, row.band)


def _explanation_cell(cell: Cell, row: RankingRow) -> None:
    _wrapped(cell, row.tie_break or "")


def _wrapped(cell: Cell, text: str) -> None:
    _text(cell, text).alignment = _WRAP


def _ranking_sheet(sheet: Worksheet, source: RankingSource) -> None:
    headers = _headers(source)
    for column, header in enumerate(headers, start=1):
        cell = _text(sheet.cell(row=1, column=column), header)
        cell.font, cell.fill, cell.border, cell.alignment = (
            _BOLD,
            _HEADER_FILL,
            _BORDER,
            _HEADER_ALIGN,
        )
    codes = [section["code"] for section in source.sections]
    for number, row in enumerate(source.rows, start=2):
        sheet.cell(row=number, column=1, value=row.rank)
        _text(sheet.cell(row=number, column=2), row.code)
        _text(sheet.cell(row=number, column=3), row.name)
        _amount(sheet.cell(row=number, column=4), row.total).font = _BOLD
        _text(sheet.cell(row=number, column=5), row.band)
        _wrapped(sheet.cell(row=number, column=6), row.tie_break or "")
        for offset, code in enumerate(codes):
            _amount(sheet.cell(row=number, column=7 + offset), row.sections.get(code))
        for column in range(1, len(headers) + 1):
            sheet.cell(row=number, column=column).border = _BORDER
    sheet.freeze_panes = "D2"
    for column, width in enumerate([7, 12, 36, 11, 28, 60], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for offset in range(len(codes)):
        sheet.column_dimensions[get_column_letter(7 + offset)].width = 16


def ranking_xlsx(source: RankingSource) -> Export:
    book = openpyxl.Workbook()
    summary = book.active
    assert summary is not None
    summary.title = _(SUMMARY_SHEET)
    _summary_sheet(summary, source)
    _ranking_sheet(book.create_sheet(_(RANKING_SHEET)), source)
    book.properties.title = printable(_subtitle(source))
    book.properties.creator = "Thi đua"
    buffer = io.BytesIO()
    book.save(buffer)
    return Export(ranking_filename(source, "xlsx"), XLSX, buffer.getvalue())


EXPORTERS: dict[str, Callable[[RankingSource], Export]] = {
    "csv": ranking_csv,
    "xlsx": ranking_xlsx,
    "json": ranking_json,
}
