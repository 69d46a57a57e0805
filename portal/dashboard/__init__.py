"""The leaders' dashboard: a council's year at a glance (docs/dashboard.md).

The package: ``selectors`` (the data of a council's year, read in a fixed number of queries,
and the dataclasses the template reads), ``views`` (the page). ``portal.trend`` draws a unit's
totals over the years.
"""

from __future__ import annotations

from portal.dashboard.selectors import (
    AwardCount,
    BlocSummary,
    CouncilWarning,
    Dashboard,
    LateItem,
    dashboard_data,
    mini_steps,
)
from portal.dashboard.views import dashboard
from portal.trend import unit_trend

__all__ = [
    "AwardCount",
    "BlocSummary",
    "CouncilWarning",
    "Dashboard",
    "LateItem",
    "dashboard",
    "dashboard_data",
    "mini_steps",
    "unit_trend",
]
