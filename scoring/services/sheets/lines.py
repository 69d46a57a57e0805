"""Steps on single lines: the unit's values taken as verified, a line marked not applicable,
the council's adjustment."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from blocs.audit import audit_record
from blocs.models import User
from scoring import locks, totals
from scoring.layers import Layer
from scoring.models import Criterion, ScoreLine, ScoreSheet
from scoring.services.sheets.entries import LineEntry, StateError
from scoring.services.sheets.saving import SaveResult, plain_value, sheet_lines, sheet_save


@transaction.atomic
def sheet_accept_self(
    *, sheet: ScoreSheet, version: int, by: User | None, criterion_ids: Iterable[int] | None = None
) -> SaveResult:
    """Take the unit's self values as verified, for some lines or every line not yet verified."""
    lines = sheet_lines(sheet)
    wanted = set(criterion_ids) if criterion_ids is not None else set(lines)
    entries = {
        criterion_id: LineEntry(line.self_value, line.self_target, "")
        for criterion_id, line in lines.items()
        if criterion_id in wanted
        and line.self_value is not None
        and not line.not_applicable
        and (criterion_ids is not None or line.verified_value is None)
    }
    return sheet_save(sheet=sheet, layer=Layer.VERIFIED, entries=entries, version=version, by=by)


@transaction.atomic
def line_set_not_applicable(
    *, line: ScoreLine, not_applicable: bool, reason: str, by: User | None
) -> ScoreLine:
    """Mark a standard line not applicable to this unit (the total is then scaled), or undo it."""
    if line.criterion.kind != Criterion.Kind.STANDARD:
        raise StateError(_("Chỉ tiêu chí chuẩn mới có thể đánh dấu không áp dụng."))
    if not_applicable and not reason.strip():
        raise StateError(_("Ghi lý do tiêu chí không áp dụng cho đơn vị."))
    # The sheet's row before the line's (scoring/locks.py), then its state as it is now.
    locks.lock_sheet_and_bump(line.sheet_id)
    if ScoreSheet.objects.filter(
        pk=line.sheet_id, state__in=[ScoreSheet.State.VERIFIED, ScoreSheet.State.FINALIZED]
    ).exists():
        raise StateError(_("Bảng điểm đã thẩm định xong: mở lại việc thẩm định trước."))
    line.not_applicable = not_applicable
    line.not_applicable_reason = reason.strip() if not_applicable else ""
    line.save(update_fields=["not_applicable", "not_applicable_reason"])
    totals.refresh([line.sheet_id])  # a line not applicable scales the standard points
    sheet = line.sheet
    audit_record(
        actor=by,
        bloc_year=sheet.bloc_year,
        context=sheet.audit_context,
        action="line.not_applicable",
        subject=line.criterion.code,
        summary=(
            _("Tiêu chí %(code)s không áp dụng cho đơn vị")
            if not_applicable
            else _("Tiêu chí %(code)s áp dụng lại cho đơn vị")
        )
        % {"code": line.criterion.code},
        reason=reason,
    )
    return line


@transaction.atomic
def line_council_adjust(
    *, line: ScoreLine, amount: Decimal | None, reason: str, by: User | None
) -> ScoreLine:
    """The council office's adjustment of a line (signed); the final points stay within 0..max."""
    # The sheet's row before the line's (scoring/locks.py), then the line as it is now.
    locks.lock_sheet(line.sheet_id)
    if ScoreSheet.objects.filter(pk=line.sheet_id, state=ScoreSheet.State.FINALIZED).exists():
        raise StateError(_("Kết quả đã chốt: điều chỉnh bằng đính chính kết quả xếp hạng."))
    line.refresh_from_db(fields=["verified_points", "council_adjustment"])
    if amount is not None:
        if not reason.strip():
            raise StateError(_("Ghi lý do điều chỉnh."))
        final = (line.verified_points or Decimal(0)) + amount
        if final < 0 or final > line.criterion.max_points:
            raise StateError(_("Sau điều chỉnh, điểm phải nằm trong khoảng 0 đến điểm tối đa."))
    before = line.council_adjustment
    line.council_adjustment = amount
    line.council_reason = reason.strip() if amount is not None else ""
    line.save(update_fields=["council_adjustment", "council_reason"])
    totals.refresh([line.sheet_id])
    sheet = line.sheet
    audit_record(
        actor=by,
        bloc_year=sheet.bloc_year,
        context=sheet.audit_context,
        action="line.council",
        subject=line.criterion.code,
        summary=_("Hội đồng điều chỉnh điểm tiêu chí %(code)s") % {"code": line.criterion.code},
        changes={"council_adjustment": [plain_value(before), plain_value(amount)]},
        reason=reason,
    )
    return line
