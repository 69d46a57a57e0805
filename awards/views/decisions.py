"""Decisions on awards: the list of a council's decisions, recording one, attaching the
approved proposals it decides (with the council vote of each flag), and its PDF."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from awards import access
from awards.forms_catalogue import AttachForm, DecisionForm
from awards.models import Decision, Proposal
from blocs.http import AuthenticatedHttpRequest
from blocs.models import UnitName
from common.files import open_stored
from common.navigation import Crumb, home_crumb


def decisions_crumbs(decision: Decision | None = None) -> list[Crumb]:
    crumbs = [home_crumb(), Crumb(_("Quyết định khen thưởng"), reverse("awards:decisions"))]
    if decision is not None:
        crumbs.append(Crumb(decision.number))
    return crumbs


@login_required
@require_http_methods(["GET", "POST"])
def decisions(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    council_ids = access.decision_council_ids(user)
    if council_ids is not None and not council_ids:
        raise PermissionDenied
    councils = access.recordable_councils(user)
    form = None
    if councils:
        form = DecisionForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
            councils=councils,
            initial={"council": councils[0].pk},
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        decision = form.save(by=user) if form.is_valid() else None
        if decision is not None:
            messages.success(
                request,
                _("Đã ghi quyết định số %(number)s. Chọn các đề nghị thuộc quyết định này.")
                % {"number": decision.number},
            )
            return redirect("awards:decision", decision.pk)
    items = Decision.objects.select_related("council").annotate(grant_count=Count("grants"))
    if council_ids is not None:
        items = items.filter(council_id__in=council_ids)
    return render(
        request,
        "awards/decisions.html",
        {
            "decisions": list(items.order_by("-date", "number")),
            "form": form,
            "show_council": len(councils) > 1 or council_ids is None or len(council_ids) > 1,
            "breadcrumbs": decisions_crumbs(),
        },
    )


def _undecided(decision: Decision) -> list[Proposal]:
    """Approved proposals of the decision's council still waiting for a decision."""
    return list(
        Proposal.objects.filter(
            bloc_year__bloc__council_id=decision.council_id,
            status=Proposal.Status.APPROVED,
            decision__isnull=True,
        )
        .select_related("bloc_year__bloc", "unit", "award_type__rule_set")
        .prefetch_related(Prefetch("unit__former_names", queryset=UnitName.objects.all()))
        .order_by("-bloc_year__year", "bloc_year__bloc__name", "award_type__order", "rank", "pk")
    )


def _groups(form: AttachForm) -> list[tuple[str, list[dict[str, object]]]]:
    """The checklist by year and bloc, each proposal with its form fields."""
    rows = []
    for proposal in form.proposals:
        year = proposal.bloc_year.year
        award = proposal.award_type
        rows.append(
            {
                "group": _("%(bloc)s – năm %(year)s")
                % {"bloc": proposal.bloc_year.bloc.name, "year": year},
                "proposal": proposal,
                # Said before the click: the service refuses it anyway.
                "other_authority": award.get_authority_display()
                if award.authority != form.authority
                else "",
                "unit": proposal.unit.name_in_year(year),
                "check": form[f"proposal_{proposal.pk}"],
                "total": form[f"total_{proposal.pk}"]
                if f"total_{proposal.pk}" in form.fields
                else None,
                "votes": form[f"votes_{proposal.pk}"]
                if f"votes_{proposal.pk}" in form.fields
                else None,
            }
        )
    return [(name, list(items)) for name, items in groupby(rows, key=lambda row: row["group"])]


def _attach_form(request: AuthenticatedHttpRequest, decision: Decision) -> AttachForm:
    """The checklist of proposals to attach, the council's last known size as the default."""
    last_total = (
        Proposal.objects.filter(
            bloc_year__bloc__council_id=decision.council_id,
            council_members_total__isnull=False,
        )
        .order_by("-decision__date", "-pk")
        .values_list("council_members_total", flat=True)
        .first()
    )
    return AttachForm(
        request.POST if request.method == "POST" else None,
        proposals=_undecided(decision),
        default_total=last_total,
        authority=decision.authority,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision(request: AuthenticatedHttpRequest, decision_id: int) -> HttpResponse:
    decision = access.get_decision_for_user(request, decision_id)
    can_record = access.can_record_decisions(request.user, decision.council_id)
    if request.method == "POST" and not can_record:
        raise PermissionDenied
    form = _attach_form(request, decision) if can_record else None
    if form is not None and request.method == "POST" and form.is_valid():
        grants = form.save(decision=decision, by=request.user)
        if grants is not None:
            messages.success(
                request,
                _("Đã ghi %(count)s khen thưởng theo quyết định số %(number)s.")
                % {"count": len(grants), "number": decision.number},
            )
            return redirect("awards:decision", decision.pk)
    decided = list(
        decision.proposals.select_related("bloc_year__bloc", "unit", "award_type")
        .prefetch_related("unit__former_names")
        .order_by("-bloc_year__year", "bloc_year__bloc__name", "award_type__order", "rank")
    )
    return render(
        request,
        "awards/decision.html",
        {
            "decision": decision,
            "decided": [
                (proposal, proposal.unit.name_in_year(proposal.bloc_year.year))
                for proposal in decided
            ],
            "form": form,
            "groups": _groups(form) if form is not None else [],
            "breadcrumbs": decisions_crumbs(decision),
        },
    )


@login_required
@require_safe
def decision_file(request: AuthenticatedHttpRequest, decision_id: int) -> FileResponse:
    """The decision's PDF to those who may see the decision; never run by the browser."""
    decision = access.get_decision_for_user(request, decision_id)
    if not decision.file:
        raise Http404
    response = FileResponse(
        open_stored(decision.file),
        content_type="application/pdf",
        as_attachment=request.GET.get("download") == "1",
        filename=f"{decision.number.replace('/', '-')}.pdf",
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
