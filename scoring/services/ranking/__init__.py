"""Writes around the ranking: its rules, finalization snapshots, corrections, publication and
complaints. Every step is dated, attributed and recorded in the audit trail.

One module per step: ``rules`` (tie-breaks, bands), ``snapshots`` (finalization and
corrections), ``publication``, ``complaints``; ``state`` holds what they share.
"""

from __future__ import annotations

from scoring.services.ranking.complaints import complaint_answer, complaint_lodge
from scoring.services.ranking.publication import (
    DEFAULT_COMPLAINT_DAYS,
    publish_final,
    publish_provisional,
)
from scoring.services.ranking.rules import (
    change_needs_reason,
    check_rules,
    ranking_rules_reset,
    ranking_rules_save,
)
from scoring.services.ranking.snapshots import (
    FinalizationGaps,
    SheetGap,
    bloc_year_finalize,
    finalization_gaps,
    finalization_problems,
    latest_snapshot,
    ranking_correct,
)
from scoring.services.ranking.state import FINALIZED_STATES
from scoring.services.sheets import StateError

__all__ = [
    "DEFAULT_COMPLAINT_DAYS",
    "FINALIZED_STATES",
    "FinalizationGaps",
    "SheetGap",
    "StateError",
    "bloc_year_finalize",
    "change_needs_reason",
    "check_rules",
    "complaint_answer",
    "complaint_lodge",
    "finalization_gaps",
    "finalization_problems",
    "latest_snapshot",
    "publish_final",
    "publish_provisional",
    "ranking_correct",
    "ranking_rules_reset",
    "ranking_rules_save",
]
