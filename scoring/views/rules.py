"""The ranking rules pages: a bloc-year's tie-break chain, bands and explanation rule, and a
council's defaults."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from blocs import access as bloc_access
from blocs.http import AuthenticatedHttpRequest
from blocs.models import BlocYear, Council, User
from common.forms import pressed
from common.navigation import Crumb, home_crumb
from scoring import ranking, vote_ranking
from scoring.forms import ReasonForm
from scoring.forms_rules import RankingRulesForm
from scoring.models import (
    RankingRules,
)
from scoring.selectors.ranking_rules import RuleSet, explanation_required, rule_set, rules_of
from scoring.services import ranking as services
from scoring.services.ranking import FINALIZED_STATES
from scoring.views.publication import (
    results_crumbs,
)

RULES_OWN = "bloc_year"
RULES_COUNCIL = "council"
RULES_DEFAULT = "default"


def _rules_source(bloc_year: BlocYear) -> str:
    """Whose rules the bloc-year ranks by: its own, its council's defaults, or the built-in."""
    holders = set(
        (
            RankingRules.objects.filter(bloc_year=bloc_year)
            | RankingRules.objects.filter(
                council_id=bloc_year.bloc.council_id, bloc_year__isnull=True
            )
        ).values_list("bloc_year_id", flat=True)
    )
    if bloc_year.pk in holders:
        return RULES_OWN
    return RULES_COUNCIL if None in holders else RULES_DEFAULT


def _council_rules(council: Council) -> tuple[bool, RuleSet, bool]:
    """A council's defaults: whether it set them, the rules and the explanation rule."""
    own = RankingRules.objects.filter(council=council, bloc_year__isnull=True).first()
    return own is not None, rule_set(own), bool(own and own.explanation_required)


def _form(data: Any, found: RuleSet, explanation: bool) -> RankingRulesForm:
    return RankingRulesForm(
        data,
        tie_breaks=found.tie_breaks,
        bands=found.bands,
        explanation_required=explanation,
        empty_sections=found.empty_sections,
        mode=found.mode,
        vote_bands=found.vote_bands,
    )


def _save_rules(form: RankingRulesForm, user: User, **target: Any) -> bool:
    if not form.is_valid():
        return False
    try:
        services.ranking_rules_save(
            tie_breaks=form.tie_breaks,
            bands=form.bands,
            explanation_required=form.cleaned_data["explanation_required"],
            empty_sections=form.cleaned_data["empty_sections"] or None,
            mode=form.cleaned_data["mode"] or None,
            vote_bands=form.vote_bands or None,
            reason=form.cleaned_data.get("reason") or "",
            by=user,
            **target,
        )
    except ValidationError as error:
        form.add_service_error(error)
        return False
    return True


def _rules_context(form: RankingRulesForm, found: RuleSet, explanation: bool) -> dict[str, object]:
    return {
        "form": form,
        "chain": [ranking.tie_break_label(key) for key in found.tie_breaks],
        "bands": found.bands,
        "empty_sections": found.empty_sections,
        "explanation_required": explanation,
        "by_votes": found.by_votes,
        "vote_rule": vote_ranking.explain(found.vote_bands),
    }


@login_required
@require_http_methods(["GET", "POST"])
def ranking_rules(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """The bloc-year's tie-break chain and bands; editable until the results are finalized."""
    bloc_year = bloc_access.get_bloc_year_for_user(request, bloc_id, year, write=True)
    found = rules_of(bloc_year)
    explanation = explanation_required(bloc_year)
    editable = bloc_year.state not in FINALIZED_STATES
    form = _form(None, found, explanation)
    if request.method == "POST":
        if not editable:
            messages.error(request, _("Kết quả đã chốt: không đổi quy tắc xếp hạng được nữa."))
            return redirect("scoring:ranking-rules", bloc_id, year)
        if pressed(request.POST, "reset"):
            return _reset_rules(request, bloc_year)
        form = _form(request.POST, found, explanation)
        if _save_rules(form, request.user, bloc_year=bloc_year):
            messages.success(request, _("Đã lưu quy tắc xếp hạng riêng của khối năm nay."))
            return redirect("scoring:ranking-rules", bloc_id, year)
    council = bloc_year.bloc.council
    return render(
        request,
        "scoring/ranking_rules.html",
        {
            **_rules_context(form, found, explanation),
            "bloc_year": bloc_year,
            "council": council,
            "editable": editable,
            "needs_reason": services.change_needs_reason(bloc_year),
            "source": _rules_source(bloc_year),
            "can_edit_council": bloc_access.is_council_admin(request.user, council.pk),
            "breadcrumbs": results_crumbs(bloc_year, _("Quy tắc xếp hạng")),
        },
    )


def _reset_rules(request: AuthenticatedHttpRequest, bloc_year: BlocYear) -> HttpResponse:
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        removed = services.ranking_rules_reset(bloc_year=bloc_year, by=request.user, reason=reason)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if removed:
            messages.success(
                request, _("Đã bỏ quy tắc riêng: khối năm nay dùng quy tắc mặc định của hội đồng.")
            )
    return redirect("scoring:ranking-rules", bloc_year.bloc_id, bloc_year.year)


@login_required
@require_http_methods(["GET", "POST"])
def council_ranking_rules(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """A council's default tie-break chain and bands, for bloc-years without rules of their own."""
    council = bloc_access.get_council(code)
    if not bloc_access.is_council_admin(request.user, council.pk):
        raise PermissionDenied
    has_own, found, explanation = _council_rules(council)
    form = _form(None, found, explanation)
    if request.method == "POST":
        form = _form(request.POST, found, explanation)
        if _save_rules(form, request.user, council=council):
            messages.success(request, _("Đã lưu quy tắc xếp hạng mặc định của hội đồng."))
            return redirect("scoring:council-ranking-rules", council.code)
    return render(
        request,
        "scoring/ranking_rules.html",
        {
            **_rules_context(form, found, explanation),
            "council": council,
            "editable": True,
            "source": RULES_COUNCIL if has_own else RULES_DEFAULT,
            "breadcrumbs": [
                home_crumb(),
                Crumb(council.name, council.get_absolute_url()),
                Crumb(_("Quy tắc xếp hạng mặc định")),
            ],
        },
    )
