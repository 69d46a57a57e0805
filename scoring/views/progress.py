"""A bloc-year's scoring: the secretariat's progress dashboard and opening the season."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from blocs import access as bloc_access
from blocs.http import AuthenticatedHttpRequest
from blocs.models import BlocYear
from common.navigation import Crumb, home_crumb
from scoring import access, selectors
from scoring.forms import OpenScoringForm, SheetsVerifyForm
from scoring.models import CriteriaSet, ScoreSheet, ScoringSeason
from scoring.selectors.columns import outside_columns
from scoring.selectors.ranking_rules import rules_of
from scoring.services import sheets as services
from scoring.services import transitions


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


def _verifiable(request: AuthenticatedHttpRequest, bloc_year: BlocYear) -> QuerySet[ScoreSheet]:
    """The sheets this person may tick to mark verified: the bloc-year's, not their own unit's."""
    sheets = ScoreSheet.objects.filter(bloc_year=bloc_year)
    own = request.user.unit_id
    return sheets.exclude(unit_id=own) if own is not None else sheets


def _tickable(request: AuthenticatedHttpRequest, rows: list[selectors.ProgressRow]) -> bool:
    """A submitted sheet of another unit than the person's own is on the page."""
    return any(
        row.sheet.state == ScoreSheet.State.SUBMITTED and row.sheet.unit_id != request.user.unit_id
        for row in rows
    )


def _progress_page(
    request: AuthenticatedHttpRequest, bloc_year: BlocYear, verify_form: SheetsVerifyForm | None
) -> HttpResponse:
    season = (
        ScoringSeason.objects.select_related("criteria_set").filter(bloc_year=bloc_year).first()
    )
    by_votes = rules_of(bloc_year).by_votes
    can_open = bloc_access.can_manage_bloc_year(request.user, bloc_year) and not by_votes
    rows = selectors.progress(bloc_year) if season else []
    return render(
        request,
        "scoring/progress.html",
        {
            "bloc_year": bloc_year,
            "season": season,
            "rows": rows,
            # The sheets may be ticked and marked verified at once by those who verify.
            "verify_form": verify_form if can_open and _tickable(request, rows) else None,
            "ticked": {str(pk) for pk in verify_form["sheets"].value() or []}
            if verify_form is not None and verify_form.is_bound
            else set(),
            # Criteria the council or a department scores, and how many members still wait.
            "outside": outside_columns(bloc_year) if season else [],
            "open_form": OpenScoringForm(criteria_sets=_criteria_sets(bloc_year))
            if can_open
            else None,
            "can_open": can_open,
            "by_votes": by_votes,
            "breadcrumbs": _crumbs(bloc_year, _("Tiến độ chấm điểm")),
        },
    )


@login_required
@require_safe
def progress(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    bloc_year = access.get_bloc_year_for_progress(request, bloc_id, year)
    form = SheetsVerifyForm(queryset=_verifiable(request, bloc_year))
    return _progress_page(request, bloc_year, form)


@login_required
@require_POST
def verify_batch(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """Mark the ticked sheets verified, each on its own (``transitions.sheets_mark_verified``);
    a sheet not ready is named with why. A refused form shows the page again with the ticks."""
    bloc_year = bloc_access.get_bloc_year_for_user(request, bloc_id, year)
    if not bloc_access.can_manage_bloc_year(request.user, bloc_year):
        raise PermissionDenied
    form = SheetsVerifyForm(request.POST, queryset=_verifiable(request, bloc_year))
    if not form.is_valid():
        return _progress_page(request, bloc_year, form)
    outcome = transitions.sheets_mark_verified(
        sheets=list(form.cleaned_data["sheets"]), by=request.user
    )
    if count := len(outcome.done):
        messages.success(
            request,
            ngettext(
                "Đã hoàn thành thẩm định %(count)s bảng điểm.",
                "Đã hoàn thành thẩm định %(count)s bảng điểm.",
                count,
            )
            % {"count": count},
        )
    for sheet, reason in outcome.refused:
        messages.warning(
            request,
            _("%(unit)s: chưa hoàn thành thẩm định được. %(reason)s")
            % {"unit": sheet.unit.name_in_year(bloc_year.year), "reason": reason},
        )
    return redirect("scoring:progress", bloc_id, year)


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
