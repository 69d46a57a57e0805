"""The leaders' dashboard's figures for the whole council's year, counted in SQL.

The dashboard shows the blocs one page at a time (``common.paging``); what it says of the
whole council (how many blocs, units and blocs behind a deadline, proposals waiting, sheets and
proposals sent late, the counts per award, the Government-flag share) is counted here in three
aggregate queries, whatever the number of blocs. The lateness rules are those the page's lists
apply one sheet and one bloc at a time (``selectors._late_sheet``, ``selectors._late_blocs``),
written as SQL conditions; tests check the two agree.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from awards.models import Proposal
from blocs import deadlines
from blocs.models import BlocYear
from scoring.models import ScoreSheet

Sheet = ScoreSheet.State
VERIFIED_STATES = {Sheet.VERIFIED, Sheet.FINALIZED}


def open_states(stage: str) -> list[str]:
    """The bloc-year states in which ``stage``'s deadline still matters
    (``deadlines.stage_over`` is false)."""
    states = list(BlocYear.State)
    return [str(state) for state in states[: states.index(deadlines.STAGE_OVER_FROM[stage])]]


def late_sheet_q(today: datetime.date, sheet: str = "", prefix: str = "bloc_year__") -> Q:
    """Sheets behind a deadline today: not sent past the self-assessment deadline, or not
    verified past the verification one, while that stage is open. ``sheet`` and ``prefix``:
    the paths to the sheet and to its bloc-year from the model queried."""
    sent = Q(**{f"{sheet}state": Sheet.DRAFT}) & Q(
        **{
            f"{prefix}{deadlines.SELF_ASSESSMENT}__lt": today,
            f"{prefix}state__in": open_states(deadlines.SELF_ASSESSMENT),
        }
    )
    verified = ~Q(**{f"{sheet}state__in": VERIFIED_STATES}) & Q(
        **{
            f"{prefix}{deadlines.VERIFICATION}__lt": today,
            f"{prefix}state__in": open_states(deadlines.VERIFICATION),
        }
    )
    return sent | verified


def late_bloc_q(today: datetime.date) -> Q:
    """Blocs late as a whole: scoring not opened past the self-assessment deadline, or results
    published but no proposals sent past the proposals deadline."""
    return Q(
        state__in=[BlocYear.State.SETUP, BlocYear.State.UNDERWAY],
        **{f"{deadlines.SELF_ASSESSMENT}__lt": today},
    ) | Q(state=BlocYear.State.PUBLISHED, **{f"{deadlines.PROPOSALS}__lt": today})


@dataclass
class CouncilTotals:
    blocs: int = 0
    late: int = 0  # units and blocs behind a deadline today
    marked_late: int = 0  # sheets and proposals sent after their deadline
    waiting: int = 0  # proposals waiting for the leaders
    # award code → status (and "decided") → proposals
    proposals: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))


def council_totals(of_year: QuerySet[BlocYear], today: datetime.date) -> CouncilTotals:
    """The whole council's year (``of_year``: its bloc-years) in two aggregate queries."""
    sheets = "score_sheets__"
    row = of_year.aggregate(
        blocs=Count("pk", distinct=True),
        late_blocs=Count("pk", distinct=True, filter=late_bloc_q(today)),
        late_sheets=Count("score_sheets", filter=late_sheet_q(today, sheets, "")),
        marked=Count("score_sheets", filter=Q(score_sheets__submitted_late=True)),
    )
    totals = CouncilTotals(
        blocs=row["blocs"],
        late=row["late_blocs"] + row["late_sheets"],
        marked_late=row["marked"],
    )
    rows = (
        Proposal.objects.filter(bloc_year__in=of_year)
        .values("award_type__code", "status")
        .annotate(
            total=Count("pk"),
            decided=Count("pk", filter=Q(decision__isnull=False)),
            late=Count("pk", filter=Q(submitted_late=True)),
        )
        .order_by()
    )
    for row in rows:
        totals.marked_late += row["late"]
        counts = totals.proposals[row["award_type__code"]]
        counts[row["status"]] += row["total"]
        counts["decided"] += row["decided"]
        if row["status"] == Proposal.Status.SUBMITTED:
            totals.waiting += row["total"]
    return totals
