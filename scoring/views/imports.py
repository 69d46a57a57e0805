"""The bloc-year workbook upload page: a past year's Excel records in, for council admins.

The same contract and the same report as ``manage.py import_bloc_year`` (docs/import-format.md).
The uploaded file is read in memory and never stored.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from blocs.http import AuthenticatedHttpRequest
from common.navigation import Crumb, home_crumb
from scoring import access
from scoring.forms_import import ImportForm
from scoring.importer import ImportResult


def _report_success(request: AuthenticatedHttpRequest, result: ImportResult, filename: str) -> None:
    """What was imported, and what the workbook did not say (a past year's head and deputy)."""
    bloc_year = result.bloc_year
    messages.success(
        request,
        (
            _("Đã thay dữ liệu %(bloc)s năm %(year)s bằng tệp “%(file)s”.")
            if result.replaced
            else _("Đã nhập %(bloc)s năm %(year)s từ tệp “%(file)s”.")
        )
        % {"bloc": bloc_year.bloc.name, "year": bloc_year.year, "file": filename},
    )
    if result.leadership_note:
        messages.warning(request, result.leadership_note)
    if result.bands_note:
        messages.warning(request, result.bands_note)


@login_required
@require_http_methods(["GET", "POST"])
def import_workbook(request: AuthenticatedHttpRequest) -> HttpResponse:
    allowed = access.importable_council_ids(request.user)
    posted = request.method == "POST"
    form = ImportForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        councils=access.importable_councils(allowed),
        allowed=allowed,
    )
    result = form.save(by=request.user) if posted and form.is_valid() else None
    if result is not None:
        _report_success(request, result, form.cleaned_data["file"].name)
        return redirect(result.bloc_year.get_absolute_url())
    return render(
        request,
        "scoring/import.html",
        {
            "form": form,
            "problems": form.problems,
            "breadcrumbs": [home_crumb(), Crumb(_("Nhập năm thi đua từ Excel"))],
        },
    )
