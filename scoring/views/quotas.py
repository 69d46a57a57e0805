"""The band quotas counted across blocs of a council (docs/ranking.md): the year's quotas with
a form to add one, and one quota's page to change or remove it. Council admins only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from blocs.http import AuthenticatedHttpRequest
from blocs.models import BlocYear, Council
from common.forms import pressed
from common.navigation import Crumb, home_crumb
from scoring import access
from scoring.forms_quotas import BandQuotaForm, YearForm
from scoring.models import BandQuota
from scoring.services.quotas import band_quota_delete, settled_problems


def _year(request: AuthenticatedHttpRequest, council: Council) -> int:
    """The year asked for (``?year=``), else the council's latest year of blocs."""
    form = YearForm(request.GET)
    if form.is_valid():
        return int(form.cleaned_data["year"])
    latest = BlocYear.objects.filter(bloc__council=council).aggregate(Max("year"))["year__max"]
    return int(latest or 2000)


def _crumbs(council: Council, *last: Crumb) -> list[Crumb]:
    return [home_crumb(), Crumb(council.name, council.get_absolute_url()), *last]


def _list_url(council: Council, year: int) -> str:
    return f"{reverse('scoring:band-quotas', args=[council.code])}?year={year}"


@login_required
@require_http_methods(["GET", "POST"])
def band_quotas(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The year's quotas and the form to add one."""
    council = access.get_council_for_quotas(request, code)
    year = _year(request, council)
    form = BandQuotaForm(
        request.POST if request.method == "POST" else None, council=council, year=year
    )
    if request.method == "POST" and form.save(by=request.user) is not None:
        messages.success(request, _("Đã thêm hạn mức chung."))
        return redirect(_list_url(council, year))
    quotas = list(
        BandQuota.objects.filter(council=council, year=year).prefetch_related("bloc_years__bloc")
    )
    years = sorted(
        set(BlocYear.objects.filter(bloc__council=council).values_list("year", flat=True)),
        reverse=True,
    )
    return render(
        request,
        "scoring/band_quotas.html",
        {
            "council": council,
            "year": year,
            "years": years,
            "form": form,
            "quotas": [(quota, not settled_problems(quota.bloc_years.all())) for quota in quotas],
            "breadcrumbs": _crumbs(council, Crumb(_("Hạn mức xếp loại chung nhiều khối"))),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def band_quota(request: AuthenticatedHttpRequest, code: str, quota_id: int) -> HttpResponse:
    """One quota: change it, or remove it (refused once one of its blocs is finalized)."""
    council = access.get_council_for_quotas(request, code)
    quota = access.get_band_quota_for_admin(request, council, quota_id)
    back = _list_url(council, quota.year)
    if request.method == "POST" and pressed(request.POST) == "delete":
        try:
            band_quota_delete(quota=quota, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("scoring:band-quota", council.code, quota.pk)
        messages.success(request, _("Đã bỏ hạn mức chung."))
        return redirect(back)
    form = BandQuotaForm(
        request.POST if request.method == "POST" else None,
        council=council,
        year=quota.year,
        quota=quota,
    )
    if request.method == "POST" and form.save(by=request.user) is not None:
        messages.success(request, _("Đã lưu hạn mức chung."))
        return redirect(back)
    problems = settled_problems(list(quota.bloc_years.select_related("bloc")))
    return render(
        request,
        "scoring/band_quota.html",
        {
            "council": council,
            "quota": quota,
            "form": form,
            "settled": problems,
            "breadcrumbs": _crumbs(
                council, Crumb(_("Hạn mức xếp loại chung nhiều khối"), back), Crumb(quota.name)
            ),
        },
    )
