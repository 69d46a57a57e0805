"""The steps of a score sheet: submit, recall, return for explanation, answer, decide, verify,
reopen.

Each step is a conditional update of the sheet's state (``UPDATE … WHERE state IN (…)``): two
clicks, or two people, cannot apply it twice. Every step writes its audit entry and announces
its event to ``notifications``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.audit import audit_entry, audit_record, audit_record_many
from blocs.models import User
from common.batch import BatchOutcome, each
from notifications import events as notification_events
from scoring import locks
from scoring.models import Criterion, ExplanationRequest, ScoreLine, ScoreSheet
from scoring.selectors.recall import recall_refusal, with_recall_checks
from scoring.selectors.verification import verification_check
from scoring.services import evidence, sheets
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
    notification_events.scores_waiting(sheet, by=by)  # lines outside scorers must enter
    return sheet


@transaction.atomic
def sheet_recall(*, sheet: ScoreSheet, by: User | None) -> ScoreSheet:
    """The unit takes its submitted sheet back to change it, while the secretariat has not
    started on it and the self-assessment deadline has not passed (selectors.recall)."""
    # The sheet's row first: a verifier's save, a line marked not applicable, a question typed
    # in the grid take it too, so they either came before (and the check sees them) or wait
    # and then find the sheet a draft with a new version. Checked in a later statement, which
    # sees what committed while this one waited.
    locks.lock_sheet(sheet.pk)
    checked = with_recall_checks(
        ScoreSheet.objects.filter(pk=sheet.pk).select_related("bloc_year")
    ).get()
    refusal = recall_refusal(checked)
    if refusal:
        raise StateError(refusal)
    _transition(
        sheet,
        [ScoreSheet.State.SUBMITTED],
        ScoreSheet.State.DRAFT,
        submitted_at=None,
        submitted_by=None,
        submitted_late=False,
    )
    audit_record(
        actor=by,
        bloc_year=sheet.bloc_year,
        context=sheet.audit_context,
        action="sheet.recall",
        summary=_("Rút lại bảng tự chấm"),
    )
    notification_events.sheet_recalled(sheet, by=by)
    return sheet


@transaction.atomic
def sheet_return_for_explanation(
    *, sheet: ScoreSheet, by: User | None, questions: Mapping[int, str] | None = None
) -> ScoreSheet:
    """Send the unit every question kept on the sheet (after keeping ``questions``, criterion
    id → text, as drafts) and the sheet back to it for explanation."""
    # The sheet's row before the drafts are read (scoring/locks.py): read first, a draft that a
    # page save took back meanwhile was "sent", and the sheet went back with nothing to answer.
    locks.lock_sheet(sheet.pk)
    if questions is not None:
        sheets.explanation_drafts_save(sheet=sheet, questions=questions, by=by)
    drafts = list(
        ExplanationRequest.objects.filter(
            line__sheet=sheet, status=ExplanationRequest.Status.DRAFT
        ).select_related("line__criterion")
    )
    if not drafts:
        raise StateError(_("Ghi nội dung cần giải trình cho ít nhất một tiêu chí."))
    _transition(sheet, [ScoreSheet.State.SUBMITTED], ScoreSheet.State.RETURNED)
    ExplanationRequest.objects.filter(pk__in=[draft.pk for draft in drafts]).update(
        status=ExplanationRequest.Status.OPEN, asked_by=by, asked_at=timezone.now()
    )
    audit_record_many(
        audit_entry(
            actor=by,
            bloc_year=sheet.bloc_year,
            context=sheet.audit_context,
            action="sheet.return",
            subject=draft.line.criterion.code,
            summary=_("Yêu cầu giải trình tiêu chí %(code)s") % {"code": draft.line.criterion.code},
            reason=draft.question,
        )
        for draft in drafts
    )
    notification_events.sheet_returned(sheet, by=by)
    return sheet


@transaction.atomic
def sheet_answer_explanations(
    *,
    sheet: ScoreSheet,
    answers: Mapping[int, str],
    by: User | None,
    files: Mapping[int, Sequence[UploadedFile]] | None = None,
) -> ScoreSheet:
    """The unit answers every open request (explanation id → text), with files for some
    (explanation id → files, kept as the line's evidence), and sends the sheet back. Every
    file is checked before anything is written."""
    open_requests = {
        request.pk: request
        for request in ExplanationRequest.objects.filter(
            line__sheet=sheet, status=ExplanationRequest.Status.OPEN
        ).select_related("line__criterion", "line__sheet__bloc_year")
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
    attached = {pk: list(items) for pk, items in (files or {}).items() if items}
    for pk, items in attached.items():
        if pk not in open_requests:
            raise StateError(_("Yêu cầu giải trình không có trong bảng điểm."))
        try:
            evidence.evidence_check(line=open_requests[pk].line, uploads=items)
        except ValidationError as error:
            raise StateError(
                _("Tệp kèm theo giải trình tiêu chí %(code)s: %(reason)s Hãy chọn lại tệp.")
                % {
                    "code": open_requests[pk].line.criterion.code,
                    "reason": " ".join(error.messages),
                }
            ) from None
    # The files first, while the sheet is still being explained (evidence takes them then).
    for pk, items in attached.items():
        for upload in items:
            evidence.evidence_add(
                line=open_requests[pk].line, upload=upload, by=by, explanation=open_requests[pk]
            )
    _transition(sheet, [ScoreSheet.State.RETURNED], ScoreSheet.State.SUBMITTED)
    now = timezone.now()
    for pk, request in open_requests.items():
        request.answer = answers[pk].strip()
        request.answered_by = by
        request.answered_at = now
        request.status = ExplanationRequest.Status.ANSWERED
        request.answer_draft = ""
    ExplanationRequest.objects.bulk_update(
        open_requests.values(),
        ["answer", "answered_by", "answered_at", "status", "answer_draft"],
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
    # The sheet's row first (scoring/locks.py), then the check, in later statements that see
    # what committed while this one waited: checked before, a save emptying a line meanwhile
    # left a verified sheet with a line not verified (tests/scoring/test_sheet_races.py).
    locks.lock_sheet(sheet.pk)
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


def sheets_mark_verified(
    *, sheets: Sequence[ScoreSheet], by: User | None
) -> BatchOutcome[ScoreSheet]:
    """Mark several sheets verified, each exactly as ``sheet_mark_verified`` alone (its own
    lock, check, audit entry and notice, in its own transaction); a sheet the check refuses is
    named with why, and the others go on (common/batch.py)."""
    return each(sheets, lambda sheet: sheet_mark_verified(sheet=sheet, by=by))


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
