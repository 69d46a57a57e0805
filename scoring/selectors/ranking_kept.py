"""The live ranking from the sheets' kept parts (scoring/parts.py) instead of every line.

``ranking_input`` reads every line of the bloc-year (1,200 for 15 units × 80 criteria) and
gives the pure ranking one ``LineScore`` per unit, leaf and column. The sheets keep the same
lines summed by kind, section and applicability (``ScoreSheet.ranking_parts``, refreshed with
their totals by ``scoring.totals.refresh``); ``kept_ranking_input`` reads those (one row per
unit) and gives the same pure function the same totals, so the ranking is the same either way
(tests/scoring/test_ranking_kept.py compares both on random and demo data).

Lines are still read when the parts cannot say enough:

* a criterion with its own floor: the points of its leaves, in one bounded query (the units ×
  those leaves only);
* a band with a floor on every criterion: each leaf's points, so the whole year is read as
  ``ranking_input`` reads it;
* a member without a sheet, or a sheet whose parts were summed from another number of lines
  than the set has leaves (a criterion added since): likewise.

The page's ranking (``scoring.views.ranking``) comes from here; what needs each line's points
(snapshots at finalization, the what-if preview, exports) keeps ``ranking_input``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from blocs.models import BlocYear
from common.db.compiled import compiled_rows
from scoring import parts
from scoring.models import ScoreLine, ScoreSheet
from scoring.ranking import UnitScores
from scoring.selectors.ranking import (
    RankingInput,
    RuleSet,
    Year,
    floor_leaves,
    ranking_input,
    year_of,
)


def _sheet_rows(bloc_year_id: int) -> QuerySet[Any, Any]:
    return (
        ScoreSheet.objects.filter(bloc_year_id=bloc_year_id)
        .order_by()
        .values_list("unit_id", "ranking_parts", "state")
    )


def kept_ranking_input(bloc_year: BlocYear, in_force: RuleSet | None = None) -> RankingInput:
    """The ranking's input with each unit's lines as its sheet's kept parts (``points`` empty),
    or ``ranking_input``'s when the parts cannot say enough (above). ``in_force``: the rules,
    when the caller read them already."""
    year = year_of(bloc_year, in_force)
    if any(band.criterion_floor_percent is not None for band in year.settings.bands):
        return ranking_input(bloc_year, year=year)
    kept: dict[int, dict[str, Any]] = {}
    unverified = 0
    # The sheets' states come with their parts: the page counts those not yet verified.
    for unit_id, kept_parts, state in compiled_rows(_sheet_rows, bloc_year_id=bloc_year.pk):
        kept[unit_id] = kept_parts
        unverified += state != ScoreSheet.State.VERIFIED
    members = [member.unit_id for member in year.members]
    if any(parts.line_count(kept.get(unit_id, {})) != len(year.leaves) for unit_id in members):
        data = ranking_input(bloc_year, year=year)
        data.unverified = unverified
        return data
    floor_points = _floor_points(bloc_year, year)
    units, self_units = [], []
    for member in year.members:
        unit_id, name = member.unit_id, member.name
        units.append(
            UnitScores(
                unit_id=unit_id,
                name=name,
                lines=parts.scores(kept[unit_id][parts.VERIFIED]),
                floor_points=floor_points.get(unit_id, {}),
                women_share=member.women_share,
            )
        )
        self_units.append(
            UnitScores(
                unit_id=unit_id,
                name=name,
                lines=parts.scores(kept[unit_id][parts.SELF]),
                women_share=member.women_share,
            )
        )
    return RankingInput(
        bloc_year=bloc_year,
        criteria=year.criteria,
        leaves=year.leaves,
        units=units,
        self_units=self_units,
        settings=year.settings,
        codes={member.unit_id: member.code for member in year.members},
        points={},
        unverified=unverified,
    )


def _floor_points(bloc_year: BlocYear, year: Year) -> dict[int, dict[str, Decimal]]:
    """Unit id → floor code → the final points of the floor's leaves (``UnitScores``'s
    ``floor_points``): one query over those leaves' lines only, none without floors."""
    floors = floor_leaves(year)
    if not floors:
        return {}
    wanted = {leaf_id for ids in floors.values() for leaf_id in ids}
    final: dict[int, dict[int, Decimal]] = {}
    zero = Decimal(0)
    for unit_id, criterion_id, verified, adjustment in (
        ScoreLine.objects.filter(sheet__bloc_year=bloc_year, criterion_id__in=wanted)
        .order_by()
        .values_list("sheet__unit_id", "criterion_id", "verified_points", "council_adjustment")
    ):
        if verified is not None:
            final.setdefault(unit_id, {})[criterion_id] = verified + (adjustment or zero)
    members = [member.unit_id for member in year.members]
    return {
        unit_id: {
            code: sum((final.get(unit_id, {}).get(leaf_id, zero) for leaf_id in ids), zero)
            for code, ids in floors.items()
        }
        for unit_id in members
    }
