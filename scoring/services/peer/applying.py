"""Applying the peer means to the sheets: the plan (which members get verified points now, and
why the others do not yet) and ``peer_apply``, which writes the means into the verified column
of every sent sheet, through ``sheet_save`` where it can and directly (same version claim, same
audit entries) where a mean is not a value that service would take. All or nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.audit import audit_entry, audit_record, audit_record_many
from blocs.models import AuditEntry, BlocYear, Membership, Unit, User
from common.collation import vietnamese_sort_key
from common.db.bulk import update_rows
from scoring import rules, totals
from scoring.layers import Layer
from scoring.models import Criterion, PeerAssessment, ScoreLine, ScoreSheet
from scoring.services.peer.results import PeerLineResult, peer_line_results, peer_reason
from scoring.services.peer.season import criteria_of, peer_context, peer_season
from scoring.services.sheets import LineEntry, SheetConflict, sheet_save


@dataclass
class PeerApplyUnit:
    """One member in the plan: the lines that will be written, or why it is skipped."""

    unit: Unit
    unit_name: str
    sheet: ScoreSheet | None
    lines: dict[int, PeerLineResult] = field(default_factory=dict)
    missing_scorers: list[str] = field(default_factory=list)
    reason: str = ""  # why it is skipped; empty when it is applied
    changed: int = 0  # lines whose verified points changed (after applying)


@dataclass
class PeerApplyPlan:
    ready: list[PeerApplyUnit]
    skipped: list[PeerApplyUnit]


def peer_apply_plan(bloc_year: BlocYear) -> PeerApplyPlan:
    """Who gets verified points now, and who does not yet (with the reason). A fixed number of
    queries whatever the size of the bloc."""
    memberships = list(
        Membership.objects.filter(bloc_year=bloc_year)
        .select_related("unit")
        .prefetch_related("unit__former_names")
    )
    names = {m.unit_id: m.unit.name_in_year(bloc_year.year) for m in memberships}
    results = peer_line_results(bloc_year, unit_ids=names)
    sheets = {sheet.unit_id: sheet for sheet in ScoreSheet.objects.filter(bloc_year=bloc_year)}
    sent: dict[int, set[int]] = defaultdict(set)
    for scorer_id, scored_id in PeerAssessment.objects.filter(
        bloc_year=bloc_year, state=PeerAssessment.State.SUBMITTED
    ).values_list("scorer_id", "scored_id"):
        sent[scored_id].add(scorer_id)
    plan = PeerApplyPlan(ready=[], skipped=[])
    for membership in sorted(memberships, key=lambda m: vietnamese_sort_key(names[m.unit_id])):
        unit_id = membership.unit_id
        others = set(names) - {unit_id}
        item = PeerApplyUnit(
            unit=membership.unit,
            unit_name=names[unit_id],
            sheet=sheets.get(unit_id),
            missing_scorers=sorted(
                (names[other] for other in others - sent[unit_id]), key=vietnamese_sort_key
            ),
        )
        # A line is applied only when every other member has given points on it.
        item.lines = {
            criterion_id: result
            for criterion_id, result in results.get(unit_id, {}).items()
            if others and result.scorers == len(others) and result.mean is not None
        }
        if item.sheet is None:
            item.reason = _("Đơn vị chưa có bảng điểm.")
        elif item.sheet.state != ScoreSheet.State.SUBMITTED:
            item.reason = _(
                "Bảng điểm đang ở trạng thái “%(state)s”; chỉ áp dụng cho bảng điểm đã gửi."
            ) % {"state": item.sheet.get_state_display()}
        elif not item.lines:
            item.reason = _("Chưa đủ phiếu chấm chéo: còn thiếu phiếu của %(units)s.") % {
                "units": ", ".join(item.missing_scorers)
            }
        (plan.skipped if item.reason else plan.ready).append(item)
    return plan


@transaction.atomic
def peer_apply(*, bloc_year: BlocYear, by: User | None) -> PeerApplyPlan:
    """Write the peer means into the verified column of every sent sheet whose lines every
    other member has scored. Sheets not sent, and members still waiting for assessments, are
    skipped and reported. All or nothing: a sheet saved meanwhile raises ``SheetConflict``."""
    season = peer_season(bloc_year)
    criteria = {criterion.pk: criterion for criterion in criteria_of(season.criteria_set)}
    step = season.criteria_set.step
    plan = peer_apply_plan(bloc_year)
    for item in plan.ready:
        sheet = item.sheet
        assert sheet is not None  # a ready member has a sheet
        sheet.bloc_year = bloc_year  # the season is already loaded on it
        through_sheet_save: dict[int, LineEntry] = {}
        written_directly: dict[int, tuple[Decimal, str]] = {}
        for criterion_id, result in item.lines.items():
            mean = result.mean
            assert mean is not None  # only lines with a mean are planned
            criterion = criteria[criterion_id]
            if criterion.method == rules.DIRECT and _on_step(mean, criterion, step):
                through_sheet_save[criterion_id] = LineEntry(mean, None, peer_reason(result))
            else:
                written_directly[criterion_id] = (mean, peer_reason(result))
        if through_sheet_save:
            saved = sheet_save(
                sheet=sheet,
                layer=Layer.VERIFIED,
                entries=through_sheet_save,
                version=sheet.version,
                by=by,
            )
            item.changed += saved.changed
        if written_directly:
            item.changed += _write_verified_points(sheet, written_directly, by)
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=peer_context(bloc_year),
        action="peer.apply",
        summary=_("Áp dụng kết quả chấm chéo cho %(count)s đơn vị") % {"count": len(plan.ready)},
        changes={"applied": [item.unit_name for item in plan.ready]},
        reason="\n".join(f"{item.unit_name}: {item.reason}" for item in plan.skipped),
    )
    return plan


def _on_step(mean: Decimal, criterion: Criterion, step: Decimal) -> bool:
    try:
        rules.check_points(mean, criterion.max_points, step)
    except rules.InputError:
        return False
    return True


def _write_verified_points(
    sheet: ScoreSheet, writes: Mapping[int, tuple[Decimal, str]], by: User | None
) -> int:
    """Write means that ``sheet_save`` cannot take, directly, with the same version claim and
    audit entries.

    ``sheet_save`` reads the verified value through the line's method: on a target, relative,
    pass/fail or per-occurrence line it would turn the mean into a result, a verdict or a count,
    and on a direct line it refuses a mean that is not a multiple of the step (5,33 with a step
    of 0,25), although the mean is what the regulation makes the verified points. So the mean
    is stored as both the verified value and the verified points, without a target.
    """
    lines = list(
        ScoreLine.objects.filter(sheet=sheet, criterion_id__in=list(writes)).select_related(
            "criterion"
        )
    )
    changed: list[ScoreLine] = []
    audits: list[AuditEntry] = []
    for line in lines:
        mean, reason = writes[line.criterion_id]
        before = {
            "value": line.verified_value,
            "target": line.verified_target,
            "points": line.verified_points,
            "reason": line.verified_reason,
        }
        after = {"value": mean, "target": None, "points": mean, "reason": reason}
        if before == after:
            continue
        line.verified_value, line.verified_target = mean, None
        line.verified_points, line.verified_reason = mean, reason
        changed.append(line)
        audits.append(
            audit_entry(
                actor=by,
                bloc_year=sheet.bloc_year,
                context=sheet.audit_context,
                action="line.verified",
                subject=line.criterion.code,
                summary=_("Áp dụng điểm chấm chéo cho tiêu chí %(code)s")
                % {"code": line.criterion.code},
                changes={
                    key: [_plain(before[key]), _plain(after[key])]
                    for key in after
                    if before[key] != after[key]
                },
                reason=reason,
            )
        )
    if not changed:
        return 0
    claimed = ScoreSheet.objects.filter(pk=sheet.pk, version=sheet.version).update(
        version=F("version") + 1, updated_by=by, updated_at=timezone.now()
    )
    if not claimed:
        raise SheetConflict(ScoreSheet.objects.get(pk=sheet.pk))
    sheet.version += 1
    # The sheet's row is held since the claim (scoring/locks.py): its lines, then its total.
    update_rows(
        changed, ["verified_value", "verified_target", "verified_points", "verified_reason"]
    )
    totals.refresh([sheet.pk])
    audit_record_many(audits)
    return len(changed)


def _plain(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value
