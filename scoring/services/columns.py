"""One criterion for every member of a bloc-year: the save of the column page.

A line scored outside the bloc's secretariat (by the council's standing office, or by a
department named on the criterion) is one number per member; so is a line the bloc scores.
The column page enters them all at once instead of sheet by sheet.

The save is the sheet save (``sheets.sheet_save``) run for each changed sheet inside one
transaction, so the values are checked by the same rules as the grid, every changed line gets
its audit entry, the kept totals follow, and lines scored against the bloc's best are
recomputed for every member. Nothing is written when any cell is wrong (``ColumnErrors``) or
when any changed sheet was saved by someone else since the page was opened
(``ColumnConflict``, naming every such sheet). Lock order, as every writer of sheets: all the
bloc-year's sheets, in pk order, before any line (docs/scoring.md, "No lost update").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from blocs.models import AuditEntry, BlocYear, User
from scoring import locks
from scoring.layers import Layer
from scoring.models import Criterion, ScoreLine, ScoreSheet
from scoring.services import sheets
from scoring.services.sheets import LineEntry


class ColumnErrors(Exception):
    """Some typed values are wrong; nothing was written. ``by_sheet`` maps sheet ids to
    messages."""

    def __init__(self, by_sheet: Mapping[int, str]) -> None:
        self.by_sheet = dict(by_sheet)
        super().__init__("; ".join(self.by_sheet.values()))


class ColumnConflict(Exception):
    """Someone saved some of the sheets since this person opened the page; nothing was written.
    ``sheets`` are those sheets as they are now (with their unit and who saved them)."""

    def __init__(self, sheets: list[ScoreSheet]) -> None:
        self.sheets = sheets
        super().__init__(_("Một số bảng điểm vừa được người khác lưu."))


@dataclass
class ColumnSaveResult:
    sheets: list[ScoreSheet] = field(default_factory=list)  # the sheets whose line changed
    changes: list[AuditEntry] = field(default_factory=list)


def column_lines(bloc_year: BlocYear, criterion: Criterion) -> dict[int, ScoreLine]:
    """The criterion's line on every sheet of the bloc-year (sheet id → line), with the sheet
    and its unit's names, in one query and one prefetch."""
    lines = (
        ScoreLine.objects.filter(sheet__bloc_year=bloc_year, criterion=criterion)
        .select_related("sheet__unit")
        .prefetch_related("sheet__unit__former_names")
        .order_by("sheet_id")
    )
    result = {}
    for line in lines:
        line.criterion = criterion
        line.sheet.bloc_year = bloc_year
        result[line.sheet_id] = line
    return result


def column_check(
    *, bloc_year: BlocYear, lines: Mapping[int, ScoreLine], entries: Mapping[int, LineEntry]
) -> dict[int, str]:
    """The errors a save would raise for these entries (sheet id → message), without writing:
    the grid's own check, keyed by sheet instead of by criterion."""
    step = bloc_year.scoring.criteria_set.step
    errors = {
        sheet_id: _("Tiêu chí không áp dụng cho đơn vị này.")
        for sheet_id in entries
        if sheet_id in lines and lines[sheet_id].not_applicable
    }
    checked = sheets.check_entries(lines, entries, step, Layer.VERIFIED)
    return {**checked, **errors}


def changed_entries(
    lines: Mapping[int, ScoreLine], entries: Mapping[int, LineEntry]
) -> dict[int, LineEntry]:
    """The entries that would change their line's verified value, target or reason."""
    changed = {}
    for sheet_id, entry in entries.items():
        line = lines[sheet_id]
        reason = line.verified_reason if entry.text is None else entry.text.strip()
        if (entry.value, entry.target, reason) != (
            line.verified_value,
            line.verified_target,
            line.verified_reason,
        ):
            changed[sheet_id] = entry
    return changed


@transaction.atomic
def criterion_column_save(
    *,
    bloc_year: BlocYear,
    criterion: Criterion,
    entries: Mapping[int, LineEntry],
    versions: Mapping[int, int],
    by: User | None,
) -> ColumnSaveResult:
    """Save the verified value of ``criterion`` for several members at once.

    ``entries`` maps sheet ids to what was typed; ``versions`` the sheet ids to the version
    each sheet had when the page was opened. Rows typed as they are stored are left alone (and
    need no version). The caller decides who may edit which row
    (``access.can_edit_column_line``)."""
    # Every sheet of the bloc-year, in one order, before any line (scoring/locks.py).
    current = locks.lock_bloc_year_sheets(bloc_year.pk)
    lines = column_lines(bloc_year, criterion)
    errors = column_check(bloc_year=bloc_year, lines=lines, entries=entries)
    if errors:
        raise ColumnErrors(errors)
    changed = changed_entries(lines, entries)
    stale = [sheet_id for sheet_id in changed if versions.get(sheet_id) != current[sheet_id]]
    if stale:
        raise ColumnConflict(
            list(
                ScoreSheet.objects.filter(pk__in=stale)
                .select_related("unit", "updated_by")
                .prefetch_related("unit__former_names")
                .order_by("pk")
            )
        )
    result = ColumnSaveResult()
    for sheet_id in sorted(changed):
        line = lines[sheet_id]
        saved = sheets.sheet_save(
            sheet=line.sheet,
            layer=Layer.VERIFIED,
            entries={criterion.pk: changed[sheet_id]},
            version=current[sheet_id],
            by=by,
            lines={criterion.pk: line},
        )
        result.sheets.append(saved.sheet)
        result.changes.extend(saved.changes)
    return result
