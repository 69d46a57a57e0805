"""Helpers the project-wide permission table uses for the notification URLs."""

from __future__ import annotations

from typing import Any

from blocs.models import User
from notifications.models import Notification


def focal_point_notification(world: Any) -> Notification:
    """A notification of the focal-point persona (``daumoi``): only they may open or mark it."""
    notification, _created = Notification.objects.get_or_create(
        recipient=User.objects.get(username="daumoi"),
        event_key="permissions:table",
        defaults={
            "kind": Notification.Kind.SHEET_RETURNED,
            "title": "Bảng tự chấm năm 2020 cần giải trình",
            "url": "/my-work/",
        },
    )
    return notification
