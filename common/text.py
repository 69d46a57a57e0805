"""Free text typed by people: one policy for control characters, in one place.

A person never types a C0 control character other than tab and line breaks, but text pasted
from another program can carry one (a vertical tab from Word, an ESC from a terminal). NUL is
refused by PostgreSQL, and the others make an XLSX or DOCX file invalid. So they are dropped
where text enters: from every form field and query parameter by ``ControlCharacterMiddleware``
(they cannot be seen, so nothing a person meant is lost), from workbook cells by the readers
(``printable``), and writers of files drop any that text stored before this policy may hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict

# C0 controls and DEL, except tab, line feed and carriage return.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def printable(text: str) -> str:
    """``text`` without the control characters no database or file format may carry."""
    return CONTROL.sub("", text)


def _cleaned(data: QueryDict) -> QueryDict:
    if not any(CONTROL.search(value) for values in data.lists() for value in values[1]):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(printable(key), [printable(value) for value in values])
    cleaned._mutable = False  # as Django hands them to views
    return cleaned


class ControlCharacterMiddleware:
    """Every form field and query parameter without control characters, before any view or
    form reads them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.GET = _cleaned(request.GET)  # type: ignore[assignment]
        if request.method == "POST":
            request.POST = _cleaned(request.POST)  # type: ignore[assignment]
        return self.get_response(request)
