"""Public pages of the organisation: councils, blocs (bloc-years and units are project pages)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from blocs import access, selectors
from common.navigation import Crumb, home_crumb


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    page = selectors.home_page(timezone.localdate())
    return render(request, "blocs/home.html", {"page": page, "breadcrumbs": []})


@require_safe
def council(request: HttpRequest, code: str) -> HttpResponse:
    council = access.get_council(code)
    year = request.GET.get("year", "")
    page = selectors.council_page(council, int(year) if year.isdigit() else None)
    return render(
        request,
        "blocs/council.html",
        {
            "council": council,
            "page": page,
            "overview": page.overview,
            # The awards pages' own rule (awards.access.can_see_decisions), kept here so that
            # blocs does not import the apps built on it.
            "can_see_awards": access.is_council_admin(request.user, council.pk)
            or council.pk in access.leader_council_ids(request.user),
            "can_set_quotas": access.is_council_admin(request.user, council.pk),
            "breadcrumbs": [home_crumb(), Crumb(council.name)],
        },
    )


@require_safe
def bloc(request: HttpRequest, bloc_id: int) -> HttpResponse:
    bloc = access.get_bloc(bloc_id)
    history = selectors.bloc_history(bloc)
    return render(
        request,
        "blocs/bloc.html",
        {
            "bloc": bloc,
            "history": history,
            "breadcrumbs": [
                home_crumb(),
                Crumb(bloc.council.name, bloc.council.get_absolute_url()),
                Crumb(bloc.name),
            ],
        },
    )
