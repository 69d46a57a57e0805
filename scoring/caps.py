"""Caps on a band: "at most 20 % of the bloc's units may be rated xuất sắc" (issue 18).

Pure and generic: the ranking (``scoring.ranking.rank_units``) calls ``apply_caps`` once the
totals, floors and ranks are known, with a way to classify a unit again from a lower band.

* The cap of a band is a share of the bloc-year's units, rounded down: a cap says "không vượt
  quá", so 20 % of 12 units is 2 units, never 3 (``cap_limit``). Every unit given to the
  ranking counts, with a total or not: at finalization every unit has one, and before that the
  provisional ranking already uses the limit it will have at the end (a unit is not moved down
  only because the others are not scored yet).
* Caps are applied band by band from the top. Units are taken in rank order; once the band
  holds its cap, every further unit that would get it is classified again from the next lower
  band (its floors still apply there), so a unit moved down may then meet the next band's cap.
* Units that share a rank are taken together: when the whole group does not fit under the cap,
  the whole group is moved down (no band ever exceeds its cap, and nothing arbitrary, such as
  the name, decides between equals).
* The last band takes everyone else: it has no cap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_FLOOR, Decimal
from typing import Protocol, TypeVar

from django.utils.translation import gettext as _

from common.numbers import format_plain

HUNDRED = Decimal(100)


class CappedBand(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def cap_percent(self) -> Decimal | None: ...


class CappedUnit(Protocol):
    rank: int
    band: str
    band_notes: list[str]


U = TypeVar("U", bound=CappedUnit)


def cap_limit(percent: Decimal, ranked: int) -> int:
    """How many units the band may hold: ``percent`` of ``ranked`` units, rounded down."""
    return int((percent * ranked / HUNDRED).to_integral_value(rounding=ROUND_FLOOR))


def cap_note(band: CappedBand, limit: int, unit: CappedUnit, shared: bool) -> str:
    """Why the unit did not get the band, in words."""
    percent = band.cap_percent if band.cap_percent is not None else Decimal(0)
    values = {
        "band": band.name,
        "percent": format_plain(percent),
        "limit": limit,
        "rank": unit.rank,
    }
    if shared:
        return (
            _(
                "không xếp “%(band)s” vì khối chỉ được tối đa %(percent)s%% (%(limit)s đơn vị) "
                "ở mức này; đơn vị đồng hạng %(rank)s với đơn vị khác và cả nhóm đồng hạng "
                "vượt quá số này"
            )
            % values
        )
    return (
        _(
            "không xếp “%(band)s” vì khối chỉ được tối đa %(percent)s%% (%(limit)s đơn vị) "
            "ở mức này; đơn vị xếp thứ %(rank)s"
        )
        % values
    )


def apply_caps(
    ordered: Sequence[Sequence[U]],
    counted: int,
    bands: Sequence[CappedBand],
    reclassify: Callable[[U, int], tuple[str, list[str]]],
) -> None:
    """Move down the units over each band's cap, in place.

    ``ordered``: the ranked units (with a total) in groups sharing a rank, best first;
    ``counted``: how many units the caps are a share of (the bloc-year's units).
    ``reclassify(unit, start)``: the unit's band and floor notes, taking bands from index
    ``start`` on. A unit moved down keeps its earlier notes and gains the cap's sentence."""
    for index, band in enumerate(bands[:-1]):
        if band.cap_percent is None:
            continue
        limit = cap_limit(band.cap_percent, counted)
        held, full = 0, False
        for group in ordered:
            members = [unit for unit in group if unit.band == band.name]
            if not members:
                continue
            if not full and held + len(members) <= limit:
                held += len(members)
                continue
            full = True  # no unit ranked lower may take a place a better unit was refused
            for unit in members:
                note = cap_note(band, limit, unit, len(group) > 1)
                unit.band, notes = reclassify(unit, index + 1)
                unit.band_notes = [*unit.band_notes, note, *notes]
