"""One line of a sheet: its guidance, evidence files, not-applicable mark, council adjustment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from blocs.http import AuthenticatedHttpRequest
from blocs.models import AuditEntry
from common.files import stored_file_response
from scoring import access
from scoring.forms import CouncilAdjustmentForm, EvidenceForm, NotApplicableForm
from scoring.models import ExplanationRequest, ScoreLine, ScoreSheet
from scoring.services import evidence as evidence_services
from scoring.services import sheets as services
from scoring.views.sheets import sheet_crumbs


def _line(sheet: ScoreSheet, criterion_id: int) -> ScoreLine:
    return get_object_or_404(
        ScoreLine.objects.select_related("criterion", "sheet"),
        sheet=sheet,
        criterion_id=criterion_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def line(request: AuthenticatedHttpRequest, sheet_id: int, criterion_id: int) -> HttpResponse:
    sheet = access.get_sheet_for_user(request, sheet_id)
    score_line = _line(sheet, criterion_id)
    can_upload = access.can_add_evidence(request.user, sheet)
    form = EvidenceForm()
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid() and form.save(sheet=sheet, line=score_line, by=request.user):
            messages.success(request, _("Đã tải lên minh chứng."))
            return redirect("scoring:line", sheet.pk, criterion_id)
    return render(
        request,
        "scoring/line.html",
        {
            **_line_context(request, sheet, score_line),
            "form": form,
            "can_upload": can_upload,
            "can_remove": can_upload,
        },
    )


def _line_context(
    request: AuthenticatedHttpRequest, sheet: ScoreSheet, score_line: ScoreLine
) -> dict[str, object]:
    """The line with its files, questions and history, and the forms this person may use."""
    criterion = score_line.criterion
    user = request.user
    marks = access.can_mark_not_applicable(user, sheet) and criterion.kind == "standard"
    return {
        "sheet": sheet,
        "line": score_line,
        "criterion": criterion,
        "files": list(score_line.evidence.select_related("uploaded_by")),
        "explanations": list(
            score_line.explanations.exclude(status=ExplanationRequest.Status.DRAFT).select_related(
                "asked_by", "answered_by"
            )
        ),
        "history": list(
            AuditEntry.objects.filter(context=sheet.audit_context, subject=criterion.code)[:50]
        ),
        "na_form": NotApplicableForm(
            initial={
                "not_applicable": score_line.not_applicable,
                "reason": score_line.not_applicable_reason,
            }
        )
        if marks
        else None,
        "council_form": CouncilAdjustmentForm(initial={"reason": score_line.council_reason})
        if access.can_council_score(user, sheet)
        else None,
        "breadcrumbs": sheet_crumbs(sheet, last=criterion.code),
    }


@login_required
@require_POST
def not_applicable(
    request: AuthenticatedHttpRequest, sheet_id: int, criterion_id: int
) -> HttpResponse:
    sheet = access.get_sheet_for_user(request, sheet_id)
    if not access.can_mark_not_applicable(request.user, sheet):
        raise PermissionDenied
    score_line = _line(sheet, criterion_id)
    form = NotApplicableForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for problem in errors:
                messages.error(request, str(problem))
        return redirect("scoring:line", sheet.pk, criterion_id)
    try:
        services.line_set_not_applicable(
            line=score_line,
            not_applicable=form.cleaned_data["not_applicable"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã cập nhật."))
    return redirect("scoring:line", sheet.pk, criterion_id)


@login_required
@require_POST
def council(request: AuthenticatedHttpRequest, sheet_id: int, criterion_id: int) -> HttpResponse:
    sheet = access.get_sheet_for_user(request, sheet_id)
    if not access.can_council_score(request.user, sheet):
        raise PermissionDenied
    score_line = _line(sheet, criterion_id)
    form = CouncilAdjustmentForm(request.POST)
    if form.is_valid():
        try:
            services.line_council_adjust(
                line=score_line,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã ghi điều chỉnh của Hội đồng."))
    else:
        for errors in form.errors.values():
            for problem in errors:
                messages.error(request, str(problem))
    return redirect("scoring:line", sheet.pk, criterion_id)


@login_required
@require_safe
def evidence(request: AuthenticatedHttpRequest, evidence_id: int) -> FileResponse:
    """Serve a file to those who may see its sheet; never as something the browser executes."""
    item = access.get_evidence_for_user(request, evidence_id)
    return stored_file_response(
        request, item.file, content_type=item.content_type, name=item.original_name
    )


@login_required
@require_POST
def evidence_delete(request: AuthenticatedHttpRequest, evidence_id: int) -> HttpResponse:
    item = access.get_evidence_for_user(request, evidence_id)
    sheet = item.line.sheet
    if not access.can_add_evidence(request.user, sheet):
        raise PermissionDenied
    criterion_id = item.line.criterion_id
    evidence_services.evidence_remove(evidence=item, by=request.user)
    messages.success(request, _("Đã xóa minh chứng."))
    return redirect("scoring:line", sheet.pk, criterion_id)
