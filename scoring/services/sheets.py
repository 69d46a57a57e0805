"""Writes to score sheets: open scoring, save the self or verified column, single lines.

The steps of a sheet (submit, return for explanation, verify, …) are in ``transitions``.

Every write checks the sheet's state with a conditional update (two clicks or two people can
never apply a transition twice), carries the sheet's version (a second writer is told, never
silently overwritten), writes all lines in a fixed number of queries, and records who changed
what in the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs import deadlines
from blocs.audit import audit_entry, audit_record, audit_record_many
from blocs.models import AuditEntry, BlocYear, Membership, User
from common.db.bulk import update_rows
from common.numbers import format_plain
from notifications import events as notification_events
from scoring import locks, rules, totals
from scoring.layers import Layer
from scoring.models import (
    CriteriaSet,
    Criterion,
    ExplanationRequest,
    ScoreLine,
    ScoreSheet,
    ScoringSeason,
)
from scoring.services import evidence

T = TypeVar("T")
# The two columns under their former names (the grid's template tags and the tests use them).
SELF = Layer.SELF
VERIFIED = Layer.VERIFIED


@dataclass(frozen=True)
class LineEntry:
    """What a form or a workbook gave for one line, already parsed into numbers."""

    value: Decimal | None
    target: Decimal | None = None
    text: str | None = None  # the unit's note (self layer) or the reason (verified layer)


class EntryErrors(Exception):
    """Some typed values are wrong; nothing was written. ``by_criterion`` maps ids to messages."""

    def __init__(self, by_criterion: Mapping[int, str], general: Iterable[str] = ()) -> None:
        self.by_criterion = dict(by_criterion)
        self.general = list(general)
        super().__init__("; ".join([*self.general, *self.by_criterion.values()]))


class SheetConflict(Exception):
    """Someone else saved the sheet since this person opened it."""

    def __init__(self, sheet: ScoreSheet) -> None:
        self.sheet = sheet
        super().__init__(_("Bảng điểm vừa được người khác lưu."))


class StateError(ValidationError):
    """The sheet is not in a state that allows this step."""


# ---------------------------------------------------------------------------- opening


@transaction.atomic
def scoring_open(
    *,
    bloc_year: BlocYear,
    criteria_set: CriteriaSet,
    by: User | None,
    mode: str = ScoringSeason.Mode.VERIFIED,
    peer_drop_extremes: bool = False,
) -> ScoringSeason:
    """Open scoring: freeze the criteria set and create one sheet per member. Idempotent:
    opening again adds sheets and lines only where they are missing."""
    problems = rules.check_tree(criteria_tree(criteria_set))
    if problems:
        raise ValidationError({"criteria_set": problems})
    if criteria_set.year != bloc_year.year or criteria_set.council_id != bloc_year.bloc.council_id:
        raise ValidationError(
            {"criteria_set": _("Bảng tiêu chí phải của cùng hội đồng và cùng năm với khối.")}
        )
    season, created = ScoringSeason.objects.get_or_create(
        bloc_year=bloc_year,
        defaults={
            "criteria_set": criteria_set,
            "mode": mode,
            "peer_drop_extremes": peer_drop_extremes,
        },
    )
    if (
        not created
        and season.criteria_set_id != criteria_set.pk
        and ScoreSheet.objects.filter(bloc_year=bloc_year).exists()
    ):
        raise ValidationError({"criteria_set": _("Khối đã mở chấm điểm với bảng tiêu chí khác.")})
    if season.opened_at is None:
        season.criteria_set = criteria_set
        season.mode = mode
        season.peer_drop_extremes = peer_drop_extremes
        season.opened_at = timezone.now()
        season.opened_by = by
        season.save()
    if criteria_set.frozen_at is None:
        CriteriaSet.objects.filter(pk=criteria_set.pk).update(frozen_at=timezone.now())
        audit_record(
            actor=by,
            bloc_year=bloc_year,
            context=f"criteria-set:{criteria_set.pk}",
            action="criteria_set.freeze",
            summary=_("Khóa bảng tiêu chí khi %(bloc)s năm %(year)s mở chấm điểm")
            % {"bloc": bloc_year.bloc.name, "year": bloc_year.year},
        )
    unit_ids = list(
        Membership.objects.filter(bloc_year=bloc_year).values_list("unit_id", flat=True)
    )
    existing = set(ScoreSheet.objects.filter(bloc_year=bloc_year).values_list("unit_id", flat=True))
    ScoreSheet.objects.bulk_create(
        ScoreSheet(bloc_year=bloc_year, unit_id=unit_id)
        for unit_id in unit_ids
        if unit_id not in existing
    )
    leaf_ids = leaf_criterion_ids(criteria_set)
    # Every sheet of the bloc-year, in pk order, before their lines (scoring/locks.py): opening
    # again adds lines to sheets that others may be writing.
    sheets = list(locks.lock_bloc_year_sheets(bloc_year.pk))
    have = set(
        ScoreLine.objects.filter(sheet_id__in=sheets).values_list("sheet_id", "criterion_id")
    )
    new_lines = ScoreLine.objects.bulk_create(
        ScoreLine(sheet_id=sheet_id, criterion_id=criterion_id)
        for sheet_id in sheets
        for criterion_id in leaf_ids
        if (sheet_id, criterion_id) not in have
    )
    # Empty lines: no total until they are verified, each one counted as missing.
    totals.refresh(line.sheet_id for line in new_lines)
    if bloc_year.state in (BlocYear.State.SETUP, BlocYear.State.UNDERWAY):
        BlocYear.objects.filter(pk=bloc_year.pk).update(state=BlocYear.State.SCORING)
        bloc_year.state = BlocYear.State.SCORING
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=f"bloc-year:{bloc_year.pk}",
        action="scoring.open",
        summary=_("Mở chấm điểm với bảng tiêu chí “%(set)s”") % {"set": criteria_set.name},
    )
    return season


def criteria_tree(criteria_set: CriteriaSet) -> list[rules.TreeNode]:
    return [
        rules.TreeNode(
            code=criterion.code,
            parent_code=rules.parent_code_of(criterion.code),
            kind=criterion.kind,
            max_points=criterion.max_points,
        )
        for criterion in Criterion.objects.filter(criteria_set=criteria_set)
    ]


def leaf_criterion_ids(criteria_set: CriteriaSet) -> list[int]:
    parents = set(
        Criterion.objects.filter(criteria_set=criteria_set, parent__isnull=False).values_list(
            "parent_id", flat=True
        )
    )
    return [
        pk
        for pk in Criterion.objects.filter(criteria_set=criteria_set).values_list("id", flat=True)
        if pk not in parents
    ]


# ---------------------------------------------------------------------------- saving


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
    if deadlines.may_act_after_due(by, sheet.bloc_year, sheet.unit_id):
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
    """Save the self or the verified column of a sheet in one go (``_write_column``, in a
    transaction of its own)."""
    return _write_column(
        sheet=sheet,
        layer=layer,
        entries=entries,
        version=version,
        by=by,
        on_behalf=on_behalf,
        lines=lines,
    )


def _write_column(
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
                        key: [_plain(before[key]), _plain(after[key])]
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
        if totals.depends_on(fields):  # the verified points; never the self column
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


def _plain(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value


def _line_summary(line: ScoreLine, layer: Layer, on_behalf: bool) -> str:
    code = line.criterion.code
    if layer is Layer.SELF:
        if on_behalf:
            return _("Nhập thay điểm tự chấm tiêu chí %(code)s") % {"code": code}
        return _("Sửa điểm tự chấm tiêu chí %(code)s") % {"code": code}
    return _("Sửa điểm thẩm định tiêu chí %(code)s") % {"code": code}


class UploadErrors(Exception):
    """Some evidence files chosen in the grid cannot be kept; nothing was written.
    ``by_criterion`` maps criterion ids to the reason."""

    def __init__(self, by_criterion: Mapping[int, str]) -> None:
        self.by_criterion = dict(by_criterion)
        super().__init__("; ".join(self.by_criterion.values()))


@dataclass
class PageSave:
    """What one press of a button on the sheet page kept, before its own step."""

    changed: int = 0  # lines whose points, note or reason changed
    questions: int = 0  # questions to the unit written or changed (not yet sent)
    questions_removed: int = 0
    files: int = 0  # evidence files added


@transaction.atomic
def sheet_page_save(
    *,
    sheet: ScoreSheet,
    layer: Layer | None,
    entries: Mapping[int, LineEntry],
    version: int,
    by: User | None,
    on_behalf: bool = False,
    lines: dict[int, ScoreLine] | None = None,
    questions: Mapping[int, str] | None = None,
    uploads: Mapping[int, Sequence[UploadedFile]] | None = None,
    then: Callable[[], T] | None = None,
) -> tuple[PageSave, T | None]:
    """Keep everything typed on the sheet page, then take the pressed button's own step
    (``then``), all or nothing: the column's values, the questions to the unit as drafts, the
    evidence files chosen in the rows. Every file is checked before any is stored
    (``UploadErrors``). Without a ``layer`` (the person edits no line) only the step runs."""
    saved = PageSave()
    if layer is not None:
        if lines is None:
            lines = sheet_lines(sheet)
        if uploads:
            problems = {}
            for criterion_id, files in uploads.items():
                try:
                    evidence.evidence_check(line=lines[criterion_id], uploads=files)
                except ValidationError as error:
                    problems[criterion_id] = " ".join(error.messages)
            if problems:
                raise UploadErrors(problems)
        saved.changed = _write_column(
            sheet=sheet,
            layer=layer,
            entries=entries,
            version=version,
            by=by,
            on_behalf=on_behalf,
            lines=lines,
        ).changed
        if questions:
            saved.questions, saved.questions_removed = explanation_drafts_save(
                sheet=sheet, questions=questions, by=by
            )
        for criterion_id, files in (uploads or {}).items():
            for upload in files:
                evidence.evidence_add(line=lines[criterion_id], upload=upload, by=by)
                saved.files += 1
    return saved, then() if then is not None else None


@transaction.atomic
def explanation_drafts_save(
    *, sheet: ScoreSheet, questions: Mapping[int, str], by: User | None
) -> tuple[int, int]:
    """Keep the questions the secretariat typed in the grid (criterion id → text) as drafts,
    not yet sent: one per line, a blank text removes the line's draft. Returns how many
    drafts were written (or changed) and how many removed. The unit sees them only once they
    are sent."""
    # The sheet's row before its questions' rows (scoring/locks.py); already held inside
    # ``sheet_page_save`` and ``sheet_return_for_explanation``. Without it, a draft's row taken
    # before the sheet's deadlocked with a page save of the same question, and two saves of one
    # line's question at once both added a draft (the drafts are read after the lock).
    locks.lock_sheet(sheet.pk)
    if ScoreSheet.objects.filter(pk=sheet.pk, state=ScoreSheet.State.SUBMITTED).count() == 0:
        raise StateError(_("Chỉ ghi câu hỏi giải trình khi bảng điểm đang chờ thẩm định."))
    lines = sheet_lines(sheet)
    unknown = [criterion_id for criterion_id in questions if criterion_id not in lines]
    if unknown:
        raise StateError(_("Tiêu chí không có trong bảng điểm."))
    drafts = {
        request.line.criterion_id: request
        for request in ExplanationRequest.objects.filter(
            line__sheet=sheet, status=ExplanationRequest.Status.DRAFT
        ).select_related("line")
    }
    create, update, remove = [], [], []
    for criterion_id, typed in questions.items():
        text = typed.strip()
        draft = drafts.get(criterion_id)
        if draft is None and text:
            create.append(
                ExplanationRequest(
                    line=lines[criterion_id],
                    question=text,
                    asked_by=by,
                    status=ExplanationRequest.Status.DRAFT,
                )
            )
        elif draft is not None and not text:
            remove.append(draft.pk)
        elif draft is not None and draft.question != text:
            draft.question, draft.asked_by = text, by
            update.append(draft)
    ExplanationRequest.objects.bulk_create(create)
    ExplanationRequest.objects.bulk_update(update, ["question", "asked_by"])
    ExplanationRequest.objects.filter(pk__in=remove).delete()
    return len(create) + len(update), len(remove)


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
        changes={"council_adjustment": [_plain(before), _plain(amount)]},
        reason=reason,
    )
    return line
