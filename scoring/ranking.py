"""Ranking as one pure function: totals, classification band, rank and the explained tie-breaks.

Plain data in, plain data out: the same function ranks a live bloc-year, a what-if preview,
an imported past year and a finalization snapshot, and is tested without the database.

* Total = standard points (scaled when lines are not applicable) + min(bonus, cap) − penalty.
* Band: the first band of the table whose minimum share of the full maximum the total reaches,
  with every top-level standard section at or above the band's floor (% of the section's
  maximum; a section that does not apply to the unit at all is skipped), and every criterion
  that carries its own floor at or above it (that floor only matters for the bands above the
  last one).
* Rank: by total, descending; units with the same total go through the ordered tie-break
  chain; those still equal share a rank (1, 2, 2, 4). Every separation and every shared rank
  is explained in words.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from common.numbers import format_vietnamese
from scoring import rules
from scoring.rows import RankingRow
from scoring.rules import HUNDRED, ZERO, LineScore, Totals, quantize

# Tie-break keys, in the order a bloc-year chooses them.
FIRST_SECTION = "first_section"
FEWER_PENALTY = "fewer_penalty"
MORE_BONUS = "more_bonus"
WOMEN_70 = "women_70"
TIE_BREAKS = [FIRST_SECTION, FEWER_PENALTY, MORE_BONUS, WOMEN_70]
DEFAULT_TIE_BREAKS = list(TIE_BREAKS)

WOMEN_THRESHOLD = Decimal(70)


@dataclass(frozen=True)
class Band:
    name: str
    min_total_percent: Decimal
    floor_percent: Decimal


def default_bands() -> list[Band]:
    """The default (the pattern of Nghệ An's scale)."""
    return [
        Band(_("Hoàn thành xuất sắc nhiệm vụ"), Decimal(90), Decimal(85)),
        Band(_("Hoàn thành tốt nhiệm vụ"), Decimal(80), Decimal(80)),
        Band(_("Hoàn thành nhiệm vụ"), Decimal(70), Decimal(70)),
        Band(_("Không hoàn thành nhiệm vụ"), Decimal(0), Decimal(0)),
    ]


@dataclass(frozen=True)
class Floor:
    """A criterion with its own floor: its code, maximum and the minimum share of it."""

    code: str
    max_points: Decimal
    percent: Decimal


@dataclass(frozen=True)
class UnitScores:
    """One member, as the ranking needs it."""

    unit_id: int
    name: str
    lines: Sequence[LineScore]
    # Points and maxima of criteria that carry a floor, by code (sums of their leaves).
    floor_points: dict[str, Decimal] = field(default_factory=dict)
    women_share: Decimal | None = None


@dataclass(frozen=True)
class Settings:
    bonus_cap: Decimal | None
    sections: Sequence[
        tuple[str, str, Decimal]
    ]  # (code, title, max) of standard sections, in order
    floors: Sequence[Floor] = ()
    bands: Sequence[Band] = field(default_factory=default_bands)
    tie_breaks: Sequence[str] = field(default_factory=lambda: list(DEFAULT_TIE_BREAKS))


@dataclass
class Ranked:
    unit_id: int
    name: str
    totals: Totals
    rank: int = 0  # 0: not ranked (lines still missing)
    band: str = ""
    shared: bool = False
    explanations: list[str] = field(default_factory=list)
    women_share: Decimal | None = None

    @property
    def total(self) -> Decimal:
        return self.totals.total

    @property
    def tie_break(self) -> str | None:
        return "; ".join(self.explanations) or None

    @property
    def complete(self) -> bool:
        return self.totals.complete

    def row(self, *, code: str, self_total: Decimal | None) -> RankingRow:
        """The ranking row every app reads (and a snapshot keeps), amounts to two places."""
        totals = self.totals
        return RankingRow(
            unit_id=self.unit_id,
            code=code,
            name=self.name,
            rank=self.rank,
            shared=self.shared,
            total=quantize(totals.total) if totals.complete else None,
            standard=quantize(totals.standard),
            bonus=quantize(totals.bonus),
            penalty=quantize(totals.penalty),
            self_total=None if self_total is None else quantize(self_total),
            sections={key: quantize(value) for key, value in totals.sections.items()},
            band=self.band,
            tie_break=self.tie_break,
            scaled=totals.scaled,
            women_share=None if self.women_share is None else quantize(self.women_share),
        )


@dataclass(frozen=True)
class Key:
    """One tie-break rule: how to read it from a unit, and how to say it won or lost."""

    value: Callable[[Ranked], Decimal | None]
    better: str  # "higher" or "lower"
    above: str  # sentence for the unit placed above, with %(other)s %(mine)s %(theirs)s
    below: str


def _keys(settings: Settings) -> dict[str, Key]:
    first = settings.sections[0] if settings.sections else None
    first_label = first[0] if first else ""
    return {
        FIRST_SECTION: Key(
            # No subtotal when the whole section does not apply to the unit: the rule cannot
            # compare it and is skipped for its group, as with an unknown share of women.
            value=lambda unit: unit.totals.sections.get(first_label) if first else None,
            better="higher",
            above=_(
                "xếp trên %(other)s do điểm Mục %(section)s cao hơn: %(mine)s so với %(theirs)s"
            ),
            below=_(
                "xếp dưới %(other)s do điểm Mục %(section)s thấp hơn: %(mine)s so với %(theirs)s"
            ),
        ),
        FEWER_PENALTY: Key(
            value=lambda unit: unit.totals.penalty,
            better="lower",
            above=_("xếp trên %(other)s do bị trừ ít điểm hơn: %(mine)s so với %(theirs)s"),
            below=_("xếp dưới %(other)s do bị trừ nhiều điểm hơn: %(mine)s so với %(theirs)s"),
        ),
        MORE_BONUS: Key(
            value=lambda unit: unit.totals.bonus,
            better="higher",
            above=_("xếp trên %(other)s do có nhiều điểm thưởng hơn: %(mine)s so với %(theirs)s"),
            below=_("xếp dưới %(other)s do có ít điểm thưởng hơn: %(mine)s so với %(theirs)s"),
        ),
        WOMEN_70: Key(
            # Known shares only: 1 when at least 70 % are women, 0 below, None when unknown.
            value=lambda unit: (
                None
                if unit.women_share is None
                else Decimal(1 if unit.women_share >= WOMEN_THRESHOLD else 0)
            ),
            better="higher",
            above=_(
                "xếp trên %(other)s do có từ 70%% nữ trở lên "
                "(ưu tiên theo Nghị định 152/2025/NĐ-CP)"
            ),
            below=_(
                "xếp dưới %(other)s do đơn vị này có dưới 70%% nữ "
                "(ưu tiên theo Nghị định 152/2025/NĐ-CP)"
            ),
        ),
    }


def tie_break_label(key: str) -> str:
    return {
        FIRST_SECTION: _("Điểm mục thứ nhất cao hơn"),
        FEWER_PENALTY: _("Bị trừ ít điểm hơn"),
        MORE_BONUS: _("Nhiều điểm thưởng hơn"),
        WOMEN_70: _("Đơn vị có từ 70% nữ trở lên"),
    }.get(key, key)


def band_for(unit: Ranked, unit_scores: UnitScores, settings: Settings) -> str:
    totals = unit.totals
    if not totals.complete or totals.full_max <= ZERO:
        return ""
    share = totals.total * HUNDRED / totals.full_max
    bands = list(settings.bands)
    for index, band in enumerate(bands):
        last = index == len(bands) - 1
        if last:
            return band.name
        if share < band.min_total_percent:
            continue
        # A section that does not apply to the unit at all has no subtotal: it is skipped,
        # not failed (its share would be 0 of nothing).
        sections_ok = all(
            maximum <= ZERO
            or code not in totals.sections
            or totals.sections[code] * HUNDRED / maximum >= band.floor_percent
            for code, _title, maximum in settings.sections
        )
        floors_ok = all(
            floor.max_points <= ZERO
            or unit_scores.floor_points.get(floor.code, ZERO) * HUNDRED / floor.max_points
            >= floor.percent
            for floor in settings.floors
        )
        if sections_ok and floors_ok:
            return band.name
    return ""


def rank_units(units: Sequence[UnitScores], settings: Settings) -> list[Ranked]:
    """The ranking of a bloc-year, best first."""
    ranked = [
        Ranked(
            unit_id=unit.unit_id,
            name=unit.name,
            totals=rules.sheet_totals(unit.lines, settings.bonus_cap),
            women_share=unit.women_share,
        )
        for unit in units
    ]
    by_id = {unit.unit_id: unit for unit in units}
    for unit in ranked:
        unit.band = band_for(unit, by_id[unit.unit_id], settings)
    keys = _keys(settings)
    section = settings.sections[0][0] if settings.sections else ""
    chain = [name for name in settings.tie_breaks if name in keys]
    # A unit with missing lines has no total yet: it is listed last, without a rank.
    complete = [unit for unit in ranked if unit.complete]
    incomplete = sorted((unit for unit in ranked if not unit.complete), key=lambda unit: unit.name)
    for unit in incomplete:
        unit.rank = 0
        unit.explanations.append(
            _("chưa xếp hạng: còn %(count)s tiêu chí chưa có điểm") % {"count": unit.totals.missing}
        )
    ordered: list[list[Ranked]] = []  # groups of units that share a rank, in order
    for group in _groups(
        sorted(complete, key=lambda unit: (-unit.total, unit.name)), lambda u: u.total
    ):
        ordered.extend(_break(group, chain, keys, section))
    position = 1
    for group in ordered:
        for unit in group:
            unit.rank = position
            unit.shared = len(group) > 1
        if len(group) > 1:
            names = ", ".join(unit.name for unit in group)
            for unit in group:
                unit.explanations.append(
                    _(
                        "đồng hạng %(rank)s với %(others)s: "
                        "bằng điểm, các tiêu chí phụ không phân định"
                    )
                    % {
                        "rank": position,
                        "others": ", ".join(o.name for o in group if o is not unit) or names,
                    }
                )
        position += len(group)
    return [unit for group in ordered for unit in group] + incomplete


def _groups(units: list[Ranked], key: Callable[[Ranked], object]) -> list[list[Ranked]]:
    groups: list[list[Ranked]] = []
    for unit in units:
        if groups and key(groups[-1][0]) == key(unit):
            groups[-1].append(unit)
        else:
            groups.append([unit])
    return groups


def _break(
    group: list[Ranked], chain: list[str], keys: dict[str, Key], section: str
) -> list[list[Ranked]]:
    """Split a group of equal units with the first rule of the chain that separates them."""
    if len(group) == 1:
        return [group]
    for index, name in enumerate(chain):
        key = keys[name]
        values = [key.value(unit) for unit in group]
        if any(value is None for value in values) or len(set(values)) == 1:
            continue
        sign = -1 if key.better == "higher" else 1
        ordered = sorted(group, key=lambda unit: (sign * _known(key.value(unit)), unit.name))
        subgroups = _groups(ordered, key.value)
        for upper, lower in itertools.pairwise(subgroups):
            _explain(upper, lower, key, section)
        result: list[list[Ranked]] = []
        for subgroup in subgroups:
            result.extend(_break(subgroup, chain[index + 1 :], keys, section))
        return result
    return [group]


def _known(value: Decimal | None) -> Decimal:
    """A tie-break value the whole group was checked to have."""
    assert value is not None
    return value


def _score(value: Decimal | None) -> str:
    """``54,00``: a score in a tie-break sentence (kept in the snapshot as written)."""
    return format_vietnamese(value or ZERO, grouping=False)


def _explain(upper: list[Ranked], lower: list[Ranked], key: Key, section: str) -> None:
    for above in upper:
        for below in lower:
            mine, theirs = key.value(above), key.value(below)
            above.explanations.append(
                key.above
                % {
                    "other": below.name,
                    "section": section,
                    "mine": _score(mine),
                    "theirs": _score(theirs),
                }
            )
            below.explanations.append(
                key.below
                % {
                    "other": above.name,
                    "section": section,
                    "mine": _score(theirs),
                    "theirs": _score(mine),
                }
            )
