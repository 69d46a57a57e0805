"""Freezing the ranking: what still stands in the way, finalization (snapshot 1, the sheets
locked), corrections after it (the next snapshot; the earlier ones never change)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from blocs.audit import audit_entry, audit_record, audit_record_many
from blocs.models import BlocYear, Membership, User
from common.db.bulk import update_rows
from scoring import locks, ranking, totals
from scoring.layers import Layer
from scoring.models import BandQuota, Criterion, RankingSnapshot, ScoreLine, ScoreSheet
from scoring.rows import keep_published, rows_from_json
from scoring.selectors.quotas import quota_outcome
from scoring.selectors.ranking import ranking_input, snapshot_data
from scoring.selectors.ranking_rules import rules_of
from scoring.services.ranking import votes
from scoring.services.ranking.state import (
    FINALIZED_STATES,
    move_state,
    ranking_context,
    snapshot_create,
)
from scoring.services.sheets import LineEntry, StateError, _compute_points


def _write_snapshot(
    bloc_year: BlocYear, kind: str, reason: str, by: User | None
) -> RankingSnapshot:
    data = ranking_input(bloc_year)
    content = snapshot_data(data, data.rank())
    # The quotas counted across blocs (docs/ranking.md): one finalization at a time per quota,
    # so that the second of two bloc-years counts the first's frozen rows.
    list(BandQuota.objects.select_for_update().filter(bloc_years=bloc_year).order_by("pk"))
    # Members imported with a published band and no points keep their row (write_mixed).
    previous = RankingSnapshot.objects.filter(bloc_year=bloc_year).order_by("-number").first()
    computed = rows_from_json(content["rows"])
    rows = keep_published(previous.rows if previous else [], computed)
    rows, quota_lines = quota_outcome(bloc_year, data, rows)
    if quota_lines or rows != computed:
        content["rows"] = [row.to_json() for row in rows]
    if quota_lines:
        content["settings"]["quotas"] = [line.to_json() for line in quota_lines]
    return snapshot_create(bloc_year, kind, reason, by, content)


@dataclass(frozen=True)
class SheetGap:
    """What one sheet still lacks before the results can be finalized."""

    unit: str
    state: str  # the sheet's state, in words
    verified: bool
    missing: int  # criteria (applicable lines) without verified points
    url: str


@dataclass(frozen=True)
class FinalizationGaps:
    """Why the results cannot be finalized yet, grouped by sheet (the finalize page)."""

    opened: bool = True  # scoring has been opened
    members_without_sheet: int = 0
    sheets: Sequence[SheetGap] = ()

    @property
    def missing_total(self) -> int:
        return sum(gap.missing for gap in self.sheets)

    def __bool__(self) -> bool:
        return not self.opened or bool(self.members_without_sheet) or bool(self.sheets)


def finalization_gaps(bloc_year: BlocYear) -> FinalizationGaps:
    """Every sheet not yet verified or with criteria still lacking a verified score, with the
    count of such criteria, in the bloc's order of units (three queries)."""
    members = set(Membership.objects.filter(bloc_year=bloc_year).values_list("unit_id", flat=True))
    sheets = list(
        ScoreSheet.objects.filter(bloc_year=bloc_year)
        .select_related("unit")
        .prefetch_related("unit__former_names")
        .annotate(
            missing=Count(
                "lines",
                filter=Q(lines__verified_points__isnull=True, lines__not_applicable=False),
            )
        )
    )
    if not sheets:
        return FinalizationGaps(opened=False)
    gaps = [
        SheetGap(
            unit=sheet.unit.name_in_year(bloc_year.year),
            state=sheet.get_state_display(),
            verified=sheet.state == ScoreSheet.State.VERIFIED,
            missing=sheet.missing,
            url=sheet.get_absolute_url(),
        )
        for sheet in sheets
        if sheet.state != ScoreSheet.State.VERIFIED or sheet.missing
    ]
    gaps.sort(key=lambda gap: (gap.verified, -gap.missing, gap.unit))
    return FinalizationGaps(
        members_without_sheet=len(members - {sheet.unit_id for sheet in sheets}), sheets=gaps
    )


def finalization_problems(bloc_year: BlocYear) -> list[str]:
    """Why the results cannot be finalized yet, one line per sheet (the refusal's messages);
    for a year ranked by vote alone, the members without a vote result."""
    if rules_of(bloc_year).by_votes:
        return votes.vote_problems(bloc_year)
    gaps = finalization_gaps(bloc_year)
    if not gaps.opened:
        return [_("Chưa mở chấm điểm.")]
    problems = []
    if gaps.members_without_sheet:
        problems.append(
            _("%(count)s thành viên chưa có bảng điểm.") % {"count": gaps.members_without_sheet}
        )
    for gap in gaps.sheets:
        names = {"unit": gap.unit, "state": gap.state, "count": gap.missing}
        if gap.verified:
            problems.append(
                ngettext(
                    "%(unit)s: còn %(count)s tiêu chí chưa có điểm thẩm định.",
                    "%(unit)s: còn %(count)s tiêu chí chưa có điểm thẩm định.",
                    gap.missing,
                )
                % names
            )
        elif gap.missing:
            problems.append(
                ngettext(
                    "%(unit)s: bảng điểm ở trạng thái “%(state)s”, còn %(count)s tiêu chí chưa "
                    "có điểm thẩm định.",
                    "%(unit)s: bảng điểm ở trạng thái “%(state)s”, còn %(count)s tiêu chí chưa "
                    "có điểm thẩm định.",
                    gap.missing,
                )
                % names
            )
        else:
            problems.append(_("%(unit)s: bảng điểm ở trạng thái “%(state)s”.") % names)
    return problems


@transaction.atomic
def bloc_year_finalize(*, bloc_year: BlocYear, by: User | None) -> RankingSnapshot:
    """Freeze the ranking as snapshot 1 and lock every sheet."""
    problems = finalization_problems(bloc_year)
    if problems:
        raise StateError(problems)
    if rules_of(bloc_year).by_votes:
        move_state(bloc_year, votes.OPEN_STATES, BlocYear.State.FINALIZED)
        snapshot = votes.write_vote_snapshot(bloc_year, RankingSnapshot.Kind.FINALIZATION, "", by)
    else:
        move_state(bloc_year, [BlocYear.State.SCORING], BlocYear.State.FINALIZED)
        snapshot = _write_snapshot(bloc_year, RankingSnapshot.Kind.FINALIZATION, "", by)
    ScoreSheet.objects.filter(bloc_year=bloc_year, state=ScoreSheet.State.VERIFIED).update(
        state=ScoreSheet.State.FINALIZED
    )
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=ranking_context(bloc_year),
        action="ranking.finalize",
        summary=_("Chốt kết quả xếp hạng (lần %(number)s)") % {"number": snapshot.number},
    )
    return snapshot


@transaction.atomic
def ranking_correct(
    *,
    bloc_year: BlocYear,
    corrections: Mapping[int, Mapping[int, LineEntry]],
    reason: str,
    by: User | None,
    kind: str = RankingSnapshot.Kind.CORRECTION,
) -> RankingSnapshot:
    """After finalization: change verified values (sheet id → criterion id → entry) with a
    mandatory reason, and write the next snapshot. The earlier snapshots stay as they were."""
    if not reason.strip():
        raise ValidationError({"reason": _("Ghi lý do điều chỉnh.")})
    if bloc_year.state not in FINALIZED_STATES:
        raise StateError(_("Kết quả chưa chốt: hãy sửa trực tiếp trên bảng điểm."))
    # Every sheet of the bloc-year, in pk order, before any line (scoring/locks.py): a line
    # scored against the bloc's best is rewritten on every member's sheet.
    locks.lock_bloc_year_sheets(bloc_year.pk)
    lines = list(
        ScoreLine.objects.select_for_update(of=("self",))
        .filter(sheet__bloc_year=bloc_year, sheet_id__in=list(corrections))
        .select_related("criterion__criteria_set", "sheet__unit")
    )
    by_key = {(line.sheet_id, line.criterion_id): line for line in lines}
    errors = []
    changed: list[ScoreLine] = []
    audits = []
    for sheet_id, entries in corrections.items():
        for criterion_id, entry in entries.items():
            line = by_key.get((sheet_id, criterion_id))
            if line is None:
                errors.append(_("Tiêu chí không có trong bảng điểm."))
                continue
            try:
                ranking.rules.check_input(
                    method=line.criterion.method,
                    max_points=line.criterion.max_points,
                    step=line.criterion.criteria_set.step,
                    entry=ranking.rules.MethodInput(entry.value, entry.target),
                    tiers=line.criterion.tier_table,
                )
            except ranking.rules.InputError as error:
                errors.append(f"{line.criterion.code}: {error}")
                continue
            before = (line.verified_value, line.verified_target, line.verified_points)
            line.verified_value, line.verified_target = entry.value, entry.target
            line.verified_reason = (entry.text or reason).strip()
            _compute_points(line, Layer.VERIFIED)
            changed.append(line)
            audits.append(
                audit_entry(
                    actor=by,
                    bloc_year=bloc_year,
                    context=line.sheet.audit_context,
                    action="line.correct",
                    subject=line.criterion.code,
                    summary=_("Điều chỉnh sau khi chốt: tiêu chí %(code)s")
                    % {"code": line.criterion.code},
                    changes={
                        "value": [
                            str(before[0]) if before[0] is not None else None,
                            str(entry.value),
                        ]
                    },
                    reason=reason,
                )
            )
    if errors:
        raise ValidationError(errors)
    if not changed:
        raise ValidationError(_("Không có điểm nào thay đổi."))
    update_rows(
        changed, ["verified_value", "verified_target", "verified_points", "verified_reason"]
    )
    totals.refresh(line.sheet_id for line in changed)
    relative = {
        line.criterion_id
        for line in changed
        if line.criterion.method == Criterion.Method.RELATIVE_BEST
    }
    if relative:
        from scoring.services.sheets import recompute_relative_best

        recompute_relative_best(bloc_year, relative)
    audit_record_many(audits)
    snapshot = _write_snapshot(bloc_year, kind, reason, by)
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=ranking_context(bloc_year),
        action="ranking.correct",
        summary=_("Điều chỉnh kết quả sau khi chốt (lần %(number)s)") % {"number": snapshot.number},
        reason=reason,
    )
    return snapshot


def latest_snapshot(bloc_year: BlocYear) -> RankingSnapshot | None:
    return RankingSnapshot.objects.filter(bloc_year=bloc_year).order_by("-number").first()
