"""The project's URLs plus pages that fail on purpose, for the error-page and logging tests."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


class SecretFailure(RuntimeError):
    pass


@csrf_exempt
def boom(request: HttpRequest) -> HttpResponse:
    raise SecretFailure(
        "SELECT password FROM blocs_user WHERE secret_key='do-not-show' -- internal detail"
    )


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("internal reason: role check failed for unit 42")


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("internal reason: tampered signature abc123")


urlpatterns = [
    path("test-only/boom/", boom),
    path("test-only/forbidden/", forbidden),
    path("test-only/suspicious/", suspicious),
    path("", include("thidua.urls")),
]
