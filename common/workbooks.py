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

from common.exporters import ascii_fold

logger = logging.getLogger(__name__)

# An XLSX is a zip: refuse one that unpacks to far more than any upload of this site needs.
MAX_UNPACKED_BYTES = 30 * 1024 * 1024


class UnreadableWorkbook(Exception):
    """Not an ``.xlsx`` openpyxl can read, or (``too_big``) one that unpacks to too much."""

    def __init__(self, *, too_big: bool = False) -> None:
        super().__init__("workbook unpacks to too much" if too_big else "not a readable xlsx")
        self.too_big = too_big


def open_workbook(
    content: bytes, *, read_only: bool = True, max_unpacked_bytes: int = MAX_UNPACKED_BYTES
) -> Any:
    """The workbook in ``content`` (formulas kept as formulas: ``data_only=False``), opened
    after the zip check; the caller closes it. ``UnreadableWorkbook`` otherwise."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnreadableWorkbook() from None
    if unpacked > max_unpacked_bytes:
        raise UnreadableWorkbook(too_big=True)
    try:
        return openpyxl.load_workbook(io.BytesIO(content), read_only=read_only, data_only=False)
    except Exception:  # openpyxl raises many kinds of errors on a broken file
        logger.info("unreadable workbook upload", exc_info=True)
        raise UnreadableWorkbook() from None


def fold_header(text: str) -> str:
    """``Tự chấm (số nhập)`` → ``tuchamsonhap``: headers match whatever the case, the marks,
    the spaces and the punctuation."""
    return re.sub(r"[^a-z0-9]", "", ascii_fold(text).lower())
