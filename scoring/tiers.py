"""Tier tables (*bảng mức*): ranges of a measured value mapped to points, as pure functions.

A leaf scored "Theo bảng mức" has an ordered table of rows, each a range of the measured value
(days late, a percentage…) and the points it earns: "0: 5; 1–3: 3; 4–7: 1; >7: 0". A range is
written one of these ways (bounds are numbers with at most two decimals, ``7,5`` or ``7.5``):

* ``A`` — exactly A;
* ``A–B`` — from A to B, both included (``-``, ``—`` or ``đến`` also separate the bounds);
* ``A–<B`` — from A included to B excluded, for a continuous value: ``80–<95``;
* ``>A`` (or ``trên A``), ``≥A`` (``>=A``, ``từ A``) — above A, at least A; no upper end;
* ``<B`` (``dưới B``), ``≤B`` (``<=B``) — below B, at most B; no lower end.

A table is valid when it has a row, each row's points are within 0 and the criterion's
maximum, its ranges do not overlap, and no whole number falls between two rows (``1–3`` and
``5–7`` leave 4 out: refused; ``0`` and ``1–3`` leave only 0,5 out, which is how a table of
whole days is written). A value that falls in no row (0,5 there, or below the first row) is
refused when it is typed, with the table's ranges in the message.

The table is kept on the criterion as JSON (``to_json`` / ``from_json``), and written for
people in one line (``table_text``, the workbook's ``Bảng mức`` cell) or one row per line (the
criteria page's text box). Nothing here touches the database.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from common.numbers import decimal_text, format_plain

_NUMBER = r"[+-]?\d+(?:[.,]\d+)?"
_EXACT = re.compile(rf"({_NUMBER})")
_BETWEEN = re.compile(rf"({_NUMBER})\s*(?:–|—|-|\.\.|đến)\s*(<)?\s*({_NUMBER})")
_ONE_SIDED = re.compile(rf"(>=|≥|>|<=|≤|<)\s*({_NUMBER})")
_WORDS = (("từ", "≥"), ("trên", ">"), ("dưới", "<"))  # "từ 95" = "≥95"
_ROW_SEPARATOR = re.compile(r"[;\n]")
_POINTS_SEPARATOR = re.compile(r"\s*(?::|→|(?<![<>])=)\s*")  # not the = of >= or <=


class TableError(ValueError):
    """A table's text that cannot be read; the message names the row."""


@dataclass(frozen=True)
class Tier:
    """One row: ``low``..``high`` (None: no end on that side) → ``points``. A bound is
    included unless its ``*_open`` flag says it is excluded."""

    low: Decimal | None
    high: Decimal | None
    points: Decimal
    low_open: bool = False
    high_open: bool = False

    def holds(self, value: Decimal) -> bool:
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            return False
        above = self.high is not None and (
            value > self.high or (self.high_open and value == self.high)
        )
        return not above

    def range_text(self) -> str:
        """The range as written in a table: ``0``, ``1–3``, ``80–<95``, ``>7``, ``≤3``."""
        low, high = self.low, self.high
        if low is not None and high is not None:
            if low == high:
                return format_plain(low)
            return f"{format_plain(low)}–{'<' if self.high_open else ''}{format_plain(high)}"
        if low is not None:
            return f"{'>' if self.low_open else '≥'}{format_plain(low)}"
        if high is not None:
            return f"{'<' if self.high_open else '≤'}{format_plain(high)}"
        return _("mọi giá trị")

    def words(self, unit: str = "") -> str:
        """The range in words, with the unit: "1–3 ngày", "từ 80% đến dưới 95%", "trên 7 ngày"."""
        low = None if self.low is None else with_unit(self.low, unit)
        high = None if self.high is None else with_unit(self.high, unit)
        if low is not None and high is not None:
            if self.low == self.high:
                return low
            if self.high_open:
                return _("từ %(low)s đến dưới %(high)s") % {"low": low, "high": high}
            return f"{format_plain(self.low or 0)}–{high}"
        if low is not None:
            if self.low_open:
                return _("trên %(low)s") % {"low": low}
            return _("từ %(low)s trở lên") % {"low": low}
        if high is not None:
            if self.high_open:
                return _("dưới %(high)s") % {"high": high}
            return _("đến %(high)s") % {"high": high}
        return _("mọi giá trị")

    def to_json(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "low": decimal_text(self.low),
            "high": decimal_text(self.high),
            "points": decimal_text(self.points),
        }
        if self.low_open:
            row["low_open"] = True
        if self.high_open:
            row["high_open"] = True
        return row


def with_unit(amount: Decimal, unit: str) -> str:
    """``3 ngày``, ``95%``: an amount and its unit (a percent sign sticks to the number)."""
    text = format_plain(amount)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def from_json(rows: Sequence[dict[str, Any]] | None) -> tuple[Tier, ...]:
    """The rows kept on a criterion (``to_json``'s dicts) as tiers."""

    def amount(text: Any) -> Decimal | None:
        return None if text is None else Decimal(str(text))

    return tuple(
        Tier(
            low=amount(row.get("low")),
            high=amount(row.get("high")),
            points=amount(row.get("points")) or Decimal(0),
            low_open=bool(row.get("low_open")),
            high_open=bool(row.get("high_open")),
        )
        for row in rows or ()
    )


def to_json(tiers: Sequence[Tier]) -> list[dict[str, Any]]:
    return [tier.to_json() for tier in tiers]


def table_text(tiers: Sequence[Tier], separator: str = "; ") -> str:
    """``0: 5; 1–3: 3; >7: 0``: the table as ``parse_table`` reads it back."""
    return separator.join(f"{tier.range_text()}: {format_plain(tier.points)}" for tier in tiers)


def _amount(text: str, number: int) -> Decimal:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the patterns only let numbers through
        raise TableError(
            _("Dòng %(row)s: “%(text)s” không phải là một số.") % {"row": number, "text": text}
        ) from None
    if value != value.quantize(Decimal("0.01")):
        raise TableError(
            _("Dòng %(row)s: “%(text)s” có hơn hai chữ số thập phân.")
            % {"row": number, "text": text}
        )
    return value


def parse_range(text: str, number: int) -> Tier:
    """A row's range (its points left at 0): see the module's docstring for the forms."""
    written = " ".join(text.split())
    for word, symbol in _WORDS:
        if written.lower().startswith(word + " "):
            written = symbol + written[len(word) :].strip()
    if match := _EXACT.fullmatch(written):
        value = _amount(match[1], number)
        return Tier(value, value, Decimal(0))
    if match := _BETWEEN.fullmatch(written):
        low, high = _amount(match[1], number), _amount(match[3], number)
        open_high = bool(match[2])
        if low > high or (open_high and low == high):
            raise TableError(
                _("Dòng %(row)s: khoảng “%(text)s” có đầu dưới lớn hơn đầu trên.")
                % {"row": number, "text": text.strip()}
            )
        return Tier(low, high, Decimal(0), high_open=open_high)
    if match := _ONE_SIDED.fullmatch(written):
        sign, value = match[1], _amount(match[2], number)
        if sign in (">", ">=", "≥"):
            return Tier(value, None, Decimal(0), low_open=sign == ">")
        return Tier(None, value, Decimal(0), high_open=sign == "<")
    raise TableError(
        _(
            "Dòng %(row)s: không đọc được khoảng “%(text)s”; viết như 0, 1–3, 80–<95, >7, ≥95 "
            "hoặc <50."
        )
        % {"row": number, "text": text.strip()}
    )


def parse_table(text: str) -> tuple[list[Tier], list[str]]:
    """Rows written one per line or separated by ``;``, each ``range: points``. Returns the
    rows read and the problems of the others, each naming its row ("Dòng 2: …")."""
    tiers: list[Tier] = []
    problems: list[str] = []
    parts = [part.strip() for part in _ROW_SEPARATOR.split(text or "")]
    for number, part in enumerate((part for part in parts if part), start=1):
        pieces = _POINTS_SEPARATOR.split(part)
        if len(pieces) != 2 or not pieces[0] or not pieces[1]:
            problems.append(
                _("Dòng %(row)s: “%(text)s” cần dạng “khoảng: điểm”, ví dụ “1–3: 3”.")
                % {"row": number, "text": part}
            )
            continue
        try:
            tier = parse_range(pieces[0], number)
            if not _EXACT.fullmatch(pieces[1].strip()):
                raise TableError(
                    _("Dòng %(row)s: điểm “%(text)s” không phải là một số.")
                    % {"row": number, "text": pieces[1]}
                )
            points = _amount(pieces[1].strip(), number)
        except TableError as error:
            problems.append(str(error))
            continue
        tiers.append(
            Tier(tier.low, tier.high, points, low_open=tier.low_open, high_open=tier.high_open)
        )
    return tiers, problems


def _starts_before(tier: Tier) -> tuple[int, Decimal, int]:
    """Sort key: rows by their lower end (none first; an excluded bound after an included)."""
    if tier.low is None:
        return (0, Decimal(0), 0)
    return (1, tier.low, 1 if tier.low_open else 0)


def _ends_before(first: Tier, second: Tier) -> bool:
    """Whether every value of ``first`` is below every value of ``second``."""
    if first.high is None or second.low is None:
        return False
    return first.high < second.low or (
        first.high == second.low and (first.high_open or second.low_open)
    )


def _end_key(tier: Tier) -> tuple[int, Decimal, int]:
    """Sort key of a row's upper end (none last; an included bound after an excluded)."""
    if tier.high is None:
        return (1, Decimal(0), 0)
    return (0, tier.high, 0 if tier.high_open else 1)


def _whole_number_between(first: Tier, second: Tier) -> int | None:
    """A whole number above ``first`` and below ``second`` (which do not overlap), if any."""
    assert first.high is not None and second.low is not None
    candidate = math.ceil(first.high) if first.high_open else math.floor(first.high) + 1
    if candidate < second.low or (candidate == second.low and second.low_open):
        return candidate
    return None


def check_table(tiers: Sequence[Tier], max_points: Decimal | None) -> list[str]:
    """Every problem of a table, naming the rows as written (1 for the first)."""
    if not tiers:
        return [_("Bảng mức cần ít nhất một dòng.")]
    problems: list[str] = []
    for number, tier in enumerate(tiers, start=1):
        if tier.points < 0 or (max_points is not None and tier.points > max_points):
            problems.append(
                _("Dòng %(row)s: điểm %(points)s phải từ 0 đến điểm tối đa %(max)s.")
                % {
                    "row": number,
                    "points": format_plain(tier.points),
                    "max": format_plain(max_points or 0),
                }
            )
    ordered = sorted(enumerate(tiers, start=1), key=lambda item: _starts_before(item[1]))
    reach_number, reach = ordered[0]  # the row reaching highest so far
    for number, tier in ordered[1:]:
        if not _ends_before(reach, tier):
            later, earlier = max(number, reach_number), min(number, reach_number)
            problems.append(
                _("Dòng %(row)s: khoảng “%(range)s” trùng với dòng %(other)s (“%(other_range)s”).")
                % {
                    "row": later,
                    "range": tiers[later - 1].range_text(),
                    "other": earlier,
                    "other_range": tiers[earlier - 1].range_text(),
                }
            )
            if _end_key(tier) > _end_key(reach):
                reach_number, reach = number, tier
            continue
        gap = _whole_number_between(reach, tier)
        if gap is not None:
            problems.append(
                _(
                    "Dòng %(row)s: giữa “%(before)s” và “%(range)s” còn giá trị không thuộc mức "
                    "nào (ví dụ %(gap)s); nối liền các mức."
                )
                % {
                    "row": number,
                    "before": reach.range_text(),
                    "range": tier.range_text(),
                    "gap": gap,
                }
            )
        reach_number, reach = number, tier
    return sorted(problems, key=_row_of)


def _row_of(problem: str) -> int:
    digits = re.search(r"\d+", problem)
    return int(digits[0]) if digits else 0


@dataclass(frozen=True)
class TierTable:
    """A criterion's table and the unit of its measured value ("ngày", "%")."""

    tiers: tuple[Tier, ...]
    unit: str = ""

    def find(self, value: Decimal) -> Tier | None:
        """The first row whose range holds ``value``; None when it falls in none."""
        return next((tier for tier in self.tiers if tier.holds(value)), None)

    def ranges(self) -> str:
        """``0 ngày; 1–3 ngày; trên 7 ngày``: every range, for a message."""
        return "; ".join(tier.words(self.unit) for tier in self.tiers)

    def outside(self, value: Decimal) -> str:
        """Why ``value`` has no points: it falls in no row. Names the table's ranges."""
        return _("%(value)s không thuộc mức nào của bảng (%(ranges)s).") % {
            "value": with_unit(value, self.unit),
            "ranges": self.ranges(),
        }

    def explain(self, value: Decimal) -> str:
        """``2 ngày → mức 1–3 ngày: 3 điểm``: the row that applied, in words."""
        tier = self.find(value)
        if tier is None:
            return self.outside(value)
        return _("%(value)s → mức %(range)s: %(points)s điểm") % {
            "value": with_unit(value, self.unit),
            "range": tier.words(self.unit),
            "points": format_plain(tier.points),
        }

    def label(self, value: Decimal) -> str:
        """``mức 1–3 ngày``: the row holding ``value``, as the grid shows it beside the points."""
        tier = self.find(value)
        return "" if tier is None else _("mức %(range)s") % {"range": tier.words(self.unit)}

    def for_script(self) -> list[dict[str, Any]]:
        """The rows as the score grid's script reads them (``data-tiers``)."""
        return [
            {
                **tier.to_json(),
                "words": _("mức %(range)s") % {"range": tier.words(self.unit)},  # as ``label``
            }
            for tier in self.tiers
        ]
