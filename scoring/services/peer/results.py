"""The outcome of peer scoring, line by line: the mean of the sent assessments (optionally
without one highest and one lowest point), how many points it was made of, and the reason text
written next to a verified point. ``aggregate_peer_points`` is pure; the others read the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from blocs.models import BlocYear
from scoring import rules
from scoring.models import PeerAssessment
from scoring.services.peer.season import (
    criteria_of,
    member_ids,
    peer_leaves,
    peer_season,
    stored_amount,
)


@dataclass(frozen=True)
class PeerLineResult:
    """One line of one member: the mean and how many points it was made of."""

    mean: Decimal | None
    scorers: int  # sent assessments with points on this line
    counted: int  # points that entered the mean (fewer when extremes are dropped)

    @property
    def dropped(self) -> bool:
        return self.counted < self.scorers


def aggregate_peer_points(
    assessments: Iterable[tuple[int, Mapping[str, object]]],
    *,
    unit_ids: Iterable[int],
    criterion_ids: Iterable[int],
    drop_extremes: bool,
) -> dict[int, dict[int, PeerLineResult]]:
    """Pure: (scored unit id, points) of sent assessments → scored unit → criterion → result."""
    collected: dict[tuple[int, int], list[Decimal]] = defaultdict(list)
    criterion_ids = list(criterion_ids)
    for scored_id, points in assessments:
        for criterion_id in criterion_ids:
            amount = stored_amount(points.get(str(criterion_id)))
            if amount is not None:
                collected[scored_id, criterion_id].append(amount)
    results: dict[int, dict[int, PeerLineResult]] = {}
    for unit_id in unit_ids:
        lines = {}
        for criterion_id in criterion_ids:
            values = collected.get((unit_id, criterion_id), [])
            # peer_mean drops the extremes only from three values up; count the same way.
            counted = len(values) - 2 if drop_extremes and len(values) >= 3 else len(values)
            lines[criterion_id] = PeerLineResult(
                mean=rules.peer_mean(values, drop_extremes=drop_extremes),
                scorers=len(values),
                counted=counted,
            )
        results[unit_id] = lines
    return results


def peer_line_results(
    bloc_year: BlocYear, *, unit_ids: Iterable[int] | None = None
) -> dict[int, dict[int, PeerLineResult]]:
    """Scored unit id → criterion id → result, for the members (or ``unit_ids``)."""
    season = peer_season(bloc_year)
    return aggregate_peer_points(
        PeerAssessment.objects.filter(
            bloc_year=bloc_year, state=PeerAssessment.State.SUBMITTED
        ).values_list("scored_id", "points"),
        unit_ids=member_ids(bloc_year) if unit_ids is None else unit_ids,
        criterion_ids=[criterion.pk for criterion in peer_leaves(criteria_of(season.criteria_set))],
        drop_extremes=season.peer_drop_extremes,
    )


def peer_results(bloc_year: BlocYear) -> dict[int, dict[int, Decimal | None]]:
    """Scored unit id → criterion id → mean of the sent assessments (None: nobody scored)."""
    return {
        unit_id: {criterion_id: result.mean for criterion_id, result in lines.items()}
        for unit_id, lines in peer_line_results(bloc_year).items()
    }


def peer_reason(result: PeerLineResult) -> str:
    reason = _("Trung bình điểm chấm chéo của %(count)s đơn vị") % {"count": result.counted}
    if result.dropped:
        reason += " " + _(
            "(đã bỏ một điểm cao nhất và một điểm thấp nhất trong %(total)s phiếu)"
        ) % {"total": result.scorers}
    return reason
