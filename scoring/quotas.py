"""Quotas counted across blocs: "at most 20 % of the units of blocs A, B and C together may be
rated xuất sắc" (issue 18, item 2). docs/ranking.md, "Quotas counted across blocs".

Pure: the rows of each bloc-year of the quota come in already ranked and capped alone
(``scoring.ranking.rank_units``); ``apply_quota`` merges them and says which units move down.

* The limit is the share of every unit of those bloc-years together, rounded down (as a
  bloc's own cap, ``scoring.caps.cap_limit``: "không vượt quá").
* The units holding the band are merged by a stated order: the share of the full maximum of
  their own criteria set they reached (higher first), then their rank in their own bloc (lower
  first). Units equal on both are one group: kept or moved down together, and once a group is
  refused no unit further down takes the place (as the per-bloc caps do).
* A bloc-year whose results are frozen is ``fixed``: its units holding the band count against
  the limit first and never move (a snapshot never changes); the others fill what is left.
* A unit moved down gets the next band of its own bloc's table, with a sentence naming the
  quota and the blocs. A unit whose bloc's table has no band below cannot move; it only counts.
* A unit moved into a band with its bloc's own cap counts against that cap: the bloc's caps are
  applied again in rank order, as the ranking applies them (``scoring.caps.apply_caps``), so
  the unit, or a unit ranked below it, may go one band further down with the cap's sentence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from itertools import groupby

from django.utils.translation import gettext as _

from common.numbers import format_plain
from scoring.caps import CappedBand, apply_caps, cap_limit
from scoring.rows import RankingRow
from scoring.rules import HUNDRED, quantize


@dataclass(frozen=True)
class Quota:
    """A band (by name), the share of the units it may hold, and the quota's name."""

    band: str
    percent: Decimal
    label: str


@dataclass(frozen=True)
class QuotaBloc:
    """One bloc-year of a quota: its rows (ranked and capped alone), what its totals are a
    share of, its band names from the highest, how many units it has, whether it is frozen."""

    key: int  # the bloc-year's id
    name: str  # the bloc's name, for the sentences
    rows: Sequence[RankingRow]
    full_max: Decimal
    bands: Sequence[str]
    units: int
    fixed: bool = False
    table: Sequence[CappedBand] = ()  # its bands with their own caps (a live bloc-year's)


@dataclass(frozen=True)
class Move:
    band: str  # the band the unit gets instead
    note: str  # why, in words


@dataclass(frozen=True)
class QuotaResult:
    limit: int  # how many units of all the blocs may hold the band
    counted: int  # how many units the limit is a share of
    held: int  # how many hold it after the quota
    moves: Mapping[tuple[int, int], Move]  # (bloc-year id, unit id) → the move


def share_reached(row: RankingRow, full_max: Decimal) -> Fraction:
    """The unit's total as an exact share of the full maximum (0 when there is no maximum)."""
    if row.total is None or full_max <= 0:
        return Fraction(0)
    return Fraction(row.total) / Fraction(full_max)


def bloc_names(blocs: Sequence[QuotaBloc]) -> str:
    return ", ".join(bloc.name for bloc in blocs)


def quota_note(
    quota: Quota, blocs: Sequence[QuotaBloc], limit: int, row: RankingRow, share: Fraction
) -> str:
    """Why the unit did not get the band, in words."""
    reached = quantize(Decimal(share.numerator) * HUNDRED / Decimal(share.denominator))
    return _(
        "không xếp “%(level)s” vì hạn mức chung “%(name)s” tính chung %(blocs)s chỉ cho tối "
        "đa %(percent)s%% (%(limit)s đơn vị) ở mức này; đơn vị đạt %(reached)s%% điểm tối đa, "
        "xếp thứ %(place)s trong khối"
    ) % {
        "level": quota.band,
        "name": quota.label,
        "blocs": bloc_names(blocs),
        "percent": format_plain(quota.percent),
        "limit": limit,
        "reached": format_plain(reached),
        "place": row.rank,
    }


def _lower_band(bloc: QuotaBloc, band: str) -> str | None:
    names = list(bloc.bands)
    if band not in names or names.index(band) == len(names) - 1:
        return None
    return names[names.index(band) + 1]


def apply_quota(quota: Quota, blocs: Sequence[QuotaBloc]) -> QuotaResult:
    """Which units move down so that the blocs together hold at most the quota's share."""
    counted = sum(bloc.units for bloc in blocs)
    limit = cap_limit(quota.percent, counted)
    held = sum(1 for bloc in blocs if bloc.fixed for row in bloc.rows if row.band == quota.band)
    candidates = [
        (share_reached(row, bloc.full_max), row.rank, bloc, row)
        for bloc in blocs
        if not bloc.fixed
        for row in bloc.rows
        if row.band == quota.band and row.rank
    ]
    candidates.sort(key=lambda item: (-item[0], item[1], item[2].key, item[3].unit_id))
    moves: dict[tuple[int, int], Move] = {}
    full = held > limit
    for _key, grouped in groupby(candidates, key=lambda item: (item[0], item[1])):
        group = list(grouped)
        movable = [item for item in group if _lower_band(item[2], quota.band) is not None]
        if not full and held + len(group) <= limit:
            held += len(group)
            continue
        full = True
        held += len(group) - len(movable)  # a unit with no band below stays, and counts
        for share, _rank, bloc, row in movable:
            lower = _lower_band(bloc, quota.band)
            assert lower is not None
            moves[(bloc.key, row.unit_id)] = Move(
                lower, quota_note(quota, blocs, limit, row, share)
            )
    return QuotaResult(limit=limit, counted=counted, held=held, moves=moves)


def moved_rows(
    rows: Sequence[RankingRow],
    key: int,
    result: QuotaResult,
    *,
    table: Sequence[CappedBand] = (),
    counted: int = 0,
) -> list[RankingRow]:
    """The bloc-year's rows with the quota's moves: the lower band, the sentence after any
    earlier note (a floor's or the bloc's own cap's); then the bloc's own caps (``table``, a
    share of ``counted`` units) applied again when a unit moved into a capped band."""
    shown = []
    landed = False
    for row in rows:
        move = result.moves.get((key, row.unit_id))
        if move is None:
            shown.append(row)
            continue
        note = f"{row.band_note}; {move.note}" if row.band_note else move.note
        shown.append(replace(row, band=move.band, band_note=note))
        landed = landed or any(
            band.name == move.band and band.cap_percent is not None for band in table[:-1]
        )
    return _capped_again(shown, table, counted) if landed else shown


@dataclass
class _Placed:
    """A ranked unit as ``apply_caps`` moves it."""

    rank: int
    band: str
    band_notes: list[str]


def _capped_again(
    rows: Sequence[RankingRow], table: Sequence[CappedBand], counted: int
) -> list[RankingRow]:
    """The rows with the bloc's own caps applied again. A unit over a cap takes the next band
    (the floors step down, so a unit that reached a band reaches the ones below it)."""
    names = [band.name for band in table]
    ranked = sorted((row for row in rows if row.rank and row.total is not None), key=_rank)
    placed = {row.unit_id: _Placed(row.rank, row.band, []) for row in ranked}
    ordered = [[placed[row.unit_id] for row in group] for _, group in groupby(ranked, key=_rank)]
    apply_caps(ordered, counted, table, lambda unit, start: (names[start], []))
    capped = []
    for row in rows:
        unit = placed.get(row.unit_id)
        if unit is None or not unit.band_notes:
            capped.append(row)
            continue
        note = "; ".join([row.band_note, *unit.band_notes] if row.band_note else unit.band_notes)
        capped.append(replace(row, band=unit.band, band_note=note))
    return capped


def _rank(row: RankingRow) -> int:
    return row.rank
