"""Pages that gather every app's work: "my work", the bloc-year, the unit and the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from awards import selectors as award_selectors
from awards import tasks as award_tasks
from blocs import access as bloc_access
from blocs import selectors as bloc_selectors
from blocs import tasks as bloc_tasks
from blocs.http import AuthenticatedHttpRequest
from blocs.work import group_tasks
from common.navigation import Crumb, home_crumb
from portal import opendata
from reports import selectors as report_selectors
from scoring import access as scoring_access
from scoring import selectors as scoring_selectors
from scoring import tasks as scoring_tasks


@require_safe
@login_required
def my_work(request: AuthenticatedHttpRequest) -> HttpResponse:
    tasks = (
        scoring_tasks.tasks_for(request.user)
        + bloc_tasks.tasks_for(request.user)
        + award_tasks.tasks_for(request.user)
    )
    groups = group_tasks(tasks)
    return render(
        request,
        "my_work.html",
        {"groups": groups, "breadcrumbs": [home_crumb(), Crumb(_("Việc của tôi"))]},
    )


@require_safe
def bloc_year(request: HttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """A bloc in one year: members, head, deputy, its place in the cycle, and each app's part."""
    bloc_year = bloc_access.get_bloc_year_for_user(request, bloc_id, year)
    bloc = bloc_year.bloc
    user = request.user
    can_manage = bloc_access.can_manage_bloc_year(user, bloc_year)
    is_admin = bloc_access.is_council_admin(user, bloc.council_id)
    page = bloc_selectors.bloc_year_page(bloc_year)
    return render(
        request,
        "bloc_year.html",
        {
            "page": page,
            "bloc_year": bloc_year,
            # What anybody sees once the results are published: ranking and decided awards.
            "public": opendata.public_results(bloc_year, page.members),
            "scoring": scoring_selectors.scoring_summary(
                bloc_year,
                unit_id=getattr(user, "unit_id", None),
                can_manage=can_manage,
                can_see_results=scoring_access.can_see_results(user, bloc_year),
            )
            if user.is_authenticated or bloc_year.state in scoring_access.PUBLISHED_STATES
            else None,
            "awards": award_selectors.awards_summary(bloc_year, user, can_manage=can_manage),
            "documents": report_selectors.documents_summary(bloc_year, user),
            "conference": report_selectors.conference_held(bloc_year),
            "can_edit_in_admin": user.is_staff and is_admin,
            "can_open_next_year": is_admin and (year + 1) not in page.other_years,
            "breadcrumbs": [
                home_crumb(),
                Crumb(bloc.council.name, bloc.council.get_absolute_url()),
                Crumb(bloc.name, bloc.get_absolute_url()),
                Crumb(_("Năm %(year)s") % {"year": year}),
            ],
        },
    )


@require_safe
def unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A unit: its names, reorganisations, blocs over the years, published results and awards
    (its own and, across mergers and renames, its predecessors')."""
    page = bloc_selectors.unit_page(unit_id)
    if page is None:
        raise Http404
    council = page.unit.council
    return render(
        request,
        "unit.html",
        {
            "page": page,
            "history": opendata.unit_history(page, request.user),
            "awards": opendata.unit_awards(page),
            "breadcrumbs": [
                home_crumb(),
                Crumb(council.name, council.get_absolute_url()),
                Crumb(page.unit.name),
            ],
        },
    )


@require_safe
@never_cache
@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers ask for on pages that name no icon (the Django admin,
    a PDF opened in the browser): the app's icon instead of a logged 404."""
    return HttpResponseRedirect(static("favicon.svg"))


def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
