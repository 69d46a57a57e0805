"""A bloc's proposals: the list (and making them), submitting the list, and one proposal's page,
which is the leaders' decision packet."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from awards import access, selectors
from awards.eligibility import Finding, Gates, gate_label, gate_of
from awards.forms_proposals import ProposalAddForm, ReviewForm, SummaryForm
from awards.models import AwardType, Proposal, RuleSet
from awards.services import proposals as services
from blocs.http import AuthenticatedHttpRequest
from blocs.models import BlocYear, Unit, User
from common.forms import pressed, retyped
from common.http import posted_id
from common.navigation import Crumb, home_crumb
from scoring.access import PUBLISHED_STATES

REVIEW_DRAFT = "awards-review-draft-%s"  # session key: what a leader typed when it was refused


def proposals_crumbs(bloc_year: BlocYear, *last: Crumb) -> list[Crumb]:
    bloc = bloc_year.bloc
    return [
        home_crumb(),
        Crumb(bloc.name, bloc.get_absolute_url()),
        Crumb(str(bloc_year.year), bloc_year.get_absolute_url()),
        Crumb(
            _("Đề nghị khen thưởng"),
            reverse("awards:proposals", args=[bloc_year.bloc_id, bloc_year.year]) if last else None,
        ),
        *last,
    ]


def _list_url(bloc_year: BlocYear) -> str:
    return reverse("awards:proposals", args=[bloc_year.bloc_id, bloc_year.year])


# ---------------------------------------------------------------------------- the list


@login_required
@require_http_methods(["GET", "POST"])
def proposals(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    bloc_year = access.get_bloc_year(request, bloc_id, year, follow=True)
    can_manage = access.can_manage_awards(request.user, bloc_year)
    published = bloc_year.state in PUBLISHED_STATES
    add_form = None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        posted = _post_list(request, bloc_year, published)
        if isinstance(posted, HttpResponse):
            return posted
        add_form = posted
    if not published:
        return render(
            request,
            "awards/proposals.html",
            {
                "bloc_year": bloc_year,
                "published": False,
                "breadcrumbs": proposals_crumbs(bloc_year),
            },
        )
    context = _list_context(request.user, bloc_year, can_manage, add_form)
    return render(request, "awards/proposals.html", context)


def _post_list(
    request: AuthenticatedHttpRequest, bloc_year: BlocYear, published: bool
) -> HttpResponse | ProposalAddForm:
    """One of the list's buttons: the page to go to, or the add form refused."""
    if not published:
        messages.error(request, _("Kết quả xếp hạng của khối chưa công bố."))
        return redirect(_list_url(bloc_year))
    action = pressed(request.POST)
    if action == "create-suggested":
        return _create_suggested(request, bloc_year)
    if action == "withdraw":
        return _withdraw(request, bloc_year)
    if action != "add":
        messages.error(request, _("Không rõ thao tác; hãy thử lại."))
        return redirect(_list_url(bloc_year))
    add_form = _add_form(bloc_year, request.POST)
    proposal = add_form.save(bloc_year=bloc_year, by=request.user) if add_form.is_valid() else None
    if proposal is None:
        return add_form
    messages.success(request, _("Đã lập đề nghị. Hãy viết tóm tắt thành tích của đơn vị."))
    return redirect(proposal.get_absolute_url())


def _list_context(
    user: User, bloc_year: BlocYear, can_manage: bool, add_form: ProposalAddForm | None
) -> dict[str, object]:
    """The published list: the proposals this person may see, and the secretariat's tools."""
    data = selectors.eligibility_for(bloc_year)
    see_all = can_manage or access.is_council_leader(user, bloc_year.bloc.council_id)
    visible = []
    for proposal in data.proposals:
        proposal.bloc_year = bloc_year  # loaded already: no query per row
        if see_all or access.can_see_proposal(user, proposal):
            visible.append(proposal)
    context: dict[str, object] = {
        "bloc_year": bloc_year,
        "published": True,
        "rows": services.proposal_checks(data, visible),
        "can_manage": can_manage,
        "see_all": see_all,
        "members": data.members,
        "ballot": data.ballot,
        "uncovered": data.uncovered,
        "breadcrumbs": proposals_crumbs(bloc_year),
    }
    if can_manage:
        context["suggested"] = [
            (award, data.units[unit_id]) for award, unit_id in services.suggested_new(data)
        ]
        context["add_form"] = add_form or _add_form(bloc_year, rule_set=data.rule_set)
        context["pending"] = sum(
            1 for proposal in data.proposals if proposal.status in services.EDITABLE
        )
    return context


def _add_form(
    bloc_year: BlocYear, data: object = None, *, rule_set: RuleSet | None = None
) -> ProposalAddForm:
    if rule_set is None:
        rule_set = selectors.rule_set_for_year(bloc_year.year)
    return ProposalAddForm(
        data,
        units=Unit.objects.filter(memberships__bloc_year=bloc_year)
        .prefetch_related("former_names")
        .order_by("name"),
        award_types=AwardType.objects.filter(rule_set=rule_set).order_by("order", "pk"),
        year=bloc_year.year,
    )


def _create_suggested(request: AuthenticatedHttpRequest, bloc_year: BlocYear) -> HttpResponse:
    try:
        created = services.proposals_create_suggested(bloc_year=bloc_year, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if created:
            messages.success(
                request,
                _("Đã lập %(count)s đề nghị theo kết quả xếp hạng và bỏ phiếu.")
                % {"count": len(created)},
            )
        else:
            messages.info(request, _("Không có đề nghị mới nào để lập."))
    return redirect(_list_url(bloc_year))


def _withdraw(request: AuthenticatedHttpRequest, bloc_year: BlocYear) -> HttpResponse:
    proposal_id = posted_id(request.POST, "proposal")
    proposal = (
        Proposal.objects.select_related("bloc_year", "unit", "award_type")
        .filter(pk=proposal_id, bloc_year=bloc_year)
        .first()
        if proposal_id is not None
        else None
    )
    if proposal is None:
        raise Http404
    try:
        services.proposal_withdraw(proposal=proposal, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Đã rút đề nghị “%(award)s” cho %(unit)s.")
            % {
                "award": proposal.award_type.name,
                "unit": proposal.unit.name_in_year(bloc_year.year),
            },
        )
    return redirect(_list_url(bloc_year))


# ---------------------------------------------------------------------------- submitting


@login_required
@require_http_methods(["GET", "POST"])
def proposals_submit(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """Check your answers, then submit the bloc's list; violations block it."""
    bloc_year = access.get_bloc_year(request, bloc_id, year, follow=False)
    published = bloc_year.state in PUBLISHED_STATES
    refused: list[str] = []
    if request.method == "POST" and published:
        try:
            submitted = services.proposals_submit(bloc_year=bloc_year, by=request.user)
        except ValidationError as error:
            refused = error.messages
        else:
            messages.success(
                request,
                _("Đã trình %(count)s đề nghị khen thưởng lên lãnh đạo Hội đồng.")
                % {"count": len(submitted)},
            )
            return redirect(_list_url(bloc_year))
    return render(
        request,
        "awards/proposals_submit.html",
        {
            "bloc_year": bloc_year,
            "published": published,
            "check": services.proposals_check(bloc_year=bloc_year) if published else None,
            "refused": refused,
            "breadcrumbs": proposals_crumbs(bloc_year, Crumb(_("Trình đề nghị"))),
        },
    )


# ---------------------------------------------------------------------------- one proposal


@dataclass
class GateCheck:
    label: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return not self.findings

    @property
    def unknown(self) -> bool:
        """Not checked: the facts the gate reads were never entered (never shown as met)."""
        return bool(self.findings) and all(finding.facts_missing for finding in self.findings)


def gate_checks(gates: Gates | None, findings: list[Finding]) -> list[GateCheck]:
    """The gates of the award, each met or not, in the order a leader reads them."""
    if gates is None:
        return []
    by_gate: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_gate[gate_of(finding)].append(finding)
    return [GateCheck(gate_label(gates, gate), by_gate.get(gate, [])) for gate in gates.set_gates]


def _review_form(request: AuthenticatedHttpRequest, proposal: Proposal) -> ReviewForm:
    """The review form, with what the leader typed if the last attempt was refused."""
    draft = request.session.pop(REVIEW_DRAFT % proposal.pk, None)
    if draft:
        form = ReviewForm(draft)
        form.is_valid()  # brings back the errors at the fields
        return form
    return ReviewForm()


@login_required
@require_http_methods(["GET", "POST"])
def proposal(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access.get_proposal_for_user(request, proposal_id)
    bloc_year = proposal.bloc_year
    can_edit = (
        proposal.status in services.EDITABLE
        and bloc_year.state in PUBLISHED_STATES
        and access.can_manage_awards(request.user, bloc_year)
    )
    form = None
    conflict = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = SummaryForm(request.POST)
        if form.is_valid():
            try:
                form.save(proposal=proposal, by=request.user)
            except services.ProposalConflict as clash:
                conflict = clash.proposal
                # Keep what was typed; a second save (now with the new version) overwrites
                # knowingly.
                form = SummaryForm(retyped(form, version=str(conflict.version)))
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
                return redirect(proposal.get_absolute_url())
            else:
                messages.success(request, _("Đã lưu tóm tắt thành tích."))
                return redirect(proposal.get_absolute_url())
    elif can_edit:
        form = SummaryForm(initial={"summary": proposal.summary, "version": proposal.version})
    context = _proposal_context(request, proposal)
    context.update(form=form, conflict=conflict, can_edit=can_edit)
    return render(request, "awards/proposal.html", context)


def _proposal_context(request: AuthenticatedHttpRequest, proposal: Proposal) -> dict[str, object]:
    """The decision packet: the checks, the gates, the unit's past years, the events."""
    bloc_year = proposal.bloc_year
    data = selectors.eligibility_for(bloc_year)
    code = proposal.award_type.code
    findings = data.findings(proposal.unit_id, code)
    can_review = proposal.status == Proposal.Status.SUBMITTED and access.can_review(
        request.user, bloc_year.bloc.council_id
    )
    unit_name = proposal.unit.name_in_year(bloc_year.year)
    return {
        "proposal": proposal,
        "bloc_year": bloc_year,
        "unit_name": unit_name,
        "check": services.ProposalCheck(proposal, unit_name, findings, data.members),
        "gates": gate_checks(data.gates.get(code), findings),
        "history": selectors.unit_past_years(proposal.unit_id, bloc_year.year),
        "events": list(proposal.events.select_related("by")),
        "review_form": _review_form(request, proposal) if can_review else None,
        "breadcrumbs": proposals_crumbs(bloc_year, Crumb(unit_name)),
    }
