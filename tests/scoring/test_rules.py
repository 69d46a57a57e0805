"""The scoring rules, without the database: methods, parsing, totals, N/A scaling, the tree."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring import rules
from scoring.rules import ZERO, LineScore, MethodInput

D = Decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("95,5", D("95.5")),
        ("95.5", D("95.5")),
        ("  7,25 ", D("7.25")),
        ("1.234,5", D("1234.5")),
        ("0", D("0")),
        ("", None),
        (None, None),
        ("10", D("10")),
    ],
)
def test_parse_amount_reads_what_people_type(text: str | None, expected: Decimal | None) -> None:
    assert rules.parse_amount(text) == expected


@pytest.mark.parametrize("text", ["abc", "1,2,3", "NaN", "inf", "1e999", "1.000", "--1"])
def test_parse_amount_refuses_what_is_not_a_clear_number(text: str) -> None:
    with pytest.raises(rules.InputError):
        rules.parse_amount(text)


def test_a_dot_with_three_decimals_asks_for_a_comma() -> None:
    with pytest.raises(rules.InputError, match="dấu phẩy"):
        rules.parse_amount("1.000")


@pytest.mark.parametrize(
    ("value", "message"),
    [(D("-1"), "âm"), (D("10.25"), "vượt"), (D("7.3"), "bội số"), (D("7.125"), "bội số")],
)
def test_direct_points_stay_within_zero_and_max_in_steps(value: Decimal, message: str) -> None:
    with pytest.raises(rules.InputError, match=message):
        rules.check_points(value, D(10), D("0.25"))


def test_direct_points_on_a_step_are_accepted() -> None:
    rules.check_points(D("7.75"), D(10), D("0.25"))
    rules.check_points(D("10"), D(10), D("0.25"))


def test_direct_method_gives_the_points_typed() -> None:
    assert rules.line_points(
        method=rules.DIRECT, max_points=D(10), entry=MethodInput(D("7.5"))
    ) == D("7.50")


def test_target_method_is_proportional_and_capped() -> None:
    def points(result: str, target: str) -> Decimal | None:
        return rules.line_points(
            method=rules.TARGET, max_points=D(30), entry=MethodInput(D(result), D(target))
        )

    assert points("19", "20") == D("28.50")
    assert points("25", "20") == D("30.00")
    assert points("0", "20") == D("0.00")


def test_relative_to_the_best_gives_the_best_the_maximum() -> None:
    best = rules.best_result([D("88.6"), D("86.1"), None])
    assert best == D("88.6")
    assert rules.line_points(
        method=rules.RELATIVE_BEST, max_points=D(5), entry=MethodInput(D("88.6")), best=best
    ) == D("5.00")
    assert rules.line_points(
        method=rules.RELATIVE_BEST, max_points=D(5), entry=MethodInput(D("86.1")), best=best
    ) == D("4.86")


def test_pass_fail_gives_max_or_zero() -> None:
    assert rules.line_points(method=rules.PASS_FAIL, max_points=D(5), entry=MethodInput(D(1))) == D(
        "5.00"
    )
    assert rules.line_points(method=rules.PASS_FAIL, max_points=D(5), entry=MethodInput(D(0))) == D(
        "0"
    )


def test_per_occurrence_multiplies_and_caps() -> None:
    def points(count: int) -> Decimal | None:
        return rules.line_points(
            method=rules.PER_OCCURRENCE,
            max_points=D(4),
            entry=MethodInput(D(count)),
            per_occurrence=D(2),
        )

    assert points(1) == D("2.00")
    assert points(3) == D("4.00")


def test_a_missing_input_has_no_points() -> None:
    for method in (
        rules.DIRECT,
        rules.TARGET,
        rules.RELATIVE_BEST,
        rules.PASS_FAIL,
        rules.PER_OCCURRENCE,
    ):
        assert (
            rules.line_points(
                method=method,
                max_points=D(5),
                entry=MethodInput(None),
                per_occurrence=D(1),
                best=D(1),
            )
            is None
        )


@pytest.mark.parametrize(
    ("method", "entry", "message"),
    [
        (rules.PASS_FAIL, MethodInput(D(2)), "Đạt"),
        (rules.PER_OCCURRENCE, MethodInput(D("1.5")), "nguyên"),
        (rules.TARGET, MethodInput(D(5)), "chỉ tiêu"),
        (rules.TARGET, MethodInput(D(5), D(0)), "lớn hơn 0"),
        (rules.TARGET, MethodInput(None, D(10)), "kết quả"),
        (rules.RELATIVE_BEST, MethodInput(D(-1)), "âm"),
    ],
)
def test_inputs_each_method_refuses(method: str, entry: MethodInput, message: str) -> None:
    with pytest.raises(rules.InputError, match=message):
        rules.check_input(method=method, max_points=D(5), step=D("0.25"), entry=entry)


def _line(
    kind: str, max_points: str, points: str | None, na: bool = False, section: str = "I"
) -> LineScore:
    return LineScore(0, kind, D(max_points), D(points) if points is not None else None, na, section)


def test_total_is_standard_plus_capped_bonus_minus_penalty() -> None:
    totals = rules.sheet_totals(
        [
            _line("standard", "60", "55"),
            _line("standard", "40", "38", section="II"),
            _line("bonus", "6", "6", section="III"),
            _line("penalty", "5", "2", section="IV"),
        ],
        bonus_cap=D(5),
    )
    assert (totals.standard, totals.bonus, totals.penalty, totals.total) == (
        D(93),
        D(5),
        D(2),
        D(96),
    )
    assert totals.sections == {"I": D(55), "II": D(38)}
    assert totals.complete


def test_missing_lines_are_counted_never_zero() -> None:
    totals = rules.sheet_totals(
        [_line("standard", "60", "55"), _line("standard", "40", None)], None
    )
    assert totals.missing == 1
    assert not totals.complete


def test_lines_not_applicable_scale_the_standard_total_to_the_full_max() -> None:
    totals = rules.sheet_totals(
        [
            _line("standard", "60", "54"),
            _line("standard", "20", None, na=True),
            _line("standard", "20", "18"),
        ],
        None,
    )
    # 72 of 80 applicable points → 90 of 100.
    assert totals.scaled
    assert totals.standard == D("90.00")
    assert totals.applicable_max == D(80) and totals.full_max == D(100)
    assert totals.complete


def test_each_section_is_scaled_by_its_own_lines_not_applicable() -> None:
    totals = rules.sheet_totals(
        [
            _line("standard", "60", "54", section="I"),
            _line("standard", "20", None, na=True, section="I"),
            _line("standard", "10", "10", section="IV"),
            _line("standard", "10", "9", section="IV"),
        ],
        None,
    )
    # The sheet: 73 of 80 applicable → 91,25 of 100. Section I: 54 of its 60 applicable → 72 of
    # its 80; section IV has no line not applicable and keeps its 19 of 20 — never 23,75 (19 ×
    # 100/80), which would be above its maximum.
    assert totals.standard == D("91.25")
    assert totals.sections == {"I": D("72.00"), "IV": D("19.00")}


def test_a_section_whose_lines_are_all_not_applicable_has_no_subtotal() -> None:
    totals = rules.sheet_totals(
        [
            _line("standard", "60", "54", section="I"),
            _line("standard", "30", None, na=True, section="II"),
            _line("standard", "10", None, na=True, section="II"),
        ],
        None,
    )
    assert totals.sections == {"I": D("54.00")}
    assert totals.standard == D("90.00") and totals.complete


def test_sections_and_total_are_rounded_half_up_each_on_its_own() -> None:
    totals = rules.sheet_totals(
        [
            _line("standard", "3", "1", section="I"),
            _line("standard", "1", None, na=True, section="I"),
            _line("standard", "3", "1", section="II"),
            _line("standard", "1", None, na=True, section="II"),
        ],
        None,
    )
    # Each section: 1 of 3 → 1,333… of 4 → 1,33; the total: 2 of 6 → 2,666… of 8 → 2,67, not
    # the sum of the rounded subtotals (2,66).
    assert totals.sections == {"I": D("1.33"), "II": D("1.33")}
    assert totals.standard == D("2.67")
    assert rules.scale(D("0.125"), D(2), D(1)) == D("0.25")
    assert rules.scale(D("0.0625"), D(2), D(1)) == D("0.13")  # 0,125: half up


def test_peer_mean_drops_extremes_only_with_three_or_more() -> None:
    assert rules.peer_mean([D(6), D(5), D(4)], drop_extremes=False) == D(5)
    assert rules.peer_mean([D(6), D(5), D(5), D(2)], drop_extremes=True) == D(5)
    assert rules.peer_mean([D(6), D(2)], drop_extremes=True) == D(4)
    assert rules.peer_mean([], drop_extremes=True) is None


def node(code: str, max_points: str | None, kind: str = "standard") -> rules.TreeNode:
    return rules.TreeNode(
        code, rules.parent_code_of(code), kind, D(max_points) if max_points else None
    )


def test_a_consistent_tree_has_no_problems() -> None:
    assert (
        rules.check_tree([node("I", "10"), node("I.1", "6"), node("I.2", "4"), node("I.2.a", "4")])
        == []
    )


def test_tree_problems_are_all_reported() -> None:
    problems = rules.check_tree(
        [
            node("I", "10"),
            node("I.1", "6"),
            node("I.2", "3"),
            node("II.1", "5"),
            node("III", None),
            node("I.1", "6"),
        ]
    )
    text = " ".join(problems)
    assert "I là 10" in text and "9" in text  # the parent's max differs from the children's sum
    assert "II.1 thiếu mục cha II" in text
    assert "III cần điểm tối đa" in text
    assert "I.1 bị trùng" in text


def test_parent_code_of() -> None:
    assert rules.parent_code_of("I.1.a") == "I.1"
    assert rules.parent_code_of("I") is None


amounts = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@given(
    st.lists(st.tuples(amounts, amounts), min_size=1, max_size=20), st.one_of(st.none(), amounts)
)
def test_bonus_never_counts_above_the_cap(
    pairs: list[tuple[Decimal, Decimal]], cap: Decimal | None
) -> None:
    lines = [LineScore(i, "bonus", max(a, b), min(a, b)) for i, (a, b) in enumerate(pairs)]
    totals = rules.sheet_totals(lines, cap)
    if cap is not None:
        assert totals.bonus <= cap
    assert totals.bonus <= totals.bonus_raw


@given(st.lists(amounts, min_size=1, max_size=15), st.data())
def test_raising_one_line_never_lowers_the_total(
    points: list[Decimal], data: st.DataObject
) -> None:
    lines = [LineScore(i, "standard", D(100), value) for i, value in enumerate(points)]
    index = data.draw(st.integers(0, len(points) - 1))
    bump = data.draw(st.decimals(min_value=0, max_value=100 - points[index], places=2))
    raised = list(lines)
    raised[index] = LineScore(index, "standard", D(100), points[index] + bump)
    assert rules.sheet_totals(raised, None).total >= rules.sheet_totals(lines, None).total


@given(
    st.decimals(
        min_value=-(10**6), max_value=10**6, places=2, allow_nan=False, allow_infinity=False
    )
)
def test_parse_amount_reads_back_a_formatted_amount(value: Decimal) -> None:
    text = f"{value:f}".replace(".", ",")
    assert rules.parse_amount(text) == value


section_lines = st.lists(
    st.tuples(
        st.sampled_from(["I", "II", "III", "IV"]),  # section
        st.decimals(min_value=0, max_value=50, places=2),  # maximum
        st.floats(min_value=0, max_value=1),  # share of the maximum earned
        st.booleans(),  # not applicable
    ),
    min_size=1,
    max_size=20,
)


@given(section_lines)
def test_no_section_ever_exceeds_its_maximum(
    drawn: list[tuple[str, Decimal, float, bool]],
) -> None:
    lines = [
        LineScore(
            index,
            "standard",
            maximum,
            # Points within 0..max on the 0,01 grid, as a stored line has them.
            min(maximum, rules.quantize(maximum * Decimal(str(share)))),
            na,
            section,
        )
        for index, (section, maximum, share, na) in enumerate(drawn)
    ]
    totals = rules.sheet_totals(lines, None)
    for section in {line.section for line in lines}:
        mine = [line for line in lines if line.section == section]
        if all(line.not_applicable for line in mine):
            assert section not in totals.sections
        else:
            assert ZERO <= totals.sections[section] <= sum(line.max_points for line in mine)
            if not any(line.not_applicable for line in mine):
                assert totals.sections[section] == sum((line.points or ZERO for line in mine), ZERO)
    assert totals.standard <= totals.full_max
