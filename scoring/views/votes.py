"""The vote entry page of a bloc-year ranked by vote alone ("Bình xét bằng phiếu")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from blocs import access as bloc_access
from blocs.http import AuthenticatedHttpRequest
from blocs.models import BlocYear, User
from common.navigation import Crumb
from scoring import access, vote_ranking
from scoring.forms_votes import VotesForm
from scoring.selectors.ranking_rules import rules_of
from scoring.selectors.votes import vote_entries
from scoring.services.ranking import FINALIZED_STATES
from scoring.services.ranking.votes import votes_correct, votes_record
from scoring.views.ranking import crumbs


@login_required
@require_http_methods(["GET", "POST"])
def votes(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """Record each member's votes; after finalization, correct them with a reason."""
    bloc_year = bloc_access.get_bloc_year_for_user(request, bloc_id, year)
    found = rules_of(bloc_year)
    if not found.by_votes:
        raise Http404
    if not access.can_record_votes(request.user, bloc_year):
        raise PermissionDenied
    finalized = bloc_year.state in FINALIZED_STATES
    entries = vote_entries(bloc_year)
    form = VotesForm(
        request.POST if request.method == "POST" else None,
        entries=entries,
        bands=found.vote_bands,
        needs_reason=finalized,
    )
    if request.method == "POST" and _save(form, bloc_year, request.user, finalized):
        messages.success(request, _("Đã lưu kết quả phiếu bình xét."))
        return redirect("scoring:ranking", bloc_id, year)
    return render(
        request,
        "scoring/votes.html",
        {
            "bloc_year": bloc_year,
            "form": form,
            "finalized": finalized,
            "rule": vote_ranking.explain(found.vote_bands),
            "breadcrumbs": crumbs(bloc_year, Crumb(_("Ghi kết quả phiếu"))),
        },
    )


def _save(form: VotesForm, bloc_year: BlocYear, user: User, finalized: bool) -> bool:
    if not form.is_valid():
        return False
    try:
        if finalized:
            votes_correct(
                bloc_year=bloc_year,
                votes=form.votes(),
                reason=form.cleaned_data["reason"],
                by=user,
            )
        else:
            votes_record(bloc_year=bloc_year, votes=form.votes(), by=user)
    except ValidationError as error:
        form.add_service_error(error)
        return False
    return True
