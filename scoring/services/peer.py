"""Peer scoring (chấm chéo): every member scores every other member, never itself.

A member's verified points on a line are the mean of the other members' points, optionally
without one highest and one lowest (``ScoringSeason.peer_drop_extremes``). Each pair
(scorer → scored) has one ``PeerAssessment``: a draft carrying a version (a second writer is
told, never silently overwritten), then sent. Once every other member has sent its assessment,
the secretariat applies the means to the verified column of the sheets (``peer_apply``).

Peers give points directly on every leaf line, whatever the line's method, except the lines the
council office scores. The reads the peer pages need live here too, next to the rules they share.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.audit import audit_entry, audit_record, audit_record_many
from blocs.models import AuditEntry, BlocYear, Membership, Unit, User
from scoring import rules
from scoring.models import (
    CriteriaSet,
    Criterion,
    PeerAssessment,
    ScoreLine,
    ScoreSheet,
    ScoringSeason,
)
from scoring.services.sheets import VERIFIED, EntryErrors, LineEntry, SheetConflict, sheet_save
from thidua.lib.collation import vietnamese_sort_key


class PeerError(ValidationError):
    """The assessment cannot be saved, sent or applied (season, units or state)."""


class PeerConflict(Exception):
    """Someone else saved this assessment since this person opened it."""

    def __init__(self, assessment: PeerAssessment) -> None:
        self.assessment = assessment
        super().__init__(_("Phiếu chấm chéo vừa được người khác lưu."))


def peer_context(bloc_year: BlocYear) -> str:
    return f"peer:{bloc_year.pk}"


def peer_season(bloc_year: BlocYear) -> ScoringSeason:
    """The bloc-year's season if it scores by peers; reads the cached season when loaded."""
    season: ScoringSeason | None = getattr(bloc_year, "scoring", None)
    if season is None or season.mode != ScoringSeason.Mode.PEER:
        raise PeerError(_("Khối không chấm chéo trong năm này."))
    return season


def peer_leaves(criteria: Iterable[Criterion]) -> list[Criterion]:
    """The lines peers score: every leaf except those the council office scores."""
    criteria = list(criteria)
    parents = {criterion.parent_id for criterion in criteria if criterion.parent_id}
    return [
        criterion
        for criterion in criteria
        if criterion.pk not in parents and criterion.scored_by != Criterion.ScoredBy.COUNCIL
    ]


def _criteria(criteria_set: CriteriaSet) -> list[Criterion]:
    return list(Criterion.objects.filter(criteria_set=criteria_set).order_by("order", "pk"))


def _member_ids(bloc_year: BlocYear) -> set[int]:
    return set(Membership.objects.filter(bloc_year=bloc_year).values_list("unit_id", flat=True))


def _stored_amount(text: object) -> Decimal | None:
    """A value of ``PeerAssessment.points`` ("7.50"); anything else counts as missing."""
    if text in (None, ""):
        return None
    try:
        return Decimal(str(text))
    except ArithmeticError:
        return None


# ---------------------------------------------------------------------------- writes


def peer_points_errors(
    criteria: Mapping[int, Criterion], points: Mapping[int, Decimal | None], step: Decimal
) -> dict[int, str]:
    """What is wrong with each value: peers give points directly, 0 to the line's maximum, in
    steps of the set's step, whatever the line's method. ``criteria``: the lines peers score."""
    errors: dict[int, str] = {}
    for criterion_id, value in points.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            errors[criterion_id] = _("Tiêu chí này không có trong phiếu chấm chéo.")
        elif value is not None:
            try:
                rules.check_points(value, criterion.max_points, step)
            except rules.InputError as error:
                errors[criterion_id] = str(error)
    return errors


@transaction.atomic
def peer_assessment_save(
    *,
    bloc_year: BlocYear,
    scorer: Unit,
    scored: Unit,
    points: Mapping[int, Decimal | None],
    version: int,
    by: User | None,
) -> PeerAssessment:
    """Save a draft of ``scorer``'s points for ``scored`` (criterion id → points, None clears).

    The first save creates the assessment and expects version 1. Every value is checked first;
    on any error nothing is written (``EntryErrors``). A stale ``version`` raises
    ``PeerConflict`` carrying the current assessment.
    """
    season = peer_season(bloc_year)
    if scorer.pk == scored.pk:
        raise PeerError(_("Đơn vị không chấm điểm cho chính mình."))
    members = _member_ids(bloc_year)
    if scorer.pk not in members or scored.pk not in members:
        raise PeerError(_("Chỉ các thành viên của khối chấm chéo cho nhau."))
    criteria = {
        criterion.pk: criterion for criterion in peer_leaves(_criteria(season.criteria_set))
    }
    errors = peer_points_errors(criteria, points, season.criteria_set.step)
    if errors:
        raise EntryErrors(errors)
    assessment, _created = PeerAssessment.objects.get_or_create(
        bloc_year=bloc_year, scorer=scorer, scored=scored
    )
    if assessment.state != PeerAssessment.State.DRAFT:
        raise PeerError(_("Phiếu chấm chéo này đã được gửi, không sửa được nữa."))
    before = dict(assessment.points)
    after = dict(before)
    for criterion_id, value in points.items():
        if value is None:
            after.pop(str(criterion_id), None)
        else:
            after[str(criterion_id)] = str(rules.quantize(value))
    updated = PeerAssessment.objects.filter(
        pk=assessment.pk, version=version, state=PeerAssessment.State.DRAFT
    ).update(points=after, version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        current = PeerAssessment.objects.get(pk=assessment.pk)
        if current.state != PeerAssessment.State.DRAFT:
            raise PeerError(_("Phiếu chấm chéo này đã được gửi, không sửa được nữa."))
        raise PeerConflict(current)
    assessment.points = after
    assessment.version = version + 1
    changes = {
        criteria[int(key)].code: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after), key=int)
        if before.get(key) != after.get(key) and int(key) in criteria
    }
    if changes:
        audit_record(
            actor=by,
            bloc_year=bloc_year,
            context=peer_context(bloc_year),
            action="peer.save",
            subject=scored.code,
            summary=_("%(scorer)s chấm chéo %(scored)s")
            % {"scorer": scorer.name, "scored": scored.name},
            changes=changes,
        )
    return assessment


def missing_peer_lines(
    assessment: PeerAssessment, criteria: Sequence[Criterion]
) -> list[Criterion]:
    """Lines the scorer must fill before sending (``criteria``: the set's whole tree)."""
    return [
        criterion
        for criterion in peer_leaves(criteria)
        if _stored_amount(assessment.points.get(str(criterion.pk))) is None
    ]


@transaction.atomic
def peer_assessment_submit(*, assessment: PeerAssessment, by: User | None) -> PeerAssessment:
    """Send a draft: every line peers score must have points. Race-safe: sent once only."""
    season = peer_season(assessment.bloc_year)
    # Lock the row so that the points checked are the points sent (PostgreSQL; SQLite
    # serialises writers anyway).
    current = PeerAssessment.objects.select_for_update().get(pk=assessment.pk)
    if current.state != PeerAssessment.State.DRAFT:
        raise PeerError(_("Phiếu chấm chéo này đã được gửi."))
    missing = missing_peer_lines(current, _criteria(season.criteria_set))
    if missing:
        raise PeerError(
            _("Còn %(count)s tiêu chí chưa chấm: %(codes)s.")
            % {
                "count": len(missing),
                "codes": ", ".join(criterion.code for criterion in missing[:10]),
            }
        )
    now = timezone.now()
    updated = PeerAssessment.objects.filter(pk=current.pk, state=PeerAssessment.State.DRAFT).update(
        state=PeerAssessment.State.SUBMITTED,
        submitted_at=now,
        version=F("version") + 1,
        updated_at=now,
    )
    if not updated:
        raise PeerError(_("Phiếu chấm chéo này đã được gửi."))
    assessment.refresh_from_db()
    audit_record(
        actor=by,
        bloc_year=assessment.bloc_year,
        context=peer_context(assessment.bloc_year),
        action="peer.submit",
        subject=assessment.scored.code,
        summary=_("%(scorer)s gửi phiếu chấm chéo cho %(scored)s")
        % {"scorer": assessment.scorer.name, "scored": assessment.scored.name},
    )
    return assessment


# ---------------------------------------------------------------------------- results


@dataclass(frozen=True)
class PeerLineResult:
    """One line of one member: the mean and how many points it was made of."""

    mean: Decimal | None
    scorers: int  # sent assessments with points on this line
    counted: int  # points that entered the mean (fewer when extremes are dropped)

    @property
    def dropped(self) -> bool:
        return self.counted < self.scorers


def aggregate_peer_points(
    assessments: Iterable[tuple[int, Mapping[str, object]]],
    *,
    unit_ids: Iterable[int],
    criterion_ids: Iterable[int],
    drop_extremes: bool,
) -> dict[int, dict[int, PeerLineResult]]:
    """Pure: (scored unit id, points) of sent assessments → scored unit → criterion → result."""
    collected: dict[tuple[int, int], list[Decimal]] = defaultdict(list)
    criterion_ids = list(criterion_ids)
    for scored_id, points in assessments:
        for criterion_id in criterion_ids:
            amount = _stored_amount(points.get(str(criterion_id)))
            if amount is not None:
                collected[scored_id, criterion_id].append(amount)
    results: dict[int, dict[int, PeerLineResult]] = {}
    for unit_id in unit_ids:
        lines = {}
        for criterion_id in criterion_ids:
            values = collected.get((unit_id, criterion_id), [])
            # peer_mean drops the extremes only from three values up; count the same way.
            counted = len(values) - 2 if drop_extremes and len(values) >= 3 else len(values)
            lines[criterion_id] = PeerLineResult(
                mean=rules.peer_mean(values, drop_extremes=drop_extremes),
                scorers=len(values),
                counted=counted,
            )
        results[unit_id] = lines
    return results


def peer_line_results(
    bloc_year: BlocYear, *, unit_ids: Iterable[int] | None = None
) -> dict[int, dict[int, PeerLineResult]]:
    """Scored unit id → criterion id → result, for the members (or ``unit_ids``)."""
    season = peer_season(bloc_year)
    return aggregate_peer_points(
        PeerAssessment.objects.filter(
            bloc_year=bloc_year, state=PeerAssessment.State.SUBMITTED
        ).values_list("scored_id", "points"),
        unit_ids=_member_ids(bloc_year) if unit_ids is None else unit_ids,
        criterion_ids=[criterion.pk for criterion in peer_leaves(_criteria(season.criteria_set))],
        drop_extremes=season.peer_drop_extremes,
    )


def peer_results(bloc_year: BlocYear) -> dict[int, dict[int, Decimal | None]]:
    """Scored unit id → criterion id → mean of the sent assessments (None: nobody scored)."""
    return {
        unit_id: {criterion_id: result.mean for criterion_id, result in lines.items()}
        for unit_id, lines in peer_line_results(bloc_year).items()
    }


def peer_reason(result: PeerLineResult) -> str:
    reason = _("Trung bình điểm chấm chéo của %(count)s đơn vị") % {"count": result.counted}
    if result.dropped:
        reason += " " + _(
            "(đã bỏ một điểm cao nhất và một điểm thấp nhất trong %(total)s phiếu)"
        ) % {"total": result.scorers}
    return reason


# ---------------------------------------------------------------------------- applying


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
    criteria = {criterion.pk: criterion for criterion in _criteria(season.criteria_set)}
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
                layer=VERIFIED,
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
    ScoreLine.objects.bulk_update(
        changed, ["verified_value", "verified_target", "verified_points", "verified_reason"]
    )
    audit_record_many(audits)
    return len(changed)


def _plain(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value


# ---------------------------------------------------------------------------- reads


@dataclass(frozen=True)
class PeerMember:
    unit: Unit
    name: str
    role: str


@dataclass(frozen=True)
class PeerCell:
    """What ``scorer`` did for ``scored``: a state of the assessment, or None (not started)."""

    scorer_id: int
    scored_id: int
    state: str | None

    @property
    def is_self(self) -> bool:
        return self.scorer_id == self.scored_id

    @property
    def label(self) -> str:
        if self.state is None:
            return _("Chưa chấm")
        return str(PeerAssessment.State(self.state).label)


@dataclass
class PeerMatrixRow:
    member: PeerMember
    cells: list[PeerCell]

    @property
    def submitted(self) -> int:
        return sum(cell.state == PeerAssessment.State.SUBMITTED for cell in self.cells)

    @property
    def drafts(self) -> int:
        return sum(cell.state == PeerAssessment.State.DRAFT for cell in self.cells)


@dataclass
class PeerMatrix:
    """Scorers (rows) × scored members (columns)."""

    members: list[PeerMember]
    rows: list[PeerMatrixRow]
    received: list[int]  # per column: assessments sent for that member

    @property
    def expected(self) -> int:
        """Assessments each member gives and receives: one per other member."""
        return max(len(self.members) - 1, 0)

    @property
    def columns(self) -> list[tuple[PeerMember, int]]:
        return list(zip(self.members, self.received, strict=True))

    @property
    def total_submitted(self) -> int:
        return sum(self.received)

    def row_for(self, unit_id: int | None) -> PeerMatrixRow | None:
        return next((row for row in self.rows if row.member.unit.pk == unit_id), None)

    def to_score(self, unit_id: int | None) -> list[tuple[PeerMember, PeerCell]]:
        """The members ``unit_id`` must score, with the state of each of its assessments."""
        row = self.row_for(unit_id)
        if row is None:
            return []
        return [
            (member, cell)
            for member, cell in zip(self.members, row.cells, strict=True)
            if not cell.is_self
        ]


def peer_members(bloc_year: BlocYear) -> list[PeerMember]:
    """Members in the order of the progress page: head, deputy, then by Vietnamese name."""
    memberships = (
        Membership.objects.filter(bloc_year=bloc_year)
        .select_related("unit")
        .prefetch_related("unit__former_names")
    )
    members = [
        PeerMember(unit=m.unit, name=m.unit.name_in_year(bloc_year.year), role=m.role)
        for m in memberships
    ]
    order: dict[str, int] = {Membership.Role.HEAD: 0, Membership.Role.DEPUTY: 1}
    return sorted(
        members, key=lambda member: (order.get(member.role, 2), vietnamese_sort_key(member.name))
    )


def peer_matrix(bloc_year: BlocYear) -> PeerMatrix:
    """Who has scored whom, in three queries whatever the size of the bloc."""
    members = peer_members(bloc_year)
    states = {
        (scorer_id, scored_id): state
        for scorer_id, scored_id, state in PeerAssessment.objects.filter(
            bloc_year=bloc_year
        ).values_list("scorer_id", "scored_id", "state")
    }
    rows = [
        PeerMatrixRow(
            member=scorer,
            cells=[
                PeerCell(
                    scorer.unit.pk,
                    scored.unit.pk,
                    None
                    if scorer.unit.pk == scored.unit.pk
                    else states.get((scorer.unit.pk, scored.unit.pk)),
                )
                for scored in members
            ],
        )
        for scorer in members
    ]
    received = [
        sum(row.cells[index].state == PeerAssessment.State.SUBMITTED for row in rows)
        for index in range(len(members))
    ]
    return PeerMatrix(members=members, rows=rows, received=received)


@dataclass
class PeerGridRow:
    """A row of the peer grid: a heading, or a leaf with the scored unit's line."""

    criterion: Criterion
    is_leaf: bool
    scoreable: bool  # peers give points here
    line: ScoreLine | None = None
    peer_points: Decimal | None = None  # leaves: the scorer's; parents: sum of their leaves
    self_points: Decimal | None = None
    cell: object = None  # the form's cell while the scorer edits

    @property
    def depth(self) -> int:
        return self.criterion.depth


@dataclass
class PeerGrid:
    criteria_set: CriteriaSet
    criteria: list[Criterion]
    assessment: PeerAssessment | None
    rows: list[PeerGridRow]
    peer_totals: rules.Totals
    self_totals: rules.Totals

    @property
    def leaves(self) -> list[PeerGridRow]:
        return [row for row in self.rows if row.is_leaf and row.scoreable]

    @property
    def version(self) -> int:
        return self.assessment.version if self.assessment is not None else 1

    @property
    def state(self) -> str:
        return self.assessment.state if self.assessment is not None else PeerAssessment.State.DRAFT

    @property
    def editable(self) -> bool:
        return self.state == PeerAssessment.State.DRAFT

    @property
    def missing(self) -> list[Criterion]:
        if self.assessment is None:
            return peer_leaves(self.criteria)
        return missing_peer_lines(self.assessment, self.criteria)


def peer_grid(bloc_year: BlocYear, *, scorer_id: int, scored_id: int) -> PeerGrid:
    """The criteria tree with the scorer's points and the scored unit's self points and notes,
    in three queries whatever the size of the set or the bloc."""
    season = peer_season(bloc_year)
    criteria_set = season.criteria_set
    criteria = _criteria(criteria_set)
    lines = {
        line.criterion_id: line
        for line in ScoreLine.objects.filter(
            sheet__bloc_year=bloc_year, sheet__unit_id=scored_id
        ).select_related("criterion")
    }
    assessment = PeerAssessment.objects.filter(
        bloc_year=bloc_year, scorer_id=scorer_id, scored_id=scored_id
    ).first()
    points = assessment.points if assessment is not None else {}
    scoreable = {criterion.pk for criterion in peer_leaves(criteria)}
    parents = {criterion.parent_id for criterion in criteria if criterion.parent_id}
    rows: dict[int, PeerGridRow] = {}
    for criterion in criteria:
        is_leaf = criterion.pk not in parents
        line = lines.get(criterion.pk) if is_leaf else None
        rows[criterion.pk] = PeerGridRow(
            criterion=criterion,
            is_leaf=is_leaf,
            scoreable=criterion.pk in scoreable,
            line=line,
            peer_points=_stored_amount(points.get(str(criterion.pk))),
            self_points=line.self_points if line is not None else None,
        )
    _sum_parents(criteria, rows)
    leaf_rows = [row for row in rows.values() if row.is_leaf]
    return PeerGrid(
        criteria_set=criteria_set,
        criteria=criteria,
        assessment=assessment,
        rows=[rows[criterion.pk] for criterion in criteria],
        peer_totals=rules.sheet_totals(
            [_line_score(row, row.peer_points) for row in leaf_rows], criteria_set.bonus_cap
        ),
        self_totals=rules.sheet_totals(
            [_line_score(row, row.self_points) for row in leaf_rows], criteria_set.bonus_cap
        ),
    )


def _line_score(row: PeerGridRow, points: Decimal | None) -> rules.LineScore:
    criterion = row.criterion
    return rules.LineScore(
        criterion_id=criterion.pk,
        kind=criterion.kind,
        max_points=criterion.max_points,
        points=points,
        not_applicable=row.line is not None and row.line.not_applicable,
        section=criterion.section_code,
        optional=not row.scoreable,
    )


def _sum_parents(criteria: list[Criterion], rows: dict[int, PeerGridRow]) -> None:
    """Parents show the sum of their leaves' points once every leaf below has points."""
    children: dict[int, list[int]] = defaultdict(list)
    for criterion in criteria:
        if criterion.parent_id:
            children[criterion.parent_id].append(criterion.pk)

    def walk(criterion_id: int) -> tuple[Decimal | None, Decimal | None]:
        row = rows[criterion_id]
        if row.is_leaf:
            if row.line is not None and row.line.not_applicable:
                return rules.ZERO, rules.ZERO
            return row.peer_points, row.self_points
        peer_sum: Decimal | None = rules.ZERO
        self_sum: Decimal | None = rules.ZERO
        for child_id in children[criterion_id]:
            child_peer, child_self = walk(child_id)
            peer_sum = None if peer_sum is None or child_peer is None else peer_sum + child_peer
            self_sum = None if self_sum is None or child_self is None else self_sum + child_self
        row.peer_points, row.self_points = peer_sum, self_sum
        return peer_sum, self_sum

    for criterion in criteria:
        if criterion.parent_id is None:
            walk(criterion.pk)
