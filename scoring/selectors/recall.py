"""Whether a unit may still take back (recall) the self-assessment it sent.

A unit may recall its submitted sheet until the bloc's secretariat has changed anything on it:
a verified value on a line the unit or the bloc scores, a question (drafted, sent or decided),
or a line marked (or unmarked) not applicable since the sheet was sent. Lines scored outside
the secretariat (the council's standing office, a department) are not its work and do not
count. Never after the self-assessment deadline: the unit could not send the sheet again.

``with_recall_checks`` adds the three facts to a queryset of sheets as subqueries (no query
per sheet); ``recall_refusal`` turns them into the sentence the unit reads, or ``None``.
``transitions.sheet_recall`` applies it to the locked sheet; "my work" says when a sent sheet
can still be taken back. One rule, one place.
"""

from __future__ import annotations

from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from blocs import deadlines
from blocs.models import AuditEntry
from scoring.models import ExplanationRequest, ScoreLine, ScoreSheet
from scoring.selectors.verification import SECRETARIAT_SCORED

# The audit action of a line marked, or marked again, not applicable (services.sheets).
NOT_APPLICABLE_ACTION = "line.not_applicable"


def with_recall_checks(sheets: QuerySet[ScoreSheet]) -> QuerySet[ScoreSheet]:
    """Annotate ``recall_verified``, ``recall_questions`` and ``recall_not_applicable``."""
    return sheets.annotate(
        recall_verified=Exists(
            ScoreLine.objects.filter(
                sheet=OuterRef("pk"),
                verified_value__isnull=False,
                criterion__scored_by__in=SECRETARIAT_SCORED,
            )
        ),
        recall_questions=Exists(ExplanationRequest.objects.filter(line__sheet=OuterRef("pk"))),
        recall_not_applicable=Exists(
            AuditEntry.objects.filter(
                # ScoreSheet.audit_context, in SQL.
                context=Concat(Value("sheet:"), Cast(OuterRef("pk"), output_field=CharField())),
                action=NOT_APPLICABLE_ACTION,
                created_at__gte=OuterRef("submitted_at"),
            )
        ),
    )


def recall_refusal(sheet: ScoreSheet) -> str | None:
    """Why the unit cannot take this sheet back now, in words; ``None`` when it can. The sheet
    comes from ``with_recall_checks`` with its bloc-year loaded."""
    if sheet.state != ScoreSheet.State.SUBMITTED:
        return _(
            "Chỉ rút lại được bảng tự chấm đã gửi mà thư ký khối chưa thẩm định; bảng đang ở "
            "trạng thái “%(state)s”."
        ) % {"state": sheet.get_state_display()}
    due = sheet.bloc_year.self_assessment_due
    if deadlines.is_late(due, timezone.now()):
        return _(
            "Đã hết hạn tự chấm điểm (hết ngày %(day)s): rút lại thì đơn vị không gửi lại được "
            "nữa. Cần sửa điểm tự chấm, hãy liên hệ thư ký khối."
        ) % {"day": date_format(due, "SHORT_DATE_FORMAT") if due else ""}
    if sheet.recall_verified:  # type: ignore[attr-defined]
        return _(
            "Thư ký khối đã bắt đầu thẩm định (đã nhập điểm thẩm định) nên không rút lại bảng "
            "tự chấm được nữa. Cần sửa điểm tự chấm, hãy liên hệ thư ký khối."
        )
    if sheet.recall_questions:  # type: ignore[attr-defined]
        return _(
            "Thư ký khối đã ghi yêu cầu giải trình nên không rút lại bảng tự chấm được nữa. "
            "Cần sửa điểm tự chấm, hãy liên hệ thư ký khối."
        )
    if sheet.recall_not_applicable:  # type: ignore[attr-defined]
        return _(
            "Thư ký khối đã đánh dấu tiêu chí không áp dụng sau khi bảng được gửi nên không rút "
            "lại bảng tự chấm được nữa. Cần sửa điểm tự chấm, hãy liên hệ thư ký khối."
        )
    return None
