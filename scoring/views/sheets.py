"""The score sheet: the grid for self-assessment and verification, and its transitions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from scoring import access, selectors
from scoring.forms import GridForm
from scoring.models import ExplanationRequest, ScoreSheet
from scoring.services import sheets as services
from scoring.services import transitions
from scoring.services.sheets import SELF
from thidua.lib.http import AuthenticatedHttpRequest
from thidua.lib.navigation import Crumb, home_crumb


def sheet_crumbs(sheet: ScoreSheet, *, last: str | None = None) -> list[Crumb]:
    bloc_year = sheet.bloc_year
    crumbs = [
        home_crumb(),
        Crumb(bloc_year.bloc.name, bloc_year.bloc.get_absolute_url()),
        Crumb(str(bloc_year.year), bloc_year.get_absolute_url()),
        Crumb(sheet.unit.name_in_year(bloc_year.year), sheet.get_absolute_url() if last else None),
    ]
    if last:
        crumbs.append(Crumb(last))
    return crumbs


@login_required
@require_http_methods(["GET", "POST"])
def sheet(request: AuthenticatedHttpRequest, sheet_id: int) -> HttpResponse:
    sheet = access.get_sheet_for_user(request, sheet_id)
    user = request.user
    view = None
    if request.method == "POST":
        lines = services.sheet_lines(sheet)
    else:
        view = selectors.sheet_view(sheet)
        lines = {row.criterion.pk: row.line for row in view.leaves if row.line is not None}
    layer, editable = access.editable_lines(user, sheet, list(lines.values()))
    late_for_unit = (
        layer == SELF
        and access.is_own_sheet(user, sheet)
        and not access.own_sheet_open(user, sheet)
    )
    if late_for_unit and request.method == "GET":
        # Past the deadline the unit reads its sheet; a save sent from a page opened earlier is
        # refused by the service, with the date, at the cells.
        layer, editable = None, {}
    conflict = None
    if request.method == "POST":
        if layer is None:
            raise PermissionDenied
        form = GridForm(layer=layer, editable=editable, data=request.POST)
        if form.is_valid():
            try:
                result = services.sheet_save(
                    sheet=sheet,
                    layer=layer,
                    entries=form.entries,
                    version=form.version or 0,
                    by=user,
                    on_behalf=layer == SELF and not access.is_own_sheet(user, sheet),
                    lines=lines,
                )
            except services.EntryErrors as errors:
                form.add_errors(errors.by_criterion)
            except services.SheetConflict as clash:
                conflict = clash.sheet
            else:
                messages.success(
                    request,
                    _("Đã lưu %(count)s thay đổi.") % {"count": result.changed}
                    if result.changed
                    else _("Không có thay đổi nào để lưu."),
                )
                return redirect(sheet.get_absolute_url())
        elif form.version is None:
            messages.error(request, _("Trang đã cũ, hãy tải lại trang rồi nhập lại."))
        else:
            # Some cells were not numbers: report the other cells' problems too, in one go.
            form.add_errors(services.sheet_check(sheet=sheet, layer=layer, entries=form.entries))
    else:
        form = GridForm(layer=layer or SELF, editable=editable)
    if view is None:
        view = selectors.sheet_view(sheet)
    conflict_changes = []
    if conflict is not None and layer is not None:
        # Keep what this person typed, show what the other person saved, and let a second
        # save (now with the new version) overwrite knowingly.
        current = GridForm(layer=layer, editable=services.sheet_lines(conflict))
        conflict_changes = [
            (line.criterion.code, form.cells[criterion_id], current.cells[criterion_id])
            for criterion_id, line in editable.items()
            if criterion_id in current.cells
            and (form.cells[criterion_id].value, form.cells[criterion_id].target)
            != (current.cells[criterion_id].value, current.cells[criterion_id].target)
        ]
        form.version = conflict.version
    for row in view.rows:
        row.cell = form.cells.get(row.criterion.pk) if layer else None
    return render(
        request,
        "scoring/sheet.html",
        {
            "view": view,
            "sheet": sheet,
            "form": form,
            "layer": layer,
            "conflict": conflict,
            "conflict_changes": conflict_changes,
            "can_submit": access.can_enter_self(user, sheet) and not late_for_unit,
            "can_verify": access.can_verify(user, sheet),
            "can_answer": access.can_answer(user, sheet),
            "can_reopen": access.can_reopen(user, sheet),
            "on_behalf": layer == SELF and not access.is_own_sheet(user, sheet),
            "breadcrumbs": sheet_crumbs(sheet),
        },
    )


def _state_action(
    request: HttpRequest, sheet: ScoreSheet, action: object, success: str
) -> HttpResponse:
    try:
        action()  # type: ignore[operator]
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(sheet.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: AuthenticatedHttpRequest, sheet_id: int) -> HttpResponse:
    """Check your answers, then send the self-assessment to the secretariat."""
    sheet = access.get_sheet_for_user(request, sheet_id)
    if not access.can_enter_self(request.user, sheet):
        raise PermissionDenied
    if request.method == "GET":
        view = selectors.sheet_view(sheet, history=False)
        return render(
            request,
            "scoring/sheet_submit.html",
            {
                "sheet": sheet,
                "view": view,
                "missing": transitions.missing_self_lines(sheet),
                "breadcrumbs": sheet_crumbs(sheet, last=_("Gửi bảng tự chấm")),
            },
        )
    return _state_action(
        request,
        sheet,
        lambda: transitions.sheet_submit(sheet=sheet, by=request.user),
        _("Đã gửi bảng tự chấm cho thư ký khối."),
    )


@login_required
@require_POST
def accept_self(request: AuthenticatedHttpRequest, sheet_id: int) -> HttpResponse:
    """Take the self points as verified on every line not yet verified."""
    sheet = access.get_sheet_for_user(request, sheet_id)
    if not access.can_verify(request.user, sheet):
        raise PermissionDenied
    try:
        version = int(request.POST.get("version", ""))
        result = services.sheet_accept_self(sheet=sheet, version=version, by=request.user)
    except ValueError:
        messages.error(request, _("Trang đã cũ, hãy tải lại trang."))
    except services.SheetConflict:
        messages.error(request, _("Bảng điểm vừa được người khác lưu; hãy xem lại rồi chấp nhận."))
    else:
        messages.success(
            request,
            _("Đã chấp nhận điểm tự chấm của %(count)s tiêu chí.") % {"count": result.changed},
        )
    return redirect(sheet.get_absolute_url())


@login_required
@require_POST
def return_for_explanation(request: AuthenticatedHttpRequest, sheet_id: int) -> HttpResponse:
    sheet = access.get_sheet_for_user(request, sheet_id)
    if not access.can_verify(request.user, sheet):
        raise PermissionDenied
    questions = {
        int(key[2:]): request.POST.get(key, "")
        for key in request.POST
        if key.startswith("q-") and key[2:].isdigit()
    }
    return _state_action(
        request,
        sheet,
        lambda: transitions.sheet_return_for_explanation(
            sheet=sheet, questions=questions, by=request.user
        ),
        _("Đã trả bảng điểm để đơn vị giải trình."),
    )


@login_required
@require_POST
def answer(request: AuthenticatedHttpRequest, sheet_id: int) -> HttpResponse:
    sheet = access.get_sheet_for_user(request, sheet_id)
    if not access.can_answer(request.user, sheet):
        raise PermissionDenied
    answers = {
        int(key[2:]): request.POST.get(key, "")
        for key in request.POST
        if key.startswith("a-") and key[2:].isdigit()
    }
    return _state_action(
        request,
        sheet,
        lambda: transitions.sheet_answer_explanations(
            sheet=sheet, answers=answers, by=request.user
        ),
        _("Đã gửi giải trình cho thư ký khối."),
    )


@login_required
@require_POST
def decide(request: AuthenticatedHttpRequest, sheet_id: int, explanation_id: int) -> HttpResponse:
    sheet = access.get_sheet_for_user(request, sheet_id)
    if not access.can_verify(request.user, sheet):
        raise PermissionDenied
    explanation = get_object_or_404(
        ExplanationRequest.objects.select_related("line__sheet__bloc_year", "line__criterion"),
        pk=explanation_id,
        line__sheet=sheet,
    )
    accepted = request.POST.get("decision") == "accept"
    return _state_action(
        request,
        sheet,
        lambda: transitions.explanation_decide(
            request=explanation,
            accepted=accepted,
            note=request.POST.get("note", ""),
            by=request.user,
        ),
        _("Đã ghi ý kiến về giải trình."),
    )


@login_required
@require_POST
def mark_verified(request: AuthenticatedHttpRequest, sheet_id: int) -> HttpResponse:
    sheet = access.get_sheet_for_user(request, sheet_id)
    if not access.can_verify(request.user, sheet):
        raise PermissionDenied
    return _state_action(
        request,
        sheet,
        lambda: transitions.sheet_mark_verified(sheet=sheet, by=request.user),
        _("Đã hoàn thành thẩm định bảng điểm."),
    )


@login_required
@require_POST
def reopen(request: AuthenticatedHttpRequest, sheet_id: int) -> HttpResponse:
    sheet = access.get_sheet_for_user(request, sheet_id)
    if not access.can_reopen(request.user, sheet):
        raise PermissionDenied
    return _state_action(
        request,
        sheet,
        lambda: transitions.sheet_reopen(
            sheet=sheet, reason=request.POST.get("reason", ""), by=request.user
        ),
        _("Đã mở lại việc thẩm định."),
    )
