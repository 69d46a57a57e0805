"""The score sheet on paper and in Excel: the printable sheet, the workbook and its upload."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from blocs.http import AuthenticatedHttpRequest
from blocs.models import User
from common.dates import official_date_line
from common.exporters import XLSX, export_response
from scoring import access, selectors
from scoring.layers import Layer
from scoring.models import Criterion, ScoreSheet
from scoring.services import sheets as services
from scoring.views.sheets import sheet_crumbs
from scoring.workbook.layout import layer_label
from scoring.workbook.read import WorkbookError, WorkbookReading, read_sheet_workbook
from scoring.workbook.write import sheet_export


@login_required
@require_safe
def sheet_print(request: AuthenticatedHttpRequest, sheet_id: int) -> HttpResponse:
    """The sheet as the signed paper copy offices file; ``?blank=1`` leaves the scores empty."""
    sheet = access.get_sheet_for_user(request, sheet_id)
    bloc_year = sheet.bloc_year
    council = bloc_year.bloc.council
    blank = request.GET.get("blank") == "1"
    return render(
        request,
        "scoring/sheet_print.html",
        {
            "sheet": sheet,
            "view": selectors.sheet_view(sheet, history=False),
            "blank": blank,
            "unit_name": sheet.unit.name_in_year(bloc_year.year),
            "date_line": (
                _("%(place)s, ngày …… tháng …… năm ……") % {"place": council.province}
                if blank
                else official_date_line(council.province, timezone.localdate())
            ),
            "printed_at": timezone.now(),
        },
    )


@login_required
@require_safe
def sheet_xlsx(request: AuthenticatedHttpRequest, sheet_id: int) -> HttpResponse:
    """The sheet as an XLSX; its editable cells are those of the person downloading it."""
    sheet = access.get_sheet_for_user(request, sheet_id)
    view = selectors.sheet_view(sheet, history=False)
    layer, editable = access.editable_lines(
        request.user, sheet, [row.line for row in view.leaves if row.line]
    )
    export = sheet_export(
        view,
        unit_name=sheet.unit.name_in_year(sheet.bloc_year.year),
        layer=layer,
        editable=editable.keys(),
        now=timezone.localtime(),
    )
    return export_response(export)


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        help_text=gettext_lazy("Tệp tải về từ trang bảng điểm, đã nhập điểm; tối đa 5 MB."),
        error_messages={"required": gettext_lazy("Chọn tệp Excel để tải lên.")},
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX}"}),
    )


class _DryRun(Exception):
    """Undo a save whose workbook had errors: the service's checks ran, its writes must not."""


def _save(
    sheet: ScoreSheet, reading: WorkbookReading, user: User
) -> tuple[int, list[WorkbookError]]:
    """Save the reading, or return every problem: the workbook's and the service's together.

    The service checks all values before it writes. When the workbook itself already had
    errors, the save still runs (so its checks report too) inside a savepoint that is then
    rolled back, and nothing is written.
    """
    if reading.errors and not reading.entries:
        # Nothing could be read (not a workbook, no header row…): nothing for the service to check.
        return 0, reading.with_service_errors({})
    problems: list[WorkbookError] = []
    try:
        with transaction.atomic():
            result = services.sheet_save(
                sheet=sheet,
                layer=reading.layer,
                entries=reading.entries,
                version=sheet.version,
                by=user,
                on_behalf=reading.layer is Layer.SELF and not access.is_own_sheet(user, sheet),
            )
            if reading.errors:
                raise _DryRun
    except _DryRun:
        problems = reading.with_service_errors({})
    except services.EntryErrors as errors:
        problems = reading.with_service_errors(errors.by_criterion, errors.general)
    except services.SheetConflict:
        problems = reading.with_service_errors(
            {}, [_("Bảng điểm vừa được người khác lưu; hãy tải lại trang rồi tải tệp lên lại.")]
        )
    else:
        return result.changed, []
    sheet.refresh_from_db(fields=["version", "entered_on_behalf"])
    return 0, problems


@login_required
@require_http_methods(["GET", "POST"])
def sheet_xlsx_upload(request: AuthenticatedHttpRequest, sheet_id: int) -> HttpResponse:
    """Fill the column this person edits now from a workbook; all or nothing."""
    sheet = access.get_sheet_for_user(request, sheet_id)
    lines = services.sheet_lines(sheet)
    layer, editable = access.editable_lines(request.user, sheet, list(lines.values()))
    if layer is None:
        raise PermissionDenied
    form = WorkbookUploadForm()
    problems: list[WorkbookError] = []
    if request.method == "POST":
        form = WorkbookUploadForm(request.POST, request.FILES)
        if form.is_valid():
            reading = read_sheet_workbook(
                form.cleaned_data["file"],
                criteria=list(
                    Criterion.objects.filter(criteria_set=sheet.bloc_year.scoring.criteria_set)
                ),
                lines=lines,
                editable=editable,
                layer=layer,
            )
            changed, problems = _save(sheet, reading, request.user)
            if not problems:
                messages.success(
                    request,
                    ngettext(
                        "Đã nhập từ tệp Excel: %(count)s tiêu chí thay đổi.",
                        "Đã nhập từ tệp Excel: %(count)s tiêu chí thay đổi.",
                        changed,
                    )
                    % {"count": changed}
                    if changed
                    else _("Tệp Excel không có thay đổi nào so với bảng điểm."),
                )
                return redirect(sheet.get_absolute_url())
            form.add_error(
                "file",
                ngettext(
                    "Tệp có %(count)s lỗi (xem danh sách ở đầu trang); chưa có gì được ghi. "
                    "Sửa trong Excel rồi chọn lại tệp.",
                    "Tệp có %(count)s lỗi (xem danh sách ở đầu trang); chưa có gì được ghi. "
                    "Sửa trong Excel rồi chọn lại tệp.",
                    len(problems),
                )
                % {"count": len(problems)},
            )
    return render(
        request,
        "scoring/sheet_xlsx_upload.html",
        {
            "sheet": sheet,
            "form": form,
            "layer": layer,
            "layer_label": layer_label(layer),
            "editable_count": len(editable),
            "problems": [str(problem) for problem in problems],
            "on_behalf": layer is Layer.SELF and not access.is_own_sheet(request.user, sheet),
            "breadcrumbs": sheet_crumbs(sheet, last=_("Nhập từ Excel")),
        },
    )
