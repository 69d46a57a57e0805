"""Awards: ballots pages (being built)."""

from django.http import Http404, HttpRequest, HttpResponse


def _pending(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


ballot = _pending
ballot_paper = _pending
ballot_tally = _pending
