"""Opening next year of a bloc from this year: members, head and deputy, criteria set.

``rollover_plan`` works out what year N+1 will be (the preview); ``rollover_apply`` creates
exactly that, or nothing. It lives in ``portal`` because it reads and writes two
apps (blocs: the bloc-year and its members; scoring: the criteria set cloned as a draft) and
reads a third (reports: the year-end report that may name next year's head and deputy).

The rules (docs/reorganisation.md, "Opening next year"):

* members of N are carried over, except that reorganisations in force on 1 January of N+1 are
  applied: a unit merged into another (or renamed into a new unit) is replaced by its successor,
  once however many members merged into it; a unit renamed in place keeps its membership under
  the new name; a unit split since the start of N makes the admin choose which successor(s)
  join; a unit that ended without a successor leaves. A successor that belongs to another bloc
  of the council (in N or N+1) stays there, and a successor of another council cannot join.
* head and deputy: those the year-end report of N names for next year when they are members of
  N+1; otherwise the rotation rule: N's deputy (or its successor) becomes head, and the member
  after it in alphabetical order of the N+1 names (cyclically, skipping N's head when there are
  more than two members) becomes deputy. The admin may choose others.
* the criteria set N used (its scoring's set, else its own set, else the council's shared set
  of N) is cloned as a draft for N+1: an own set as an own set, a shared set as a shared set
  unless the council already has a shared set for N+1, which is then used as it is.
* a council that had ended by 1 January of N+1 (merged into a successor) cannot open N+1: its
  successor council sets up its own blocs; the refusal names it.

The package is split by subdomain; the names the pages and tests use are re-exported here:

- ``plan``: ``Plan`` and its parts, ``RolloverChoices``, ``PlanOutdated``, the labels;
- ``members``: the members of N+1 and those left out;
- ``leaders``: the suggested head and deputy;
- ``preview``: ``rollover_plan``;
- ``apply``: ``rollover_apply``.
"""

from __future__ import annotations

from portal.rollover.apply import rollover_apply
from portal.rollover.plan import (
    NO_SUCCESSOR,
    Basis,
    CriteriaAction,
    CriteriaPlan,
    DroppedMember,
    Origin,
    Plan,
    PlannedMember,
    PlanOutdated,
    RolloverChoices,
    SplitQuestion,
)
from portal.rollover.preview import rollover_plan

__all__ = [
    "NO_SUCCESSOR",
    "Basis",
    "CriteriaAction",
    "CriteriaPlan",
    "DroppedMember",
    "Origin",
    "Plan",
    "PlanOutdated",
    "PlannedMember",
    "RolloverChoices",
    "SplitQuestion",
    "rollover_apply",
    "rollover_plan",
]
