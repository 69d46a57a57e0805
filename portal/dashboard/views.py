"""The leaders' dashboard page (``/dashboard/``): the access check, the selector, the template."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from blocs import access, deadlines
from blocs.http import AuthenticatedHttpRequest
from blocs.models import User
from common.navigation import Crumb, home_crumb
from portal.dashboard.selectors import dashboard_data


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 10 else None


@login_required
@require_safe
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    council_ids = access.dashboard_council_ids(request.user)
    if not council_ids:
        raise PermissionDenied
    user: User = request.user
    data = dashboard_data(
        council_ids=council_ids,
        council_code=request.GET.get("council", "")[:20] or None,
        year=_number(request.GET.get("year")),
        unit_id=_number(request.GET.get("unit")),
        today=deadlines.today(),
        # Between two councils with the same year, the leader's own council first.
        preferred_council_id=user.unit.council_id if user.unit is not None else None,
        page=request.GET.get("page"),
    )
    return render(
        request,
        "dashboard.html",
        {
            "data": data,
            "is_leader": access.is_leader(user),
            "nav_active": "dashboard",
            "breadcrumbs": [home_crumb(), Crumb(_("Tổng quan"))],
        },
    )
