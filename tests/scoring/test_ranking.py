"""The ranking function against hand-computed tables, and its properties."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.ranking import (
    FEWER_PENALTY,
    FIRST_SECTION,
    MORE_BONUS,
    WOMEN_70,
    Band,
    Floor,
    Settings,
    UnitScores,
    rank_units,
)
from scoring.rules import LineScore

D = Decimal
SECTIONS = [("I", "Nhiệm vụ chuyên môn", D(60)), ("II", "Công tác khác", D(40))]
SETTINGS = Settings(bonus_cap=D(5), sections=SECTIONS)


def unit(
    unit_id: int,
    name: str,
    first: str,
    second: str,
    bonus: str = "0",
    penalty: str = "0",
    women: str | None = None,
    na_second: bool = False,
) -> UnitScores:
    return UnitScores(
        unit_id=unit_id,
        name=name,
        lines=[
            LineScore(1, "standard", D(60), D(first), section="I"),
            LineScore(2, "standard", D(40), D(second), not_applicable=na_second, section="II"),
            LineScore(3, "bonus", D(6), D(bonus), section="III"),
            LineScore(4, "penalty", D(8), D(penalty), section="IV"),
        ],
        women_share=D(women) if women is not None else None,
    )


def table(ranked: list) -> list[tuple[str, int, Decimal]]:
    return [(row.name, row.rank, row.total) for row in ranked]


def test_ranks_by_total_with_capped_bonus_and_penalty() -> None:
    ranked = rank_units(
        [
            unit(1, "Sở Y tế", "55", "35", bonus="6", penalty="1"),  # 90 + 5 (cap) - 1 = 94
            unit(2, "Báo Quảng Nam", "58", "38", bonus="0", penalty="3"),  # 96 - 3 = 93
            unit(3, "Sở Tư pháp", "59", "39", bonus="0", penalty="0"),  # 98
        ],
        SETTINGS,
    )
    assert table(ranked) == [
        ("Sở Tư pháp", 1, D(98)),
        ("Sở Y tế", 2, D(94)),
        ("Báo Quảng Nam", 3, D(93)),
    ]
    assert all(row.tie_break is None for row in ranked)


def test_a_two_way_tie_is_broken_by_section_one_and_explained() -> None:
    ranked = rank_units(
        [
            unit(1, "Sở Y tế", "52", "38"),
            unit(2, "Sở Giáo dục", "54", "36"),
            unit(3, "Báo", "50", "30"),
        ],
        SETTINGS,
    )
    assert table(ranked) == [("Sở Giáo dục", 1, D(90)), ("Sở Y tế", 2, D(90)), ("Báo", 3, D(80))]
    assert ranked[0].tie_break == "xếp trên Sở Y tế do điểm Mục I cao hơn: 54,00 so với 52,00"
    assert ranked[1].tie_break == "xếp dưới Sở Giáo dục do điểm Mục I thấp hơn: 52,00 so với 54,00"
    assert ranked[2].tie_break is None


def test_a_three_way_tie_goes_down_the_chain() -> None:
    ranked = rank_units(
        [
            unit(1, "A", "50", "40", penalty="0"),  # 90, section I 50
            unit(2, "B", "52", "39", penalty="1"),  # 90, section I 52
            unit(3, "C", "50", "41", penalty="1"),  # 90, section I 50, more penalty than A
        ],
        SETTINGS,
    )
    assert [row.name for row in ranked] == ["B", "A", "C"]
    assert [row.rank for row in ranked] == [1, 2, 3]
    assert "do điểm Mục I cao hơn: 52,00 so với 50,00" in (ranked[0].tie_break or "")
    assert "xếp trên C do bị trừ ít điểm hơn: 0,00 so với 1,00" in (ranked[1].tie_break or "")
    assert "xếp dưới A do bị trừ nhiều điểm hơn: 1,00 so với 0,00" in (ranked[2].tie_break or "")


def test_bonus_then_women_share_break_what_is_left() -> None:
    settings_ = Settings(
        bonus_cap=None,
        sections=SECTIONS,
        tie_breaks=[FIRST_SECTION, FEWER_PENALTY, MORE_BONUS, WOMEN_70],
    )
    ranked = rank_units(
        [
            unit(1, "A", "50", "38", bonus="2"),  # 90
            unit(2, "B", "50", "39", bonus="1"),  # 90
            unit(3, "C", "50", "39", bonus="1", women="75"),
            unit(4, "D", "50", "39", bonus="1", women="40"),
        ],
        settings_,
    )
    # A, B, C, D: same total and section I; A has more bonus; C and D known: C ≥ 70 % women;
    # B's share is unknown, so the women rule cannot separate B, C and D: they stay tied.
    assert ranked[0].name == "A" and "nhiều điểm thưởng hơn" in (ranked[0].tie_break or "")
    assert [row.rank for row in ranked[1:]] == [2, 2, 2]
    assert all("đồng hạng 2" in (row.tie_break or "") for row in ranked[1:])


def test_women_share_separates_when_every_share_is_known() -> None:
    ranked = rank_units(
        [unit(1, "B", "50", "40", women="40"), unit(2, "A", "50", "40", women="80")], SETTINGS
    )
    assert [row.name for row in ranked] == ["A", "B"]
    assert "70% nữ" in (ranked[0].tie_break or "")


def test_an_unbroken_tie_shares_the_rank_and_skips_the_next() -> None:
    ranked = rank_units(
        [
            unit(1, "A", "55", "35"),
            unit(2, "B", "55", "35"),
            unit(3, "C", "50", "30"),
            unit(4, "D", "60", "39"),
        ],
        SETTINGS,
    )
    assert [(row.name, row.rank) for row in ranked] == [("D", 1), ("A", 2), ("B", 2), ("C", 4)]
    assert ranked[1].shared and ranked[2].shared
    assert ranked[1].tie_break == "đồng hạng 2 với B: bằng điểm, các tiêu chí phụ không phân định"


def test_units_sharing_a_rank_are_listed_in_the_alphabets_order() -> None:
    # Python's plain order puts "Đ" and "Ủ" after "Z"; a Vietnamese reader puts them after
    # "D" and "U".
    ranked = rank_units(
        [
            unit(1, "Ủy ban Mặt trận", "55", "35"),
            unit(2, "Văn phòng", "55", "35"),
            unit(3, "Đài Phát thanh", "55", "35"),
            unit(4, "Sở Xây dựng", "55", "35"),
        ],
        SETTINGS,
    )
    assert [row.name for row in ranked] == [
        "Đài Phát thanh",
        "Sở Xây dựng",
        "Ủy ban Mặt trận",
        "Văn phòng",
    ]
    assert {row.rank for row in ranked} == {1}


def test_a_line_not_applicable_scales_to_the_full_maximum() -> None:
    ranked = rank_units(
        [unit(1, "A", "54", "0", na_second=True), unit(2, "B", "54", "36")], SETTINGS
    )
    # A: 54 of 60 applicable → 90 of 100. B: 90. Equal totals, and equal section I: 54 each,
    # as section I has no line not applicable (it is scaled by its own lines, not the sheet's).
    assert ranked[0].total == ranked[1].total == D(90)
    assert ranked[0].totals.scaled
    assert ranked[0].totals.sections["I"] == ranked[1].totals.sections["I"] == D(54)
    assert [row.rank for row in ranked] == [1, 1]


def test_a_section_not_applicable_at_all_is_skipped_by_the_band_floors() -> None:
    # A: section II does not apply; 54 of 60 → 90 of 100, section I 90 %: excellent, not
    # failed for having "0 %" in a section it was never scored on.
    ranked = rank_units([unit(1, "A", "54", "0", na_second=True)], SETTINGS)
    assert ranked[0].totals.sections == {"I": D("54.00")}
    assert ranked[0].band == "Hoàn thành xuất sắc nhiệm vụ"


def test_first_section_cannot_separate_a_unit_to_which_it_does_not_apply() -> None:
    """The first section does not apply to A: the rule is skipped (as an unknown share of
    women is) and the next rule decides."""
    settings_ = Settings(bonus_cap=D(5), sections=list(reversed(SECTIONS)))  # II first
    ranked = rank_units(
        [
            unit(1, "A", "54", "0", na_second=True, penalty="1"),  # 90 - 1 = 89
            unit(2, "B", "50", "40", penalty="1", bonus="0"),  # 90 - 1 = 89
        ],
        settings_,
    )
    assert ranked[0].total == ranked[1].total == D(89)
    assert [row.name for row in ranked] == ["A", "B"]
    assert [row.rank for row in ranked] == [1, 1]  # penalty and bonus equal too: shared
    assert all("Mục II" not in (row.tie_break or "") for row in ranked)


def test_section_subtotals_on_the_ranking_never_exceed_their_maximum() -> None:
    lines = [
        LineScore(1, "standard", D(30), D(27), section="I"),
        LineScore(2, "standard", D(30), None, not_applicable=True, section="I"),
        LineScore(3, "standard", D(40), D(40), section="II"),
    ]
    (row,) = rank_units([UnitScores(1, "A", lines)], SETTINGS)
    # I: 27 of 30 applicable → 54 of 60. II: all 40 of 40, not 57,14 (40 × 100/70).
    assert row.totals.sections == {"I": D("54.00"), "II": D("40.00")}
    assert row.total == D("95.71")  # 67 of 70 → 95,71 of 100: the total keeps the sheet's factor


def test_bands_at_their_exact_thresholds() -> None:
    ranked = {
        row.name: row.band
        for row in rank_units(
            [
                unit(1, "90 và mục ≥85%", "51", "39"),  # 90; I 85 %, II 97.5 %
                unit(2, "90 nhưng mục I 84%", "50.4", "39.6"),  # 90; I 84 %: not excellent
                unit(3, "80", "48", "32"),  # 80; 80 % and 80 %
                unit(4, "70", "42", "28"),  # 70
                unit(5, "69,99", "41.99", "28"),
            ],
            SETTINGS,
        )
    }
    assert ranked == {
        "90 và mục ≥85%": "Hoàn thành xuất sắc nhiệm vụ",
        "90 nhưng mục I 84%": "Hoàn thành tốt nhiệm vụ",
        "80": "Hoàn thành tốt nhiệm vụ",
        "70": "Hoàn thành nhiệm vụ",
        "69,99": "Không hoàn thành nhiệm vụ",
    }


def test_a_criterion_floor_keeps_a_unit_out_of_the_upper_bands() -> None:
    settings_ = Settings(bonus_cap=D(5), sections=SECTIONS, floors=[Floor("I.3", D(10), D(50))])
    low = UnitScores(1, "A", unit(1, "A", "58", "39").lines, floor_points={"I.3": D(4)})
    high = UnitScores(2, "B", unit(2, "B", "58", "39").lines, floor_points={"I.3": D(5)})
    ranked = {row.name: row.band for row in rank_units([low, high], settings_)}
    assert ranked == {"A": "Không hoàn thành nhiệm vụ", "B": "Hoàn thành xuất sắc nhiệm vụ"}


def test_custom_bands_and_an_incomplete_sheet() -> None:
    settings_ = Settings(
        bonus_cap=None,
        sections=SECTIONS,
        bands=[Band("Tốt", D(50), D(0)), Band("Chưa tốt", D(0), D(0))],
    )
    incomplete = UnitScores(
        2,
        "B",
        [
            LineScore(1, "standard", D(60), None, section="I"),
            LineScore(2, "standard", D(40), D(40), section="II"),
        ],
    )
    ranked = rank_units([unit(1, "A", "30", "20"), incomplete], settings_)
    assert ranked[0].band == "Tốt"
    assert not ranked[1].complete and ranked[1].band == ""


amounts = st.decimals(min_value=0, max_value=60, places=2, allow_nan=False, allow_infinity=False)
units_strategy = st.lists(
    st.tuples(amounts, st.decimals(min_value=0, max_value=40, places=0)), min_size=1, max_size=12
)


def build(values: list[tuple[Decimal, Decimal]]) -> list[UnitScores]:
    return [
        unit(index, f"Đơn vị {index:02d}", str(first), str(second))
        for index, (first, second) in enumerate(values)
    ]


@settings(max_examples=200)
@given(units_strategy)
def test_ranks_run_from_one_with_ties_sharing_the_lowest(
    values: list[tuple[Decimal, Decimal]],
) -> None:
    ranked = rank_units(build(values), SETTINGS)
    assert len(ranked) == len(values)
    assert ranked[0].rank == 1
    for position, row in enumerate(ranked, start=1):
        # Competition ranking: a rank is one more than the number of units placed above.
        assert row.rank == 1 + sum(1 for other in ranked if other.rank < row.rank)
        assert row.rank <= position
    totals = [row.total for row in ranked]
    assert totals == sorted(totals, reverse=True)
    for row in ranked:
        if row.shared:
            assert "đồng hạng" in (row.tie_break or "")


@settings(max_examples=200)
@given(units_strategy, st.data())
def test_raising_one_units_points_never_lowers_its_rank(
    values: list[tuple[Decimal, Decimal]], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(values) - 1))
    first, second = values[index]
    bump = data.draw(st.decimals(min_value=0, max_value=60 - first, places=2))
    raised = list(values)
    raised[index] = (first + bump, second)
    before = {row.unit_id: row.rank for row in rank_units(build(values), SETTINGS)}
    after = {row.unit_id: row.rank for row in rank_units(build(raised), SETTINGS)}
    assert after[index] <= before[index]


@given(units_strategy)
def test_the_order_of_the_input_does_not_matter(values: list[tuple[Decimal, Decimal]]) -> None:
    forward = [(row.unit_id, row.rank) for row in rank_units(build(values), SETTINGS)]
    backward_units = list(reversed(build(values)))
    backward = [(row.unit_id, row.rank) for row in rank_units(backward_units, SETTINGS)]
    assert sorted(forward) == sorted(backward)


def test_a_unit_with_missing_lines_is_listed_last_without_a_rank() -> None:
    missing = UnitScores(
        3,
        "C",
        [
            LineScore(1, "standard", D(60), None, section="I"),
            LineScore(2, "standard", D(40), D(40), section="II"),
        ],
    )
    ranked = rank_units([unit(1, "A", "50", "30"), missing, unit(2, "B", "55", "30")], SETTINGS)
    assert [(row.name, row.rank) for row in ranked] == [("B", 1), ("A", 2), ("C", 0)]
    assert ranked[2].tie_break == "chưa xếp hạng: còn 1 tiêu chí chưa có điểm"
