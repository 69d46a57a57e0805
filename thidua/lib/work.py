"""A task on the "my work" page (GOV.UK task-list pattern): what this person must do now."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    TO_DO = "to_do", _("Cần làm")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    WAITING = "waiting", _("Chờ bước trước")
    DONE = "done", _("Đã xong")
    FOR_INFORMATION = "info", _("Để theo dõi")


@dataclass(frozen=True)
class Task:
    title: str | Promise
    url: str
    status: TaskStatus
    hint: str | Promise = ""
    group: str | Promise = ""
    deadline: datetime.date | None = None

    @property
    def status_label(self) -> str:
        return str(self.status.label)
