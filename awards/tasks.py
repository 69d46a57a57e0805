"""Awards tasks for the "my work" page: the secretariat's proposals, the leaders' review, and
what happened to a unit's own proposals."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from awards import tasks_registration
from awards.models import Proposal
from blocs import access as bloc_access
from blocs.models import BlocYear, User
from blocs.work import Task, TaskStatus
from scoring.access import PUBLISHED_STATES

Status = Proposal.Status


def tasks_for(user: User) -> list[Task]:
    if user.role == User.Role.FOCAL_POINT:
        return tasks_registration.tasks_for(user) + _own_unit_tasks(user) + _secretariat_tasks(user)
    if user.role == User.Role.LEADER:
        return _leader_tasks(user)
    if user.role == User.Role.COUNCIL_ADMIN or user.is_superuser:
        return _council_admin_tasks(user)
    return []


def _council_admin_tasks(user: User) -> list[Task]:
    """Approved proposals waiting for the council's vote and the decision."""
    proposals = Proposal.objects.filter(status=Status.APPROVED, decision__isnull=True)
    if not user.is_superuser:
        proposals = proposals.filter(
            bloc_year__bloc__council_id__in=bloc_access.managed_council_ids(user)
        )
    waiting = proposals.count()
    if not waiting:
        return []
    return [
        Task(
            title=ngettext(
                "Ghi quyết định khen thưởng: %(count)s đề nghị đã duyệt",
                "Ghi quyết định khen thưởng: %(count)s đề nghị đã duyệt",
                waiting,
            )
            % {"count": waiting},
            url=reverse("awards:decisions"),
            status=TaskStatus.TO_DO,
            hint=_("Ghi kết quả bỏ phiếu của Hội đồng và số, ngày quyết định khen thưởng."),
            group=_("Quản trị hội đồng"),
        )
    ]


def _own_unit_tasks(user: User) -> list[Task]:
    """The unit's proposals that came back from the leaders: returned, or approved and waiting
    for the decision."""
    if user.unit_id is None:
        return []
    proposals = (
        Proposal.objects.filter(unit_id=user.unit_id)
        .filter(Q(status=Status.RETURNED) | Q(status=Status.APPROVED, decision__isnull=True))
        .select_related("award_type", "bloc_year")
        .order_by("-bloc_year__year", "award_type__order")[:5]
    )
    tasks = []
    for proposal in proposals:
        values = {"award": proposal.award_type.name, "year": proposal.bloc_year.year}
        if proposal.status == Status.RETURNED:
            title = _("Đề nghị của đơn vị bị trả lại: %(award)s năm %(year)s") % values
            hint = _("Lãnh đạo trả lại để hoàn thiện; thư ký khối đang sửa và trình lại.")
        else:
            title = _("Đề nghị của đơn vị được duyệt: %(award)s năm %(year)s") % values
            hint = _("Chờ Hội đồng bỏ phiếu và quyết định khen thưởng.")
        tasks.append(
            Task(
                title=title,
                url=proposal.get_absolute_url(),
                status=TaskStatus.FOR_INFORMATION,
                hint=hint,
                group=_("Đơn vị của tôi"),
            )
        )
    return tasks


def _secretariat_tasks(user: User) -> list[Task]:
    ids = bloc_access.secretariat_bloc_year_ids(user)
    if not ids:
        return []
    bloc_years = (
        BlocYear.objects.filter(pk__in=ids, state__in=PUBLISHED_STATES)
        .select_related("bloc")
        .annotate(
            total=Count("proposals"),
            drafts=Count("proposals", filter=Q(proposals__status=Status.DRAFT)),
            returned=Count("proposals", filter=Q(proposals__status=Status.RETURNED)),
            submitted=Count("proposals", filter=Q(proposals__status=Status.SUBMITTED)),
            approved=Count("proposals", filter=Q(proposals__status=Status.APPROVED)),
            rejected=Count("proposals", filter=Q(proposals__status=Status.REJECTED)),
        )
        .order_by("-year", "bloc__name")
    )
    tasks = []
    for bloc_year in bloc_years:
        counts = {
            name: getattr(bloc_year, name)
            for name in ("total", "drafts", "returned", "submitted", "approved", "rejected")
        }
        if not counts["total"]:
            if bloc_year.state == BlocYear.State.DECIDED:
                continue
            status, hint = (
                TaskStatus.TO_DO,
                _("Lập đề nghị theo kết quả xếp hạng và bỏ phiếu kín, rồi trình lãnh đạo."),
            )
        elif counts["returned"]:
            status, hint = (
                TaskStatus.TO_DO,
                ngettext(
                    "%(returned)s đề nghị bị trả lại: hoàn thiện rồi trình lại.",
                    "%(returned)s đề nghị bị trả lại: hoàn thiện rồi trình lại.",
                    counts["returned"],
                )
                % counts,
            )
        elif counts["drafts"]:
            status, hint = (
                TaskStatus.IN_PROGRESS,
                ngettext(
                    "%(drafts)s đề nghị chưa trình.",
                    "%(drafts)s đề nghị chưa trình.",
                    counts["drafts"],
                )
                % counts,
            )
        elif counts["submitted"]:
            status, hint = (
                TaskStatus.WAITING,
                ngettext(
                    "%(submitted)s đề nghị chờ lãnh đạo duyệt.",
                    "%(submitted)s đề nghị chờ lãnh đạo duyệt.",
                    counts["submitted"],
                )
                % counts,
            )
        else:
            status, hint = (
                TaskStatus.DONE,
                _(
                    "Lãnh đạo đã xem xong: %(approved)s đề nghị được duyệt, "
                    "%(rejected)s không duyệt."
                )
                % counts,
            )
        tasks.append(
            Task(
                title=_("Đề nghị khen thưởng %(bloc)s năm %(year)s")
                % {"bloc": bloc_year.bloc.name, "year": bloc_year.year},
                url=reverse("awards:proposals", args=[bloc_year.bloc_id, bloc_year.year]),
                status=status,
                hint=hint,
                group=_("Thư ký khối"),
                # Only while the bloc still has proposals to prepare or send.
                deadline=bloc_year.proposals_due
                if status in (TaskStatus.TO_DO, TaskStatus.IN_PROGRESS)
                else None,
                label=_("Chờ lãnh đạo duyệt") if status == TaskStatus.WAITING else "",
            )
        )
    return tasks


def _leader_tasks(user: User) -> list[Task]:
    council_ids = bloc_access.leader_council_ids(user)
    if not council_ids:
        return []
    waiting = Proposal.objects.filter(
        status=Status.SUBMITTED, bloc_year__bloc__council_id__in=council_ids
    ).count()
    if not waiting:
        return []
    return [
        Task(
            title=ngettext(
                "Duyệt đề nghị khen thưởng: %(count)s đề nghị chờ duyệt",
                "Duyệt đề nghị khen thưởng: %(count)s đề nghị chờ duyệt",
                waiting,
            )
            % {"count": waiting},
            url=reverse("awards:review-queue"),
            status=TaskStatus.TO_DO,
            hint=_("Xem hồ sơ từng đề nghị rồi duyệt, trả lại hoặc không duyệt."),
            group=_("Lãnh đạo"),
        )
    ]
