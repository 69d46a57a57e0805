"""Writes to score sheets: open scoring, save the self or verified column, single lines.

The steps of a sheet (submit, return for explanation, verify, …) are in ``transitions``.

Every write checks the sheet's state with a conditional update (two clicks or two people can
never apply a transition twice), carries the sheet's version (a second writer is told, never
silently overwritten), writes all lines in a fixed number of queries, and records who changed
what in the audit trail.

The package is split by subdomain; every name the rest of the project uses is re-exported here
(``from scoring.services import sheets as services``, ``services.sheet_save``):

- ``entries``: ``LineEntry``, the columns ``SELF`` and ``VERIFIED``, ``EntryErrors``,
  ``SheetConflict``, ``StateError``;
- ``opening``: ``scoring_open``, ``criteria_tree``, ``leaf_criterion_ids``;
- ``saving``: ``sheet_save``, ``sheet_check``, ``sheet_lines``, ``recompute_relative_best``;
- ``page``: ``sheet_page_save`` (one press of a button of the sheet page),
  ``explanation_drafts_save``, ``answer_drafts_save``, ``UploadErrors``;
- ``lines``: ``sheet_accept_self``, ``line_set_not_applicable``, ``line_council_adjust``.
"""

from __future__ import annotations

from scoring.services.sheets.entries import (
    SELF,
    VERIFIED,
    EntryErrors,
    Layer,
    LineEntry,
    SheetConflict,
    StateError,
)
from scoring.services.sheets.lines import (
    line_council_adjust,
    line_set_not_applicable,
    sheet_accept_self,
)
from scoring.services.sheets.opening import criteria_tree, leaf_criterion_ids, scoring_open
from scoring.services.sheets.page import (
    PageSave,
    UploadErrors,
    answer_drafts_save,
    explanation_drafts_save,
    sheet_page_save,
)
from scoring.services.sheets.saving import (
    SaveResult,
    check_entries,
    recompute_relative_best,
    self_assessment_late,
    sheet_check,
    sheet_lines,
    sheet_save,
)

# scoring.services.ranking computes a line's points with it.
from scoring.services.sheets.saving import _compute_points as _compute_points

__all__ = [
    "SELF",
    "VERIFIED",
    "EntryErrors",
    "Layer",
    "LineEntry",
    "PageSave",
    "SaveResult",
    "SheetConflict",
    "StateError",
    "UploadErrors",
    "answer_drafts_save",
    "check_entries",
    "criteria_tree",
    "explanation_drafts_save",
    "leaf_criterion_ids",
    "line_council_adjust",
    "line_set_not_applicable",
    "recompute_relative_best",
    "scoring_open",
    "self_assessment_late",
    "sheet_accept_self",
    "sheet_check",
    "sheet_lines",
    "sheet_page_save",
    "sheet_save",
]
