"""The page django-axes shows when a username is locked from an address (``AXES_LOCKOUT_CALLABLE``).

Status 429 with ``Retry-After``, and the page says at what time the person may try again: the
lock lasts ``AXES_COOLOFF_HOURS`` from the last wrong password.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

TEMPLATE = "registration/locked_out.html"


def retry_at(request: HttpRequest, credentials: dict[str, Any] | None) -> datetime.datetime:
    """When the lock of this username from this address ends."""
    now = timezone.now()
    cool_off = get_cool_off(request) or datetime.timedelta(0)
    last = AccessAttempt.objects.filter(
        username=get_client_username(request, credentials),
        ip_address=getattr(request, "axes_ip_address", None),
    ).aggregate(last=Max("attempt_time"))["last"]
    return max(last or now, now - cool_off) + cool_off


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    until = retry_at(request, credentials)
    seconds = max(0, math.ceil((until - timezone.now()).total_seconds()))
    response = render(
        request,
        TEMPLATE,
        {
            "retry_at": timezone.localtime(until),
            "minutes": max(1, math.ceil(seconds / 60)),
            "failure_limit": get_failure_limit(request, credentials),
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response
