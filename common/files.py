"""Files kept in the storage (evidence, decisions, issued documents) that may be missing.

A restore without its files, a store emptied by hand or a bucket policy can leave a row whose
file is gone. Reading it then raises ``StoredFileMissing``, which ``StoredFileMissingMiddleware``
answers with a page that says so (410 Gone), never a server error; the log names the file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import IO

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger("thidua.files")


class StoredFileMissing(Exception):
    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(name)


def open_stored(field: FieldFile) -> IO[bytes]:
    """The stored file, opened for reading; ``StoredFileMissing`` when it is gone."""
    try:
        return field.open("rb")
    except FileNotFoundError as missing:
        raise StoredFileMissing(field.name or "") from missing


def stored_file_response(
    request: HttpRequest, field: FieldFile, *, content_type: str, name: str
) -> FileResponse:
    """A checked file people sent (evidence, a complaint's files), served with its checked type
    and never as something the browser executes; a PDF as a download with ``?download=1``."""
    response = FileResponse(
        open_stored(field),
        content_type=content_type,
        as_attachment=content_type == "application/pdf" and request.GET.get("download") == "1",
        filename=name,
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


def read_stored(field: FieldFile) -> bytes:
    with open_stored(field) as handle:
        return handle.read()


class StoredFileMissingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, StoredFileMissing):
            return None
        logger.error("stored file missing: %s (%s)", exception.name, request.path)
        return render(request, "stored_file_missing.html", status=410)
