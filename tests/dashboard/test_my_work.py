"""Deadlines on "my work": each task says how many days are left or how late it is, and the
overdue tasks come first."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.tasks import tasks_for as award_tasks
from blocs.models import BlocYear, User
from blocs.work import Task, TaskStatus, group_tasks
from scoring.tasks import tasks_for as scoring_tasks
from tests.conftest import AwardsWorld, ScoringWorld, client_for

TODAY = datetime.date(2021, 12, 10)


def task(title: str, days: int | None, group: str = "A", status: str = TaskStatus.TO_DO) -> Task:
    deadline = None if days is None else TODAY + datetime.timedelta(days=days)
    return Task(title, "/", TaskStatus(status), group=group, deadline=deadline)


def titles(groups: list[tuple[str, list[Task]]]) -> list[tuple[str, list[str]]]:
    return [(group, [str(item.title) for item in items]) for group, items in groups]


def test_tasks_say_days_left_or_days_overdue() -> None:
    today = timezone.localdate()
    soon = Task("a", "/", TaskStatus.TO_DO, deadline=today + datetime.timedelta(days=3))
    late = Task("b", "/", TaskStatus.IN_PROGRESS, deadline=today - datetime.timedelta(days=2))
    assert (soon.due_label, soon.urgency) == ("còn 3 ngày", "soon")
    assert (late.due_label, late.urgency) == ("quá hạn 2 ngày", "overdue")


def test_a_finished_task_has_no_urgency_left() -> None:
    done = Task(
        "c", "/", TaskStatus.DONE, deadline=timezone.localdate() - datetime.timedelta(days=9)
    )
    assert (done.days_left, done.urgency, done.due_label) == (None, "", "")


def test_overdue_tasks_come_first_then_the_nearest_deadline() -> None:
    groups = group_tasks(
        [
            task("no deadline", None),
            task("in ten days", 10),
            task("overdue by one", -1),
            task("tomorrow", 1),
            task("overdue by five", -5),
            task("done and late", -3, status=TaskStatus.DONE),
        ],
        TODAY,
    )
    assert titles(groups) == [
        (
            "A",
            [
                "overdue by five",
                "overdue by one",
                "tomorrow",
                "in ten days",
                "no deadline",
                "done and late",
            ],
        )
    ]


def test_the_heading_with_an_overdue_task_moves_up() -> None:
    groups = group_tasks(
        [task("calm", None, "Đơn vị của tôi"), task("late", -1, "Thư ký khối")], TODAY
    )
    assert [group for group, _items in groups] == ["Thư ký khối", "Đơn vị của tôi"]


@pytest.mark.django_db
def test_the_units_sheet_task_carries_the_self_assessment_deadline(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    due = timezone.localdate() - datetime.timedelta(days=2)
    BlocYear.objects.filter(pk=scoring_world.bloc_year.pk).update(self_assessment_due=due)
    (sheet_task,) = scoring_tasks(focal_point)
    assert sheet_task.deadline == due
    assert sheet_task.due_label == "quá hạn 2 ngày"
    assert "liên hệ thư ký khối" in str(sheet_task.hint)


@pytest.mark.django_db
def test_the_secretariat_task_follows_the_verification_deadline(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    due = timezone.localdate() + datetime.timedelta(days=4)
    BlocYear.objects.filter(pk=scoring_world.bloc_year.pk).update(verification_due=due)
    verify = next(item for item in scoring_tasks(secretariat) if "Thẩm định" in str(item.title))
    assert (verify.deadline, verify.due_label, verify.urgency) == (due, "còn 4 ngày", "open")


@pytest.mark.django_db
def test_the_proposals_task_carries_the_deadline_while_proposals_are_to_send(
    awards_world: AwardsWorld, secretariat: User
) -> None:
    due = timezone.localdate() + datetime.timedelta(days=1)
    BlocYear.objects.filter(pk=awards_world.provisional_year.pk).update(proposals_due=due)
    (proposals,) = [item for item in award_tasks(secretariat) if "Đề nghị" in str(item.title)]
    assert proposals.status == TaskStatus.IN_PROGRESS  # a draft is still to send
    assert (proposals.deadline, proposals.due_label) == (due, "còn 1 ngày")


@pytest.mark.django_db
def test_the_page_shows_the_countdown_with_its_urgency(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    BlocYear.objects.filter(pk=scoring_world.bloc_year.pk).update(
        self_assessment_due=timezone.localdate() - datetime.timedelta(days=2)
    )
    html = client_for(focal_point).get(reverse("my-work")).content.decode()
    assert "quá hạn 2 ngày" in html
    assert 'class="task-due task-overdue"' in html
    assert "badge-overdue" in html


def test_a_task_waiting_on_someone_else_has_no_alarm_and_comes_after_what_can_be_done() -> None:
    waiting = task("waiting, long overdue", -1800, status=TaskStatus.WAITING)
    groups = group_tasks([waiting, task("to do, no deadline", None), task("to do", 5)], TODAY)
    assert titles(groups) == [("A", ["to do", "to do, no deadline", "waiting, long overdue"])]
    today = timezone.localdate()
    late = Task("w", "/", TaskStatus.WAITING, deadline=today - datetime.timedelta(days=3))
    assert (late.urgency, late.due_label) == ("open", "quá hạn 3 ngày")  # said, not red
