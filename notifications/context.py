"""Context processor: the unread count next to the person's name in the header."""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from blocs.models import User
from notifications.selectors import unread_count


def notifications(request: HttpRequest) -> dict[str, object]:
    """``unread_notifications``: read with the user row by the authentication backend
    (portal.auth); otherwise at most one query, run only when a template prints it; none for
    an anonymous visitor. A view that knows the number already puts its own in the context."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):  # anonymous
        return {"unread_notifications": 0}
    annotated = getattr(user, "unread_notifications", None)  # portal.auth reads it
    if annotated is not None:
        return {"unread_notifications": annotated}
    return {"unread_notifications": SimpleLazyObject(partial(unread_count, user))}
