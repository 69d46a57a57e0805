"""The council's view of a year: every bloc's proposals side by side, the counts per award,
the province-wide Government-flag check, and the same as an XLSX file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from awards import access
from awards.council import council_xlsx, council_year
from blocs.http import AuthenticatedHttpRequest
from common.exporters import export_response
from common.navigation import Crumb, home_crumb


@login_required
@require_safe
def council_view(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    council = access.get_council_for_user(request, code)
    data = council_year(council, year, page=request.GET.get("page") or "1")
    return render(
        request,
        "awards/council.html",
        {
            "data": data,
            "council": council,
            "year": year,
            "breadcrumbs": [
                home_crumb(),
                Crumb(council.name, council.get_absolute_url()),
                Crumb(_("Đề nghị khen thưởng năm %(year)s") % {"year": year}),
            ],
            "export_url": reverse("awards:council-export", args=[council.code, year]),
        },
    )


@login_required
@require_safe
def council_export(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    council = access.get_council_for_user(request, code)
    return export_response(council_xlsx(council_year(council, year)))
