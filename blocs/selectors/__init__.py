"""Reads that join several organisation tables, each in a fixed number of queries.

The package is split by page; every name is re-exported here (``from blocs import
selectors``, ``selectors.unit_page``):

- ``members``: a year's members with that year's names (``MemberRow``, ``bloc_year_members``);
- ``cycle``: the yearly cycle as steps (``cycle_steps``);
- ``councils``: the home page, the council page, each council's blocs in a year;
- ``bloc_pages``: a bloc's history over the years, one bloc-year's page;
- ``units``: the unit page and the unit's story through the reorganisations.
"""

from __future__ import annotations

from blocs.selectors.bloc_pages import (
    BlocHistory,
    BlocHistoryRow,
    BlocYearLeadership,
    BlocYearPage,
    bloc_history,
    bloc_year_page,
)
from blocs.selectors.councils import (
    BlocYearSummary,
    CouncilLink,
    CouncilOverview,
    CouncilPage,
    HomePage,
    council_overviews,
    council_page,
    home_page,
    latest_year,
)
from blocs.selectors.cycle import CycleStep, cycle_step_number, cycle_steps
from blocs.selectors.members import (
    MemberRow,
    bloc_year_members,
    member_row,
    memberships_with_names,
    sorted_member_rows,
    unit_names_on,
)
from blocs.selectors.units import (
    IDENTITY_KINDS,
    LineageEvent,
    UnitPage,
    UnitYearRow,
    council_family,
    unit_lineage,
    unit_page,
)

__all__ = [
    "IDENTITY_KINDS",
    "BlocHistory",
    "BlocHistoryRow",
    "BlocYearLeadership",
    "BlocYearPage",
    "BlocYearSummary",
    "CouncilLink",
    "CouncilOverview",
    "CouncilPage",
    "CycleStep",
    "HomePage",
    "LineageEvent",
    "MemberRow",
    "UnitPage",
    "UnitYearRow",
    "bloc_history",
    "bloc_year_members",
    "bloc_year_page",
    "council_family",
    "council_overviews",
    "council_page",
    "cycle_step_number",
    "cycle_steps",
    "home_page",
    "latest_year",
    "member_row",
    "memberships_with_names",
    "sorted_member_rows",
    "unit_lineage",
    "unit_names_on",
    "unit_page",
]
