"""A bloc-year ranked by vote alone (docs/ranking.md, "Bình xét bằng phiếu"): the secretariat
records each member's vote result; finalization and corrections write snapshots of the votes.

Every entry is checked before anything is written: a refused entry names the member and the
field, and nothing changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocs.audit import audit_record
from blocs.models import BlocYear, Membership, User
from scoring.models import RankingSnapshot, VoteResult
from scoring.selectors.ranking_rules import rules_of
from scoring.selectors.votes import vote_snapshot_data
from scoring.services.ranking.state import FINALIZED_STATES, ranking_context, snapshot_create
from scoring.services.sheets import StateError

# Steps before finalization in which the votes can be recorded (a year ranked by vote never
# opens scoring: it goes from these straight to "Đã chốt kết quả").
OPEN_STATES = (BlocYear.State.SETUP, BlocYear.State.UNDERWAY, BlocYear.State.SCORING)


@dataclass(frozen=True)
class VoteInput:
    """What the secretariat typed for one member; all None/blank: nothing recorded."""

    votes_for: int | None
    voters: int | None
    band: str = ""

    @property
    def empty(self) -> bool:
        return self.votes_for is None and self.voters is None and not self.band.strip()


def check_vote(entry: VoteInput, band_names: set[str]) -> dict[str, str]:
    """The problems of one member's entry, by field (empty when it can be recorded)."""
    problems: dict[str, str] = {}
    if entry.empty:
        return problems
    if entry.voters is None or entry.voters < 1:
        problems["voters"] = _("Nhập số thành viên có mặt bỏ phiếu (ít nhất 1).")
    if entry.votes_for is None or entry.votes_for < 0:
        problems["votes_for"] = _("Nhập số phiếu đồng ý (0 trở lên).")
    elif entry.voters and entry.votes_for > entry.voters:
        problems["votes_for"] = _("Số phiếu đồng ý không được lớn hơn số thành viên bỏ phiếu.")
    band = entry.band.strip()
    if band and band not in band_names:
        problems["band"] = _("Chọn một mức của bảng xếp loại theo phiếu.")
    return problems


def _check_all(bloc_year: BlocYear, votes: Mapping[int, VoteInput]) -> None:
    members = set(Membership.objects.filter(bloc_year=bloc_year).values_list("unit_id", flat=True))
    names = {band.name for band in rules_of(bloc_year).vote_bands}
    errors: dict[str, list[str]] = {}
    for unit_id, entry in votes.items():
        if unit_id not in members:
            errors.setdefault("__all__", []).append(_("Đơn vị không thuộc khối năm này."))
        for name, message in check_vote(entry, names).items():
            errors[f"{unit_id}-{name}"] = [message]
    if errors:
        raise ValidationError(errors)


def _write(bloc_year: BlocYear, votes: Mapping[int, VoteInput]) -> list[str]:
    """Store the entries; returns "unit: before → after" for the audit trail."""
    current = {row.unit_id: row for row in VoteResult.objects.filter(bloc_year=bloc_year)}
    changes = []
    for unit_id, entry in votes.items():
        row = current.get(unit_id)
        before = f"{row.votes_for}/{row.voters} {row.band}".strip() if row else "–"
        if entry.empty:
            if row is not None:
                row.delete()
                changes.append(f"{unit_id}: {before} → –")
            continue
        after = f"{entry.votes_for}/{entry.voters} {entry.band.strip()}".strip()
        if before == after:
            continue
        VoteResult.objects.update_or_create(
            bloc_year=bloc_year,
            unit_id=unit_id,
            defaults={
                "votes_for": entry.votes_for,
                "voters": entry.voters,
                "band": entry.band.strip(),
            },
        )
        changes.append(f"{unit_id}: {before} → {after}")
    return changes


@transaction.atomic
def votes_record(*, bloc_year: BlocYear, votes: Mapping[int, VoteInput], by: User | None) -> int:
    """Record the vote results (unit id → entry) before finalization; returns how many
    members' results changed."""
    BlocYear.objects.select_for_update().filter(pk=bloc_year.pk).first()
    if not rules_of(bloc_year).by_votes:
        raise StateError(_("Khối năm này xếp hạng bằng chấm điểm, không ghi phiếu bình xét."))
    if bloc_year.state not in OPEN_STATES:
        raise StateError(_("Chỉ ghi kết quả phiếu khi khối đang thi đua, trước khi chốt kết quả."))
    _check_all(bloc_year, votes)
    changes = _write(bloc_year, votes)
    if changes:
        audit_record(
            actor=by,
            bloc_year=bloc_year,
            context=ranking_context(bloc_year),
            action="ranking.votes",
            summary=_("Ghi kết quả bình xét bằng phiếu (%(count)s đơn vị)")
            % {"count": len(changes)},
            changes={"votes": changes},
        )
    return len(changes)


def vote_problems(bloc_year: BlocYear) -> list[str]:
    """Why a year ranked by vote cannot be finalized yet (empty when it can)."""
    if bloc_year.state not in OPEN_STATES:
        return [_("Kết quả năm này đã được chốt.")]
    members = Membership.objects.filter(bloc_year=bloc_year).count()
    recorded = VoteResult.objects.filter(bloc_year=bloc_year).count()
    if not members:
        return [_("Khối năm này chưa có thành viên.")]
    if recorded < members:
        return [
            _("%(count)s thành viên chưa có kết quả phiếu bình xét.")
            % {"count": members - recorded}
        ]
    return []


def write_vote_snapshot(
    bloc_year: BlocYear, kind: str, reason: str, by: User | None
) -> RankingSnapshot:
    return snapshot_create(bloc_year, kind, reason, by, vote_snapshot_data(bloc_year))


@transaction.atomic
def votes_correct(
    *,
    bloc_year: BlocYear,
    votes: Mapping[int, VoteInput],
    reason: str,
    by: User | None,
    kind: str = RankingSnapshot.Kind.CORRECTION,
) -> RankingSnapshot:
    """After finalization (a correction, or an accepted complaint): change vote results with a
    mandatory reason and write the next snapshot; the earlier ones stay as they were."""
    if not reason.strip():
        raise ValidationError({"reason": _("Ghi lý do điều chỉnh.")})
    if bloc_year.state not in FINALIZED_STATES:
        raise StateError(_("Kết quả chưa chốt: hãy sửa trực tiếp trên trang ghi phiếu."))
    _check_all(bloc_year, votes)
    if any(entry.empty for entry in votes.values()):
        raise ValidationError(_("Sau khi chốt, mỗi thành viên phải có kết quả phiếu."))
    changes = _write(bloc_year, votes)
    if not changes:
        raise ValidationError(_("Không có kết quả phiếu nào thay đổi."))
    snapshot = write_vote_snapshot(bloc_year, kind, reason, by)
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=ranking_context(bloc_year),
        action="ranking.correct",
        summary=_("Điều chỉnh kết quả phiếu sau khi chốt (lần %(number)s)")
        % {"number": snapshot.number},
        changes={"votes": changes},
        reason=reason,
    )
    return snapshot
