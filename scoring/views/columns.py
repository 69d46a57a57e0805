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
from scoring.selectors.columns import ColumnRow, column_rows
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


def _saved(criterion: Criterion, count: int) -> str:
    if not count:
        return _("Không có thay đổi nào để lưu.")
    return ngettext(
        "Đã lưu điểm tiêu chí %(code)s của %(count)s đơn vị.",
        "Đã lưu điểm tiêu chí %(code)s của %(count)s đơn vị.",
        count,
    ) % {"code": criterion.code, "count": count}


@login_required
@require_http_methods(["GET", "POST"])
def criterion_scores(
    request: AuthenticatedHttpRequest, bloc_id: int, year: int, criterion_id: int
) -> HttpResponse:
    bloc_year, criterion = access.get_criterion_column_for_user(
        request, bloc_id, year, criterion_id
    )
    lines = services.column_lines(bloc_year, criterion)
    editable = access.editable_column_lines(request.user, lines)
    if request.method != "POST":
        form = ColumnForm(layer=Layer.VERIFIED, editable=editable)
        return _page(request, bloc_year, criterion, form, lines)
    if not editable:
        raise PermissionDenied
    form = ColumnForm(layer=Layer.VERIFIED, editable=editable, data=request.POST)
    if form.is_valid():
        result = form.save(bloc_year=bloc_year, criterion=criterion, by=request.user)
        if result is not None:
            messages.success(request, _saved(criterion, len(result.sheets)))
            return redirect(column_url(criterion, bloc_year))
        if form.conflict:
            # Show what is stored now beside what this person typed.
            lines = services.column_lines(bloc_year, criterion)
    elif form.versions_missing:
        messages.error(request, _("Trang đã cũ, hãy tải lại trang rồi nhập lại."))
    else:
        form.check(bloc_year)
    return _page(request, bloc_year, criterion, form, lines)


def _rows(
    request: AuthenticatedHttpRequest, form: ColumnForm, lines: dict[int, ScoreLine], year: int
) -> list[ColumnRow]:
    """The members' rows, each with its cell when editable, else the reason why not."""
    rows = column_rows(lines, year)
    for row in rows:
        sheet_id = row.line.sheet_id
        row.cell = form.cells.get(sheet_id)
        row.version = form.versions.get(sheet_id, row.line.sheet.version)
        row.reason = "" if row.cell else access.column_line_reason(request.user, row.line)
    return rows


def _page(
    request: AuthenticatedHttpRequest,
    bloc_year: BlocYear,
    criterion: Criterion,
    form: ColumnForm,
    lines: dict[int, ScoreLine],
) -> HttpResponse:
    rows = _rows(request, form, lines, bloc_year.year)
    names = {row.line.sheet_id: row.unit_name for row in rows}
    conflict = [
        ConflictRow(
            sheet,
            names.get(sheet.pk) or sheet.unit.name_in_year(bloc_year.year),
            form.cells.get(sheet.pk),
            lines.get(sheet.pk),
        )
        for sheet in form.conflict
    ]
    missing = [line for line in lines.values() if line.verified_value is None]
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
            "missing": sum(1 for line in missing if not line.not_applicable),
            "conflict": conflict,
            "breadcrumbs": _crumbs(bloc_year, criterion),
        },
    )
