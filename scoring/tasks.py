"""Scoring tasks for the "my work" page: fill the sheet, answer questions, verify."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from blocs import access as bloc_access
from blocs import deadlines
from blocs.models import User
from scoring.models import ScoreSheet
from thidua.lib.work import Task, TaskStatus


def tasks_for(user: User) -> list[Task]:
    if user.role != User.Role.FOCAL_POINT:
        return []
    return _own_sheet_tasks(user) + _secretariat_tasks(user)


def _own_sheet_tasks(user: User) -> list[Task]:
    if user.unit_id is None:
        return []
    sheets = (
        ScoreSheet.objects.filter(unit_id=user.unit_id)
        .exclude(state=ScoreSheet.State.FINALIZED)
        .select_related("bloc_year__bloc")
        .order_by("-bloc_year__year")[:3]
    )
    tasks = []
    today = deadlines.today()
    for sheet in sheets:
        bloc_year = sheet.bloc_year
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
            )
        )
    return tasks


def _secretariat_tasks(user: User) -> list[Task]:
    ids = bloc_access.secretariat_bloc_year_ids(user)
    if not ids:
        return []
    rows = (
        ScoreSheet.objects.filter(bloc_year_id__in=ids)
        .values(
            "bloc_year_id",
            "bloc_year__bloc_id",
            "bloc_year__bloc__name",
            "bloc_year__year",
            "bloc_year__self_assessment_due",
            "bloc_year__verification_due",
        )
        .annotate(
            waiting=Count(
                "id", filter=Q(state=ScoreSheet.State.SUBMITTED) & ~Q(unit_id=user.unit_id)
            ),
            drafts=Count(
                "id", filter=Q(state__in=[ScoreSheet.State.DRAFT, ScoreSheet.State.RETURNED])
            ),
            total=Count("id"),
            # Finalizing locks verified sheets: they stay done.
            done=Count(
                "id",
                filter=Q(state__in=[ScoreSheet.State.VERIFIED, ScoreSheet.State.FINALIZED]),
            ),
        )
        .order_by("-bloc_year__year")
    )
    tasks = []
    for row in rows:
        # Verifying is due by the verification deadline; while only waiting for the units'
        # sheets, the self-assessment deadline is the one to watch.
        due = row["bloc_year__verification_due"]
        if row["done"] == row["total"]:
            status, hint = TaskStatus.DONE, _("Đã thẩm định xong tất cả %(total)s bảng điểm.") % row
        elif row["waiting"]:
            status, hint = (
                TaskStatus.TO_DO,
                _("%(waiting)s bảng điểm chờ thẩm định; %(drafts)s đơn vị chưa gửi.") % row,
            )
        else:
            status, hint = TaskStatus.WAITING, _("%(drafts)s đơn vị chưa gửi bảng tự chấm.") % row
            if row["drafts"]:
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
