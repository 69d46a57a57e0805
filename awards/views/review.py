"""The council leaders' review: the queue of submitted proposals and the review action."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from awards import access, selectors
from awards.forms_proposals import ReviewBatchForm, ReviewForm
from awards.models import Proposal, ProposalEvent
from awards.services import review as services
from awards.views.proposals import REVIEW_DRAFT
from blocs import access as bloc_access
from blocs.http import AuthenticatedHttpRequest
from common.batch import BatchOutcome
from common.forms import typed
from common.navigation import Crumb, home_crumb


def _queue_page(request: AuthenticatedHttpRequest, form: ReviewBatchForm) -> HttpResponse:
    council_ids = bloc_access.leader_council_ids(request.user)
    if not council_ids:
        raise PermissionDenied
    groups = selectors.review_queue(council_ids)
    return render(
        request,
        "awards/review_queue.html",
        {
            "groups": groups,
            "count": sum(len(group.items) for group in groups),
            "form": form,
            "chosen": form.chosen_ids(),
            "breadcrumbs": [home_crumb(), Crumb(_("Duyệt đề nghị khen thưởng"))],
        },
    )


@login_required
@require_safe
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    # An empty form: its choices are read only when a batch is posted (no query here).
    return _queue_page(request, ReviewBatchForm(queryset=Proposal.objects.none()))


APPROVE = ProposalEvent.Action.APPROVE


def _report_batch(
    request: AuthenticatedHttpRequest, outcome: BatchOutcome[Proposal], *, approved: bool
) -> None:
    """One message for the proposals reviewed, one per proposal left as it was."""
    if count := len(outcome.done):
        done = (
            ngettext("Đã duyệt %(count)s đề nghị.", "Đã duyệt %(count)s đề nghị.", count)
            if approved
            else ngettext(
                "Đã trả lại %(count)s đề nghị để thư ký khối hoàn thiện.",
                "Đã trả lại %(count)s đề nghị để thư ký khối hoàn thiện.",
                count,
            )
        )
        messages.success(request, done % {"count": count})
    for proposal, reason in outcome.refused:
        unit = proposal.unit.name_in_year(proposal.bloc_year.year)
        messages.warning(
            request,
            _("%(unit)s – %(award)s: %(reason)s")
            % {"unit": unit, "award": proposal.award_type.name, "reason": reason},
        )


@login_required
@require_POST
def review_batch(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Approve, or return with one note, the proposals ticked in the queue. Each is reviewed on
    its own (``services.proposals_review_batch``); a refused form shows the queue again with the
    ticks, the choice and the note as sent."""
    if not bloc_access.leader_council_ids(request.user):
        raise PermissionDenied
    form = ReviewBatchForm(request.POST, queryset=access.reviewable_proposals(request.user))
    if not form.is_valid():
        return _queue_page(request, form)
    outcome = services.proposals_review_batch(
        proposals=list(form.cleaned_data["proposals"]),
        by=request.user,
        action=form.cleaned_data["action"],
        note=form.cleaned_data["note"],
    )
    _report_batch(request, outcome, approved=form.cleaned_data["action"] == APPROVE)
    return redirect(reverse("awards:review-queue"))


def _review_step(action: str) -> tuple[Callable[..., Proposal], str]:
    """The service a leader's decision on one proposal calls, and what to say once done."""
    steps: dict[str, tuple[Callable[..., Proposal], str]] = {
        ReviewForm.Action.APPROVE: (
            services.proposal_approve,
            _("Đã duyệt đề nghị “%(award)s” cho %(unit)s."),
        ),
        ReviewForm.Action.RETURN: (
            services.proposal_return,
            _("Đã trả lại đề nghị “%(award)s” cho %(unit)s để thư ký khối hoàn thiện."),
        ),
        ReviewForm.Action.REJECT: (
            services.proposal_reject,
            _("Đã ghi không duyệt đề nghị “%(award)s” cho %(unit)s."),
        ),
    }
    return steps[action]


@login_required
@require_POST
def proposal_review(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    """Approve, return with a note or reject with a reason. A refused attempt goes back to the
    proposal with the error and what was typed."""
    if not bloc_access.is_leader(request.user):
        raise PermissionDenied
    proposal = access.get_proposal_for_user(request, proposal_id)
    if not access.can_review(request.user, proposal.bloc_year.bloc.council_id):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        request.session[REVIEW_DRAFT % proposal.pk] = {
            name: str(value or "") for name, value in typed(form).items()
        }
        return redirect(proposal.get_absolute_url() + "#review")
    action, note = form.cleaned_data["action"], form.cleaned_data["note"]
    step, done = _review_step(action)
    try:
        step(proposal=proposal, by=request.user, note=note)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(proposal.get_absolute_url())
    messages.success(
        request,
        done
        % {
            "award": proposal.award_type.name,
            "unit": proposal.unit.name_in_year(proposal.bloc_year.year),
        },
    )
    return redirect(reverse("awards:review-queue"))
