"""The request type of views behind ``login_required``."""

from __future__ import annotations

from django.http import HttpRequest

from blocs.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind ``login_required``: ``request.user`` is a real person."""

    user: User
