"""Which council and which year the leaders' dashboard opens on.

A person may see several councils (a leader: their council and the councils it succeeded; an
admin: the councils they manage). The dashboard shows one council's year at a time, both chosen
in the URL (``?council=QNA&year=2021``), and otherwise opens on the latest year **with
activity**:

    a bloc-year has activity when at least one of its score sheets has been sent (any state
    but a draft) or at least one award proposal has been made for it (a draft included).

So a leader of Đà Nẵng, whose council has just opened 2026 with nothing sent yet, opens on
Quảng Nam's 2021, where the units are scoring; the 2026 tab is one click away.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from awards.models import Proposal
from blocs.models import BlocYear
from scoring.models import ScoreSheet


def with_activity(bloc_years: QuerySet[BlocYear]) -> QuerySet[BlocYear]:
    """The bloc-years annotated with ``sent_any`` and ``proposed_any`` (the definition of
    activity above), inside the same query."""
    sheets = ScoreSheet.objects.filter(bloc_year=OuterRef("pk")).exclude(
        state=ScoreSheet.State.DRAFT
    )
    proposals = Proposal.objects.filter(bloc_year=OuterRef("pk"))
    return bloc_years.annotate(sent_any=Exists(sheets), proposed_any=Exists(proposals))


@dataclass(frozen=True)
class CouncilYear:
    council_id: int
    year: int
    active: bool


def choose(
    years: Iterable[CouncilYear],
    *,
    council_id: int | None = None,
    year: int | None = None,
    preferred_council_id: int | None = None,
) -> tuple[int, int] | None:
    """The (council, year) to show: the council asked for if it has years, the year asked for
    if it has blocs there; otherwise the latest year with activity, or, when nothing has any,
    the latest year. Between councils with the same year, the preferred one (a leader's own
    council), then the lowest id. None when there is no year at all."""
    candidates = list(years)
    if any(item.council_id == council_id for item in candidates):
        candidates = [item for item in candidates if item.council_id == council_id]
    if any(item.year == year for item in candidates):
        candidates = [item for item in candidates if item.year == year]
    if not candidates:
        return None
    best = max(
        candidates,
        key=lambda item: (
            item.active,
            item.year,
            item.council_id == preferred_council_id,
            -item.council_id,
        ),
    )
    return best.council_id, best.year
