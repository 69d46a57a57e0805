"""Events of the award proposals: submitted to the leaders, reviewed, decided."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from awards.models import Decision, Proposal
from blocs.models import BlocYear, User
from notifications import recipients
from notifications.events.deferred import after_commit, load_bloc_year, pk_of, short_date
from notifications.models import Notification
from notifications.services import notify


def proposals_submitted(
    bloc_year: BlocYear, proposals: Sequence[Proposal], *, by: User | None
) -> None:
    """The secretariat sent the bloc's proposals to the council's leaders: tell them."""
    # One submission, one key: the proposals and their versions after the submission (the
    # same proposals sent again after a return are a new submission).
    digest = hashlib.sha256(
        ",".join(f"{p.pk}.{p.version}" for p in sorted(proposals, key=lambda p: p.pk)).encode()
    ).hexdigest()[:16]
    after_commit(_proposals_submitted, bloc_year.pk, [p.pk for p in proposals], digest, pk_of(by))


def _proposals_submitted(
    bloc_year_id: int, proposal_ids: Sequence[int], digest: str, by_id: int | None
) -> None:
    bloc_year = load_bloc_year(bloc_year_id)
    count = len(proposal_ids)
    names = {"bloc": bloc_year.bloc.name, "year": bloc_year.year, "count": count}
    notify(
        recipients=recipients.leader_ids(bloc_year.bloc.council_id) - {by_id},
        kind=Notification.Kind.PROPOSALS_SUBMITTED,
        event_key=f"bloc-year:{bloc_year_id}:proposals-submitted:{digest}",
        title=ngettext(
            "%(bloc)s trình %(count)s đề nghị khen thưởng năm %(year)s",
            "%(bloc)s trình %(count)s đề nghị khen thưởng năm %(year)s",
            count,
        )
        % names,
        body=_(
            "Thư ký %(bloc)s đã trình đề nghị khen thưởng năm %(year)s. Lãnh đạo xem hồ sơ "
            "từng đề nghị rồi duyệt, trả lại hoặc không duyệt."
        )
        % names,
        url=reverse("awards:review-queue"),
    )


def proposal_reviewed(proposal: Proposal, *, by: User | None, note: str = "") -> None:
    """A leader approved, returned or rejected a proposal (its status says which)."""
    after_commit(
        _proposal_reviewed, proposal.pk, str(proposal.status), proposal.version, pk_of(by), note
    )


def proposals_decided(
    proposals: Sequence[Proposal], *, decision: Decision, by: User | None
) -> None:
    """Approved proposals were put under a decision: each unit has its award."""
    after_commit(
        _proposals_decided, [proposal.pk for proposal in proposals], decision.pk, pk_of(by)
    )


def _load_proposals(ids: Sequence[int]) -> list[Proposal]:
    return list(
        Proposal.objects.filter(pk__in=ids)
        .select_related("bloc_year__bloc", "unit", "award_type")
        .prefetch_related("unit__former_names")
        .order_by("pk")
    )


def _proposal_names(proposal: Proposal) -> dict[str, object]:
    bloc_year = proposal.bloc_year
    return {
        "award": proposal.award_type.name,
        "unit": proposal.unit.name_in_year(bloc_year.year),
        "bloc": bloc_year.bloc.name,
        "year": bloc_year.year,
    }


def _proposal_reviewed(
    proposal_id: int, status: str, version: int, by_id: int | None, note: str
) -> None:
    found = _load_proposals([proposal_id])
    if not found:
        return  # withdrawn since: nothing left to tell about
    proposal = found[0]
    names = {**_proposal_names(proposal), "note": note}
    secretariat = recipients.secretariat_ids(proposal.bloc_year_id)
    unit = recipients.focal_point_ids(proposal.unit_id)
    if status == Proposal.Status.RETURNED:
        kind, people = Notification.Kind.PROPOSAL_RETURNED, secretariat
        title = _("Đề nghị “%(award)s” cho %(unit)s bị trả lại để hoàn thiện") % names
        body = (
            _(
                "Lãnh đạo Hội đồng trả lại đề nghị “%(award)s” năm %(year)s cho %(unit)s "
                "(%(bloc)s). Nội dung cần hoàn thiện: %(note)s"
            )
            % names
        )
    elif status == Proposal.Status.APPROVED:
        kind, people = Notification.Kind.PROPOSAL_APPROVED, secretariat | unit
        title = _("Đề nghị “%(award)s” cho %(unit)s đã được duyệt") % names
        body = (
            _(
                "Lãnh đạo Hội đồng đã duyệt đề nghị “%(award)s” năm %(year)s cho %(unit)s "
                "(%(bloc)s). Khen thưởng có hiệu lực khi có quyết định."
            )
            % names
        )
        if note:
            body += " " + _("Ý kiến: %(note)s") % names
    elif status == Proposal.Status.REJECTED:
        kind, people = Notification.Kind.PROPOSAL_REJECTED, secretariat | unit
        title = _("Đề nghị “%(award)s” cho %(unit)s không được duyệt") % names
        body = (
            _(
                "Lãnh đạo Hội đồng không duyệt đề nghị “%(award)s” năm %(year)s cho %(unit)s "
                "(%(bloc)s). Lý do: %(note)s"
            )
            % names
        )
    else:
        return
    notify(
        recipients=people - {by_id},
        kind=kind,
        event_key=f"proposal:{proposal_id}:{status}:{version}",
        title=title,
        body=body,
        url=proposal.get_absolute_url(),
    )


def _proposals_decided(proposal_ids: Sequence[int], decision_id: int, by_id: int | None) -> None:
    decision = Decision.objects.get(pk=decision_id)
    proposals = _load_proposals(proposal_ids)
    secretariat = recipients.secretariat_ids_by_bloc_year({p.bloc_year_id for p in proposals})
    focal_points = recipients.focal_point_ids_by_unit({p.unit_id for p in proposals})
    for proposal in proposals:
        names = {
            **_proposal_names(proposal),
            "number": decision.number,
            "date": short_date(decision.date),
        }
        notify(
            recipients=(
                secretariat.get(proposal.bloc_year_id, set())
                | focal_points.get(proposal.unit_id, set())
            )
            - {by_id},
            kind=Notification.Kind.PROPOSAL_DECIDED,
            event_key=f"proposal:{proposal.pk}:decided:{decision_id}",
            title=_("%(unit)s: “%(award)s” theo Quyết định số %(number)s") % names,
            body=_(
                "Quyết định số %(number)s ngày %(date)s tặng “%(award)s” năm %(year)s cho "
                "%(unit)s (%(bloc)s). Khen thưởng đã được ghi vào lịch sử của đơn vị."
            )
            % names,
            url=proposal.get_absolute_url(),
        )
