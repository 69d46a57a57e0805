"""One scorer's grid for one scored member (the peer sheet page): the criteria tree with the
scorer's points beside the scored unit's self points and notes, parents summing their leaves,
and both totals, read in a fixed number of queries whatever the size of the set or the bloc.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from blocs.models import BlocYear
from scoring import rules
from scoring.models import CriteriaSet, Criterion, PeerAssessment, ScoreLine
from scoring.services.peer.assessments import missing_peer_lines
from scoring.services.peer.season import criteria_of, peer_leaves, peer_season, stored_amount


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
    criteria = criteria_of(criteria_set)
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
            peer_points=stored_amount(points.get(str(criterion.pk))),
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
