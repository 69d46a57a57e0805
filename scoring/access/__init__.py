"""Who may see or change criteria sets and score sheets.

* A unit's focal points see their own sheet and fill its self-assessment while it is a draft;
  once sent, they may take it back until the secretariat starts on it.
* The bloc secretariat (focal points of the head and deputy units, and people assigned) sees
  every sheet of the year, enters a self-assessment on a unit's behalf from a paper sheet,
  and verifies — but never its own unit's sheet: the head's sheet is verified by the deputy.
* Council admins of the council see and verify everything, and enter council-scored lines.
* Leaders of the council read every sheet.
* Other members see a unit's sheet only once the year's results are published.

The package is split by subdomain, every name re-exported here (``from scoring import access``,
``access.can_verify``): ``sheets`` (a sheet and its lines, the sheet page's buttons),
``results`` (the ranking and complaints), ``columns`` (the column page), ``criteria_sets``,
and ``members`` (a person's unit, the year's member units).
"""

from __future__ import annotations

from scoring.access.columns import (
    COLUMN_SCORED_BY,
    can_edit_column_line,
    can_see_criterion_column,
    column_line_reason,
    editable_column_lines,
    get_criterion_column_for_user,
    is_department_scorer,
)
from scoring.access.criteria_sets import (
    can_clone_criteria_set,
    can_create_criteria_set,
    can_edit_criteria_set,
    can_see_criteria_set,
    can_unfreeze_criteria_set,
    clone_bloc_years,
    clone_council_ids,
    criteria_set_bloc_years,
    criteria_set_council_ids,
    criteria_set_is_public,
    get_criteria_set_for_user,
    importable_council_ids,
    importable_councils,
    new_set_councils,
    new_set_for_bloc_year_only,
)
from scoring.access.members import is_member_focal_point, member_unit_ids
from scoring.access.results import (
    MEMBER_RESULT_STATES,
    PUBLISHED_STATES,
    can_correct_results,
    can_see_complaints,
    can_see_results,
    get_band_quota_for_admin,
    get_complaint_file_for_user,
    get_council_for_quotas,
)
from scoring.access.sheets import (
    VERIFIER_BUTTONS,
    can_add_evidence,
    can_answer,
    can_council_score,
    can_enter_on_behalf,
    can_enter_self,
    can_enter_verified,
    can_mark_not_applicable,
    can_press,
    can_recall,
    can_reopen,
    can_score_outside,
    can_see_sheet,
    can_verify,
    editable_lines,
    enters_on_behalf,
    get_bloc_year_for_progress,
    get_evidence_for_user,
    get_sheet_for_user,
    is_own_sheet,
    late_for_unit,
    own_sheet_open,
    peer_scorer_id,
)

__all__ = [
    "COLUMN_SCORED_BY",
    "MEMBER_RESULT_STATES",
    "PUBLISHED_STATES",
    "VERIFIER_BUTTONS",
    "can_add_evidence",
    "can_answer",
    "can_clone_criteria_set",
    "can_correct_results",
    "can_council_score",
    "can_create_criteria_set",
    "can_edit_column_line",
    "can_edit_criteria_set",
    "can_enter_on_behalf",
    "can_enter_self",
    "can_enter_verified",
    "can_mark_not_applicable",
    "can_press",
    "can_recall",
    "can_reopen",
    "can_score_outside",
    "can_see_complaints",
    "can_see_criteria_set",
    "can_see_criterion_column",
    "can_see_results",
    "can_see_sheet",
    "can_unfreeze_criteria_set",
    "can_verify",
    "clone_bloc_years",
    "clone_council_ids",
    "column_line_reason",
    "criteria_set_bloc_years",
    "criteria_set_council_ids",
    "criteria_set_is_public",
    "editable_column_lines",
    "editable_lines",
    "enters_on_behalf",
    "get_band_quota_for_admin",
    "get_bloc_year_for_progress",
    "get_complaint_file_for_user",
    "get_council_for_quotas",
    "get_criteria_set_for_user",
    "get_criterion_column_for_user",
    "get_evidence_for_user",
    "get_sheet_for_user",
    "importable_council_ids",
    "importable_councils",
    "is_department_scorer",
    "is_member_focal_point",
    "is_own_sheet",
    "late_for_unit",
    "member_unit_ids",
    "new_set_councils",
    "new_set_for_bloc_year_only",
    "own_sheet_open",
    "peer_scorer_id",
]
