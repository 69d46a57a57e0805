"""Authentication backend that loads the person's unit and council with the person."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from blocs.models import User
from notifications.selectors import unread_count_annotation


class UnitAwareBackend(ModelBackend):
    """Every access check reads ``user.unit``, and the header shows the unread notifications:
    both come with the user row, which saves two queries on every page."""

    def get_user(self, user_id: Any) -> User | None:
        user = (
            User.objects.select_related("unit__council")
            .annotate(unread_notifications=unread_count_annotation())
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
