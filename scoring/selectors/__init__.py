"""Reads for the scoring pages, each in a fixed number of queries whatever the size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q
from django.utils.translation import gettext as _

from blocs.models import AuditEntry, BlocYear, Membership
from common.collation import vietnamese_sort_key
from scoring import rules
from scoring.layers import Layer
from scoring.models import (
    CriteriaSet,
    Criterion,
    Evidence,
    ExplanationRequest,
    RankingSnapshot,
    ScoreLine,
    ScoreSheet,
    ScoringSeason,
)
from scoring.selectors.ranking_rules import RulesChange, rules_change, rules_of


@dataclass
class SheetRow:
    """A row of the score grid: a section or criterion heading, or a leaf with its line."""

    criterion: Criterion
    is_leaf: bool
    line: ScoreLine | None = None
    self_points: Decimal | None = None  # leaves: the line's; parents: sum of their leaves
    verified_points: Decimal | None = None
    explanations: list[ExplanationRequest] = field(default_factory=list)
    evidence_count: int = 0
    cell: object = None  # the grid form's cell when this person edits the line

    @property
    def depth(self) -> int:
        return self.criterion.depth

    @property
    def difference(self) -> Decimal | None:
        if self.self_points is None or self.verified_points is None:
            return None
        return self.verified_points - self.self_points


class HistoryEntry(NamedTuple):
    """A row of the sheet's history panel: the audit entry's few columns it shows."""

    created_at: datetime
    actor_name: str
    summary: str
    changes: dict[str, list[object]]
    reason: str


@dataclass
class SheetView:
    sheet: ScoreSheet
    criteria_set: CriteriaSet
    rows: list[SheetRow]
    self_split: rules.SelfTotals  # the unit's own total, and with the bloc-scored lines
    final_totals: rules.Totals
    explanations: list[ExplanationRequest]  # sent to the unit, oldest first
    history: list[HistoryEntry]
    drafts: dict[int, str] = field(default_factory=dict)  # criterion id → question not yet sent

    @property
    def self_totals(self) -> rules.Totals:
        """*Tổng tự chấm*: the lines the unit scores, as the unit scored them."""
        return self.self_split.own

    @property
    def verification_started(self) -> bool:
        return self.sheet.verification_started

    @cached_property
    def leaves(self) -> list[SheetRow]:
        return [row for row in self.rows if row.is_leaf]

    @property
    def open_explanations(self) -> list[ExplanationRequest]:
        return [e for e in self.explanations if e.status == ExplanationRequest.Status.OPEN]

    @property
    def undecided_explanations(self) -> list[ExplanationRequest]:
        return [e for e in self.explanations if e.status == ExplanationRequest.Status.ANSWERED]

    @cached_property
    def not_applicable_rows(self) -> list[SheetRow]:
        return [row for row in self.leaves if row.line is not None and row.line.not_applicable]


def line_scores(lines: list[ScoreLine], layer: Layer) -> list[rules.LineScore]:
    """Lines as the totals rule wants them, with the points ``layer`` counts (the verified
    layer counts the final points: verified plus the council's adjustment).

    The self layer has no value on lines the bloc or the council scores: there it carries the
    final points when they exist, as ``optional`` lines, and a missing value is not held
    against the unit (``Layer.only_unit_lines``); ``rules.self_totals`` keeps them out of the
    unit's own total and adds them in the combined one.
    """
    scores = []
    for line in lines:
        unit_scored = line.criterion.scored_by == Criterion.ScoredBy.UNIT
        if layer.only_unit_lines and not unit_scored:
            points, optional = Layer.VERIFIED.points_of(line), True
        else:
            points, optional = layer.points_of(line), False
        scores.append(
            rules.LineScore(
                criterion_id=line.criterion_id,
                kind=line.criterion.kind,
                max_points=line.criterion.max_points,
                points=points,
                not_applicable=line.not_applicable,
                section=line.criterion.section_code,
                optional=optional,
            )
        )
    return scores


def sheet_view(sheet: ScoreSheet, *, history: bool = True) -> SheetView:
    """The whole tree of a sheet with points, subtotals, totals, explanations and history."""
    criteria_set = sheet.bloc_year.scoring.criteria_set
    criteria = list(
        Criterion.objects.filter(criteria_set=criteria_set)
        .select_related("scorer_unit")
        .order_by("order", "pk")
    )
    by_id = {criterion.pk: criterion for criterion in criteria}
    # Each line gets the criterion already read above rather than a copy of its own joined in.
    read = list(
        ScoreLine.objects.filter(sheet=sheet).annotate(
            evidence_total=Count("evidence"),
            asked=Exists(ExplanationRequest.objects.filter(line=OuterRef("pk"))),
        )
    )
    for each in read:
        if each.criterion_id in by_id:
            each.criterion = by_id[each.criterion_id]
    lines = {each.criterion_id: each for each in read}
    asked = any(each.asked for each in read)  # a question on some line, sent or draft
    # Most sheets have no question: then the questions' query is not made.
    explanations = (
        list(
            ExplanationRequest.objects.filter(line__sheet=sheet)
            .select_related("line__criterion", "asked_by", "answered_by", "decided_by")
            .prefetch_related(Prefetch("files", queryset=Evidence.objects.order_by("pk")))
        )
        if asked
        else []
    )
    # Questions typed but not sent stay with the grid, out of the unit's sight.
    drafts = {
        request.line.criterion_id: request.question
        for request in explanations
        if request.status == ExplanationRequest.Status.DRAFT
    }
    explanations = [e for e in explanations if e.status != ExplanationRequest.Status.DRAFT]
    by_line: dict[int, list[ExplanationRequest]] = defaultdict(list)
    for explanation in explanations:
        by_line[explanation.line.criterion_id].append(explanation)
    parents = {criterion.parent_id for criterion in criteria if criterion.parent_id}
    rows: list[SheetRow] = []
    line_list: list[ScoreLine] = []
    for criterion in criteria:
        line = lines.get(criterion.pk)
        is_leaf = criterion.pk not in parents
        row = SheetRow(criterion=criterion, is_leaf=is_leaf, line=line)
        if is_leaf and line is not None:
            row.self_points = line.self_points
            row.verified_points = line.final_points
            row.explanations = by_line.get(criterion.pk, [])
            row.evidence_count = line.evidence_total  # annotated above
            line_list.append(line)
        rows.append(row)
    _sum_parents(criteria, {row.criterion.pk: row for row in rows})
    return SheetView(
        sheet=sheet,
        criteria_set=criteria_set,
        rows=rows,
        self_split=rules.self_totals(line_scores(line_list, Layer.SELF), criteria_set.bonus_cap),
        final_totals=rules.sheet_totals(
            line_scores(line_list, Layer.VERIFIED), criteria_set.bonus_cap
        ),
        explanations=explanations,
        history=sheet_history(sheet) if history else [],
        drafts=drafts,
    )


def sheet_history(sheet: ScoreSheet) -> list[HistoryEntry]:
    """The sheet's last 200 audit entries, newest first, as plain rows (a whole-sheet save
    writes one per line, so the panel is often full)."""
    return [
        HistoryEntry(*values)
        for values in AuditEntry.objects.filter(context=sheet.audit_context)
        .order_by("-created_at", "-pk")
        .values_list("created_at", "actor_name", "summary", "changes", "reason")[:200]
    ]


def _sum_parents(criteria: list[Criterion], rows: dict[int, SheetRow]) -> None:
    """Parents show the sum of their leaves' points, when every leaf below has points."""
    by_parent: dict[int, list[Criterion]] = defaultdict(list)
    for criterion in criteria:
        if criterion.parent_id:
            by_parent[criterion.parent_id].append(criterion)

    def walk(criterion_id: int) -> tuple[Decimal | None, Decimal | None]:
        row = rows[criterion_id]
        if row.is_leaf:
            if row.line is not None and row.line.not_applicable:
                return Decimal(0), Decimal(0)
            return row.self_points, row.verified_points
        self_sum: Decimal | None = Decimal(0)
        verified_sum: Decimal | None = Decimal(0)
        for child in by_parent[criterion_id]:
            child_self, child_verified = walk(child.pk)
            self_sum = None if self_sum is None or child_self is None else self_sum + child_self
            verified_sum = (
                None
                if verified_sum is None or child_verified is None
                else verified_sum + child_verified
            )
        row.self_points, row.verified_points = self_sum, verified_sum
        return self_sum, verified_sum

    for criterion in criteria:
        if criterion.parent_id is None:
            walk(criterion.pk)


@dataclass
class ProgressRow:
    sheet: ScoreSheet
    unit_name: str
    role: str
    lines_total: int
    self_missing: int
    verified_missing: int
    open_explanations: int
    answered_explanations: int
    last_change: object
    next_actor: str


def progress(bloc_year: BlocYear) -> list[ProgressRow]:
    """Each member's sheet: state, what is missing, open questions, last change, who acts next."""
    roles = dict(Membership.objects.filter(bloc_year=bloc_year).values_list("unit_id", "role"))
    sheets = (
        ScoreSheet.objects.filter(bloc_year=bloc_year)
        .select_related("unit")
        .prefetch_related("unit__former_names")
        .annotate(
            lines_total=Count("lines", distinct=True),
            self_missing=Count(
                "lines",
                filter=Q(
                    lines__self_value__isnull=True,
                    lines__not_applicable=False,
                    lines__criterion__scored_by=Criterion.ScoredBy.UNIT,
                ),
                distinct=True,
            ),
            unverified=Count(  # values not yet entered (the sheet's verified_missing: points)
                "lines",
                filter=Q(lines__verified_value__isnull=True, lines__not_applicable=False),
                distinct=True,
            ),
            open_explanations=Count(
                "lines__explanations",
                filter=Q(lines__explanations__status=ExplanationRequest.Status.OPEN),
                distinct=True,
            ),
            answered_explanations=Count(
                "lines__explanations",
                filter=Q(lines__explanations__status=ExplanationRequest.Status.ANSWERED),
                distinct=True,
            ),
        )
    )
    last_changes = dict(
        AuditEntry.objects.filter(bloc_year=bloc_year, context__startswith="sheet:")
        .values_list("context")
        .annotate(last=Max("created_at"))
    )
    rows = []
    for sheet in sheets:
        rows.append(
            ProgressRow(
                sheet=sheet,
                unit_name=sheet.unit.name_in_year(bloc_year.year),
                role=roles.get(sheet.unit_id, ""),
                lines_total=sheet.lines_total,
                self_missing=sheet.self_missing,
                verified_missing=sheet.unverified,
                open_explanations=sheet.open_explanations,
                answered_explanations=sheet.answered_explanations,
                last_change=last_changes.get(sheet.audit_context) or sheet.updated_at,
                next_actor=_next_actor(sheet),
            )
        )
    order: dict[str, int] = {Membership.Role.HEAD: 0, Membership.Role.DEPUTY: 1}
    return sorted(
        rows, key=lambda row: (order.get(row.role, 2), vietnamese_sort_key(row.unit_name))
    )


def _next_actor(sheet: ScoreSheet) -> str:
    return {
        ScoreSheet.State.DRAFT: _("Đơn vị: tự chấm và gửi"),
        ScoreSheet.State.SUBMITTED: _("Thư ký khối: thẩm định"),
        ScoreSheet.State.RETURNED: _("Đơn vị: giải trình"),
        ScoreSheet.State.VERIFIED: _("Không ai: đã thẩm định xong"),
        ScoreSheet.State.FINALIZED: _("Không ai: đã chốt"),
    }[ScoreSheet.State(sheet.state)]


def sheets_by_state(bloc_year: BlocYear) -> dict[str, int]:
    return dict(
        ScoreSheet.objects.filter(bloc_year=bloc_year).values_list("state").annotate(n=Count("id"))
    )


@dataclass
class ScoringSummary:
    """What the bloc-year page shows about scoring, for one person."""

    season: ScoringSeason | None
    counts: dict[str, int]
    own_sheet: ScoreSheet | None
    can_manage: bool
    criteria_sets: list[CriteriaSet]
    can_see_results: bool = False
    rules_change: RulesChange | None = None
    # Ranked without score sheets: "votes" (by vote alone) or "bands_only" (a past year
    # imported with bands only); "" when scored.
    without_points: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def states(self) -> list[tuple[str, str, int]]:
        return [
            (state.value, str(state.label), self.counts.get(state.value, 0))
            for state in ScoreSheet.State
        ]


def scoring_summary(
    bloc_year: BlocYear, *, unit_id: int | None, can_manage: bool, can_see_results: bool = False
) -> ScoringSummary:
    season = (
        ScoringSeason.objects.select_related("criteria_set").filter(bloc_year=bloc_year).first()
    )
    own_sheet = (
        ScoreSheet.objects.filter(bloc_year=bloc_year, unit_id=unit_id).first()
        if unit_id and season
        else None
    )
    criteria_sets = list(
        CriteriaSet.objects.filter(
            council_id=bloc_year.bloc.council_id, year=bloc_year.year
        ).filter(Q(bloc_year=bloc_year) | Q(bloc_year__isnull=True))
    )
    without = "" if season is not None else _without_points(bloc_year)
    return ScoringSummary(
        season=season,
        counts=sheets_by_state(bloc_year) if season else {},
        own_sheet=own_sheet,
        can_manage=can_manage,
        criteria_sets=criteria_sets,
        can_see_results=can_see_results and (season is not None or bool(without)),
        rules_change=rules_change(bloc_year) if season is not None else None,
        without_points=without,
    )


def _without_points(bloc_year: BlocYear) -> str:
    """How a bloc-year without a scoring season is ranked: by vote, by its imported bands, or
    not yet at all ("")."""
    if rules_of(bloc_year).by_votes:
        return "votes"
    # A year of bands only is frozen at its import: only a finalized year can be one.
    if (
        bloc_year.state not in (BlocYear.State.SETUP, BlocYear.State.UNDERWAY)
        and RankingSnapshot.objects.filter(bloc_year=bloc_year).exists()
    ):
        return "bands_only"
    return ""
