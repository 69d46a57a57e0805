"""Authentication backend that loads the person's unit and council with the person."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from blocs.models import User


class UnitAwareBackend(ModelBackend):
    """Every access check reads ``user.unit``; loading it here saves a query per request."""

    def get_user(self, user_id: Any) -> User | None:
        user = User.objects.select_related("unit__council").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
