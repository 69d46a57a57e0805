"""Reorganisation pages: the council admin's tool (describe, preview, confirm) and the public
lineage of a council. The forms are in ``blocs.forms_reorganisation``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from blocs import access
from blocs.forms_reorganisation import (
    ReorganisationForm,
    new_units_formset,
    preview_of,
    show_at_fields,
)
from blocs.http import AuthenticatedHttpRequest
from blocs.lineage import council_lineage
from blocs.models import Council
from blocs.reorganisation.apply import PreviewOutdated, reorganisation_apply
from blocs.reorganisation.request import Operation
from common.forms import pressed
from common.navigation import Crumb, home_crumb


def _crumbs(council: Council, *tail: Crumb) -> list[Crumb]:
    return [home_crumb(), Crumb(council.name, council.get_absolute_url()), *tail]


@login_required
@require_safe
def reorganisation(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The start of the tool: which kind of reorganisation to record."""
    council = access.get_council_for_admin(request, code)
    return render(
        request,
        "blocs/reorganisation.html",
        {
            "council": council,
            "nav_active": "reorganisation",
            "breadcrumbs": _crumbs(council, Crumb(_("Sắp xếp tổ chức"))),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reorganisation_form(
    request: AuthenticatedHttpRequest, code: str, operation: str
) -> HttpResponse:
    """Describe the change, see what it will do, confirm. Nothing is written before the
    confirmation, and the confirmation writes what the preview showed or nothing."""
    council = access.get_council_for_admin(request, code)
    if operation not in Operation.values:
        raise Http404
    form = ReorganisationForm(
        request.POST if request.method == "POST" else None, council=council, operation=operation
    )
    data = form.data if form.is_bound else None
    formset = new_units_formset(data, council, operation)
    preview = preview_of(form, formset, council, operation) if data is not None else None
    outdated = False
    if preview is not None and data is not None and pressed(data) == "apply":
        outdated = pressed(data, "digest") != preview.digest
        try:
            if not outdated:
                reorganisation_apply(preview=preview, by=request.user)
                messages.success(request, _("Đã ghi nhận sắp xếp tổ chức."))
                return redirect(reverse("blocs:council-lineage", args=[council.code]))
        except PreviewOutdated:
            outdated = True
        except ValidationError as error:  # the data changed so that the request cannot be
            show_at_fields(form, formset, error)
            preview = None
    elif data is not None and pressed(data) == "edit":
        preview = None
    context = _form_context(council, operation, form, formset)
    context.update(preview=preview, outdated=outdated)
    template = "blocs/reorganisation_preview.html" if preview else "blocs/reorganisation_form.html"
    return render(request, template, context)


def _form_context(
    council: Council, operation: str, form: ReorganisationForm, formset: Any
) -> dict[str, Any]:
    label = Operation(operation).label
    return {
        "council": council,
        "operation": operation,
        "operation_label": label,
        "form": form,
        "formset": formset,
        "nav_active": "reorganisation",
        "breadcrumbs": _crumbs(
            council,
            Crumb(_("Sắp xếp tổ chức"), reverse("blocs:reorganisation", args=[council.code])),
            Crumb(label),
        ),
    }


@require_safe
def lineage(request: HttpRequest, code: str) -> HttpResponse:
    """Public: where the council came from and went, and what became of its units."""
    council = access.get_council(code)
    return render(
        request,
        "blocs/council_lineage.html",
        {
            "council": council,
            "lineage": council_lineage(council),
            "can_reorganise": access.is_council_admin(request.user, council.pk),
            "breadcrumbs": _crumbs(council, Crumb(_("Lịch sử sắp xếp tổ chức"))),
        },
    )
