"""Ranking as one pure function: totals, classification band, rank and the explained tie-breaks.

Plain data in, plain data out: the same function ranks a live bloc-year, a what-if preview,
an imported past year and a finalization snapshot, and is tested without the database.

* Total = standard points (scaled when lines are not applicable) + min(bonus, cap) − penalty.
* Band: the first band of the table whose minimum share of the full maximum the total reaches,
  with every top-level standard section at or above the band's floor (% of the section's
  maximum; a section that does not apply to the unit at all is skipped), every criterion
  that carries its own floor at or above it (that floor only matters for the bands above the
  last one), and, when the band sets a floor on every criterion, every applicable standard
  criterion (leaf) at or above that share of its own maximum. A unit that reaches a band's
  total but misses a floor gets the next lower band whose floors it meets, and the reason is
  said in words (``Ranked.band_notes``).
* Caps: a band may hold at most a share of the bloc-year's units; once ranks are known, the units
  over it get the next lower band, in rank order, said in words (``scoring.caps``).
* Sections with no task (every line not applicable): scaled pro rata, or counted at their
  maximum, as the rules say (``Settings.empty_sections``, ``rules.sheet_totals``).
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

from common.collation import vietnamese_sort_key
from common.numbers import format_plain, format_vietnamese
from scoring import caps, rules
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
    floor_percent: Decimal  # on every top-level standard section
    # On every applicable standard criterion (leaf), % of its own maximum; None: no such floor.
    criterion_floor_percent: Decimal | None = None
    # At most this share of the bloc-year's units (rounded down); None: no cap (scoring.caps).
    cap_percent: Decimal | None = None


def band_from_json(data: dict[str, str]) -> Band:
    """A band as the rules keep it (``RankingRules.bands``); older rows have no criterion
    floor."""
    criterion_floor = str(data.get("criterion_floor_percent") or "").strip()
    cap = str(data.get("cap_percent") or "").strip()
    return Band(
        str(data["name"]),
        Decimal(str(data["min_total_percent"])),
        Decimal(str(data["floor_percent"])),
        Decimal(criterion_floor) if criterion_floor else None,
        Decimal(cap) if cap else None,
    )


def band_to_json(band: Band) -> dict[str, str]:
    """The inverse of ``band_from_json``; the criterion floor only when set, so that rules and
    snapshots written before it keep their exact form (and their inputs' hash)."""
    data = {
        "name": band.name,
        "min_total_percent": str(band.min_total_percent),
        "floor_percent": str(band.floor_percent),
    }
    if band.criterion_floor_percent is not None:
        data["criterion_floor_percent"] = str(band.criterion_floor_percent)
    if band.cap_percent is not None:
        data["cap_percent"] = str(band.cap_percent)
    return data


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
    empty_sections: str = rules.PRO_RATA  # rules.PRO_RATA or rules.FULL_POINTS
    leaf_codes: dict[int, str] = field(default_factory=dict)  # criterion id → code, for words


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
    band_notes: list[str] = field(default_factory=list)  # why a higher band was not given

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
            band_note="; ".join(self.band_notes) or None,
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
    return classify(unit, unit_scores, settings)[0]


def classify(
    unit: Ranked, unit_scores: UnitScores, settings: Settings, start: int = 0
) -> tuple[str, list[str]]:
    """The unit's band, and a sentence for each higher band whose total it reached but whose
    floors it missed (which section or criterion, its points against the floor). ``start``:
    the first band considered (a cap moved the unit below the ones before)."""
    totals = unit.totals
    if not totals.complete or totals.full_max <= ZERO:
        return "", []
    share = totals.total * HUNDRED / totals.full_max
    bands = list(settings.bands)
    notes: list[str] = []
    for index, band in enumerate(bands):
        if index < start:
            continue
        if index == len(bands) - 1:
            return band.name, notes
        if share < band.min_total_percent:
            continue
        misses = floor_misses(band, unit, unit_scores, settings)
        if not misses:
            return band.name, notes
        notes.append(
            _("không xếp “%(band)s” dù đủ tổng điểm, vì %(reasons)s")
            % {"band": band.name, "reasons": "; ".join(misses)}
        )
    return "", notes


def _miss(template: str, code: str, points: Decimal, maximum: Decimal, floor: Decimal) -> str:
    return template % {
        "code": code,
        "points": _score(points),
        "max": _score(maximum),
        "share": format_plain(quantize(points * HUNDRED / maximum)),
        "floor": format_plain(floor),
    }


def _below_criterion_floor(
    floor: Decimal, unit: Ranked, unit_scores: UnitScores, settings: Settings
) -> list[str]:
    """Each applicable standard leaf below ``floor`` % of its maximum: "I.2 đạt 24,00/30,00
    điểm (80%)". Lines not applicable, and lines counted at full points, are not held."""
    full = set(unit.totals.full_sections)
    return [
        _miss(
            _("%(code)s đạt %(points)s/%(max)s điểm (%(share)s%%)"),
            settings.leaf_codes.get(line.criterion_id, str(line.criterion_id)),
            line.points,
            line.max_points,
            floor,
        )
        for line in unit_scores.lines
        if line.kind == rules.STANDARD
        and not line.not_applicable
        and line.section not in full
        and line.points is not None
        and line.max_points > ZERO
        and line.points * HUNDRED / line.max_points < floor
    ]


def floor_misses(
    band: Band, unit: Ranked, unit_scores: UnitScores, settings: Settings
) -> list[str]:
    """Each floor of the band the unit misses, in words; empty when it meets them all.

    * every top-level standard section at or above ``band.floor_percent`` of its maximum (a
      section that does not apply to the unit at all has no subtotal: skipped, not failed);
    * every criterion that carries its own floor (``Settings.floors``) at or above it;
    * when the band sets ``criterion_floor_percent``: every standard leaf that applies to the
      unit at or above that share of its own maximum (a line counted at its maximum under the
      full-points rule for sections with no task meets it)."""
    totals = unit.totals
    misses = [
        _miss(
            _("Mục %(code)s đạt %(points)s/%(max)s điểm (%(share)s%%), dưới mức sàn %(floor)s%%"),
            code,
            totals.sections[code],
            maximum,
            band.floor_percent,
        )
        for code, _title, maximum in settings.sections
        if maximum > ZERO
        and code in totals.sections
        and totals.sections[code] * HUNDRED / maximum < band.floor_percent
    ]
    for floor in settings.floors:
        points = unit_scores.floor_points.get(floor.code, ZERO)
        if floor.max_points > ZERO and points * HUNDRED / floor.max_points < floor.percent:
            misses.append(
                _miss(
                    _(
                        "tiêu chí %(code)s đạt %(points)s/%(max)s điểm (%(share)s%%), "
                        "dưới mức sàn riêng %(floor)s%%"
                    ),
                    floor.code,
                    points,
                    floor.max_points,
                    floor.percent,
                )
            )
    if band.criterion_floor_percent is not None:
        below = _below_criterion_floor(band.criterion_floor_percent, unit, unit_scores, settings)
        if below:
            misses.append(
                _("có tiêu chí dưới mức sàn mỗi tiêu chí %(floor)s%%: %(criteria)s")
                % {
                    "floor": format_plain(band.criterion_floor_percent),
                    "criteria": ", ".join(below),
                }
            )
    return misses


def rank_units(units: Sequence[UnitScores], settings: Settings) -> list[Ranked]:
    """The ranking of a bloc-year, best first."""
    ranked = [
        Ranked(
            unit_id=unit.unit_id,
            name=unit.name,
            totals=rules.sheet_totals(unit.lines, settings.bonus_cap, settings.empty_sections),
            women_share=unit.women_share,
        )
        for unit in units
    ]
    by_id = {unit.unit_id: unit for unit in units}
    for unit in ranked:
        unit.band, unit.band_notes = classify(unit, by_id[unit.unit_id], settings)
    keys = _keys(settings)
    section = settings.sections[0][0] if settings.sections else ""
    chain = [name for name in settings.tie_breaks if name in keys]
    # A unit with missing lines has no total yet: it is listed last, without a rank.
    complete = [unit for unit in ranked if unit.complete]
    incomplete = sorted((unit for unit in ranked if not unit.complete), key=_by_name)
    for unit in incomplete:
        unit.rank = 0
        unit.explanations.append(
            _("chưa xếp hạng: còn %(count)s tiêu chí chưa có điểm") % {"count": unit.totals.missing}
        )
    ordered: list[list[Ranked]] = []  # groups of units that share a rank, in order
    for group in _groups(
        sorted(complete, key=lambda unit: (-unit.total, _by_name(unit))), lambda u: u.total
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
    caps.apply_caps(
        ordered,
        len(ranked),
        settings.bands,
        lambda unit, start: classify(unit, by_id[unit.unit_id], settings, start),
    )
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
        ordered = sorted(group, key=lambda unit: (sign * _known(key.value(unit)), _by_name(unit)))
        subgroups = _groups(ordered, key.value)
        for upper, lower in itertools.pairwise(subgroups):
            _explain(upper, lower, key, section)
        result: list[list[Ranked]] = []
        for subgroup in subgroups:
            result.extend(_break(subgroup, chain[index + 1 :], keys, section))
        return result
    return [group]


def _by_name(unit: Ranked) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """Equals are listed in the alphabet's order (Đ after D), as every page lists names."""
    return vietnamese_sort_key(unit.name)


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
