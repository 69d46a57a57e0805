"""Organisation tasks for the "my work" page, by role."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from blocs import access
from blocs.models import BlocYear, Council, Membership, User
from blocs.work import Task, TaskStatus


def tasks_for(user: User) -> list[Task]:
    tasks: list[Task] = []
    if user.role == User.Role.COUNCIL_ADMIN or user.is_superuser:
        tasks += _council_admin_tasks(user)
    if user.role == User.Role.FOCAL_POINT:
        tasks += _secretariat_tasks(user)
        tasks += _focal_point_tasks(user)
    if user.role == User.Role.LEADER:
        tasks += _leader_tasks(user)
    return tasks


def _council_admin_tasks(user: User) -> list[Task]:
    councils = (
        BlocYear.objects.all()
        if user.is_superuser
        else BlocYear.objects.filter(bloc__council_id__in=access.managed_council_ids(user))
    )
    # Years being set up, and years underway (the admins manage them with the secretariat and
    # stand in for it); a year with its decision is over.
    unfinished = (
        councils.exclude(state=BlocYear.State.DECIDED)
        .select_related("bloc")
        .annotate(
            member_count=Count("memberships"),
            head_count=Count("memberships", filter=Q(memberships__role=Membership.Role.HEAD)),
            deputy_count=Count("memberships", filter=Q(memberships__role=Membership.Role.DEPUTY)),
        )
        .order_by("-year", "bloc__name")
    )
    tasks = []
    for bloc_year in unfinished:
        if bloc_year.state != BlocYear.State.SETUP:
            tasks.append(
                Task(
                    title=_("Theo dõi %(bloc)s năm %(year)s")
                    % {"bloc": bloc_year.bloc.name, "year": bloc_year.year},
                    url=bloc_year.get_absolute_url(),
                    status=TaskStatus.FOR_INFORMATION,
                    hint=_("Bước hiện tại: %(state)s") % {"state": bloc_year.get_state_display()},
                    group=_("Quản trị hội đồng"),
                )
            )
            continue
        missing = []
        if bloc_year.member_count < 2:
            missing.append(_("thành viên"))
        if not bloc_year.head_count:
            missing.append(_("Trưởng khối"))
        if not bloc_year.deputy_count:
            missing.append(_("Khối phó"))
        tasks.append(
            Task(
                title=_("Thiết lập %(bloc)s năm %(year)s")
                % {"bloc": bloc_year.bloc.name, "year": bloc_year.year},
                url=bloc_year.get_absolute_url(),
                status=TaskStatus.TO_DO if missing else TaskStatus.IN_PROGRESS,
                hint=_("Còn thiếu: %(items)s") % {"items": ", ".join(missing)}
                if missing
                else _("Đã đủ thành viên, Trưởng khối và Khối phó; chờ ký giao ước."),
                group=_("Quản trị hội đồng"),
            )
        )
    return tasks


def _secretariat_tasks(user: User) -> list[Task]:
    bloc_years = (
        BlocYear.objects.filter(pk__in=access.secretariat_bloc_year_ids(user))
        .exclude(state=BlocYear.State.DECIDED)
        .select_related("bloc")
        .order_by("-year", "bloc__name")
    )
    return [
        Task(
            title=_("Điều hành %(bloc)s năm %(year)s")
            % {"bloc": bloc_year.bloc.name, "year": bloc_year.year},
            url=bloc_year.get_absolute_url(),
            status=TaskStatus.IN_PROGRESS,
            hint=_("Bước hiện tại: %(state)s") % {"state": bloc_year.get_state_display()},
            group=_("Thư ký khối"),
        )
        for bloc_year in bloc_years
    ]


def _focal_point_tasks(user: User) -> list[Task]:
    if user.unit_id is None:
        return []
    membership = (
        Membership.objects.filter(unit_id=user.unit_id)
        .select_related("bloc_year__bloc")
        .order_by("-year")
        .first()
    )
    if membership is None:
        return []
    bloc_year = membership.bloc_year
    return [
        Task(
            title=_("Năm thi đua %(year)s của đơn vị trong %(bloc)s")
            % {"year": bloc_year.year, "bloc": bloc_year.bloc.name},
            url=bloc_year.get_absolute_url(),
            status=TaskStatus.FOR_INFORMATION,
            hint=_("Bước hiện tại của khối: %(state)s") % {"state": bloc_year.get_state_display()},
            group=_("Đơn vị của tôi"),
        )
    ]


def _leader_tasks(user: User) -> list[Task]:
    councils = Council.objects.filter(pk__in=access.leader_council_ids(user)).order_by("name")
    return [
        Task(
            title=_("Theo dõi các khối của %(council)s") % {"council": council.name},
            url=council.get_absolute_url(),
            status=TaskStatus.FOR_INFORMATION,
            group=_("Lãnh đạo"),
        )
        for council in councils
    ]
