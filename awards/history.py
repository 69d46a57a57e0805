"""A unit's record over the years: the awards it received (its own and those of the units that
became it through a merger or a rename) and its published ranks.

Lineage is followed through ``UnitLineage`` links of the kinds "merged into" and "renamed":
the successor carries the predecessor's whole identity on. A unit that only received some
functions ("functions transferred") or was split off did not earn the predecessor's awards,
so their awards stay on the predecessor's page.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Min

from awards.models import AwardGrant, AwardType
from blocs.access import AnyUser
from blocs.models import Bloc, BlocYear, Unit, UnitLineage
from scoring import access as scoring_access
from scoring.models import RankingSnapshot
from scoring.rows import row_of

FOLLOWED_KINDS = frozenset({UnitLineage.Kind.MERGED_INTO, UnitLineage.Kind.RENAMED})


@dataclass(frozen=True)
class HistoryEntry:
    year: int
    award_code: str
    award_name: str
    unit_id: int
    predecessor_name: str  # "" for the unit's own awards
    decision_id: int | None
    decision_number: str
    decision_date: datetime.date | None
    decision_text: str  # awards from the paper records of years before the app

    @property
    def inherited(self) -> bool:
        return bool(self.predecessor_name)


@dataclass(frozen=True)
class ResultRow:
    bloc_year: BlocYear
    bloc: Bloc
    year: int
    rank: int | None
    total: Decimal | None
    band: str
    units: int
    state_label: str


def lineage_predecessors(unit: Unit) -> dict[int, Unit]:
    """Every unit that became ``unit`` through mergers and renames, however many steps back.

    One query per generation (none for the first when the caller prefetched
    ``predecessor_links__predecessor``)."""
    found: dict[int, Unit] = {}
    frontier: Iterable[UnitLineage] = unit.predecessor_links.all()
    seen = {unit.pk}
    while True:
        next_ids = []
        for link in frontier:
            if link.kind not in FOLLOWED_KINDS or link.predecessor_id in seen:
                continue
            seen.add(link.predecessor_id)
            found[link.predecessor_id] = link.predecessor
            next_ids.append(link.predecessor_id)
        if not next_ids:
            return found
        frontier = list(
            UnitLineage.objects.filter(
                successor_id__in=next_ids, kind__in=FOLLOWED_KINDS
            ).select_related("predecessor")
        )


def unit_award_history(unit: Unit) -> list[HistoryEntry]:
    """Every award of the unit and of its predecessors, newest first, highest award first."""
    predecessors = lineage_predecessors(unit)
    grants = list(
        AwardGrant.objects.filter(unit_id__in=[unit.pk, *predecessors])
        .select_related("unit", "decision")
        .prefetch_related("unit__former_names")
    )
    return history_entries(grants, unit.pk, lambda grant: grant.unit.name_in_year(grant.year))


def award_orders(codes: set[str]) -> dict[str, int]:
    """The catalogue order of each award code (the highest award first), in one query."""
    if not codes:
        return {}
    return dict(
        AwardType.objects.filter(code__in=codes)
        .values("code")
        .annotate(first=Min("order"))
        .values_list("code", "first")
    )


def history_entries(
    grants: Sequence[AwardGrant], unit_id: int, name_of: Callable[[AwardGrant], str]
) -> list[HistoryEntry]:
    """Grants as history entries, newest year first, the unit's own before its predecessors',
    the highest award first. ``name_of(grant)`` names the predecessor a grant went to, as it
    was called that year."""
    orders = award_orders({grant.award_code for grant in grants})
    entries = [
        HistoryEntry(
            year=grant.year,
            award_code=grant.award_code,
            award_name=grant.award_name,
            unit_id=grant.unit_id,
            predecessor_name="" if grant.unit_id == unit_id else name_of(grant),
            decision_id=grant.decision_id,
            decision_number=grant.decision.number if grant.decision else "",
            decision_date=grant.decision.date if grant.decision else None,
            decision_text=grant.decision_text,
        )
        for grant in grants
    ]
    entries.sort(
        key=lambda entry: (
            -entry.year,
            entry.inherited,
            orders.get(entry.award_code, 10**6),
            entry.award_name,
            entry.predecessor_name,
        )
    )
    return entries


def unit_results(unit: Unit, user: AnyUser) -> list[ResultRow]:
    """The unit's rank, total and band in each bloc-year whose results were published (at least
    to the members) and that this person may see, newest first, from the latest snapshot."""
    snapshots = (
        RankingSnapshot.objects.filter(
            bloc_year__memberships__unit=unit,
            bloc_year__state__in=scoring_access.MEMBER_RESULT_STATES,
        )
        .select_related("bloc_year__bloc__council")
        .order_by("-bloc_year__year", "bloc_year__bloc__name", "bloc_year_id", "-number")
    )
    rows = []
    seen: set[int] = set()
    for snapshot in snapshots:
        bloc_year = snapshot.bloc_year
        if bloc_year.pk in seen:
            continue
        seen.add(bloc_year.pk)
        if not scoring_access.can_see_results(user, bloc_year):
            continue
        ranking = snapshot.rows
        own = row_of(ranking, unit.pk)
        if own is None:
            continue
        rows.append(
            ResultRow(
                bloc_year=bloc_year,
                bloc=bloc_year.bloc,
                year=bloc_year.year,
                rank=own.place,
                total=own.total,
                band=own.band,
                units=len(ranking),
                state_label=str(bloc_year.get_state_display()),
            )
        )
    return rows
