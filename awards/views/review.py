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
from django.views.decorators.http import require_POST, require_safe

from awards import access, selectors
from awards.forms_proposals import ReviewForm
from awards.models import Proposal
from awards.services import review as services
from awards.views.proposals import REVIEW_DRAFT
from blocs import access as bloc_access
from blocs.http import AuthenticatedHttpRequest
from common.forms import typed
from common.navigation import Crumb, home_crumb


@login_required
@require_safe
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
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
            "breadcrumbs": [home_crumb(), Crumb(_("Duyệt đề nghị khen thưởng"))],
        },
    )


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
    step, done = steps[action]
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
