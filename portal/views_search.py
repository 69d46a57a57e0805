"""The search page: what the header's box finds, grouped by kind (docs/search.md)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from common.navigation import Crumb, home_crumb
from portal import search as portal_search
from portal.forms import SearchForm


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    results = portal_search.search(request.user, form.query(), only=form.kind_asked())
    return render(
        request,
        "search.html",
        {
            "form": form,
            "results": results,
            "breadcrumbs": [home_crumb(), Crumb(_("Tìm kiếm"))],
        },
    )
