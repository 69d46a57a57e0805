"""A request id on every request: in the ``X-Request-ID`` header both ways, in every log line
written while the request runs, and on the error page so that a person can quote it.

The id a load balancer or proxy sends is kept when it looks like an id (letters, digits and
``._:-``, 8 to 128 characters); otherwise a new one is made. The middleware also writes one log
line per request (``thidua.request``: method, path, status, duration, user id); a healthy
``/healthz`` only at DEBUG level.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django import template
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

HEADER = "X-Request-ID"
_META_KEY = "HTTP_X_REQUEST_ID"
_SHAPE = re.compile(r"[A-Za-z0-9._:\-]{8,128}")
HEALTH_CHECK = "/healthz"

logger = logging.getLogger("thidua.request")


@dataclass
class RequestContext:
    request_id: str
    method: str
    path: str
    request: HttpRequest

    @property
    def user_id(self) -> int | None:
        """The person's id if something already loaded them; never a query of its own."""
        user = self.request.__dict__.get("user")
        if user is None:
            return None
        wrapped = getattr(user, "_wrapped", user)
        if wrapped is empty:
            return None
        return getattr(wrapped, "pk", None)


current: ContextVar[RequestContext | None] = ContextVar("thidua_request", default=None)


def current_request_id() -> str:
    context = current.get()
    return context.request_id if context is not None else ""


def new_request_id() -> str:
    return uuid.uuid4().hex


def _incoming(request: HttpRequest) -> str | None:
    value = request.META.get(_META_KEY, "")
    return value if isinstance(value, str) and _SHAPE.fullmatch(value) else None


class RequestIdMiddleware:
    """First in ``MIDDLEWARE`` so that every response, even a redirect to https, has the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = _incoming(request) or new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        context = RequestContext(request_id, request.method or "", request.path, request)
        token = current.set(context)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            duration_ms = round((time.monotonic() - started) * 1000, 1)
            level = logging.WARNING if response.status_code >= 500 else logging.INFO
            if context.path == HEALTH_CHECK and response.status_code == 200:
                level = logging.DEBUG  # the load balancer asks every few seconds
            logger.log(
                level,
                "%s %s %s",
                context.method,
                context.path,
                response.status_code,
                extra={"status_code": response.status_code, "duration_ms": duration_ms},
            )
            return response
        finally:
            current.reset(token)


# The 500 page is rendered without a request (Django's ``server_error``), so it reads the id
# through this tag: ``{% load request_id %}{% request_id %}``.
register = template.Library()


@register.simple_tag(name="request_id")
def request_id_tag() -> str:
    return current_request_id()
