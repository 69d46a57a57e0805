"""Awards: proposals pages (being built)."""

from django.http import Http404, HttpRequest, HttpResponse


def _pending(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


proposals = _pending
proposals_submit = _pending
proposal = _pending
