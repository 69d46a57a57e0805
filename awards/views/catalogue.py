"""Awards: catalogue pages (being built)."""

from django.http import Http404, HttpRequest, HttpResponse


def _pending(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


rule_sets = _pending
rule_set = _pending
award_type = _pending
quotas = _pending
