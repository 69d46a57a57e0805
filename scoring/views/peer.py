"""Peer scoring pages (being built)."""

from django.http import Http404, HttpRequest, HttpResponse


def _pending(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


peer_progress = peer_sheet = _pending
