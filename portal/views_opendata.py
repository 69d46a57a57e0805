"""Open-data downloads: each public table of the site as XLSX, CSV for Excel (Việt Nam), CSV for
programs or JSON (``portal.opendata``), and the page that explains them.

Anybody may download them, logged in or not, and everybody gets the same public data. What the
page does not show to the public does not exist here either: an unknown format, council, bloc,
year or unit, and the ranking or awards of a year whose results are not finally published, are
404.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from blocs import access as bloc_access
from blocs import selectors as bloc_selectors
from blocs.models import BlocYear, Council
from common.exporters import export_response
from common.navigation import Crumb, home_crumb
from portal import opendata


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    """The open-data page: which file to take, and every column explained."""
    return render(
        request,
        "public/open_data.html",
        {
            "datasets": opendata.documented(opendata.DATASETS),
            # Where the files are: each council's page, its blocs and years below it.
            "councils": Council.objects.order_by("name"),
            "breadcrumbs": [home_crumb(), Crumb(_("Dữ liệu mở"))],
        },
    )


def _respond(table: opendata.Table, fmt: str) -> HttpResponse:
    return export_response(opendata.RENDERERS[fmt](table))


def _check_format(fmt: str) -> None:
    """Before any query: a format we do not serve is a page that does not exist."""
    if fmt not in opendata.RENDERERS:
        raise Http404


@require_safe
def council_blocs(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    _check_format(fmt)
    council = bloc_access.get_council(code)
    (overview,) = bloc_selectors.council_overviews([council], year)
    if overview.year != year:
        raise Http404
    return _respond(opendata.council_blocs_table(overview), fmt)


@require_safe
def bloc_members(request: HttpRequest, bloc_id: int, fmt: str) -> HttpResponse:
    _check_format(fmt)
    bloc = bloc_access.get_bloc(bloc_id)
    history = bloc_selectors.bloc_history(bloc)
    return _respond(opendata.bloc_members_table(bloc, history.years), fmt)


def _bloc_year(bloc_id: int, year: int) -> BlocYear:
    return get_object_or_404(
        BlocYear.objects.select_related("bloc__council"), bloc_id=bloc_id, year=year
    )


@require_safe
def bloc_year_members(request: HttpRequest, bloc_id: int, year: int, fmt: str) -> HttpResponse:
    _check_format(fmt)
    bloc_year = _bloc_year(bloc_id, year)
    members = bloc_selectors.bloc_year_members(bloc_year)
    return _respond(opendata.bloc_year_members_table(bloc_year, members), fmt)


def _public_results(bloc_year: BlocYear, *, awards: bool) -> opendata.PublicResults:
    if not opendata.results_public(bloc_year):
        # Not published yet: for the public these results do not exist.
        raise Http404
    members = bloc_selectors.bloc_year_members(bloc_year)
    results = opendata.public_results(bloc_year, members, awards=awards)
    assert results is not None
    return results


@require_safe
def ranking(request: HttpRequest, bloc_id: int, year: int, fmt: str) -> HttpResponse:
    _check_format(fmt)
    bloc_year = _bloc_year(bloc_id, year)
    table = opendata.ranking_table(bloc_year, _public_results(bloc_year, awards=False))
    if table is None:
        raise Http404
    return _respond(table, fmt)


@require_safe
def awards(request: HttpRequest, bloc_id: int, year: int, fmt: str) -> HttpResponse:
    _check_format(fmt)
    bloc_year = _bloc_year(bloc_id, year)
    results = _public_results(bloc_year, awards=True)
    return _respond(opendata.awards_table(bloc_year, results), fmt)


def _unit_page(unit_id: int) -> bloc_selectors.UnitPage:
    page = bloc_selectors.unit_page(unit_id)
    if page is None:
        raise Http404
    return page


@require_safe
def unit_results(request: HttpRequest, unit_id: int, fmt: str) -> HttpResponse:
    _check_format(fmt)
    return _respond(opendata.unit_results_table(_unit_page(unit_id)), fmt)


@require_safe
def unit_awards(request: HttpRequest, unit_id: int, fmt: str) -> HttpResponse:
    _check_format(fmt)
    return _respond(opendata.unit_awards_table(_unit_page(unit_id)), fmt)
