"""Emulation registration (đăng ký thi đua): the bloc's list and a unit's own registration.

Every member follows the list (who registered what); a unit's page is written by its focal
points, or by the secretariat and council admins on its behalf (``access.can_register``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from awards import access
from awards.forms_registration import RegistrationForm
from awards.models import Registration
from awards.registrations import registration_rows
from awards.services import registration as services
from blocs import deadlines
from blocs.http import AuthenticatedHttpRequest
from blocs.models import BlocYear, Membership, Unit
from common.navigation import Crumb, home_crumb
from scoring.forms_ranking import field_summary


def registration_crumbs(bloc_year: BlocYear, *, last: str | None = None) -> list[Crumb]:
    bloc = bloc_year.bloc
    crumbs = [
        home_crumb(),
        Crumb(bloc.name, bloc.get_absolute_url()),
        Crumb(str(bloc_year.year), bloc_year.get_absolute_url()),
    ]
    label = _("Đăng ký thi đua")
    if last is None:
        return [*crumbs, Crumb(label)]
    url = reverse("awards:registrations", args=[bloc.pk, bloc_year.year])
    return [*crumbs, Crumb(label, url), Crumb(last)]


@login_required
@require_GET
def registrations(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    bloc_year = access.get_bloc_year(request, bloc_id, year, follow=True)
    rows = registration_rows(request.user, bloc_year)
    return render(
        request,
        "awards/registrations.html",
        {
            "bloc_year": bloc_year,
            "rows": rows,
            "registered": sum(1 for row in rows if row.registration is not None),
            "manage": access.can_manage_awards(request.user, bloc_year),
            "open": services.registration_open(bloc_year, deadlines.today()),
            "breadcrumbs": registration_crumbs(bloc_year),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_registration(
    request: AuthenticatedHttpRequest, bloc_id: int, year: int, unit_id: int
) -> HttpResponse:
    bloc_year = access.get_bloc_year(request, bloc_id, year, follow=True)
    membership = get_object_or_404(
        Membership.objects.select_related("unit").prefetch_related("unit__former_names"),
        bloc_year=bloc_year,
        unit_id=unit_id,
    )
    if not access.can_register(request.user, unit_id, bloc_year):
        raise PermissionDenied  # another member never registers for this unit
    unit = membership.unit
    catalogue = services.registration_catalogue(bloc_year)
    if not catalogue:
        raise Http404
    registration = (
        Registration.objects.select_related("registered_by")
        .filter(bloc_year=bloc_year, unit=unit)
        .first()
    )
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        catalogue=catalogue,
        registration=registration,
    )
    saved = form.is_valid() and form.save(bloc_year=bloc_year, unit=unit, by=request.user)
    if saved:
        messages.success(request, _("Đã lưu bản đăng ký thi đua."))
        return redirect(request.path)
    context = _unit_context(request, bloc_year, unit, registration, form)
    return render(request, "awards/registration_unit.html", {**context, "catalogue": catalogue})


def _unit_context(
    request: AuthenticatedHttpRequest,
    bloc_year: BlocYear,
    unit: Unit,
    registration: Registration | None,
    form: RegistrationForm,
) -> dict[str, object]:
    name = unit.name_in_year(bloc_year.year)
    return {
        "bloc_year": bloc_year,
        "unit": unit,
        "unit_name": name,
        "registration": registration,
        "form": form,
        "summary": field_summary(form) if form.is_bound else [],
        "open": services.registration_open(bloc_year, deadlines.today()),
        "own_unit": request.user.unit_id == unit.pk,
        "breadcrumbs": registration_crumbs(bloc_year, last=name),
    }
