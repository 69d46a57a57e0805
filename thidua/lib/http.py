"""Request types for views."""

from __future__ import annotations

from collections.abc import Mapping

from django.http import HttpRequest

from blocs.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind ``login_required``: ``request.user`` is a real person."""

    user: User


def posted_id(data: Mapping[str, str], name: str) -> int | None:
    """An id sent in a form field: the number, or None when it is not one a row can have (not
    digits, or past a BigAutoField: more than 18 digits, which SQLite could not even compare)."""
    text = (data.get(name) or "").strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None
