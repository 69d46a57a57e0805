"""The one interface every export of the project shares.

An export is a name, a content type and bytes. Whatever builds it (a score sheet's workbook, a
ranking's CSV, a report's DOCX) returns an ``Export``; the view hands it to ``export_response``.
Keeping the bytes apart from the response lets tests open an export without a request, and lets
a later job store or mail the same bytes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
JSON = "application/json"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


@dataclass(frozen=True)
class Export:
    """A finished file: what the browser saves it as, its content type, and its bytes."""

    filename: str
    content_type: str
    content: bytes


def ascii_fold(text: str) -> str:
    """``Bảng điểm`` → ``Bang diem``: Vietnamese letters without their marks (đ → d)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _ascii_filename(filename: str) -> str:
    """A fallback name for old clients that ignore ``filename*``: ASCII, no quotes or slashes."""
    folded = ascii_fold(filename).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", folded).strip("-.")
    return cleaned or "export"


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII ``filename`` and the exact UTF-8 ``filename*`` (RFC 5987),
    so ``Bảng điểm Sở Y tế.xlsx`` is saved under its Vietnamese name by every current browser."""
    fallback = _ascii_filename(filename)
    encoded = quote(filename, safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


def export_response(export: Export) -> HttpResponse:
    """The export as a download, never rendered or sniffed by the browser."""
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = content_disposition(export.filename)
    response["Content-Length"] = str(len(export.content))
    response["X-Content-Type-Options"] = "nosniff"
    # Score sheets and proposals are not public until published: keep them out of shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


# A text that starts with one of these is read as a formula by Excel and LibreOffice.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,]*")


def csv_safe(value: object) -> object:
    """Guard a CSV cell against formula injection (OWASP "CSV injection").

    A text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    ``'`` so that a spreadsheet shows it as text instead of running it. Plain signed numbers
    (``-2,5``, ``+1.000``) are left alone: they are amounts, and a spreadsheet reads them as such.
    Values that are not text (numbers, dates, None) are returned unchanged.
    """
    if not isinstance(value, str) or not value.startswith(_FORMULA_STARTS):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value
