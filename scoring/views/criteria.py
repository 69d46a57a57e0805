"""Criteria set pages (being built)."""

from django.http import Http404, HttpRequest, HttpResponse


def _pending(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


criteria_sets = criteria_set_new = criteria_set = criteria_set_edit = criteria_set_clone = _pending
criteria_set_unfreeze = criterion_new = criterion_edit = criterion_delete = _pending
