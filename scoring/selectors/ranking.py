"""Reads for the ranking: everything the pure ranking function needs, in a fixed number of
queries, and the frozen form a snapshot keeps."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import QuerySet

from blocs.models import BlocYear, Membership, name_in_force
from common.db.compiled import compiled_rows
from common.numbers import decimal_text
from scoring import ranking, rules
from scoring.layers import Layer
from scoring.models import (
    Criterion,
    RankingSnapshot,
    ScoreLine,
    ScoringSeason,
)
from scoring.models.criteria import section_code_of
from scoring.ranking import Floor, Ranked, Settings, UnitScores
from scoring.rows import RankingRow, rows_from_json
from scoring.rules import LineScore
from scoring.selectors.ranking_rules import RuleSet, rules_of

# (unit id, criterion id) → points that replace the stored final points (the what-if panel).
Overrides = Mapping[tuple[int, int], Decimal | None]


class CriterionRow(NamedTuple):
    """A criterion as the ranking reads it: the fields it uses, read as values (89 model
    instances cost the ranking page more than its ranking)."""

    id: int
    parent_id: int | None
    code: str
    title: str
    max_points: Decimal
    kind: str  # a Criterion.Kind
    floor_percent: Decimal | None
    scored_by: str  # a Criterion.ScoredBy

    @property
    def pk(self) -> int:
        return self.id

    @property
    def section_code(self) -> str:
        return section_code_of(self.code)


CRITERION_FIELDS = CriterionRow._fields


class Member(NamedTuple):
    """A member of the bloc-year as the ranking reads it: its name is its short name of that
    year (``Unit.short_name_on`` the year's last day)."""

    unit_id: int
    code: str
    name: str
    women_share: Decimal | None


@dataclass
class RankingInput:
    bloc_year: BlocYear
    criteria: list[CriterionRow]
    leaves: list[CriterionRow]
    units: list[UnitScores]
    self_units: list[UnitScores]
    settings: Settings
    codes: dict[int, str]  # unit id → unit code
    # unit id → criterion id → final points; empty when read from the sheets' kept parts
    points: dict[int, dict[int, Decimal | None]]
    # (unit id, criterion id) → the final points an override replaced (the what-if panel)
    replaced: dict[tuple[int, int], Decimal | None] = field(default_factory=dict)
    # the year's sheets not yet verified, when counted with the sheets' kept parts (else None)
    unverified: int | None = None

    def rank(self) -> list[Ranked]:
        return ranking.rank_units(self.units, self.settings)

    def self_totals(self) -> dict[int, Decimal | None]:
        """Each unit's self-assessed total (None while incomplete)."""
        totals = {}
        for unit in self.self_units:
            result = ranking.rules.sheet_totals(
                unit.lines, self.settings.bonus_cap, self.settings.empty_sections
            )
            totals[unit.unit_id] = result.total if result.complete else None
        return totals


@dataclass
class Year:
    """What every way of ranking a bloc-year reads besides the points: its criteria, members
    (with their names of that year) and rules. Three queries: the criteria with their set's
    bonus cap, the members with their former names, the rules (none when given)."""

    criteria: list[CriterionRow]
    leaves: list[CriterionRow]
    members: list[Member]
    settings: Settings


def _criteria_rows(bloc_year_id: int) -> QuerySet[Any, Any]:
    return (
        Criterion.objects.filter(criteria_set__seasons__bloc_year_id=bloc_year_id)
        .order_by("order", "pk")
        .values_list(*CRITERION_FIELDS, "criteria_set__bonus_cap")
    )


def year_of(bloc_year: BlocYear, in_force: RuleSet | None = None) -> Year:
    """``in_force``: the rules, when the caller read them already."""
    # The season's criteria with their set's bonus cap, in one query.
    rows = compiled_rows(_criteria_rows, bloc_year_id=bloc_year.pk)
    criteria = [CriterionRow(*row[:-1]) for row in rows]
    if rows:
        bonus_cap = rows[0][-1]
    else:  # a set without criteria (or no season: ScoringSeason.DoesNotExist, as before)
        bonus_cap = ScoringSeason.objects.values_list("criteria_set__bonus_cap", flat=True).get(
            bloc_year=bloc_year
        )
    parents = {criterion.parent_id for criterion in criteria if criterion.parent_id}
    leaves = [criterion for criterion in criteria if criterion.id not in parents]
    members = members_of(bloc_year)
    in_force = in_force or rules_of(bloc_year)
    settings = Settings(
        bonus_cap=bonus_cap,
        sections=[
            (criterion.code, criterion.title, criterion.max_points)
            for criterion in criteria
            if criterion.parent_id is None and criterion.kind == Criterion.Kind.STANDARD
        ],
        floors=[
            Floor(criterion.code, criterion.max_points, criterion.floor_percent)
            for criterion in criteria
            if criterion.floor_percent is not None
        ],
        bands=in_force.bands,
        tie_breaks=in_force.tie_breaks,
        empty_sections=in_force.empty_sections,
        leaf_codes={leaf.pk: leaf.code for leaf in leaves},
    )
    return Year(criteria, leaves, members, settings)


def _member_rows(bloc_year_id: int) -> QuerySet[Any, Any]:
    return Membership.objects.filter(bloc_year_id=bloc_year_id).values_list(
        "unit_id",
        "unit__code",
        "unit__name",
        "unit__short_name",
        "women_share",
        "unit__former_names__name",
        "unit__former_names__short_name",
        "unit__former_names__valid_from",
        "unit__former_names__valid_until",
    )


def members_of(bloc_year: BlocYear) -> list[Member]:
    """The bloc-year's members with their short names of that year (``Unit.short_name_on`` its
    last day), in the memberships' order (by unit name). One query: each membership joined to
    its unit's former names (most units have none), the one in force chosen here."""
    day = bloc_year.last_day
    members: dict[int, Member] = {}
    ends: dict[int, datetime.date] = {}  # unit id → when the former name chosen ended
    for row in compiled_rows(_member_rows, bloc_year_id=bloc_year.pk):
        unit_id, code, name, short, women_share = row[:5]
        former_name, former_short, valid_from, valid_until = row[5:]
        if unit_id not in members:
            members[unit_id] = Member(unit_id, code, short or name, women_share)
        if valid_until is None or not name_in_force(valid_from, valid_until, day):
            continue
        if unit_id not in ends or valid_until < ends[unit_id]:  # the one that ended first
            ends[unit_id] = valid_until
            members[unit_id] = members[unit_id]._replace(name=former_short or former_name)
    return list(members.values())


def floor_leaves(year: Year) -> dict[str, list[int]]:
    """Floor code → the leaves under it (the criterion itself when it is a leaf)."""
    return {
        floor.code: [
            leaf.id
            for leaf in year.leaves
            if leaf.code == floor.code or leaf.code.startswith(floor.code + ".")
        ]
        for floor in year.settings.floors
    }


def ranking_input(
    bloc_year: BlocYear,
    *,
    overrides: Overrides | None = None,
    year: Year | None = None,
    in_force: RuleSet | None = None,
) -> RankingInput:
    """Criteria, every member's final and self points, names of that year, women shares, rules:
    every line of the bloc-year read (scoring/selectors/ranking_kept.py reads the sheets' kept
    parts instead, for the page)."""
    year = year or year_of(bloc_year, in_force)
    criteria, leaves = year.criteria, year.leaves
    members, settings = year.members, year.settings
    final: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    own: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    not_applicable: set[tuple[int, int]] = set()
    # No ordering: the lines are keyed by unit and criterion, and the models' default ordering
    # (by Vietnamese unit name) would make the database collate every line.
    for unit_id, criterion_id, verified, adjustment, self_points, na in (
        ScoreLine.objects.filter(sheet__bloc_year=bloc_year)
        .order_by()
        .values_list(
            "sheet__unit_id",
            "criterion_id",
            "verified_points",
            "council_adjustment",
            "self_points",
            "not_applicable",
        )
    ):
        final[unit_id][criterion_id] = (
            None if verified is None else verified + (adjustment or Decimal(0))
        )
        own[unit_id][criterion_id] = self_points
        if na:
            not_applicable.add((unit_id, criterion_id))
    replaced: dict[tuple[int, int], Decimal | None] = {}
    for (unit_id, criterion_id), value in (overrides or {}).items():
        replaced[unit_id, criterion_id] = final[unit_id].get(criterion_id)
        final[unit_id][criterion_id] = value

    # Read each leaf's attributes once, not once per unit and layer.
    leaf_rows = [
        (
            leaf.id,
            leaf.kind,
            leaf.max_points,
            leaf.section_code,
            leaf.scored_by != Criterion.ScoredBy.UNIT,
        )
        for leaf in leaves
    ]
    floors = floor_leaves(year)
    zero = Decimal(0)

    def unit_scores(member: Member, points: dict[int, Decimal | None], layer: Layer) -> UnitScores:
        unit_id = member.unit_id
        unit_final = final[unit_id]
        lines = []
        for leaf_id, kind, max_points, section, not_by_unit in leaf_rows:
            value = points.get(leaf_id)
            optional = layer.only_unit_lines and not_by_unit
            if optional:
                value = unit_final.get(leaf_id)
            lines.append(
                LineScore(
                    criterion_id=leaf_id,
                    kind=kind,
                    max_points=max_points,
                    points=value,
                    not_applicable=(unit_id, leaf_id) in not_applicable,
                    section=section,
                    optional=optional,
                )
            )
        floor_points = {
            code: sum((points.get(leaf_id) or zero for leaf_id in ids), zero)
            for code, ids in floors.items()
        }
        return UnitScores(
            unit_id=unit_id,
            name=member.name,
            lines=lines,
            floor_points=floor_points,
            women_share=member.women_share,
        )

    return RankingInput(
        bloc_year=bloc_year,
        criteria=criteria,
        leaves=leaves,
        units=[unit_scores(m, final[m.unit_id], Layer.VERIFIED) for m in members],
        self_units=[unit_scores(m, own[m.unit_id], Layer.SELF) for m in members],
        settings=settings,
        codes={m.unit_id: m.code for m in members},
        points={unit_id: dict(values) for unit_id, values in final.items()},
        replaced=replaced,
    )


def ranking_rows(data: RankingInput, ranked: list[Ranked]) -> list[RankingRow]:
    """What the ranking page shows: a row per unit, best first (a snapshot's rows)."""
    self_totals = data.self_totals()
    return [
        unit.row(code=data.codes[unit.unit_id], self_total=self_totals.get(unit.unit_id))
        for unit in ranked
    ]


def section_heads(data: RankingInput) -> list[dict[str, str | None]]:
    """The columns of the sections above the rows: code, title, maximum."""
    return [
        {"code": code, "title": title, "max": decimal_text(maximum)}
        for code, title, maximum in data.settings.sections
    ]


def snapshot_data(data: RankingInput, ranked: list[Ranked]) -> dict[str, Any]:
    """What a snapshot keeps: enough to show, export and compare it without live data."""
    leaf_ids = {leaf.id for leaf in data.leaves}
    return {
        "rows": [row.to_json() for row in ranking_rows(data, ranked)],
        "sections": section_heads(data),
        "criteria": [
            {
                "id": criterion.pk,
                "code": criterion.code,
                "title": criterion.title,
                "max": decimal_text(criterion.max_points),
                "kind": criterion.kind,
                "leaf": criterion.id in leaf_ids,
            }
            for criterion in data.criteria
        ],
        "points": {
            str(unit_id): {
                str(criterion_id): decimal_text(value) for criterion_id, value in values.items()
            }
            for unit_id, values in data.points.items()
        },
        "settings": {
            "bonus_cap": decimal_text(data.settings.bonus_cap),
            "tie_breaks": list(data.settings.tie_breaks),
            "bands": [ranking.band_to_json(band) for band in data.settings.bands],
            # Only when not the default, so that earlier snapshots keep their inputs' hash.
            **(
                {"empty_sections": data.settings.empty_sections}
                if data.settings.empty_sections != rules.PRO_RATA
                else {}
            ),
        },
    }


def inputs_hash(data: dict[str, Any]) -> str:
    """A fingerprint of what the ranking was computed from (points, criteria, rules, shares)."""
    fingerprint = {
        "criteria": data["criteria"],
        "points": data["points"],
        "settings": data["settings"],
        "women": {
            row.unit_id: decimal_text(row.women_share) for row in rows_from_json(data["rows"])
        },
    }
    return hashlib.sha256(
        json.dumps(fingerprint, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


@dataclass(frozen=True)
class RowChange:
    name: str
    before: RankingRow | None
    after: RankingRow | None

    @property
    def fields(self) -> list[str]:
        """What changed: "unit" (in one ranking only), else of "rank", "total" and "band"."""
        before, after = self.before, self.after
        if before is None or after is None:
            return ["unit"]
        changed = {
            "rank": before.rank != after.rank,
            "total": before.total != after.total,
            "band": before.band != after.band,
        }
        return [name for name, differs in changed.items() if differs]


def snapshot_changes(older: RankingSnapshot, newer: RankingSnapshot) -> list[RowChange]:
    """Units whose rank, total or band differ between two snapshots."""
    before = {row.unit_id: row for row in older.rows}
    after = {row.unit_id: row for row in newer.rows}
    changes = []
    for unit_id in sorted(
        set(before) | set(after), key=lambda key: (after.get(key) or before[key]).rank
    ):
        change = RowChange(
            name=(after.get(unit_id) or before[unit_id]).name,
            before=before.get(unit_id),
            after=after.get(unit_id),
        )
        if change.fields:
            changes.append(change)
    return changes
