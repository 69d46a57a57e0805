"""Scoring tasks for the "my work" page: fill the sheet, answer questions, verify, and score
the criteria given to the council's standing office or to a department."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from blocs import access as bloc_access
from blocs import deadlines
from blocs.models import BlocYear, User
from blocs.work import Task, TaskStatus
from scoring.models import Complaint, Criterion, ScoreLine, ScoreSheet
from scoring.selectors.recall import recall_refusal, with_recall_checks
from scoring.selectors.verification import OUTSIDE_SCORED


def tasks_for(user: User) -> list[Task]:
    outside = _outside_scoring_tasks(user)
    if user.role != User.Role.FOCAL_POINT:
        return outside
    return _own_sheet_tasks(user) + _secretariat_tasks(user) + outside


def _own_sheet_tasks(user: User) -> list[Task]:
    if user.unit_id is None:
        return []
    # A finalized sheet is done, except while its year's results are published provisionally:
    # then the unit reads them and may complain (same query).
    sheets = with_recall_checks(  # whether a sent sheet can still be taken back, in the query
        ScoreSheet.objects.filter(unit_id=user.unit_id)
        .exclude(
            Q(state=ScoreSheet.State.FINALIZED) & ~Q(bloc_year__state=BlocYear.State.PROVISIONAL)
        )
        .select_related("bloc_year__bloc", "bloc_year__publication")
        .order_by("-bloc_year__year")
    )[:3]
    tasks = []
    today = deadlines.today()
    for sheet in sheets:
        bloc_year = sheet.bloc_year
        if sheet.state == ScoreSheet.State.FINALIZED:
            tasks.append(_provisional_results_task(bloc_year, today))
            continue
        title = _("Tự chấm điểm năm %(year)s (%(bloc)s)") % {
            "year": bloc_year.year,
            "bloc": bloc_year.bloc.name,
        }
        status, hint = {
            ScoreSheet.State.DRAFT: (
                TaskStatus.TO_DO,
                _("Nhập điểm tự chấm, ghi chú, minh chứng rồi gửi thư ký khối."),
            ),
            ScoreSheet.State.SUBMITTED: (
                TaskStatus.WAITING,
                _("Đã gửi; thư ký khối đang thẩm định."),
            ),
            ScoreSheet.State.RETURNED: (
                TaskStatus.TO_DO,
                _("Thư ký khối yêu cầu giải trình một số tiêu chí."),
            ),
            ScoreSheet.State.VERIFIED: (TaskStatus.DONE, _("Đã thẩm định xong.")),
        }[ScoreSheet.State(sheet.state)]
        if sheet.state == ScoreSheet.State.SUBMITTED and recall_refusal(sheet) is None:
            hint = _("Đã gửi; thư ký khối chưa bắt đầu thẩm định: đơn vị còn rút lại được để sửa.")
        if sheet.entered_on_behalf and sheet.state == ScoreSheet.State.DRAFT:
            hint = _("Thư ký khối đã nhập thay từ bản giấy; kiểm tra lại rồi gửi.")
        # The unit's own deadline: sending the sheet, then answering questions while the
        # secretariat verifies.
        due = {
            ScoreSheet.State.DRAFT: bloc_year.self_assessment_due,
            ScoreSheet.State.RETURNED: bloc_year.verification_due,
        }.get(ScoreSheet.State(sheet.state))
        if sheet.state == ScoreSheet.State.DRAFT and deadlines.is_late(due, today):
            hint = _("Đã hết hạn tự chấm: liên hệ thư ký khối để được nhập thay.")
        tasks.append(
            Task(
                title=title,
                url=sheet.get_absolute_url(),
                status=status,
                hint=hint,
                group=_("Đơn vị của tôi"),
                deadline=due,
                # Sent: the unit waits for the secretariat, not for a previous step.
                label=_("Chờ thẩm định") if sheet.state == ScoreSheet.State.SUBMITTED else "",
            )
        )
    return tasks


def _ranking_url(bloc_year: BlocYear) -> str:
    return reverse("scoring:ranking", args=[bloc_year.bloc_id, bloc_year.year])


def _provisional_results_task(bloc_year: BlocYear, today: datetime.date) -> Task:
    """The unit's year whose results are published provisionally: read them and complain, if
    need be, before the window closes."""
    publication = getattr(bloc_year, "publication", None)
    due = publication.complaint_deadline if publication is not None else None
    names = {"year": bloc_year.year, "bloc": bloc_year.bloc.name}
    if deadlines.is_late(due, today):
        hint = _("Đã hết thời hạn khiếu nại; chờ thư ký khối công bố chính thức.")
    else:
        hint = _("Xem thứ hạng và điểm của các thành viên; khiếu nại (nếu có) trong thời hạn.")
    return Task(
        title=_("Kết quả tạm thời năm %(year)s (%(bloc)s)") % names,
        url=_ranking_url(bloc_year),
        status=TaskStatus.FOR_INFORMATION,
        hint=hint,
        group=_("Đơn vị của tôi"),
        deadline=due,
    )


def _publication_task(row: dict[str, Any], today: datetime.date) -> Task | None:
    """The secretariat's steps between finalizing and the final publication: publish the
    provisional results, answer the complaints, publish for good."""
    state = row["bloc_year__state"]
    if state not in (BlocYear.State.FINALIZED, BlocYear.State.PROVISIONAL):
        return None
    args = [row["bloc_year__bloc_id"], row["bloc_year__year"]]
    names = {
        "bloc": row["bloc_year__bloc__name"],
        "year": row["bloc_year__year"],
        "count": row["open_complaints"],
    }
    window = row["bloc_year__publication__complaint_deadline"]
    due = None
    label: str = ""
    if state == BlocYear.State.FINALIZED:
        url = reverse("scoring:publish", args=args)
        title = _("Công bố tạm thời kết quả %(bloc)s năm %(year)s") % names
        status = TaskStatus.TO_DO
        hint = _("Kết quả đã chốt: công bố tạm thời để các thành viên xem và khiếu nại.")
    elif row["open_complaints"]:
        url = reverse("scoring:complaints", args=args)
        title = (
            ngettext(
                "Trả lời %(count)s khiếu nại – %(bloc)s năm %(year)s",
                "Trả lời %(count)s khiếu nại – %(bloc)s năm %(year)s",
                row["open_complaints"],
            )
            % names
        )
        status = TaskStatus.TO_DO
        hint = _("Trả lời từng khiếu nại trước khi công bố chính thức.")
    elif window is not None and not deadlines.is_late(window, today):
        url = reverse("scoring:complaints", args=args)
        title = _("Nhận khiếu nại – %(bloc)s năm %(year)s") % names
        status, label, due = TaskStatus.WAITING, _("Đang nhận khiếu nại"), window
        hint = _("Kết quả đang công bố tạm thời; chưa có khiếu nại nào chờ trả lời.")
    else:
        url = reverse("scoring:publish", args=args)
        title = _("Công bố chính thức kết quả %(bloc)s năm %(year)s") % names
        status = TaskStatus.TO_DO
        hint = _("Đã hết thời hạn khiếu nại và mọi khiếu nại đã được trả lời.")
    return Task(
        title=title,
        url=url,
        status=status,
        hint=hint,
        group=_("Thư ký khối"),
        deadline=due,
        label=label,
    )


def _secretariat_tasks(user: User) -> list[Task]:
    ids = bloc_access.secretariat_bloc_year_ids(user)
    if not ids:
        return []
    rows = (
        # A year with its decision is over: nothing of it is left to do.
        ScoreSheet.objects.filter(bloc_year_id__in=ids)
        .exclude(bloc_year__state=BlocYear.State.DECIDED)
        .values(
            "bloc_year_id",
            "bloc_year__bloc_id",
            "bloc_year__bloc__name",
            "bloc_year__year",
            "bloc_year__self_assessment_due",
            "bloc_year__verification_due",
            "bloc_year__state",
            "bloc_year__publication__complaint_deadline",
        )
        .annotate(
            # distinct: the complaints' join repeats each sheet once per complaint.
            waiting=Count(
                "id",
                filter=Q(state=ScoreSheet.State.SUBMITTED) & ~Q(unit_id=user.unit_id),
                distinct=True,
            ),
            drafts=Count("id", filter=Q(state=ScoreSheet.State.DRAFT), distinct=True),
            returned=Count("id", filter=Q(state=ScoreSheet.State.RETURNED), distinct=True),
            total=Count("id", distinct=True),
            # Finalizing locks verified sheets: they stay done.
            done=Count(
                "id",
                filter=Q(state__in=[ScoreSheet.State.VERIFIED, ScoreSheet.State.FINALIZED]),
                distinct=True,
            ),
            open_complaints=Count(
                "bloc_year__complaints",
                filter=Q(bloc_year__complaints__status=Complaint.Status.OPEN),
                distinct=True,
            ),
        )
        .order_by("-bloc_year__year")
    )
    tasks = []
    today = deadlines.today()
    for row in rows:
        publication = _publication_task(row, today)  # same query
        if publication is not None:
            tasks.append(publication)
        # Verifying is due by the verification deadline; while only waiting for the units'
        # sheets, the self-assessment deadline is the one to watch.
        due = row["bloc_year__verification_due"]
        if row["done"] == row["total"]:
            status, hint = TaskStatus.DONE, _("Đã thẩm định xong tất cả %(total)s bảng điểm.") % row
        else:
            status = TaskStatus.TO_DO if row["waiting"] else TaskStatus.WAITING
            hint = _verification_hint(row)
            if not row["waiting"] and row["drafts"]:
                due = row["bloc_year__self_assessment_due"]
        tasks.append(
            Task(
                title=_("Thẩm định bảng điểm %(bloc)s năm %(year)s")
                % {"bloc": row["bloc_year__bloc__name"], "year": row["bloc_year__year"]},
                url=reverse(
                    "scoring:progress", args=[row["bloc_year__bloc_id"], row["bloc_year__year"]]
                ),
                status=status,
                hint=hint,
                group=_("Thư ký khối"),
                deadline=due,
            )
        )
    return tasks


def _verification_hint(row: dict[str, Any]) -> str:
    """ "2 bảng điểm chờ thẩm định; 1 đơn vị đang giải trình; 4 đơn vị chưa gửi." – each part
    only when it counts something."""
    parts = [
        ngettext(
            "%(waiting)s bảng điểm chờ thẩm định",
            "%(waiting)s bảng điểm chờ thẩm định",
            row["waiting"],
        )
        % row
        if row["waiting"]
        else "",
        ngettext(
            "%(returned)s đơn vị đang giải trình",
            "%(returned)s đơn vị đang giải trình",
            row["returned"],
        )
        % row
        if row["returned"]
        else "",
        ngettext(
            "%(drafts)s đơn vị chưa gửi bảng tự chấm",
            "%(drafts)s đơn vị chưa gửi bảng tự chấm",
            row["drafts"],
        )
        % row
        if row["drafts"]
        else "",
    ]
    said = [part for part in parts if part]
    if not said:  # only sheets this person may not verify (their own unit's) are left
        left = {"left": row["total"] - row["done"]}
        return (
            ngettext(
                "%(left)s bảng điểm chưa thẩm định xong.",
                "%(left)s bảng điểm chưa thẩm định xong.",
                left["left"],
            )
            % left
        )
    return "; ".join(said) + "."


def _outside_scoring_tasks(user: User) -> list[Task]:
    """One task per criterion scored outside the bloc's secretariat with lines still missing a
    verified value, in the bloc-years being scored: for council admins, the council's and the
    departments' criteria of their councils (they may stand in for a department); for a
    department's focal points, the criteria naming their unit (never its own line). One query
    whatever the number of blocs (two for a department's focal point: its criteria, then,
    when there are any, their lines)."""
    lines = ScoreLine.objects.filter(
        sheet__bloc_year__state=BlocYear.State.SCORING,
        not_applicable=False,
    ).exclude(sheet__state=ScoreSheet.State.FINALIZED)
    if user.role == User.Role.COUNCIL_ADMIN or user.is_superuser:
        lines = lines.filter(criterion__scored_by__in=OUTSIDE_SCORED)
        if not user.is_superuser:
            lines = lines.filter(
                sheet__bloc_year__bloc__council_id__in=bloc_access.managed_council_ids(user)
            )
    elif user.role == User.Role.FOCAL_POINT and user.unit_id is not None:
        # The criteria naming the unit first (through the index on the scorer; most units have
        # none, and then nothing else is read), then only their lines: the lines' query then
        # starts from them instead of from every bloc-year of the province being scored.
        named = list(
            Criterion.objects.filter(
                scored_by=Criterion.ScoredBy.DEPARTMENT, scorer_unit_id=user.unit_id
            ).values_list("id", flat=True)
        )
        if not named:
            return []
        lines = lines.filter(criterion_id__in=named).exclude(sheet__unit_id=user.unit_id)
    else:
        return []
    missing = Q(verified_value__isnull=True)
    rows = (
        lines.values(
            "sheet__bloc_year__bloc_id",
            "sheet__bloc_year__bloc__name",
            "sheet__bloc_year__year",
            "sheet__bloc_year__verification_due",
            "criterion_id",
            "criterion__code",
            "criterion__order",
        )
        .annotate(
            total=Count("id"),
            missing=Count("id", filter=missing),
            waiting=Count("id", filter=missing & Q(sheet__state=ScoreSheet.State.SUBMITTED)),
        )
        .filter(missing__gt=0)
        .order_by("-sheet__bloc_year__year", "sheet__bloc_year__bloc__name", "criterion__order")
    )
    tasks = []
    for row in rows:
        names = {
            "code": row["criterion__code"],
            "bloc": row["sheet__bloc_year__bloc__name"],
            "year": row["sheet__bloc_year__year"],
            "missing": row["missing"],
            "waiting": row["waiting"],
        }
        hint = (
            ngettext(
                "Còn %(missing)s đơn vị chưa có điểm.",
                "Còn %(missing)s đơn vị chưa có điểm.",
                row["missing"],
            )
            % names
        )
        if row["waiting"]:
            # A submitted sheet cannot be marked verified until this line has its points.
            status = TaskStatus.TO_DO
            more = (
                ngettext(
                    "%(waiting)s bảng điểm đã gửi đang chờ tiêu chí này để thẩm định xong.",
                    "%(waiting)s bảng điểm đã gửi đang chờ tiêu chí này để thẩm định xong.",
                    row["waiting"],
                )
                % names
            )
        elif row["missing"] < row["total"]:
            status, more = TaskStatus.IN_PROGRESS, _("Chưa có bảng điểm đã gửi nào phải chờ.")
        else:
            status, more = TaskStatus.WAITING, _("Các đơn vị chưa gửi bảng tự chấm.")
        hint = f"{hint} {more}"
        tasks.append(
            Task(
                title=_("Chấm tiêu chí %(code)s – %(bloc)s năm %(year)s") % names,
                url=reverse(
                    "scoring:criterion-scores",
                    args=[
                        row["sheet__bloc_year__bloc_id"],
                        row["sheet__bloc_year__year"],
                        row["criterion_id"],
                    ],
                ),
                status=status,
                hint=hint,
                group=_("Tiêu chí được giao chấm"),
                deadline=row["sheet__bloc_year__verification_due"],
            )
        )
    return tasks
