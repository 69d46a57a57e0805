"""The "my work" tasks of emulation registration (đăng ký thi đua).

* A member unit's focal points: "Đăng ký thi đua năm N" while the bloc-year's registration is
  open (it has a registration deadline and the year is not yet scoring) and the unit has not
  registered; after the deadline the task stays, overdue, and says to ask the secretariat.
* The bloc secretariat: a task to follow how many members registered, until all have.

Registration opens when the year's managers set its deadline (the bloc-year's deadlines page):
a bloc-year without one gives nobody a task. Two queries per person.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from awards.models import Registration
from blocs import access as bloc_access
from blocs import deadlines
from blocs.models import BlocYear, Membership, User
from blocs.work import Task, TaskStatus

OPEN_STATES = [BlocYear.State.SETUP, BlocYear.State.UNDERWAY]


def tasks_for(user: User) -> list[Task]:
    if user.role != User.Role.FOCAL_POINT or user.unit_id is None:
        return []
    return _unit_tasks(user) + _secretariat_tasks(user)


def _unit_tasks(user: User) -> list[Task]:
    assert user.unit_id is not None
    memberships = (
        Membership.objects.filter(
            unit_id=user.unit_id,
            bloc_year__state__in=OPEN_STATES,
            bloc_year__registration_due__isnull=False,
        )
        .annotate(
            registered=Exists(
                Registration.objects.filter(
                    bloc_year_id=OuterRef("bloc_year_id"), unit_id=OuterRef("unit_id")
                )
            )
        )
        .filter(registered=False)
        .select_related("bloc_year__bloc")
        .order_by("-bloc_year__year")
    )
    today = deadlines.today()
    tasks = []
    for membership in memberships:
        bloc_year = membership.bloc_year
        due = bloc_year.registration_due
        hint = (
            _("Đã hết hạn đăng ký: liên hệ thư ký khối để được ghi thay.")
            if deadlines.is_late(due, today)
            else _("Chọn các danh hiệu đơn vị phấn đấu đạt trong năm và ghi nội dung đăng ký.")
        )
        tasks.append(
            Task(
                title=_("Đăng ký thi đua năm %(year)s (%(bloc)s)")
                % {"year": bloc_year.year, "bloc": bloc_year.bloc.name},
                url=reverse(
                    "awards:registration",
                    args=[bloc_year.bloc_id, bloc_year.year, membership.unit_id],
                ),
                status=TaskStatus.TO_DO,
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
    bloc_years = (
        BlocYear.objects.filter(pk__in=ids, state__in=OPEN_STATES, registration_due__isnull=False)
        .select_related("bloc")
        .annotate(
            members=Count("memberships", distinct=True),
            registered=Count("registrations", distinct=True),
        )
        .order_by("-year", "bloc__name")
    )
    tasks = []
    for bloc_year in bloc_years:
        counts = {"registered": bloc_year.registered, "members": bloc_year.members}
        done = counts["registered"] >= counts["members"]
        tasks.append(
            Task(
                title=_("Theo dõi đăng ký thi đua năm %(year)s (%(bloc)s)")
                % {"year": bloc_year.year, "bloc": bloc_year.bloc.name},
                url=reverse("awards:registrations", args=[bloc_year.bloc_id, bloc_year.year]),
                status=TaskStatus.DONE if done else TaskStatus.IN_PROGRESS,
                hint=_("%(registered)s/%(members)s đơn vị đã đăng ký.") % counts,
                group=_("Thư ký khối"),
                deadline=None if done else bloc_year.registration_due,
            )
        )
    return tasks
