"""The score sheet on paper and in Excel: the printable sheet, the workbook and its upload."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from blocs.http import AuthenticatedHttpRequest
from common.dates import official_date_line
from common.exporters import export_response
from scoring import access, selectors
from scoring.forms_workbook import WorkbookUploadForm
from scoring.services import sheets as services
from scoring.views.sheets import sheet_crumbs
from scoring.workbook.layout import layer_label
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


def _imported(changed: int) -> str:
    if not changed:
        return _("Tệp Excel không có thay đổi nào so với bảng điểm.")
    return ngettext(
        "Đã nhập từ tệp Excel: %(count)s tiêu chí thay đổi.",
        "Đã nhập từ tệp Excel: %(count)s tiêu chí thay đổi.",
        changed,
    ) % {"count": changed}


@login_required
@require_http_methods(["GET", "POST"])
def sheet_xlsx_upload(request: AuthenticatedHttpRequest, sheet_id: int) -> HttpResponse:
    """Fill the column this person edits now from a workbook; all or nothing."""
    sheet = access.get_sheet_for_user(request, sheet_id)
    lines = services.sheet_lines(sheet)
    layer, editable = access.editable_lines(request.user, sheet, list(lines.values()))
    if layer is None:
        raise PermissionDenied
    on_behalf = access.enters_on_behalf(request.user, sheet, layer)
    form = WorkbookUploadForm()
    if request.method == "POST":
        form = WorkbookUploadForm(request.POST, request.FILES)
        changed = None
        if form.is_valid():
            changed = form.save(
                sheet=sheet,
                lines=lines,
                editable=editable,
                layer=layer,
                on_behalf=on_behalf,
                by=request.user,
            )
        if changed is not None:
            messages.success(request, _imported(changed))
            return redirect(sheet.get_absolute_url())
    return render(
        request,
        "scoring/sheet_xlsx_upload.html",
        {
            "sheet": sheet,
            "form": form,
            "layer": layer,
            "layer_label": layer_label(layer),
            "editable_count": len(editable),
            "problems": [str(problem) for problem in form.problems],
            "on_behalf": on_behalf,
            "breadcrumbs": sheet_crumbs(sheet, last=_("Nhập từ Excel")),
        },
    )
