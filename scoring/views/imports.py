"""The bloc-year workbook upload page: a past year's Excel records in, for council admins.

The same contract and the same report as ``manage.py import_bloc_year`` (docs/import-format.md).
The uploaded file is read in memory and never stored.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from blocs.http import AuthenticatedHttpRequest
from blocs.models import Council
from common.exporters import XLSX
from common.navigation import Crumb, home_crumb
from scoring import access, importer
from scoring.importer import CouncilChoice, ImportFailed

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ImportForm(forms.Form):
    council = forms.ChoiceField(
        label=gettext_lazy("Hội đồng"),
        required=False,
        help_text=gettext_lazy(
            "Dùng khi tệp không ghi “Mã hội đồng” ở trang “Thông tin”; nếu tệp có ghi, hai mã "
            "phải trùng nhau."
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        help_text=gettext_lazy("Theo mẫu nhập năm thi đua; tối đa 5 MB."),
        error_messages={"required": gettext_lazy("Chọn tệp Excel để tải lên.")},
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX}"}),
    )

    def __init__(self, *args: Any, councils: QuerySet[Council], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(council.code, f"{council.name} ({council.code})") for council in councils]
        field = self.fields["council"]
        assert isinstance(field, forms.ChoiceField)
        if len(choices) == 1:
            field.choices = choices
            field.initial = choices[0][0]
        else:
            field.choices = [("", _("— theo “Mã hội đồng” trong tệp —")), *choices]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Tệp lớn hơn %(limit)s MB; tệp nhập một năm thi đua chỉ vài chục KB.")
                % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


def _report_success(
    request: AuthenticatedHttpRequest, result: importer.ImportResult, filename: str
) -> None:
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


@login_required
@require_http_methods(["GET", "POST"])
def import_workbook(request: AuthenticatedHttpRequest) -> HttpResponse:
    allowed = access.importable_council_ids(request.user)
    councils = Council.objects.order_by("name")
    if allowed is not None:
        councils = councils.filter(pk__in=list(allowed))
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        councils=councils,
    )
    problems: list[importer.Problem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = importer.import_bloc_year(
                upload.read(),
                filename=upload.name,
                choice=CouncilChoice(
                    code=form.cleaned_data["council"] or None, allowed_ids=allowed
                ),
                by=request.user,
            )
        except ImportFailed as failed:
            problems = failed.problems
            form.add_error(
                "file",
                ngettext(
                    "Tệp có %(count)s lỗi (xem bảng ở đầu trang); chưa có gì được ghi.",
                    "Tệp có %(count)s lỗi (xem bảng ở đầu trang); chưa có gì được ghi.",
                    len(problems),
                )
                % {"count": len(problems)},
            )
        else:
            _report_success(request, result, upload.name)
            return redirect(result.bloc_year.get_absolute_url())
    return render(
        request,
        "scoring/import.html",
        {
            "form": form,
            "problems": problems,
            "breadcrumbs": [home_crumb(), Crumb(_("Nhập năm thi đua từ Excel"))],
        },
    )
