"""The benchmark's URL configuration (``manage.py bench``): the app's own, plus one page that
does nothing but read the session and the person, to measure the floor of the stack."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(request.user.pk), content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor),
    path("", include("thidua.urls")),
]
