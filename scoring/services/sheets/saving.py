"""Saving the self or the verified column of a sheet: every value checked first, the version
claimed, only the changed lines written, the points and the kept totals computed, the
audit trail written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs import access as bloc_access
from blocs import deadlines
from blocs.audit import audit_entry, audit_record_many
from blocs.models import AuditEntry, BlocYear, User
from common.db.bulk import update_rows
from common.numbers import format_plain
from notifications import events as notification_events
from scoring import locks, rules, totals
from scoring.models import ScoreLine, ScoreSheet, ScoringSeason
from scoring.services.sheets.entries import (
    EntryErrors,
    Layer,
    LineEntry,
    SheetConflict,
    StateError,
)


@dataclass
class SaveResult:
    sheet: ScoreSheet
    changed: int = 0
    changes: list[AuditEntry] = field(default_factory=list)


def check_entries(
    lines: Mapping[int, ScoreLine], entries: Mapping[int, LineEntry], step: Decimal, layer: Layer
) -> dict[int, str]:
    errors: dict[int, str] = {}
    layer = Layer(layer)
    for criterion_id, entry in entries.items():
        line = lines.get(criterion_id)
        if line is None:
            errors[criterion_id] = _("Tiêu chí này không có trong bảng điểm.")
            continue
        criterion = line.criterion
        try:
            rules.check_input(
                method=criterion.method,
                max_points=criterion.max_points,
                step=step,
                entry=rules.MethodInput(entry.value, entry.target),
                tiers=criterion.tier_table,
            )
        except rules.InputError as error:
            errors[criterion_id] = str(error)
            continue
        if layer is Layer.VERIFIED and entry.value is not None and line.self_value is not None:
            differs = (entry.value, entry.target) != (line.self_value, line.self_target)
            if differs and not (entry.text or "").strip():
                errors[criterion_id] = _("Điểm thẩm định khác điểm tự chấm: ghi lý do.")
                continue
        if layer is Layer.VERIFIED and line.council_adjustment and entry.value is not None:
            # The council's adjustment stays on the line: the final points must still be
            # within 0..max (a line scored against the bloc's best is checked when ranked).
            points = rules.line_points(
                method=criterion.method,
                max_points=criterion.max_points,
                entry=rules.MethodInput(entry.value, entry.target),
                per_occurrence=criterion.points_per_occurrence,
                tiers=criterion.tier_table,
            )
            final = None if points is None else points + line.council_adjustment
            if final is not None and not rules.ZERO <= final <= criterion.max_points:
                errors[criterion_id] = _(
                    "Với điều chỉnh của Hội đồng (%(amount)s), điểm cuối cùng phải từ 0 đến "
                    "%(max)s; nhập điểm khác, hoặc đề nghị Hội đồng bỏ điều chỉnh."
                ) % {
                    "amount": format_plain(line.council_adjustment),
                    "max": format_plain(criterion.max_points),
                }
    return errors


def sheet_check(
    *, sheet: ScoreSheet, layer: Layer, entries: Mapping[int, LineEntry]
) -> dict[int, str]:
    """The errors ``sheet_save`` would raise, without writing: lets a page report every bad
    cell at once even when some cells could not be read as numbers."""
    return check_entries(
        sheet_lines(sheet), entries, sheet.bloc_year.scoring.criteria_set.step, layer
    )


def _claim_version(sheet: ScoreSheet, version: int, by: User | None) -> None:
    """Raise the version if nobody else did since ``version`` was read; else SheetConflict."""
    updated = ScoreSheet.objects.filter(pk=sheet.pk, version=version).update(
        version=F("version") + 1, updated_by=by, updated_at=timezone.now()
    )
    if not updated:
        raise SheetConflict(ScoreSheet.objects.get(pk=sheet.pk))
    sheet.version = version + 1


def sheet_lines(sheet: ScoreSheet) -> dict[int, ScoreLine]:
    return {
        line.criterion_id: line
        for line in ScoreLine.objects.filter(sheet=sheet).select_related("criterion")
    }


def self_assessment_late(
    sheet: ScoreSheet,
    by: User | None,
    entries: Mapping[int, LineEntry] | None = None,
    lines: Mapping[int, ScoreLine] | None = None,
) -> bool:
    """Whether the self-assessment deadline has passed, for someone still allowed to act (the
    secretariat for another unit, council admins). The unit itself is refused with the date:
    ``StateError`` when sending, ``EntryErrors`` at the cells it changed when saving."""
    due = sheet.bloc_year.self_assessment_due
    if due is None or not deadlines.is_late(due, timezone.now()):
        return False
    if bloc_access.may_act_after_due(by, sheet.bloc_year, sheet.unit_id):
        return True
    message = deadlines.self_assessment_closed_message(due)
    if entries is None or lines is None:
        raise StateError(message)
    changed = {
        criterion_id: message
        for criterion_id, entry in entries.items()
        if criterion_id in lines
        and (
            (entry.value, entry.target)
            != (lines[criterion_id].self_value, lines[criterion_id].self_target)
            or (entry.text is not None and entry.text.strip() != lines[criterion_id].note)
        )
    }
    raise EntryErrors(changed, [message])


@transaction.atomic
def sheet_save(
    *,
    sheet: ScoreSheet,
    layer: Layer,
    entries: Mapping[int, LineEntry],
    version: int,
    by: User | None,
    on_behalf: bool = False,
    lines: dict[int, ScoreLine] | None = None,
) -> SaveResult:
    """Save the self or the verified column of a sheet in one go (``write_column``, in a
    transaction of its own)."""
    return write_column(
        sheet=sheet,
        layer=layer,
        entries=entries,
        version=version,
        by=by,
        on_behalf=on_behalf,
        lines=lines,
    )


def write_column(
    *,
    sheet: ScoreSheet,
    layer: Layer,
    entries: Mapping[int, LineEntry],
    version: int,
    by: User | None,
    on_behalf: bool = False,
    lines: dict[int, ScoreLine] | None = None,
) -> SaveResult:
    """Save the self or the verified column of a sheet in one go; the caller holds the
    transaction.

    All values are checked first; on any error nothing is written (``EntryErrors``). A stale
    ``version`` raises ``SheetConflict``. Unchanged lines are not touched. ``lines`` (from
    ``sheet_lines``) saves a query when the caller has them already.
    """
    season = sheet.bloc_year.scoring
    step = season.criteria_set.step
    if lines is None:
        lines = sheet_lines(sheet)
    layer = Layer(layer)
    errors = check_entries(lines, entries, step, layer)
    if errors:
        raise EntryErrors(errors)
    if layer is Layer.SELF:
        self_assessment_late(sheet, by, entries, lines)
    if any(line.criterion.method == rules.RELATIVE_BEST for line in lines.values()):
        # Such lines are rewritten on every member's sheet (with their kept totals): the
        # bloc-year's sheets first, in one order (scoring/locks.py).
        locks.lock_bloc_year_sheets(sheet.bloc_year_id)
    _claim_version(sheet, version, by)
    changed: list[ScoreLine] = []
    changed_keys: set[str] = set()
    audits: list[AuditEntry] = []
    for criterion_id, entry in entries.items():
        line = lines[criterion_id]
        before = _layer_state(line, layer)
        _apply(line, layer, entry)
        after = _layer_state(line, layer)
        if before != after:
            changed.append(line)
            changed_keys.update(key for key in after if before[key] != after[key])
            audits.append(
                audit_entry(
                    actor=by,
                    bloc_year=sheet.bloc_year,
                    context=sheet.audit_context,
                    action=layer.audit_action,
                    subject=line.criterion.code,
                    summary=_line_summary(line, layer, on_behalf),
                    changes={
                        key: [plain_value(before[key]), plain_value(after[key])]
                        for key in after
                        if before[key] != after[key]
                    },
                    reason=entry.text if layer is Layer.VERIFIED and entry.text else "",
                )
            )
    relative = {
        line.criterion_id for line in changed if line.criterion.method == rules.RELATIVE_BEST
    }
    for line in changed:
        if line.criterion.method != rules.RELATIVE_BEST:
            _compute_points(line, layer)
    # Only the columns some line changed, in one statement.
    fields = _layer_fields(layer, changed_keys)
    if changed:
        update_rows(changed, fields)
        if totals.depends_on(fields):  # points of either column; never a note alone
            totals.refresh([sheet.pk])  # the sheet's row is held since the version claim
    if relative:
        recompute_relative_best(sheet.bloc_year, relative)
    if on_behalf and changed and not sheet.entered_on_behalf:
        ScoreSheet.objects.filter(pk=sheet.pk).update(entered_on_behalf=True)
        sheet.entered_on_behalf = True
        notification_events.sheet_entered_on_behalf(sheet, by=by)  # once: the first time
    audit_record_many(audits)
    return SaveResult(sheet=sheet, changed=len(changed), changes=audits)


def _layer_fields(layer: Layer, keys: set[str]) -> list[str]:
    """The columns of a layer that hold the changed ``keys`` (of ``_layer_state``); the points
    whenever the value or the target changed."""
    columns = {
        "value": [layer.value_field, layer.points_field],
        "target": [layer.target_field, layer.points_field],
        layer.text_key: [layer.text_field],
    }
    return sorted({column for key in keys for column in columns[key]})


def _layer_state(line: ScoreLine, layer: Layer) -> dict[str, object]:
    value, target, text = layer.entry_of(line)
    return {"value": value, "target": target, layer.text_key: text}


def _apply(line: ScoreLine, layer: Layer, entry: LineEntry) -> None:
    setattr(line, layer.value_field, entry.value)
    setattr(line, layer.target_field, entry.target)
    if entry.text is not None:
        setattr(line, layer.text_field, entry.text.strip())


def _compute_points(line: ScoreLine, layer: Layer, best: Decimal | None = None) -> None:
    criterion = line.criterion
    value, target, _text = Layer(layer).entry_of(line)
    points = rules.line_points(
        method=criterion.method,
        max_points=criterion.max_points,
        entry=rules.MethodInput(value, target),
        per_occurrence=criterion.points_per_occurrence,
        best=best,
        tiers=criterion.tier_table,
    )
    setattr(line, Layer(layer).points_field, points)


def recompute_relative_best(bloc_year: BlocYear, criterion_ids: set[int]) -> None:
    """Lines scored against the bloc's best result change whenever any member's result does.

    The caller holds every sheet of the bloc-year (``locks.lock_bloc_year_sheets``): their
    lines and kept totals are rewritten here."""
    lines = list(
        ScoreLine.objects.filter(
            sheet__bloc_year=bloc_year, criterion_id__in=criterion_ids
        ).select_related("criterion")
    )
    # Under peer scoring the verified column holds the peers' means: leave it alone.
    layers = (Layer.SELF,) if _is_peer(bloc_year) else tuple(Layer)
    for criterion_id in criterion_ids:
        group = [line for line in lines if line.criterion_id == criterion_id]
        for layer in layers:
            values = [layer.value_of(line) for line in group]
            best = rules.best_result(values)
            for line in group:
                _compute_points(line, layer, best)
    update_rows(lines, [layer.points_field for layer in Layer])
    totals.refresh(line.sheet_id for line in lines)


def _is_peer(bloc_year: BlocYear) -> bool:
    try:
        return bloc_year.scoring.mode == ScoringSeason.Mode.PEER  # usually loaded with the sheet
    except ScoringSeason.DoesNotExist:
        return False


def plain_value(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value


def _line_summary(line: ScoreLine, layer: Layer, on_behalf: bool) -> str:
    code = line.criterion.code
    if layer is Layer.SELF:
        if on_behalf:
            return _("Nhập thay điểm tự chấm tiêu chí %(code)s") % {"code": code}
        return _("Sửa điểm tự chấm tiêu chí %(code)s") % {"code": code}
    return _("Sửa điểm thẩm định tiêu chí %(code)s") % {"code": code}
