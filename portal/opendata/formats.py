"""The formats of an open-data table: XLSX with typed cells (the easiest for people), CSV for
Excel set to Vietnamese (';' separator, decimal comma, Vietnamese headers, byte-order mark), CSV
for programs (',' separator, decimal point, English names, no byte-order mark) and JSON (amounts
as text with a dot). Why two CSV files: docs/open-data.md, "Which file for Excel"."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable
from decimal import Decimal

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from common.exporters import CSV, JSON, XLSX, Export, csv_safe
from common.numbers import decimal_text, format_vietnamese
from common.text import printable
from portal.opendata.datasets import DATE, DECIMAL, Table
from portal.opendata.glossary import headers


def _csv_cell(value: object) -> object:
    """A cell of the CSV for programs: a decimal point, ``true``/``false``, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return csv_safe(value)


def to_csv(table: Table) -> Export:
    """For programs (RFC 4180): UTF-8 without a byte-order mark, comma separator, a decimal
    point, the English column names."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    names = table.dataset.column_names
    writer.writerow(names)
    for row in table.rows:
        writer.writerow([_csv_cell(row[name]) for name in names])
    return Export(f"{table.stem}.csv", CSV, buffer.getvalue().encode("utf-8"))


class ExcelVietnam(csv.excel):
    """What Excel reads by double-click on a computer set to Vietnamese: the Windows list
    separator of vi-VN is ';' and its decimal symbol ','. Only texts holding ';', '"' or a line
    end are quoted, so a decimal comma stays a bare number."""

    delimiter = ";"
    lineterminator = "\r\n"


def _excel_cell(value: object) -> object:
    """A cell of the CSV for Excel (Việt Nam): ``97,65`` unquoted and without grouping (a
    '.' would be read as the thousands separator), ``có``/``không``, ISO dates (Excel reads
    ``yyyy-mm-dd`` as a date in every language)."""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, Decimal):
        return format_vietnamese(value, grouping=False)
    return _csv_cell(value)


def to_excel_csv(table: Table) -> Export:
    """For Excel set to Vietnamese: UTF-8 with a byte-order mark (Excel reads the file as
    UTF-8 only with it), ';' separator, a decimal comma, the Vietnamese column headers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, dialect=ExcelVietnam)
    writer.writerow(headers(table.dataset))
    names = table.dataset.column_names
    for row in table.rows:
        writer.writerow([_excel_cell(row[name]) for name in names])
    content = buffer.getvalue().encode("utf-8-sig")
    return Export(f"{table.stem}-excel-vn.csv", CSV, content)


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def to_json(table: Table) -> Export:
    names = table.dataset.column_names
    document = {
        "dataset": table.dataset.name,
        "columns": [{"name": column.name, "type": column.type} for column in table.dataset.columns],
        "rows": [{name: _json_value(row[name]) for name in names} for row in table.rows],
    }
    content = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    return Export(f"{table.stem}.json", JSON, content)


_XLSX_FORMATS = {DECIMAL: "0.00", DATE: "DD/MM/YYYY"}


def to_xlsx(table: Table) -> Export:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = printable(table.dataset.name)[:31]
    columns = table.dataset.columns
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.name)
        cell.font = Font(bold=True)
        width = max([len(column.name), *(len(str(row[column.name] or "")) for row in table.rows)])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 6) + 2, 60)
    for number, row in enumerate(table.rows, start=2):
        for index, column in enumerate(columns, start=1):
            value = row[column.name]
            cell = sheet.cell(row=number, column=index)
            cell.value = printable(value) if isinstance(value, str) else value
            if isinstance(value, str):
                # A name like "=HYPERLINK(…)" stays text, never a formula.
                cell.data_type = "s"
            elif value is not None and column.type in _XLSX_FORMATS:
                cell.number_format = _XLSX_FORMATS[column.type]
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Export(f"{table.stem}.xlsx", XLSX, buffer.getvalue())


# The format is the end of the file's URL: ``ranking.csv``, ``ranking.excel.csv``, …
EXCEL_CSV = "excel.csv"
RENDERERS: dict[str, Callable[[Table], Export]] = {
    "csv": to_csv,
    EXCEL_CSV: to_excel_csv,
    "xlsx": to_xlsx,
    "json": to_json,
}
FORMATS = tuple(RENDERERS)
