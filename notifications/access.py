"""Who may see which notifications: each person only their own (``Notification.objects.for_user``);
anyone else's is a 404, never a 403."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from blocs.http import AuthenticatedHttpRequest
from notifications.models import Notification


def get_notification_for_user(
    request: AuthenticatedHttpRequest, notification_id: int
) -> Notification:
    """One of the person's own notifications; anyone else's is a 404, never a 403."""
    return get_object_or_404(Notification.objects.for_user(request.user), pk=notification_id)
