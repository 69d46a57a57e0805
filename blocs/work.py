"""A task on the "my work" page (GOV.UK task-list pattern): what this person must do now."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from blocs import deadlines


class TaskStatus(models.TextChoices):
    TO_DO = "to_do", _("Cần làm")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    WAITING = "waiting", _("Chờ bước trước")
    DONE = "done", _("Đã xong")
    FOR_INFORMATION = "info", _("Để theo dõi")


# Tasks whose deadline still matters: a finished task or one only to watch has no urgency.
OPEN_STATUSES = frozenset({TaskStatus.TO_DO, TaskStatus.IN_PROGRESS, TaskStatus.WAITING})
# Sort order of urgencies: overdue first, then due today, soon, later, and tasks without one.
URGENCY_ORDER = {"overdue": 0, "today": 1, "soon": 2, "open": 3, "": 4}
WAITING_ORDER = 5  # then what waits on someone else,
FINISHED_ORDER = 6  # then what is done or only to watch


@dataclass(frozen=True)
class Task:
    title: str | Promise
    url: str
    status: TaskStatus
    hint: str | Promise = ""
    group: str | Promise = ""
    deadline: datetime.date | None = None  # the last day allowed (inclusive, local date)
    # What the badge says when the status's own word is too vague: a sent sheet is "Chờ thẩm
    # định", not "Chờ bước trước".
    label: str | Promise = ""

    @property
    def status_label(self) -> str:
        return str(self.label or self.status.label)

    def days_left_on(self, today: datetime.date) -> int | None:
        if self.deadline is None or self.status not in OPEN_STATUSES:
            return None
        return deadlines.days_left(self.deadline, today)

    @property
    def days_left(self) -> int | None:
        """Days until the deadline (negative once passed); None without one or when done."""
        return self.days_left_on(timezone.localdate())

    @property
    def urgency(self) -> str:
        """``overdue``, ``today``, ``soon``, ``open`` or ``""`` (see blocs.deadlines.urgency).
        A task waiting on someone else says its date without the alarm: it is not this
        person's move."""
        level = deadlines.urgency(self.days_left)
        return "open" if level and self.status == TaskStatus.WAITING else level

    @property
    def due_label(self) -> str:
        """``còn 3 ngày`` / ``hạn cuối hôm nay`` / ``quá hạn 2 ngày``."""
        return deadlines.due_label(self.days_left)


def task_order(task: Task, today: datetime.date) -> tuple[int, datetime.date]:
    """Overdue first, then by the nearest deadline, then the tasks without one; after them the
    tasks waiting on someone else, then those done or only to watch (each keeping its place)."""
    if task.status == TaskStatus.WAITING:
        return WAITING_ORDER, datetime.date.max
    if task.status not in OPEN_STATUSES:
        return FINISHED_ORDER, datetime.date.max
    urgency = deadlines.urgency(task.days_left_on(today))
    if not urgency or task.deadline is None:
        return URGENCY_ORDER[""], datetime.date.max
    return URGENCY_ORDER[urgency], task.deadline


def group_tasks(
    tasks: Iterable[Task], today: datetime.date | None = None
) -> list[tuple[str, list[Task]]]:
    """Tasks by heading, the most urgent first within each heading, and the heading with the
    most urgent task first (headings otherwise keep the order they first appear in)."""
    today = today or timezone.localdate()
    grouped: dict[str, list[Task]] = {}
    for task in tasks:
        grouped.setdefault(str(task.group), []).append(task)
    for items in grouped.values():
        items.sort(key=lambda task: task_order(task, today))  # stable: ties keep their order
    return sorted(grouped.items(), key=lambda item: task_order(item[1][0], today)[0])
