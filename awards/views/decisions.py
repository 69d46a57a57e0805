"""Awards: decisions pages (being built)."""

from django.http import Http404, HttpRequest, HttpResponse


def _pending(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


decisions = _pending
decision = _pending
decision_file = _pending
