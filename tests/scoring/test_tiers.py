"""Tier tables (scoring/tiers.py) and the tier method of scoring/rules.py: pure functions,
hand-computed edges."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring import rules, tiers
from scoring.tiers import Tier, TierTable

D = Decimal

DAYS_LATE = "0: 5; 1–3: 3; 4–7: 1; >7: 0"
DISBURSED = "≥95: 10\n80–<95: 7\n50–<80: 4\n<50: 0"


def table(text: str, unit: str = "") -> TierTable:
    rows, problems = tiers.parse_table(text)
    assert problems == []
    return TierTable(tuple(rows), unit)


def test_the_days_late_table_is_read_row_by_row() -> None:
    rows, problems = tiers.parse_table(DAYS_LATE)
    assert problems == []
    assert rows == [
        Tier(D(0), D(0), D(5)),
        Tier(D(1), D(3), D(3)),
        Tier(D(4), D(7), D(1)),
        Tier(D(7), None, D(0), low_open=True),
    ]
    assert tiers.check_table(rows, D(5)) == []


def test_the_disbursement_table_uses_excluded_upper_bounds() -> None:
    rows, problems = tiers.parse_table(DISBURSED)
    assert problems == []
    assert rows == [
        Tier(D(95), None, D(10)),
        Tier(D(80), D(95), D(7), high_open=True),
        Tier(D(50), D(80), D(4), high_open=True),
        Tier(None, D(50), D(0), high_open=True),
    ]
    assert tiers.check_table(rows, D(10)) == []


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("0", "5"),
        ("1", "3"),  # the lower bound of 1–3 is included
        ("3", "3"),  # and so is its upper bound
        ("4", "1"),
        ("7", "1"),  # 7 is in 4–7, not in >7
        ("7.01", "0"),
        ("30", "0"),
        ("0.5", None),  # between 0 and 1: in no row
        ("-1", None),  # below the first row
    ],
)
def test_days_late_edges(value: str, points: str | None) -> None:
    days = table(DAYS_LATE, "ngày")
    expected = None if points is None else D(points)
    got = rules.line_points(
        method=rules.TIER, max_points=D(5), entry=rules.MethodInput(D(value)), tiers=days
    )
    assert got == expected


@pytest.mark.parametrize(
    ("value", "points"),
    [
        ("100", "10"),
        ("95", "10"),  # ≥95 includes 95
        ("94.99", "7"),  # 80–<95 stops just below 95
        ("80", "7"),
        ("79.99", "4"),
        ("50", "4"),
        ("49.99", "0"),
        ("-3", "0"),  # <50 has no lower end
    ],
)
def test_disbursement_edges(value: str, points: str) -> None:
    share = table(DISBURSED, "%")
    got = rules.line_points(
        method=rules.TIER, max_points=D(10), entry=rules.MethodInput(D(value)), tiers=share
    )
    assert got == D(points)


def test_the_row_that_applied_is_said_in_words() -> None:
    days = table(DAYS_LATE, "ngày")
    assert days.explain(D(2)) == "2 ngày → mức 1–3 ngày: 3 điểm"
    assert days.explain(D(0)) == "0 ngày → mức 0 ngày: 5 điểm"
    assert days.explain(D(9)) == "9 ngày → mức trên 7 ngày: 0 điểm"
    share = table(DISBURSED, "%")
    assert share.explain(D("94.5")) == "94,5% → mức từ 80% đến dưới 95%: 7 điểm"
    assert share.explain(D(95)) == "95% → mức từ 95% trở lên: 10 điểm"
    assert share.explain(D(12)) == "12% → mức dưới 50%: 0 điểm"


def test_a_value_in_no_row_is_refused_with_the_ranges() -> None:
    days = table(DAYS_LATE, "ngày")
    with pytest.raises(rules.InputError) as refused:
        rules.check_input(
            method=rules.TIER,
            max_points=D(5),
            step=D("0.25"),
            entry=rules.MethodInput(D("0.5")),
            tiers=days,
        )
    assert str(refused.value) == (
        "0,5 ngày không thuộc mức nào của bảng (0 ngày; 1–3 ngày; 4–7 ngày; trên 7 ngày)."
    )
    # A value in a row, and a blank, pass.
    for value in (D(2), None):
        rules.check_input(
            method=rules.TIER,
            max_points=D(5),
            step=D("0.25"),
            entry=rules.MethodInput(value),
            tiers=days,
        )


def test_other_spellings_read_the_same() -> None:
    rows, problems = tiers.parse_table("0 = 5\n1-3: 3\n4 đến 7: 1\ntrên 7: 0")
    assert problems == []
    assert tiers.table_text(rows) == DAYS_LATE
    rows, problems = tiers.parse_table(">=95: 10; 80.5 - <95: 7,5; từ 0 : 0; ≤ -1: 0; dưới -5: 0")
    assert problems == []
    assert tiers.table_text(rows) == "≥95: 10; 80,5–<95: 7,5; ≥0: 0; ≤-1: 0; <-5: 0"


def test_the_text_and_the_json_give_the_table_back() -> None:
    rows, _ = tiers.parse_table(DISBURSED)
    assert tiers.from_json(tiers.to_json(rows)) == tuple(rows)
    assert tiers.to_json(rows)[1] == {
        "low": "80.00",
        "high": "95.00",
        "points": "7.00",
        "high_open": True,
    }
    again, problems = tiers.parse_table(tiers.table_text(rows, "\n"))
    assert (again, problems) == (rows, [])


def test_unreadable_rows_are_named() -> None:
    rows, problems = tiers.parse_table("0: 5\nabc: 3\n1–3\n5–2: 1\n4: x\n1,234: 1")
    assert rows == [Tier(D(0), D(0), D(5))]
    assert problems == [
        "Dòng 2: không đọc được khoảng “abc”; viết như 0, 1–3, 80–<95, >7, ≥95 hoặc <50.",
        "Dòng 3: “1–3” cần dạng “khoảng: điểm”, ví dụ “1–3: 3”.",
        "Dòng 4: khoảng “5–2” có đầu dưới lớn hơn đầu trên.",
        "Dòng 5: điểm “x” không phải là một số.",
        "Dòng 6: “1,234” có hơn hai chữ số thập phân.",
    ]


def test_a_table_needs_a_row() -> None:
    assert tiers.check_table([], D(5)) == ["Bảng mức cần ít nhất một dòng."]
    assert tiers.parse_table(" ;\n ") == ([], [])


def test_points_must_be_within_the_maximum() -> None:
    rows, _ = tiers.parse_table("0: 5,5; >0: -1")
    assert tiers.check_table(rows, D(5)) == [
        "Dòng 1: điểm 5,5 phải từ 0 đến điểm tối đa 5.",
        "Dòng 2: điểm -1 phải từ 0 đến điểm tối đa 5.",
    ]


def test_overlapping_rows_are_named_with_the_row_they_overlap() -> None:
    rows, _ = tiers.parse_table("1–10: 1; 2–3: 2; 10–12: 3; >12: 0")
    assert tiers.check_table(rows, D(5)) == [
        "Dòng 2: khoảng “2–3” trùng với dòng 1 (“1–10”).",
        "Dòng 3: khoảng “10–12” trùng với dòng 1 (“1–10”).",  # 10 is in both
    ]
    # Touching at an excluded bound is not an overlap.
    rows, _ = tiers.parse_table("0–<10: 1; 10–12: 2; >12: 0")
    assert tiers.check_table(rows, D(5)) == []


def test_a_gap_holding_a_whole_number_is_refused() -> None:
    rows, _ = tiers.parse_table("0: 5; 1–3: 3; 5–7: 1; >7: 0")
    assert tiers.check_table(rows, D(5)) == [
        "Dòng 3: giữa “1–3” và “5–7” còn giá trị không thuộc mức nào (ví dụ 4); nối liền các mức."
    ]
    # 80–<95 then >95 leaves exactly 95 out.
    rows, _ = tiers.parse_table("80–<95: 7; >95: 10")
    assert tiers.check_table(rows, D(10)) == [
        "Dòng 2: giữa “80–<95” và “>95” còn giá trị không thuộc mức nào (ví dụ 95); nối liền "
        "các mức."
    ]
    # Between 94,99 and 95 no whole number falls: a table of hundredths may be written so.
    rows, _ = tiers.parse_table("80–94,99: 7; ≥95: 10")
    assert tiers.check_table(rows, D(10)) == []


def test_rows_in_any_order_are_checked_in_the_order_of_their_ranges() -> None:
    rows, _ = tiers.parse_table(">7: 0; 0: 5; 4–7: 1; 1–3: 3")
    assert tiers.check_table(rows, D(5)) == []
    assert table(">7: 0; 0: 5; 4–7: 1; 1–3: 3").find(D(5)) == Tier(D(4), D(7), D(1))


def test_points_never_pass_the_maximum_and_are_rounded() -> None:
    days = table("0: 2,5; >0: 0")
    assert rules.line_points(
        method=rules.TIER, max_points=D(5), entry=rules.MethodInput(D(0)), tiers=days
    ) == D("2.50")
    # Without a table (it was cleared) nothing is computed rather than a guess.
    assert (
        rules.line_points(method=rules.TIER, max_points=D(5), entry=rules.MethodInput(D(0))) is None
    )
