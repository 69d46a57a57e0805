"""Opening an uploaded Excel workbook safely, and matching its column headers.

Every reader of uploaded workbooks (a score sheet, a past bloc-year, a list of accounts) opens
the file here: the bytes must be a zip (an ``.xlsx`` is one) that unpacks to no more than a
limit (a *zip bomb* is refused before openpyxl inflates it), and openpyxl must read it. The
file is read from memory and never stored.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from typing import Any

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse

from common.exporters import ascii_fold

logger = logging.getLogger(__name__)

# An XLSX is a zip: refuse one that unpacks to far more than any upload of this site needs.
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class UnreadableWorkbook(Exception):
    """Not an ``.xlsx`` openpyxl can read, or (``too_big``) one that unpacks to too much, or
    one with a sheet (``long_sheet``, its title) of more than ``max_rows`` rows with values."""

    def __init__(self, *, too_big: bool = False, long_sheet: str = "", max_rows: int = 0) -> None:
        super().__init__(
            "workbook unpacks to too much"
            if too_big
            else f"sheet {long_sheet!r} has more than {max_rows} rows"
            if long_sheet
            else "not a readable xlsx"
        )
        self.too_big = too_big
        self.long_sheet = long_sheet
        self.max_rows = max_rows


def open_workbook(
    content: bytes,
    *,
    read_only: bool = True,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
    max_rows: int | None = None,
) -> Any:
    """The workbook in ``content`` (formulas kept as formulas: ``data_only=False``), opened
    after the zip check and, with ``max_rows``, the row count of every sheet; the caller closes
    it. ``UnreadableWorkbook`` otherwise."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > max_unpacked_bytes:
                raise UnreadableWorkbook(too_big=True)
            long_sheet = _longer_sheet(archive, max_rows) if max_rows is not None else None
    except (zipfile.BadZipFile, ValueError, OSError, KeyError, ParseError, DefusedXmlException):
        raise UnreadableWorkbook() from None
    if long_sheet is not None:
        raise UnreadableWorkbook(long_sheet=long_sheet, max_rows=max_rows or 0)
    try:
        return openpyxl.load_workbook(io.BytesIO(content), read_only=read_only, data_only=False)
    except Exception:  # openpyxl raises many kinds of errors on a broken file
        logger.info("unreadable workbook upload", exc_info=True)
        raise UnreadableWorkbook() from None


def _longer_sheet(archive: zipfile.ZipFile, limit: int) -> str | None:
    """The title of the first sheet with more than ``limit`` rows holding a value, read from
    the sheets' XML as a stream and only up to the limit, before openpyxl loads anything (it
    reads every shared string first: a sheet of a hundred thousand rows cost seconds)."""
    titles = {}
    for _event, element in iterparse(archive.open("xl/workbook.xml")):
        if element.tag == f"{{{_MAIN}}}sheet":
            titles[element.get(f"{{{_RELATIONS}}}id")] = element.get("name", "")
    for _event, element in iterparse(archive.open("xl/_rels/workbook.xml.rels")):
        title = titles.get(element.get("Id"))
        if title is None:
            continue
        target = element.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        rows = 0
        for _event, row in iterparse(archive.open(path)):
            if row.tag != f"{{{_MAIN}}}row":
                continue
            if any(
                cell.find(f"{{{_MAIN}}}v") is not None or cell.find(f"{{{_MAIN}}}is") is not None
                for cell in row
            ):
                rows += 1
                if rows > limit:
                    return title
            row.clear()
    return None


def fold_header(text: str) -> str:
    """``Tự chấm (số nhập)`` → ``tuchamsonhap``: headers match whatever the case, the marks,
    the spaces and the punctuation."""
    return re.sub(r"[^a-z0-9]", "", ascii_fold(text).lower())
