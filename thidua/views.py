"""Pages that gather every app's work: "my work" and the health check."""

from __future__ import annotations

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from blocs import tasks as bloc_tasks
from thidua.lib.navigation import Crumb, home_crumb


@require_GET
@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    tasks = bloc_tasks.tasks_for(request.user)  # type: ignore[arg-type]
    groups = [(group, list(items)) for group, items in groupby(tasks, key=lambda task: task.group)]
    return render(
        request,
        "my_work.html",
        {"groups": groups, "breadcrumbs": [home_crumb(), Crumb(_("Việc của tôi"))]},
    )


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
