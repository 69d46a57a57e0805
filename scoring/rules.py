"""Scoring rules as pure functions: plain data in, plain data out, no database.

Services and views call these; nothing reimplements them. Amounts are ``Decimal`` with two
places, rounded half up as Vietnamese score tables do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

from django.utils.translation import gettext as _

from common.numbers import format_plain
from scoring.tiers import TierTable

ZERO = Decimal("0")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# Scoring methods of a leaf criterion (values of Criterion.Method).
DIRECT = "direct"
TARGET = "target"
RELATIVE_BEST = "relative_best"
PASS_FAIL = "pass_fail"
PER_OCCURRENCE = "per_occurrence"
TIER = "tier"  # a measured value looked up in the criterion's tier table (scoring/tiers.py)

STANDARD = "standard"
BONUS = "bonus"
PENALTY = "penalty"

# What a top-level section counts when none of its lines applies to the unit (no task there):
# its share of the maximum is spread over the rest pro rata, or the section counts its maximum.
PRO_RATA = "pro_rata"
FULL_POINTS = "full_points"
EMPTY_SECTION_RULES = (PRO_RATA, FULL_POINTS)


class InputError(ValueError):
    """A typed value that cannot be a score; the message is for the person who typed it."""


def parse_amount(text: str | None) -> Decimal | None:
    """Read a number typed by a person: ``95,5``, ``95.5``, ``1.234,5``; blank is None.

    A dot followed by exactly three digits (``1.000``) could be a thousands separator or a
    decimal point, so it is refused with a message asking for a comma.
    """
    if text is None:
        return None
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if cleaned == "":
        return None
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif "," in cleaned:
        if cleaned.count(",") > 1:
            raise InputError(_("“%(value)s” không phải là một số.") % {"value": text})
        cleaned = cleaned.replace(",", ".")
    elif cleaned.count(".") == 1 and len(cleaned.split(".")[1]) == 3:
        raise InputError(
            _("“%(value)s” không rõ là số thập phân hay hàng nghìn; dùng dấu phẩy, ví dụ 95,5.")
            % {"value": text}
        )
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InputError(_("“%(value)s” không phải là một số.") % {"value": text}) from None
    if not value.is_finite():
        raise InputError(_("“%(value)s” không phải là một số.") % {"value": text})
    if abs(value) >= Decimal("1e9"):
        raise InputError(_("Số quá lớn."))
    if value != value.quantize(CENT, rounding=ROUND_DOWN):
        # Stored to the hundredth: a third decimal would be dropped after the points were
        # computed from it.
        raise InputError(
            _("“%(value)s” có hơn hai chữ số thập phân; ghi tối đa hai, ví dụ 95,55.")
            % {"value": text}
        )
    return value


def check_points(value: Decimal, max_points: Decimal, step: Decimal) -> None:
    """Points typed directly: between 0 and the maximum, in steps of ``step``."""
    if value < ZERO:
        raise InputError(_("Điểm không được âm."))
    if value > max_points:
        raise InputError(
            _("Điểm không được vượt điểm tối đa %(max)s.") % {"max": format_plain(max_points)}
        )
    if step > ZERO and (value / step) != (value / step).to_integral_value():
        raise InputError(
            _("Điểm phải là bội số của %(step)s (ví dụ 7,25 hoặc 7,5).")
            % {"step": format_plain(step)}
        )
    if value != value.quantize(CENT):
        raise InputError(_("Điểm chỉ có tối đa hai chữ số thập phân."))


@dataclass(frozen=True)
class MethodInput:
    """What a person entered on one line, before it becomes points."""

    value: Decimal | None  # points, result, count, or 1/0 for pass/fail
    target: Decimal | None = None  # for the target method


def check_input(
    *,
    method: str,
    max_points: Decimal,
    step: Decimal,
    entry: MethodInput,
    tiers: TierTable | None = None,
) -> None:
    """Refuse an input that no method could turn into points. Blank is allowed here.
    A tier line's value must fall in a row of its table (``tiers``)."""
    if entry.value is None:
        if method == TARGET and entry.target is not None:
            raise InputError(_("Nhập kết quả đạt được."))
        return
    if method == DIRECT:
        check_points(entry.value, max_points, step)
    elif method == PASS_FAIL:
        if entry.value not in (ZERO, Decimal(1)):
            raise InputError(_("Chọn Đạt hoặc Không đạt."))
    elif method == PER_OCCURRENCE:
        if entry.value < ZERO or entry.value != entry.value.to_integral_value():
            raise InputError(_("Số lần phải là số nguyên không âm."))
    elif method == TIER:
        if tiers is None or tiers.find(entry.value) is None:
            raise InputError((tiers or TierTable(())).outside(entry.value))
    elif method in (TARGET, RELATIVE_BEST):
        if entry.value < ZERO:
            raise InputError(_("Kết quả không được âm."))
        if method == TARGET:
            if entry.target is None:
                raise InputError(_("Nhập chỉ tiêu được giao."))
            if entry.target <= ZERO:
                raise InputError(_("Chỉ tiêu phải lớn hơn 0."))


def line_points(
    *,
    method: str,
    max_points: Decimal,
    entry: MethodInput,
    per_occurrence: Decimal | None = None,
    best: Decimal | None = None,
    tiers: TierTable | None = None,
) -> Decimal | None:
    """The points a line earns from its input; None while the input is missing.

    * direct: the points typed;
    * target: max × result / target, never above max;
    * relative to the bloc's best: max × result / best result (the best gets max);
    * pass/fail: max or 0;
    * per occurrence: count × points per occurrence, never above max (bonus and penalty lines);
    * tier table: the points of the first row of ``tiers`` whose range holds the value (None
      when it falls in none: refused by ``check_input``).
    """
    value = entry.value
    if value is None:
        return None
    if method == DIRECT:
        return quantize(value)
    if method == PASS_FAIL:
        return quantize(max_points) if value == Decimal(1) else ZERO
    if method == PER_OCCURRENCE:
        return quantize(min(max_points, value * (per_occurrence or ZERO)))
    if method == TIER:
        tier = tiers.find(value) if tiers is not None else None
        return None if tier is None else quantize(min(max_points, tier.points))
    if method == TARGET:
        if entry.target is None or entry.target <= ZERO:
            return None
        return quantize(min(max_points, max_points * value / entry.target))
    if method == RELATIVE_BEST:
        if best is None:
            return None
        if best <= ZERO:
            return ZERO
        return quantize(min(max_points, max_points * value / best))
    raise ValueError(f"unknown scoring method {method!r}")


def best_result(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [value for value in values if value is not None]
    return max(present) if present else None


class LineScore(NamedTuple):
    """One leaf of a sheet, reduced to what totals need.

    A named tuple rather than a frozen dataclass: the ranking page builds one per unit, leaf and
    layer (2 × 15 × 80 for a bloc-year), and a tuple is built several times faster."""

    criterion_id: int
    kind: str
    max_points: Decimal
    points: Decimal | None
    not_applicable: bool = False
    section: str = ""  # code of the top-level section, for subtotals
    optional: bool = False  # a missing value here is not "missing" (a line the layer cannot fill)


@dataclass
class Totals:
    standard: Decimal = ZERO  # after scaling for lines not applicable
    standard_raw: Decimal = ZERO
    bonus: Decimal = ZERO  # after the cap
    bonus_raw: Decimal = ZERO
    penalty: Decimal = ZERO
    total: Decimal = ZERO
    full_max: Decimal = ZERO  # sum of the maxima of standard lines
    applicable_max: Decimal = ZERO
    missing: int = 0  # lines without points (not counted as zero)
    scaled: bool = False
    # Standard subtotal by top-level section, each scaled by its own factor (never above the
    # section's maximum); no entry for a section whose lines are all not applicable.
    sections: dict[str, Decimal] = field(default_factory=dict)
    # Sections without any task for the unit that counted their maximum (rule FULL_POINTS).
    full_sections: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.missing == 0


def scale(points: Decimal, full_max: Decimal, applicable_max: Decimal) -> Decimal:
    """Points earned on the applicable part, scaled to the full maximum (72 of 80 → 90 of
    100), rounded half up to two places; never above ``full_max`` when the points are within
    ``applicable_max``. Unscaled when every line applies (or none does)."""
    if applicable_max <= ZERO or applicable_max == full_max:
        return quantize(points)
    return quantize(points * full_max / applicable_max)


def empty_sections(lines: Sequence[LineScore]) -> list[str]:
    """The top-level sections none of whose standard lines applies to the unit, in order."""
    applicable: dict[str, bool] = {}
    for line in lines:
        if line.kind == STANDARD:
            applicable[line.section] = applicable.get(line.section, False) or not (
                line.not_applicable
            )
    return [code for code, applies in applicable.items() if not applies]


def sheet_totals(
    lines: Sequence[LineScore], bonus_cap: Decimal | None, empty_rule: str = PRO_RATA
) -> Totals:
    """Total = standard (scaled to the full max when lines are not applicable)
    + min(bonus, cap) − penalty. Missing lines are counted, never taken as zero.

    ``empty_rule`` says what a section with no task for the unit (every standard line of it
    not applicable) counts: ``PRO_RATA`` (nothing; the rest is scaled to the full maximum) or
    ``FULL_POINTS`` (each of its lines counts its maximum, as if it applied and was met).

    Each section's subtotal is scaled by its own factor (the section's full maximum over its
    applicable maximum), so it never exceeds the section's maximum; a section whose lines are
    all not applicable has no subtotal. The standard total keeps the sheet-wide factor. Each
    amount is rounded on its own: the subtotals need not add up to the scaled total."""
    totals = Totals()
    if empty_rule == FULL_POINTS:
        totals.full_sections = empty_sections(lines)
        full = set(totals.full_sections)
        lines = [
            line._replace(points=line.max_points, not_applicable=False, optional=False)
            if line.kind == STANDARD and line.section in full
            else line
            for line in lines
        ]
    section_full: dict[str, Decimal] = {}
    section_applicable: dict[str, Decimal] = {}
    section_points: dict[str, Decimal] = {}
    for line in lines:
        if line.kind == STANDARD:
            totals.full_max += line.max_points
            section_full[line.section] = section_full.get(line.section, ZERO) + line.max_points
            if line.not_applicable:
                continue
            totals.applicable_max += line.max_points
            section_applicable[line.section] = (
                section_applicable.get(line.section, ZERO) + line.max_points
            )
        if line.points is None:
            if not line.optional:
                totals.missing += 1
            continue
        if line.kind == STANDARD:
            totals.standard_raw += line.points
            section_points[line.section] = section_points.get(line.section, ZERO) + line.points
        elif line.kind == BONUS:
            totals.bonus_raw += line.points
        elif line.kind == PENALTY:
            totals.penalty += line.points
    totals.scaled = totals.applicable_max != totals.full_max
    totals.standard = scale(totals.standard_raw, totals.full_max, totals.applicable_max)
    totals.sections = {
        code: scale(points, section_full[code], section_applicable[code])
        for code, points in section_points.items()
    }
    totals.bonus = min(totals.bonus_raw, bonus_cap) if bonus_cap is not None else totals.bonus_raw
    totals.total = quantize(totals.standard + totals.bonus - totals.penalty)
    return totals


def own_lines(lines: Sequence[LineScore]) -> list[LineScore]:
    """The lines as the layer's own people scored them: a line the layer cannot fill
    (``optional``: in the self column, a line the bloc, the council or a department scores)
    counts no points, and is not missing either."""
    return [line._replace(points=None) if line.optional else line for line in lines]


@dataclass(frozen=True)
class SelfTotals:
    """The self column's totals, kept apart (docs/scoring.md, "The sheet's totals").

    ``own`` is the unit's self-assessment, *Tổng tự chấm*: only the lines the unit scores,
    as it scored them (the bloc's points never change it). ``combined`` adds the points of the
    lines the bloc, the council or a department scores (*Tổng tự chấm và điểm do khối chấm*),
    what the ranking's "Tự chấm" column shows beside the verified total. ``others`` is what
    those lines add (``combined − own``, so the bonus cap applies once); ``others_lines`` and
    ``others_scored`` count them and those with points."""

    own: Totals
    combined: Totals
    others_lines: int = 0
    others_scored: int = 0

    @property
    def others(self) -> Decimal:
        return self.combined.total - self.own.total


def self_totals(lines: Sequence[LineScore], bonus_cap: Decimal | None) -> SelfTotals:
    """The self column's two totals from the same lines (``optional`` lines carry the final
    points of the lines the unit does not score)."""
    others = [line for line in lines if line.optional and not line.not_applicable]
    return SelfTotals(
        own=sheet_totals(own_lines(lines), bonus_cap),
        combined=sheet_totals(lines, bonus_cap),
        others_lines=len(others),
        others_scored=sum(1 for line in others if line.points is not None),
    )


def peer_mean(points: Sequence[Decimal], *, drop_extremes: bool) -> Decimal | None:
    """The verified points of a line under peer scoring: the mean of the other members' points,
    optionally without one highest and one lowest (only when at least three scored)."""
    values = sorted(points)
    if not values:
        return None
    if drop_extremes and len(values) >= 3:
        values = values[1:-1]
    return quantize(sum(values, ZERO) / len(values))


@dataclass(frozen=True)
class TreeNode:
    """A criterion as the tree check sees it."""

    code: str
    parent_code: str | None
    kind: str
    max_points: Decimal | None  # None: a parent whose max is the sum of its children


def parent_code_of(code: str) -> str | None:
    """``I.1.a`` → ``I.1``; ``I`` → None."""
    return code.rsplit(".", 1)[0] if "." in code else None


def check_tree(nodes: Sequence[TreeNode]) -> list[str]:
    """Every problem of a criteria tree, as sentences: missing parents, duplicate codes,
    a parent whose maximum differs from the sum of its children, leaves without a maximum."""
    problems: list[str] = []
    codes: dict[str, TreeNode] = {}
    for node in nodes:
        if node.code in codes:
            problems.append(_("Mã %(code)s bị trùng.") % {"code": node.code})
        codes[node.code] = node
    children: dict[str, list[TreeNode]] = {}
    for node in codes.values():  # a duplicated code counts once in its parent's sum
        if node.parent_code is not None:
            if node.parent_code not in codes:
                problems.append(
                    _("Tiêu chí %(code)s thiếu mục cha %(parent)s.")
                    % {"code": node.code, "parent": node.parent_code}
                )
            children.setdefault(node.parent_code, []).append(node)
    for node in codes.values():
        kids = children.get(node.code, [])
        if not kids:
            if node.max_points is None or node.max_points <= ZERO:
                problems.append(
                    _("Tiêu chí %(code)s cần điểm tối đa lớn hơn 0.") % {"code": node.code}
                )
            continue
        total = sum((tree_max(kid.code, codes, children) for kid in kids), ZERO)
        if node.max_points is not None and node.max_points != total:
            problems.append(
                _("Điểm tối đa của %(code)s là %(max)s nhưng tổng các tiêu chí con là %(sum)s.")
                % {
                    "code": node.code,
                    "max": format_plain(node.max_points),
                    "sum": format_plain(total),
                }
            )
    return problems


def tree_max(code: str, codes: dict[str, TreeNode], children: dict[str, list[TreeNode]]) -> Decimal:
    """A node's maximum: its own, or the sum of its children's."""
    node = codes[code]
    kids = children.get(code, [])
    if not kids:
        return node.max_points or ZERO
    if node.max_points is not None:
        return node.max_points
    return sum((tree_max(kid.code, codes, children) for kid in kids), ZERO)
