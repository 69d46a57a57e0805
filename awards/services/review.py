"""The leaders' review of submitted proposals: approve, return with a note, reject with a reason.

Each step is a conditional update from "submitted": when two leaders click at once, the first
one acts and the second is told the proposal was already decided; nothing else changes.
Returned proposals go back to the secretariat, which fixes the summary and submits again.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from awards.models import Proposal, ProposalEvent
from awards.services.proposals import StateError, audit_context
from blocs.audit import audit_record
from blocs.models import User
from common.batch import BatchOutcome, each
from notifications import events as notification_events


class AlreadyDecided(StateError):
    """Another leader (or another click) dealt with the proposal first."""


def _decide(
    *,
    proposal: Proposal,
    by: User | None,
    status: str,
    action: str,
    note: str,
    summary: str,
) -> Proposal:
    updated = Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.SUBMITTED).update(
        status=status, version=F("version") + 1
    )
    if not updated:
        current = Proposal.objects.filter(pk=proposal.pk).first()
        raise AlreadyDecided(
            _("Đề nghị này đã được xử lý trước đó (hiện: “%(status)s”); không có gì thay đổi.")
            % {"status": current.get_status_display() if current else _("đã rút")}
        )
    before = proposal.status
    proposal.status = status
    proposal.version += 1
    ProposalEvent.objects.create(proposal=proposal, action=action, note=note, by=by)
    audit_record(
        actor=by,
        bloc_year=proposal.bloc_year,
        context=audit_context(proposal.bloc_year),
        action=f"proposal.{action}",
        subject=f"{proposal.unit.code}:{proposal.award_type.code}",
        summary=summary
        % {
            "award": proposal.award_type.name,
            "unit": proposal.unit.name_in_year(proposal.bloc_year.year),
        },
        changes={"status": [before, status]},
        reason=note,
    )
    notification_events.proposal_reviewed(proposal, by=by, note=note)
    return proposal


def note_missing(action: str, note: str) -> str | None:
    """The one rule on a leader's note: returning a proposal says what to complete, refusing it
    says why, approving needs none. What to write when the action's note is missing, else None
    (the review forms and the steps below both ask it)."""
    if note.strip():
        return None
    if action == ProposalEvent.Action.RETURN:
        return _("Ghi nội dung cần hoàn thiện để thư ký khối biết phải sửa gì.")
    if action == ProposalEvent.Action.REJECT:
        return _("Ghi lý do không duyệt.")
    return None


def _required(note: str, action: str) -> str:
    problem = note_missing(action, note)
    if problem is not None:
        raise StateError({"note": problem})
    return note.strip()


@transaction.atomic
def proposal_approve(*, proposal: Proposal, by: User | None, note: str = "") -> Proposal:
    return _decide(
        proposal=proposal,
        by=by,
        status=Proposal.Status.APPROVED,
        action=ProposalEvent.Action.APPROVE,
        note=note.strip(),
        summary=_("Duyệt đề nghị “%(award)s” cho %(unit)s"),
    )


@transaction.atomic
def proposal_return(*, proposal: Proposal, by: User | None, note: str) -> Proposal:
    """Send back to the secretariat with what to fix (the note is required)."""
    return _decide(
        proposal=proposal,
        by=by,
        status=Proposal.Status.RETURNED,
        action=ProposalEvent.Action.RETURN,
        note=_required(note, ProposalEvent.Action.RETURN),
        summary=_("Trả lại đề nghị “%(award)s” cho %(unit)s để hoàn thiện"),
    )


@transaction.atomic
def proposal_reject(*, proposal: Proposal, by: User | None, note: str) -> Proposal:
    """Refuse the proposal (the reason is required)."""
    return _decide(
        proposal=proposal,
        by=by,
        status=Proposal.Status.REJECTED,
        action=ProposalEvent.Action.REJECT,
        note=_required(note, ProposalEvent.Action.REJECT),
        summary=_("Không duyệt đề nghị “%(award)s” cho %(unit)s"),
    )


def proposals_review_batch(
    *, proposals: Sequence[Proposal], by: User | None, action: str, note: str
) -> BatchOutcome[Proposal]:
    """Approve, or return with one note, several proposals. Each is its own review in its own
    transaction, exactly as ``proposal_approve`` / ``proposal_return``: race-safe (a proposal
    another leader decided meanwhile is reported and left as it is, the others go on), audited
    and notified one by one. ``action`` is ``ProposalEvent.Action.APPROVE`` or ``RETURN``."""
    steps = {
        ProposalEvent.Action.APPROVE: proposal_approve,
        ProposalEvent.Action.RETURN: proposal_return,
    }
    step = steps[ProposalEvent.Action(action)]
    return each(proposals, lambda proposal: step(proposal=proposal, by=by, note=note))
