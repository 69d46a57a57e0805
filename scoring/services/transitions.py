"""The steps of a score sheet: submit, recall, return for explanation, answer, decide, verify,
reopen.

Each step is a conditional update of the sheet's state (``UPDATE … WHERE state IN (…)``): two
clicks, or two people, cannot apply it twice. Every step writes its audit entry and announces
its event to ``notifications``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.audit import audit_entry, audit_record, audit_record_many
from blocs.models import User
from notifications import events as notification_events
from scoring.models import Criterion, ExplanationRequest, ScoreLine, ScoreSheet
from scoring.selectors.verification import verification_check
from scoring.services import sheets
from scoring.services.sheets import StateError


def _transition(sheet: ScoreSheet, allowed: Iterable[str], target: str, **fields: object) -> None:
    """Move the sheet only if it is still in an allowed state (race-safe)."""
    updated = ScoreSheet.objects.filter(pk=sheet.pk, state__in=list(allowed)).update(
        state=target, version=F("version") + 1, **fields
    )
    if not updated:
        current = ScoreSheet.objects.get(pk=sheet.pk)
        raise StateError(
            _("Bảng điểm đang ở trạng thái “%(state)s”, không thực hiện được bước này.")
            % {"state": current.get_state_display()}
        )
    sheet.refresh_from_db()


def missing_self_lines(sheet: ScoreSheet) -> list[ScoreLine]:
    """Lines the unit must fill before submitting (its own lines, not marked not applicable)."""
    return list(
        ScoreLine.objects.filter(
            sheet=sheet,
            self_value__isnull=True,
            not_applicable=False,
            criterion__scored_by=Criterion.ScoredBy.UNIT,
        )
        .select_related("criterion")
        .order_by("criterion__order")
    )


@transaction.atomic
def sheet_submit(*, sheet: ScoreSheet, by: User | None) -> ScoreSheet:
    missing = missing_self_lines(sheet)
    if missing:
        raise StateError(
            _("Còn %(count)s tiêu chí chưa tự chấm: %(codes)s.")
            % {
                "count": len(missing),
                "codes": ", ".join(line.criterion.code for line in missing[:10]),
            }
        )
    late = sheets.self_assessment_late(sheet, by)
    _transition(
        sheet,
        [ScoreSheet.State.DRAFT],
        ScoreSheet.State.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=by,
        submitted_late=late,
    )
    audit_record(
        actor=by,
        bloc_year=sheet.bloc_year,
        context=sheet.audit_context,
        action="sheet.submit",
        summary=_("Gửi bảng tự chấm sau hạn (nộp muộn)") if late else _("Gửi bảng tự chấm"),
    )
    notification_events.sheet_submitted(sheet, by=by)
    return sheet


@transaction.atomic
def sheet_return_for_explanation(
    *, sheet: ScoreSheet, questions: Mapping[int, str], by: User | None
) -> ScoreSheet:
    """Ask the unit about some lines (criterion id → question) and send the sheet back."""
    asked = {criterion_id: text.strip() for criterion_id, text in questions.items() if text.strip()}
    if not asked:
        raise StateError(_("Ghi nội dung cần giải trình cho ít nhất một tiêu chí."))
    lines = sheets.sheet_lines(sheet)
    unknown = [criterion_id for criterion_id in asked if criterion_id not in lines]
    if unknown:
        raise StateError(_("Tiêu chí không có trong bảng điểm."))
    _transition(sheet, [ScoreSheet.State.SUBMITTED], ScoreSheet.State.RETURNED)
    ExplanationRequest.objects.bulk_create(
        ExplanationRequest(line=lines[criterion_id], question=text, asked_by=by)
        for criterion_id, text in asked.items()
    )
    audit_record_many(
        audit_entry(
            actor=by,
            bloc_year=sheet.bloc_year,
            context=sheet.audit_context,
            action="sheet.return",
            subject=lines[criterion_id].criterion.code,
            summary=_("Yêu cầu giải trình tiêu chí %(code)s")
            % {"code": lines[criterion_id].criterion.code},
            reason=text,
        )
        for criterion_id, text in asked.items()
    )
    notification_events.sheet_returned(sheet, by=by)
    return sheet


@transaction.atomic
def sheet_answer_explanations(
    *, sheet: ScoreSheet, answers: Mapping[int, str], by: User | None
) -> ScoreSheet:
    """The unit answers every open request (explanation id → text) and sends the sheet back."""
    open_requests = {
        request.pk: request
        for request in ExplanationRequest.objects.filter(
            line__sheet=sheet, status=ExplanationRequest.Status.OPEN
        ).select_related("line__criterion")
    }
    missing = [
        request.line.criterion.code
        for pk, request in open_requests.items()
        if not (answers.get(pk) or "").strip()
    ]
    if missing:
        raise StateError(
            _("Chưa giải trình tiêu chí: %(codes)s.") % {"codes": ", ".join(sorted(set(missing)))}
        )
    _transition(sheet, [ScoreSheet.State.RETURNED], ScoreSheet.State.SUBMITTED)
    now = timezone.now()
    for pk, request in open_requests.items():
        request.answer = answers[pk].strip()
        request.answered_by = by
        request.answered_at = now
        request.status = ExplanationRequest.Status.ANSWERED
    ExplanationRequest.objects.bulk_update(
        open_requests.values(), ["answer", "answered_by", "answered_at", "status"]
    )
    audit_record_many(
        audit_entry(
            actor=by,
            bloc_year=sheet.bloc_year,
            context=sheet.audit_context,
            action="sheet.answer",
            subject=request.line.criterion.code,
            summary=_("Giải trình tiêu chí %(code)s") % {"code": request.line.criterion.code},
            reason=request.answer,
        )
        for request in open_requests.values()
    )
    return sheet


@transaction.atomic
def explanation_decide(
    *, request: ExplanationRequest, accepted: bool, note: str, by: User | None
) -> ExplanationRequest:
    updated = ExplanationRequest.objects.filter(
        pk=request.pk, status=ExplanationRequest.Status.ANSWERED
    ).update(
        status=ExplanationRequest.Status.ACCEPTED
        if accepted
        else ExplanationRequest.Status.REJECTED,
        decision_note=note.strip(),
        decided_by=by,
        decided_at=timezone.now(),
    )
    if not updated:
        raise StateError(_("Yêu cầu giải trình này chưa được trả lời hoặc đã có quyết định."))
    request.refresh_from_db()
    sheet = request.line.sheet
    audit_record(
        actor=by,
        bloc_year=sheet.bloc_year,
        context=sheet.audit_context,
        action="explanation.decide",
        subject=request.line.criterion.code,
        summary=(
            _("Chấp nhận giải trình tiêu chí %(code)s")
            if accepted
            else _("Không chấp nhận giải trình tiêu chí %(code)s")
        )
        % {"code": request.line.criterion.code},
        reason=note,
    )
    return request


@transaction.atomic
def sheet_mark_verified(*, sheet: ScoreSheet, by: User | None) -> ScoreSheet:
    """Every line verified (or not applicable), every question sent and decided and, when the
    rules ask for it, every deduction explained: the sheet is done (selectors.verification)."""
    blockers = verification_check(sheet).blockers
    if blockers:
        raise StateError(blockers)
    _transition(
        sheet,
        [ScoreSheet.State.SUBMITTED],
        ScoreSheet.State.VERIFIED,
        verified_at=timezone.now(),
        verified_by=by,
    )
    audit_record(
        actor=by,
        bloc_year=sheet.bloc_year,
        context=sheet.audit_context,
        action="sheet.verify",
        summary=_("Hoàn thành thẩm định bảng điểm"),
    )
    notification_events.sheet_verified(sheet, by=by)
    return sheet


@transaction.atomic
def sheet_reopen(*, sheet: ScoreSheet, reason: str, by: User | None) -> ScoreSheet:
    if not reason.strip():
        raise StateError(_("Ghi lý do mở lại việc thẩm định."))
    _transition(
        sheet,
        [ScoreSheet.State.VERIFIED],
        ScoreSheet.State.SUBMITTED,
        verified_at=None,
        verified_by=None,
    )
    audit_record(
        actor=by,
        bloc_year=sheet.bloc_year,
        context=sheet.audit_context,
        action="sheet.reopen",
        summary=_("Mở lại việc thẩm định"),
        reason=reason,
    )
    return sheet
