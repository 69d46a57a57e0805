"""One criterion for every member of a bloc-year: the column page.

A line scored outside the bloc's secretariat (the council's standing office, a department
named on the criterion), or a line the bloc scores, is one number per member: here it is
entered as a column, one row per member, instead of sheet by sheet. Every write goes through
``scoring.services.columns`` (the sheet save, per changed sheet, in one transaction).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from blocs.http import AuthenticatedHttpRequest
from blocs.models import BlocYear
from common.navigation import Crumb, home_crumb
from scoring import access
from scoring.forms import Cell
from scoring.forms_columns import ColumnForm
from scoring.layers import Layer
from scoring.models import Criterion, ScoreLine, ScoreSheet
from scoring.selectors.columns import column_rows
from scoring.selectors.verification import column_url, scorer_name
from scoring.services import columns as services


@dataclass
class ConflictRow:
    """A sheet someone saved after this person opened the page: what they typed, what is
    stored now."""

    sheet: ScoreSheet
    unit_name: str
    typed: Cell | None
    stored: ScoreLine | None


def _crumbs(bloc_year: BlocYear, criterion: Criterion) -> list[Crumb]:
    bloc = bloc_year.bloc
    return [
        home_crumb(),
        Crumb(bloc.name, bloc.get_absolute_url()),
        Crumb(str(bloc_year.year), bloc_year.get_absolute_url()),
        Crumb(_("Tiêu chí %(code)s") % {"code": criterion.code}),
    ]


@login_required
@require_http_methods(["GET", "POST"])
def criterion_scores(
    request: AuthenticatedHttpRequest, bloc_id: int, year: int, criterion_id: int
) -> HttpResponse:
    bloc_year, criterion = access.get_criterion_column_for_user(
        request, bloc_id, year, criterion_id
    )
    user = request.user
    lines = services.column_lines(bloc_year, criterion)
    editable = {
        sheet_id: line
        for sheet_id, line in lines.items()
        if access.can_edit_column_line(user, line)
    }
    conflict: list[ScoreSheet] = []
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        form = ColumnForm(layer=Layer.VERIFIED, editable=editable, data=request.POST)
        if form.is_valid():
            try:
                result = services.criterion_column_save(
                    bloc_year=bloc_year,
                    criterion=criterion,
                    entries=form.entries,
                    versions=form.versions,
                    by=user,
                )
            except services.ColumnErrors as errors:
                form.add_errors(errors.by_sheet)
            except services.ColumnConflict as clash:
                # Keep what this person typed, show what is stored now; saving again (with
                # the versions now on the page) overwrites knowingly.
                conflict = clash.sheets
                form.versions.update({sheet.pk: sheet.version for sheet in conflict})
                lines = services.column_lines(bloc_year, criterion)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Đã lưu điểm tiêu chí %(code)s của %(count)s đơn vị.",
                        "Đã lưu điểm tiêu chí %(code)s của %(count)s đơn vị.",
                        len(result.sheets),
                    )
                    % {"code": criterion.code, "count": len(result.sheets)}
                    if result.sheets
                    else _("Không có thay đổi nào để lưu."),
                )
                return redirect(column_url(criterion, bloc_year))
        elif form.versions_missing:
            messages.error(request, _("Trang đã cũ, hãy tải lại trang rồi nhập lại."))
        else:
            # Some cells were not numbers: report the other cells' problems too, in one go.
            form.add_errors(
                services.column_check(bloc_year=bloc_year, lines=editable, entries=form.entries)
            )
    else:
        form = ColumnForm(layer=Layer.VERIFIED, editable=editable)
    rows = column_rows(lines, bloc_year.year)
    for row in rows:
        sheet_id = row.line.sheet_id
        row.cell = form.cells.get(sheet_id)
        row.version = form.versions.get(sheet_id, row.line.sheet.version)
        row.reason = "" if row.cell else access.column_line_reason(user, row.line)
    names = {row.line.sheet_id: row.unit_name for row in rows}
    return render(
        request,
        "scoring/criterion_scores.html",
        {
            "bloc_year": bloc_year,
            "criterion": criterion,
            "scorer": scorer_name(criterion, bloc_year),
            "rows": rows,
            "form": form,
            "has_self": any(line.self_value is not None for line in lines.values()),
            "missing": sum(
                1
                for line in lines.values()
                if line.verified_value is None and not line.not_applicable
            ),
            "conflict": [
                ConflictRow(
                    sheet,
                    names.get(sheet.pk) or sheet.unit.name_in_year(bloc_year.year),
                    form.cells.get(sheet.pk),
                    lines.get(sheet.pk),
                )
                for sheet in conflict
            ],
            "breadcrumbs": _crumbs(bloc_year, criterion),
        },
    )
