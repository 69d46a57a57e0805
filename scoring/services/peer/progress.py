"""Who has scored whom: the bloc-year's members in the order of the progress page (head,
deputy, then by Vietnamese name) and the matrix scorer × scored with the state of every
assessment, read in a fixed number of queries whatever the size of the bloc.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from blocs.models import BlocYear, Membership, Unit
from common.collation import vietnamese_sort_key
from scoring.models import PeerAssessment


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
