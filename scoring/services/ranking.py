"""Writes around the ranking: its rules, finalization snapshots, corrections, publication and
complaints. Every step is dated, attributed and recorded in the audit trail."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from blocs.audit import audit_entry, audit_record, audit_record_many
from blocs.models import BlocYear, Council, Membership, Unit, User
from common.db.bulk import update_rows
from notifications import events as notification_events
from scoring import locks, ranking, totals
from scoring.models import (
    Complaint,
    Criterion,
    Publication,
    RankingRules,
    RankingSnapshot,
    ScoreLine,
    ScoreSheet,
)
from scoring.selectors.ranking import inputs_hash, ranking_input, snapshot_data
from scoring.services.sheets import LineEntry, StateError, _compute_points

FINALIZED_STATES = {
    BlocYear.State.FINALIZED,
    BlocYear.State.PROVISIONAL,
    BlocYear.State.PUBLISHED,
    BlocYear.State.PROPOSED,
    BlocYear.State.DECIDED,
}
DEFAULT_COMPLAINT_DAYS = 5


def _context(bloc_year: BlocYear) -> str:
    return f"ranking:{bloc_year.pk}"


def _move(bloc_year: BlocYear, allowed: Iterable[str], target: str) -> None:
    """Change the bloc-year's state only if it is still in an allowed state (race-safe)."""
    updated = BlocYear.objects.filter(pk=bloc_year.pk, state__in=list(allowed)).update(state=target)
    if not updated:
        current = BlocYear.objects.get(pk=bloc_year.pk)
        raise StateError(
            _("Năm thi đua đang ở bước “%(state)s”, không thực hiện được bước này.")
            % {"state": current.get_state_display()}
        )
    bloc_year.state = target


# ---------------------------------------------------------------------------- rules


def _check_rules(tie_breaks: Sequence[str], bands: Sequence[Mapping[str, object]]) -> None:
    unknown = [key for key in tie_breaks if key not in ranking.TIE_BREAKS]
    if unknown or len(set(tie_breaks)) != len(tie_breaks):
        raise ValidationError({"tie_breaks": _("Tiêu chí phụ không hợp lệ hoặc bị lặp.")})
    if not bands:
        raise ValidationError({"bands": _("Bảng xếp loại cần ít nhất một mức.")})
    previous = Decimal(101)
    for band in bands:
        if not str(band.get("name", "")).strip():
            raise ValidationError({"bands": _("Mỗi mức xếp loại cần có tên.")})
        try:
            minimum = Decimal(str(band["min_total_percent"]))
            floor = Decimal(str(band["floor_percent"]))
        except (KeyError, ArithmeticError, ValueError):
            raise ValidationError({"bands": _("Tỷ lệ của mức xếp loại phải là số.")}) from None
        if not (0 <= minimum <= 100 and 0 <= floor <= 100):
            raise ValidationError({"bands": _("Tỷ lệ phải từ 0 đến 100.")})
        if minimum >= previous:
            raise ValidationError({"bands": _("Các mức xếp loại phải xếp từ cao xuống thấp.")})
        previous = minimum


@transaction.atomic
def ranking_rules_save(
    *,
    tie_breaks: Sequence[str],
    bands: Sequence[Mapping[str, object]],
    by: User | None,
    bloc_year: BlocYear | None = None,
    council: Council | None = None,
    explanation_required: bool | None = None,
) -> RankingRules:
    """Set a bloc-year's own rules (before finalization) or a council's defaults.

    ``explanation_required`` (a deduction stands only after the unit was asked to explain it,
    docs/scoring.md) is kept as it is when ``None``; a bloc-year's own rules, when created,
    start with its council's setting."""
    _check_rules(tie_breaks, bands)
    if bloc_year is not None:
        if bloc_year.state in FINALIZED_STATES:
            raise StateError(_("Kết quả đã chốt: không đổi quy tắc xếp hạng được nữa."))
        rules, created = RankingRules.objects.get_or_create(bloc_year=bloc_year)
        if created:
            rules.explanation_required = RankingRules.objects.filter(
                council_id=bloc_year.bloc.council_id,
                bloc_year__isnull=True,
                explanation_required=True,
            ).exists()
    elif council is not None:
        rules, _created = RankingRules.objects.get_or_create(council=council, bloc_year=None)
    else:
        raise ValueError("rules belong to a bloc-year or a council")
    before = {
        "tie_breaks": rules.tie_breaks,
        "bands": rules.bands,
        "explanation_required": rules.explanation_required,
    }
    if explanation_required is not None:
        rules.explanation_required = explanation_required
    rules.tie_breaks = list(tie_breaks)
    rules.bands = [
        {
            "name": str(band["name"]).strip(),
            "min_total_percent": str(band["min_total_percent"]),
            "floor_percent": str(band["floor_percent"]),
        }
        for band in bands
    ]
    rules.save()
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=_context(bloc_year)
        if bloc_year
        else f"council-rules:{council.pk if council else ''}",
        action="ranking.rules",
        summary=_("Sửa quy tắc xếp hạng (tiêu chí phụ và bảng xếp loại)"),
        changes={
            "tie_breaks": [before["tie_breaks"], rules.tie_breaks],
            "bands": [before["bands"], rules.bands],
            "explanation_required": [
                before["explanation_required"],
                rules.explanation_required,
            ],
        },
    )
    return rules


# ---------------------------------------------------------------------------- snapshots


def _write_snapshot(
    bloc_year: BlocYear, kind: str, reason: str, by: User | None
) -> RankingSnapshot:
    data = ranking_input(bloc_year)
    content = snapshot_data(data, data.rank())
    number = (
        RankingSnapshot.objects.filter(bloc_year=bloc_year).aggregate(Max("number"))["number__max"]
        or 0
    ) + 1
    return RankingSnapshot.objects.create(
        bloc_year=bloc_year,
        number=number,
        kind=kind,
        reason=reason,
        created_by=by,
        inputs_hash=inputs_hash(content),
        data=content,
    )


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
    """Why the results cannot be finalized yet, one line per sheet (the refusal's messages)."""
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
    _move(bloc_year, [BlocYear.State.SCORING], BlocYear.State.FINALIZED)
    snapshot = _write_snapshot(bloc_year, RankingSnapshot.Kind.FINALIZATION, "", by)
    ScoreSheet.objects.filter(bloc_year=bloc_year, state=ScoreSheet.State.VERIFIED).update(
        state=ScoreSheet.State.FINALIZED
    )
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=_context(bloc_year),
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
                )
            except ranking.rules.InputError as error:
                errors.append(f"{line.criterion.code}: {error}")
                continue
            before = (line.verified_value, line.verified_target, line.verified_points)
            line.verified_value, line.verified_target = entry.value, entry.target
            line.verified_reason = (entry.text or reason).strip()
            _compute_points(line, "verified")
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
        context=_context(bloc_year),
        action="ranking.correct",
        summary=_("Điều chỉnh kết quả sau khi chốt (lần %(number)s)") % {"number": snapshot.number},
        reason=reason,
    )
    return snapshot


def latest_snapshot(bloc_year: BlocYear) -> RankingSnapshot | None:
    return RankingSnapshot.objects.filter(bloc_year=bloc_year).order_by("-number").first()


# ---------------------------------------------------------------------------- publication


@transaction.atomic
def publish_provisional(
    *,
    bloc_year: BlocYear,
    by: User | None,
    days: int = DEFAULT_COMPLAINT_DAYS,
    today: datetime.date | None = None,
) -> Publication:
    """Show the finalized ranking to the members and open the complaint window."""
    if not 1 <= days <= 60:
        raise ValidationError({"days": _("Thời hạn khiếu nại từ 1 đến 60 ngày.")})
    _move(bloc_year, [BlocYear.State.FINALIZED], BlocYear.State.PROVISIONAL)
    today = today or timezone.localdate()
    publication, _created = Publication.objects.get_or_create(bloc_year=bloc_year)
    publication.provisional_at = timezone.now()
    publication.provisional_by = by
    publication.complaint_deadline = today + datetime.timedelta(days=days)
    publication.save()
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=_context(bloc_year),
        action="ranking.publish_provisional",
        summary=_("Công bố tạm thời cho các thành viên; nhận khiếu nại đến hết ngày %(day)s")
        % {"day": publication.complaint_deadline.strftime("%d/%m/%Y")},
    )
    notification_events.results_provisional(bloc_year, by=by)  # the complaint window opens
    return publication


@transaction.atomic
def publish_final(
    *, bloc_year: BlocYear, by: User | None, today: datetime.date | None = None
) -> Publication:
    """Publish to members and the public once the window closed and every complaint is answered."""
    publication = Publication.objects.select_for_update().get(bloc_year=bloc_year)
    today = today or timezone.localdate()
    if publication.complaint_deadline and today <= publication.complaint_deadline:
        raise StateError(
            _("Còn trong thời hạn khiếu nại (đến hết ngày %(day)s).")
            % {"day": publication.complaint_deadline.strftime("%d/%m/%Y")}
        )
    if Complaint.objects.filter(bloc_year=bloc_year, status=Complaint.Status.OPEN).exists():
        raise StateError(_("Còn khiếu nại chưa trả lời."))
    _move(bloc_year, [BlocYear.State.PROVISIONAL], BlocYear.State.PUBLISHED)
    publication.final_at = timezone.now()
    publication.final_by = by
    publication.save(update_fields=["final_at", "final_by"])
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=_context(bloc_year),
        action="ranking.publish_final",
        summary=_("Công bố chính thức kết quả xếp hạng"),
    )
    notification_events.results_published(bloc_year, by=by)
    return publication


# ---------------------------------------------------------------------------- complaints


@transaction.atomic
def complaint_lodge(
    *,
    bloc_year: BlocYear,
    unit: Unit,
    about_unit: Unit,
    criteria: Sequence[Criterion],
    text: str,
    by: User | None,
    today: datetime.date | None = None,
) -> Complaint:
    today = today or timezone.localdate()
    publication = Publication.objects.filter(bloc_year=bloc_year).first()
    if bloc_year.state != BlocYear.State.PROVISIONAL or publication is None:
        raise StateError(_("Chỉ khiếu nại được khi kết quả đang công bố tạm thời."))
    if publication.complaint_deadline and today > publication.complaint_deadline:
        raise StateError(_("Đã hết thời hạn khiếu nại."))
    members = set(Membership.objects.filter(bloc_year=bloc_year).values_list("unit_id", flat=True))
    if unit.pk not in members or about_unit.pk not in members:
        raise ValidationError({"about_unit": _("Chỉ khiếu nại về điểm của các thành viên khối.")})
    if not criteria:
        raise ValidationError({"criteria": _("Chọn ít nhất một tiêu chí.")})
    if not text.strip():
        raise ValidationError({"text": _("Ghi nội dung khiếu nại.")})
    complaint = Complaint.objects.create(
        bloc_year=bloc_year, unit=unit, about_unit=about_unit, text=text.strip(), created_by=by
    )
    complaint.criteria.set(criteria)
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=_context(bloc_year),
        action="complaint.lodge",
        summary=_("%(unit)s khiếu nại về điểm của %(about)s: %(codes)s")
        % {"unit": unit, "about": about_unit, "codes": ", ".join(c.code for c in criteria)},
        reason=text,
    )
    notification_events.complaint_lodged(complaint, by=by)
    return complaint


@transaction.atomic
def complaint_answer(
    *,
    complaint: Complaint,
    accepted: bool,
    answer: str,
    by: User | None,
    corrections: Mapping[int, LineEntry] | None = None,
) -> Complaint:
    """Answer a complaint. Accepted with corrections (criterion id → entry on the sheet of the
    unit complained about) writes a correction snapshot; rejected keeps the ranking."""
    if not answer.strip():
        raise ValidationError({"answer": _("Ghi nội dung trả lời.")})
    updated = Complaint.objects.filter(pk=complaint.pk, status=Complaint.Status.OPEN).update(
        status=Complaint.Status.ACCEPTED if accepted else Complaint.Status.REJECTED,
        answer=answer.strip(),
        answered_by=by,
        answered_at=timezone.now(),
    )
    if not updated:
        raise StateError(_("Khiếu nại này đã được trả lời."))
    complaint.refresh_from_db()
    bloc_year = complaint.bloc_year
    if accepted and corrections:
        sheet = ScoreSheet.objects.get(bloc_year=bloc_year, unit=complaint.about_unit)
        snapshot = ranking_correct(
            bloc_year=bloc_year,
            corrections={sheet.pk: corrections},
            reason=_("Chấp nhận khiếu nại của %(unit)s: %(answer)s")
            % {"unit": complaint.unit, "answer": answer},
            by=by,
            kind=RankingSnapshot.Kind.COMPLAINT,
        )
        complaint.snapshot = snapshot
        complaint.save(update_fields=["snapshot"])
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=_context(bloc_year),
        action="complaint.answer",
        summary=(
            _("Chấp nhận khiếu nại của %(unit)s")
            if accepted
            else _("Không chấp nhận khiếu nại của %(unit)s")
        )
        % {"unit": complaint.unit},
        reason=answer,
    )
    return complaint


# ---------------------------------------------------------------------------- rules reset


@transaction.atomic
def ranking_rules_reset(*, bloc_year: BlocYear, by: User | None) -> bool:
    """Drop a bloc-year's own rules so that its council's defaults apply again (before
    finalization). Returns whether the bloc-year had rules of its own."""
    if bloc_year.state in FINALIZED_STATES:
        raise StateError(_("Kết quả đã chốt: không đổi quy tắc xếp hạng được nữa."))
    own = RankingRules.objects.select_for_update().filter(bloc_year=bloc_year).first()
    if own is None:
        return False
    before = {
        "tie_breaks": own.tie_breaks,
        "bands": own.bands,
        "explanation_required": own.explanation_required,
    }
    own.delete()
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=_context(bloc_year),
        action="ranking.rules_reset",
        summary=_("Bỏ quy tắc xếp hạng riêng, dùng mặc định của hội đồng"),
        changes={key: [value, None] for key, value in before.items()},
    )
    return True
