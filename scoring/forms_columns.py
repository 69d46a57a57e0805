"""The form of the column page: one criterion's verified value for every member.

It is the score grid's form (``scoring.forms.GridForm``: the same cells, the same parsing of
``7,25``, every typed value kept) keyed by sheet instead of by criterion, plus the version of
each sheet as the page showed it (``version-<sheet id>``). Rows the page did not post are left
as they are. ``save`` saves through ``scoring.services.columns``; a refusal stays on the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import QueryDict

from blocs.models import BlocYear, User
from scoring.forms import GridForm
from scoring.models import Criterion, ScoreSheet
from scoring.services import columns as services


@dataclass
class ColumnForm(GridForm):
    """``editable`` maps sheet ids to the lines this person may edit; ``cells``, ``entries``
    and ``errors`` are keyed by sheet id too."""

    versions: dict[int, int] = field(default_factory=dict)
    versions_missing: bool = False
    conflict: list[ScoreSheet] = field(default_factory=list)  # saved by someone meanwhile

    def _read(self, data: QueryDict) -> None:
        # Only the rows the page posted (each with its version): a row that is not in the
        # form, say one that became editable since the page was opened, is left as stored.
        posted = {sheet_id for sheet_id in self.cells if f"version-{sheet_id}" in data}
        unposted = {key: cell for key, cell in self.cells.items() if key not in posted}
        self.cells = {key: cell for key, cell in self.cells.items() if key in posted}
        super()._read(data)
        self.cells.update(unposted)
        for sheet_id in posted:
            try:
                self.versions[sheet_id] = int(data.get(f"version-{sheet_id}", ""))
            except ValueError:
                self.versions_missing = True

    def is_valid(self) -> bool:
        return not self.versions_missing and not self.errors

    def save(
        self, *, bloc_year: BlocYear, criterion: Criterion, by: User
    ) -> services.ColumnSaveResult | None:
        """Save the typed rows; None when refused: the service's errors at their rows, or the
        sheets someone saved since the page was opened in ``conflict``. What was typed is kept,
        with those sheets' versions now, so that saving again overwrites knowingly."""
        try:
            return services.criterion_column_save(
                bloc_year=bloc_year,
                criterion=criterion,
                entries=self.entries,
                versions=self.versions,
                by=by,
            )
        except services.ColumnErrors as errors:
            self.add_errors(errors.by_sheet)
        except services.ColumnConflict as clash:
            self.conflict = clash.sheets
            self.versions.update({sheet.pk: sheet.version for sheet in clash.sheets})
        return None

    def check(self, bloc_year: BlocYear) -> None:
        """Some cells were not numbers: the other cells' problems too, in one go."""
        self.add_errors(
            services.column_check(bloc_year=bloc_year, lines=self.editable, entries=self.entries)
        )
