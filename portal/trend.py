"""A unit's totals over the years (the leaders' dashboard): its total, rank and band in every
frozen ranking of the councils, following the unit back through mergers and renames, with its
line chart. Read in a fixed number of queries whatever the number of years."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from awards.history import FOLLOWED_KINDS
from blocs.models import Membership, Unit, UnitLineage
from common.charts import Point, line_chart
from scoring.access import PUBLISHED_STATES
from scoring.models import RankingSnapshot
from scoring.rows import RankingRow, rows_from_json

# Charts show at least this many points on their axis: on a 100-point sheet, 94 → 95,4 is a
# small change and should look like one.
MIN_SPAN = Decimal(10)


@dataclass(frozen=True)
class TrendRow:
    year: int
    bloc_year_url: str
    bloc_name: str
    unit_name: str  # the name in the ranking of that year (a predecessor's, after a merger)
    total: Decimal | None
    rank: int | None
    units: int
    band: str
    final: bool  # published, not only frozen


@dataclass
class UnitTrend:
    unit: Unit
    rows: list[TrendRow]
    chart: SafeString | None


def unit_trend(
    unit_id: int, council_ids: frozenset[int], *, published_only: bool = False
) -> UnitTrend:
    """The unit's total and rank in every frozen ranking of these councils, its predecessors'
    before a merger or a rename, oldest first, with its line chart. ``published_only`` keeps
    the rankings published for good (for a public page such as the unit's)."""
    unit = Unit.objects.filter(pk=unit_id, council_id__in=council_ids).first()
    if unit is None:
        raise Http404
    unit_ids = [unit.pk, *_predecessors(unit.pk, council_ids)]
    latest = RankingSnapshot.objects.filter(bloc_year=OuterRef("bloc_year")).order_by("-number")
    snapshots = RankingSnapshot.objects.filter(
        bloc_year__bloc__council_id__in=council_ids,
        bloc_year__in=Membership.objects.filter(unit_id__in=unit_ids).values("bloc_year_id"),
        number=Subquery(latest.values("number")[:1]),
    )
    if published_only:
        snapshots = snapshots.filter(bloc_year__state__in=PUBLISHED_STATES)
    rankings = snapshots.values(
        "bloc_year__year",
        "bloc_year__bloc_id",
        "bloc_year__bloc__name",
        "bloc_year__state",
        "data__rows",
    ).order_by("bloc_year__year")
    by_year: dict[int, TrendRow] = {}
    for snapshot in rankings:
        ranking = rows_from_json(snapshot["data__rows"])
        own = _own_row(ranking, unit_ids)
        year = snapshot["bloc_year__year"]
        if own is None or (year in by_year and own.unit_id != unit.pk):
            continue
        by_year[year] = TrendRow(
            year=year,
            bloc_year_url=reverse("bloc-year", args=[snapshot["bloc_year__bloc_id"], year]),
            bloc_name=snapshot["bloc_year__bloc__name"],
            unit_name=own.name,
            total=own.total,
            rank=own.place,
            units=len(ranking),
            band=own.band,
            final=snapshot["bloc_year__state"] in PUBLISHED_STATES,
        )
    rows = [by_year[year] for year in sorted(by_year)]
    chart = (
        line_chart(
            [
                Point(
                    str(row.year),
                    row.total,
                    _("hạng %(rank)s/%(units)s") % {"rank": row.rank, "units": row.units}
                    if row.rank
                    else "",
                )
                for row in rows
            ],
            title=_("Tổng điểm của %(unit)s qua các năm") % {"unit": unit.name},
            chart_id="trend",
            min_span=MIN_SPAN,
        )
        if rows
        else None
    )
    return UnitTrend(unit=unit, rows=rows, chart=chart)


def _predecessors(unit_id: int, council_ids: frozenset[int]) -> list[int]:
    """Units that became this one through mergers and renames (as awards.history follows them),
    nearest first, from every such link of these councils read at once (they are few)."""
    links: defaultdict[int, list[int]] = defaultdict(list)
    for predecessor, successor in UnitLineage.objects.filter(
        kind__in=FOLLOWED_KINDS, successor__council_id__in=council_ids
    ).values_list("predecessor_id", "successor_id"):
        links[successor].append(predecessor)
    found: list[int] = []
    frontier = [unit_id]
    while frontier:
        frontier = [
            predecessor
            for successor in frontier
            for predecessor in links[successor]
            if predecessor not in found and predecessor != unit_id
        ]
        found.extend(dict.fromkeys(frontier))
    return found


def _own_row(ranking: list[RankingRow], unit_ids: list[int]) -> RankingRow | None:
    """The unit's row, else its nearest predecessor's (the ids are in that order)."""
    rows = {row.unit_id: row for row in ranking}
    return next((rows[unit_id] for unit_id in unit_ids if unit_id in rows), None)
