"""A sheet's lines reduced to what the ranking's totals need: its *parts*, kept on the sheet.

The ranking's totals (``rules.sheet_totals``) add the lines' maxima and points by kind and
section, and look at each line only to know whether it applies, whether it may stay empty in
the layer (``optional``) and whether it has points. So lines that agree on those four things
can be summed beforehand: one *part* per (kind, section, not applicable, optional) carries the
sum of their maxima, the sum of their points (None when none has points) and how many have no
points. ``scores`` gives the parts back as ``LineScore``s that ``sheet_totals`` totals exactly
as it totals the lines themselves (amounts are exact decimals, so the order of the sums does
not matter), a dozen instead of 80 per sheet and layer.

Kept on the sheet (``ScoreSheet.ranking_parts``, one list per layer) by ``scoring.totals.refresh``,
the one call every writer of lines makes; the live ranking page reads them instead of every
line of the bloc-year (scoring/selectors/ranking_kept.py). What parts cannot say is a single
line's points: a band's floor on every criterion, and a criterion's own floor, still read
lines (docs/ranking.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from scoring.rules import ZERO, LineScore

# The layers kept: the verified points (verified + council adjustment) and the self column as
# the ranking's "Tự chấm" column counts it (the unit's own points, the final points of lines it
# does not score).
VERIFIED = "verified"
SELF = "self"

Part = list[Any]  # [kind, section, not applicable, optional, max, points or None, missing]


def line_parts(lines: Iterable[LineScore]) -> list[Part]:
    """The parts of one layer's lines, in the order the lines first give them."""
    sums: dict[tuple[str, str, bool, bool], list[Any]] = {}
    for line in lines:
        key = (line.kind, line.section, line.not_applicable, line.optional)
        found = sums.get(key)
        if found is None:
            found = sums[key] = [ZERO, None, 0]
        found[0] += line.max_points
        if line.points is None:
            found[2] += 1
        else:
            found[1] = line.points if found[1] is None else found[1] + line.points
    return [
        [kind, section, na, optional, str(maximum), None if points is None else str(points), empty]
        for (kind, section, na, optional), (maximum, points, empty) in sums.items()
    ]


def scores(parts: Sequence[Part]) -> list[LineScore]:
    """The parts as lines ``rules.sheet_totals`` totals as it totals the original ones: each
    part's sums on one line, and one line of no maximum and no points for each further line
    without points (so that missing lines are counted one by one)."""
    lines: list[LineScore] = []
    for kind, section, na, optional, maximum, points, empty in parts:
        value = None if points is None else Decimal(points)
        lines.append(LineScore(0, kind, Decimal(maximum), value, na, section, optional))
        extra = empty - (1 if value is None else 0)
        if extra > 0:
            lines.extend([LineScore(0, kind, ZERO, None, na, section, optional)] * extra)
    return lines


def line_count(kept: dict[str, Any]) -> int:
    """How many lines the kept parts were summed from."""
    return int(kept.get("lines", 0))
