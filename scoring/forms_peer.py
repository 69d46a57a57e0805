"""The form of the peer grid, where a member's focal point scores another member.

Like the score grid's form (``scoring.forms.GridForm``) it is not a Django ``Form``: its
fields follow the criteria peers score (``v-<criterion id>``, and the assessment's ``version``
as the page showed it). Every typed value is kept, errors are kept per criterion, and ``save``
saves the draft through ``scoring.services.peer.assessments``; a refusal stays on the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import QueryDict

from blocs.models import BlocYear, Unit, User
from common.numbers import format_input
from scoring import rules
from scoring.forms import Cell
from scoring.models import Criterion, PeerAssessment
from scoring.services.peer.assessments import (
    PeerConflict,
    peer_assessment_save,
    peer_points_errors,
)
from scoring.services.sheets import EntryErrors


@dataclass
class PeerForm:
    """The posted cells of the peer grid: typed texts kept, parsed points, errors per line."""

    criteria: list[Criterion]  # the lines peers score
    stored: dict[str, object]  # the assessment's points
    data: QueryDict | None = None
    cells: dict[int, Cell] = field(default_factory=dict)
    points: dict[int, Decimal | None] = field(default_factory=dict)
    version: int | None = None
    conflict: PeerAssessment | None = None  # saved by someone else since the page was opened
    general: list[str] = field(default_factory=list)  # the service's refusals of the whole sheet

    def __post_init__(self) -> None:
        for criterion in self.criteria:
            amount = self.stored.get(str(criterion.pk))
            self.cells[criterion.pk] = Cell(
                value=format_input(None if amount is None else str(amount))
            )
        if self.data is not None:
            try:
                self.version = int(self.data.get("version", ""))
            except ValueError:
                self.version = None
            for criterion_id, cell in self.cells.items():
                cell.value = self.data.get(f"v-{criterion_id}", "").strip()
                try:
                    self.points[criterion_id] = rules.parse_amount(cell.value)
                except rules.InputError as error:
                    cell.error = str(error)

    def add_errors(self, by_criterion: dict[int, str]) -> None:
        for criterion_id, message in by_criterion.items():
            if criterion_id in self.cells:
                self.cells[criterion_id].error = message

    @property
    def errors(self) -> dict[int, str]:
        return {criterion_id: cell.error for criterion_id, cell in self.cells.items() if cell.error}

    def is_valid(self) -> bool:
        return self.version is not None and not self.errors

    def check(self, step: Decimal) -> None:
        """Some cells were not numbers: the other cells' problems too, in one go."""
        scoreable = {criterion.pk: criterion for criterion in self.criteria}
        self.add_errors(peer_points_errors(scoreable, self.points, step))

    def save(self, *, bloc_year: BlocYear, scorer: Unit, scored: Unit, by: User) -> bool:
        """Save the draft; False when refused: errors at their cells, the whole sheet's in
        ``general``, or the assessment someone else saved in ``conflict`` (its version taken,
        so that a second save overwrites knowingly)."""
        try:
            peer_assessment_save(
                bloc_year=bloc_year,
                scorer=scorer,
                scored=scored,
                points=self.points,
                version=self.version or 0,
                by=by,
            )
        except EntryErrors as errors:
            self.add_errors(errors.by_criterion)
        except PeerConflict as clash:
            self.conflict = clash.assessment
            self.version = clash.assessment.version
        except ValidationError as error:
            self.general = error.messages
        else:
            return True
        return False
