"""Print view and XLSX of a sheet (being built)."""

from django.http import Http404, HttpRequest, HttpResponse


def _pending(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


sheet_print = sheet_xlsx = sheet_xlsx_upload = _pending
