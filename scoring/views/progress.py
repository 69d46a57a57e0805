"""A bloc-year's scoring: the secretariat's progress dashboard and opening the season."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from blocs import access as bloc_access
from blocs.http import AuthenticatedHttpRequest
from blocs.models import BlocYear
from common.navigation import Crumb, home_crumb
from scoring import access, selectors
from scoring.forms import OpenScoringForm
from scoring.models import CriteriaSet, ScoringSeason
from scoring.selectors.columns import outside_columns
from scoring.services import sheets as services


def _crumbs(bloc_year: BlocYear, last: str) -> list[Crumb]:
    bloc = bloc_year.bloc
    return [
        home_crumb(),
        Crumb(bloc.name, bloc.get_absolute_url()),
        Crumb(str(bloc_year.year), bloc_year.get_absolute_url()),
        Crumb(last),
    ]


def _criteria_sets(bloc_year: BlocYear) -> object:
    return CriteriaSet.objects.filter(
        council_id=bloc_year.bloc.council_id, year=bloc_year.year
    ).filter(Q(bloc_year=bloc_year) | Q(bloc_year__isnull=True))


@login_required
@require_safe
def progress(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    bloc_year = access.get_bloc_year_for_progress(request, bloc_id, year)
    season = (
        ScoringSeason.objects.select_related("criteria_set").filter(bloc_year=bloc_year).first()
    )
    can_open = bloc_access.can_manage_bloc_year(request.user, bloc_year)
    return render(
        request,
        "scoring/progress.html",
        {
            "bloc_year": bloc_year,
            "season": season,
            "rows": selectors.progress(bloc_year) if season else [],
            # Criteria the council or a department scores, and how many members still wait.
            "outside": outside_columns(bloc_year) if season else [],
            "open_form": OpenScoringForm(criteria_sets=_criteria_sets(bloc_year))
            if can_open
            else None,
            "can_open": can_open,
            "breadcrumbs": _crumbs(bloc_year, _("Tiến độ chấm điểm")),
        },
    )


@login_required
@require_POST
def open_scoring(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """First post: check your answers. Second post (confirmed): open scoring."""
    bloc_year = bloc_access.get_bloc_year_for_user(request, bloc_id, year, write=True)
    form = OpenScoringForm(request.POST, criteria_sets=_criteria_sets(bloc_year))
    if not form.is_valid():
        for errors in form.errors.values():
            for problem in errors:
                messages.error(request, str(problem))
        return redirect("scoring:progress", bloc_id, year)
    data = form.cleaned_data
    if not data.get("confirmed"):
        members = bloc_year.memberships.select_related("unit").order_by("unit__name")
        return render(
            request,
            "scoring/open_confirm.html",
            {
                "bloc_year": bloc_year,
                "form": form,
                "data": data,
                "members": members,
                "breadcrumbs": _crumbs(bloc_year, _("Mở chấm điểm")),
            },
        )
    try:
        services.scoring_open(
            bloc_year=bloc_year,
            criteria_set=data["criteria_set"],
            mode=data["mode"],
            peer_drop_extremes=data["peer_drop_extremes"],
            by=request.user,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã mở chấm điểm: mỗi thành viên đã có bảng chấm điểm."))
    return redirect("scoring:progress", bloc_id, year)
