"""Awards: council pages (being built)."""

from django.http import Http404, HttpRequest, HttpResponse


def _pending(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


council_view = _pending
council_export = _pending
