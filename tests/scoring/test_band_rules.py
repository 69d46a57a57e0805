"""Issue 18 items 1 and 3, as pure functions: a floor on every criterion per band, and what a
section with no task counts. Hand-computed tables, then the invariants."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import rules
from scoring.ranking import (
    Band,
    Settings,
    UnitScores,
    band_from_json,
    band_to_json,
    rank_units,
)
from scoring.rules import FULL_POINTS, PRO_RATA, LineScore, empty_sections, sheet_totals

D = Decimal
SECTIONS = [("I", "Nhiệm vụ chuyên môn", D(60)), ("II", "Công tác khác", D(40))]
CODES = {1: "I.1", 2: "I.2", 3: "II.1"}
# The pattern of a guide that grants a band only if no criterion is below 85 / 80 / 70 %.
BANDS = [
    Band("Xuất sắc", D(90), D(0), D(85)),
    Band("Tốt", D(80), D(0), D(80)),
    Band("Hoàn thành", D(70), D(0), D(70)),
    Band("Không hoàn thành", D(0), D(0)),
]
FLOORED = Settings(bonus_cap=D(5), sections=SECTIONS, bands=BANDS, leaf_codes=CODES)


def lines(
    first: str | None,
    second: str | None,
    third: str | None,
    *,
    na: tuple[int, ...] = (),
) -> list[LineScore]:
    """I.1 (30) and I.2 (30) in section I, II.1 (40) in section II; ``na``: ids not
    applicable (their points are None)."""
    values = {
        criterion_id: None if text is None or criterion_id in na else D(text)
        for criterion_id, text in ((1, first), (2, second), (3, third))
    }
    maxima = {1: D(30), 2: D(30), 3: D(40)}
    return [
        LineScore(
            criterion_id,
            rules.STANDARD,
            maxima[criterion_id],
            values[criterion_id],
            not_applicable=criterion_id in na,
            section="I" if criterion_id < 3 else "II",
        )
        for criterion_id in (1, 2, 3)
    ]


def unit(unit_id: int, name: str, *points: str | None, na: tuple[int, ...] = ()) -> UnitScores:
    first, second, third = points
    return UnitScores(unit_id, name, lines(first, second, third, na=na))


# Item 1: a floor on every criterion, different per band -------------------------------------


def test_a_criterion_below_the_band_floor_moves_the_unit_to_the_next_band_it_meets() -> None:
    ranked = {
        row.name: row
        for row in rank_units(
            [
                # 30 + 24 + 40 = 94 %: I.2 is 24/30 = 80 %, below 85 % but not below 80 %.
                unit(1, "Sở A", "30", "24", "40"),
                # 30 + 20 + 40 = 90 %: I.2 is 66,67 %, below every floor: the last band.
                unit(2, "Sở B", "30", "20", "40"),
                # 27 + 27 + 36 = 90 %: every criterion at 90 %.
                unit(3, "Sở C", "27", "27", "36"),
            ],
            FLOORED,
        )
    }
    assert ranked["Sở A"].total == D(94)
    assert ranked["Sở A"].band == "Tốt"
    assert ranked["Sở A"].band_notes == [
        "không xếp “Xuất sắc” dù đủ tổng điểm, vì có tiêu chí dưới mức sàn mỗi tiêu chí 85%: "
        "I.2 đạt 24,00/30,00 điểm (80%)"
    ]
    assert ranked["Sở B"].band == "Không hoàn thành"
    assert [note.split(",")[0] for note in ranked["Sở B"].band_notes] == [
        "không xếp “Xuất sắc” dù đủ tổng điểm",
        "không xếp “Tốt” dù đủ tổng điểm",
        "không xếp “Hoàn thành” dù đủ tổng điểm",
    ]
    assert (
        ranked["Sở B"]
        .band_notes[2]
        .endswith("vì có tiêu chí dưới mức sàn mỗi tiêu chí 70%: I.2 đạt 20,00/30,00 điểm (66,67%)")
    )
    assert ranked["Sở C"].band == "Xuất sắc" and ranked["Sở C"].band_notes == []
    # The row every page reads says it too; a unit not moved has no note.
    row = ranked["Sở A"].row(code="A", self_total=None)
    assert row.band_note == ranked["Sở A"].band_notes[0]
    assert ranked["Sở C"].row(code="C", self_total=None).band_note is None


def test_a_band_without_a_criterion_floor_keeps_the_old_rule() -> None:
    """Bands stored before issue 18 have no criterion floor: only the total and the sections."""
    old = Settings(
        bonus_cap=D(5),
        sections=SECTIONS,
        bands=[Band("Xuất sắc", D(90), D(0)), Band("Còn lại", D(0), D(0))],
        leaf_codes=CODES,
    )
    (ranked,) = rank_units([unit(1, "Sở B", "30", "20", "40")], old)
    assert ranked.band == "Xuất sắc" and ranked.band_notes == []


def test_a_section_floor_miss_is_said_in_words_too() -> None:
    settings_ = Settings(
        bonus_cap=None,
        sections=SECTIONS,
        bands=[Band("Xuất sắc", D(80), D(85)), Band("Còn lại", D(0), D(0))],
    )
    # I = 50/60 = 83,33 % below the 85 % floor; total 90 %.
    (ranked,) = rank_units([unit(1, "Sở A", "25", "25", "40")], settings_)
    assert ranked.band == "Còn lại"
    assert ranked.band_notes == [
        "không xếp “Xuất sắc” dù đủ tổng điểm, vì Mục I đạt 50,00/60,00 điểm (83,33%), "
        "dưới mức sàn 85%"
    ]


def test_a_line_not_applicable_is_not_held_against_the_criterion_floor() -> None:
    # I.2 does not apply: 30 + 40 of 70 applicable, scaled to 100.
    (ranked,) = rank_units([unit(1, "Sở A", "30", None, "40", na=(2,))], FLOORED)
    assert ranked.total == D(100) and ranked.band == "Xuất sắc"


def test_bands_keep_their_stored_form() -> None:
    old = {"name": "Tốt", "min_total_percent": "80", "floor_percent": "80"}
    assert band_from_json(old) == Band("Tốt", D(80), D(80), None)
    assert band_to_json(band_from_json(old)) == old
    new = {**old, "criterion_floor_percent": "82.5"}
    assert band_from_json(new).criterion_floor_percent == D("82.5")
    assert band_to_json(band_from_json(new)) == new


# Item 3: sections with no tasks ---------------------------------------------------------


def test_a_section_with_no_task_is_scaled_pro_rata_or_counts_its_maximum() -> None:
    # Section II has no task: I = 27 + 27 = 54 of 60.
    empty_second = lines("27", "27", None, na=(3,))
    assert empty_sections(empty_second) == ["II"]
    pro_rata = sheet_totals(empty_second, None, PRO_RATA)
    assert pro_rata.total == D(90)  # 54 × 100 / 60
    assert pro_rata.sections == {"I": D(54)} and pro_rata.scaled
    full = sheet_totals(empty_second, None, FULL_POINTS)
    assert full.total == D(94)  # 54 + 40
    assert full.sections == {"I": D(54), "II": D(40)} and not full.scaled
    assert full.full_sections == ["II"]


def test_lines_not_applicable_in_a_section_with_tasks_stay_pro_rata() -> None:
    # I.2 and all of II do not apply: pro rata 27 × 100 / 30 = 90; with II at full points
    # (27 + 40) × 100 / 70 = 95,71.
    partly = lines("27", None, None, na=(2, 3))
    assert sheet_totals(partly, None, PRO_RATA).total == D(90)
    full = sheet_totals(partly, None, FULL_POINTS)
    assert full.total == D("95.71") and full.scaled
    assert full.sections == {"I": D(27) * 2, "II": D(40)}


def test_the_ranking_applies_the_rule_of_its_settings() -> None:
    units = [unit(1, "Sở A", "27", "27", None, na=(3,)), unit(2, "Sở B", "28", "28", "36")]
    pro_rata = rank_units(units, Settings(bonus_cap=None, sections=SECTIONS))
    assert [(row.name, row.total) for row in pro_rata] == [("Sở B", D(92)), ("Sở A", D(90))]
    full = rank_units(
        units, Settings(bonus_cap=None, sections=SECTIONS, empty_sections=FULL_POINTS)
    )
    assert [(row.name, row.total) for row in full] == [("Sở A", D(94)), ("Sở B", D(92))]


# Invariants -------------------------------------------------------------------------------

line_strategy = st.tuples(
    st.integers(min_value=1, max_value=3),  # section
    st.decimals(min_value=1, max_value=50, places=0),  # maximum
    st.integers(min_value=0, max_value=100),  # points as % of the maximum
    st.booleans(),  # not applicable
)


def build_lines(spec: list[tuple[int, Decimal, int, bool]]) -> list[LineScore]:
    return [
        LineScore(
            index,
            rules.STANDARD,
            maximum,
            None if na else rules.quantize(maximum * share / 100),
            not_applicable=na,
            section=f"S{section}",
        )
        for index, (section, maximum, share, na) in enumerate(spec)
    ] + [LineScore(999, rules.PENALTY, D(10), D(3), section="P")]


@settings(max_examples=300)
@given(st.lists(line_strategy, min_size=1, max_size=12))
def test_full_points_for_an_empty_section_never_lowers_a_total(
    spec: list[tuple[int, Decimal, int, bool]],
) -> None:
    """With every line's points between 0 and its maximum, the total under ``full_points`` is
    at least the total under ``pro_rata``, and equal when no section is wholly without task;
    every section's subtotal is kept or added, never lowered."""
    sheet = build_lines(spec)
    pro_rata = sheet_totals(sheet, D(5), PRO_RATA)
    full = sheet_totals(sheet, D(5), FULL_POINTS)
    assert full.total >= pro_rata.total
    if not empty_sections(sheet):
        assert full == pro_rata
    for code, subtotal in pro_rata.sections.items():
        assert full.sections[code] == subtotal
    assert full.standard <= full.full_max


band_bounds = st.lists(st.integers(min_value=0, max_value=100), min_size=3, max_size=3)


@settings(max_examples=300)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 40)), max_size=8),
    band_bounds,
)
def test_a_criterion_floor_never_raises_a_band_and_every_band_given_meets_its_floors(
    points: list[tuple[int, int, int]], floors: list[int]
) -> None:
    """Adding floors on every criterion can only move a unit down the table, and a unit given
    a band (other than the last) has no criterion below that band's floor."""
    minimums = [D(90), D(80), D(70)]
    plain = [Band(f"M{index}", minimum, D(0)) for index, minimum in enumerate(minimums)]
    floored = [
        Band(f"M{index}", minimum, D(0), D(floor))
        for index, (minimum, floor) in enumerate(zip(minimums, floors, strict=True))
    ]
    last = Band("M3", D(0), D(0))
    units = [
        unit(index, f"Đơn vị {index}", str(a), str(b), str(c))
        for index, (a, b, c) in enumerate(points)
    ]
    order = {f"M{index}": index for index in range(4)}
    without = rank_units(units, Settings(bonus_cap=None, sections=SECTIONS, bands=[*plain, last]))
    with_floors = rank_units(
        units, Settings(bonus_cap=None, sections=SECTIONS, bands=[*floored, last])
    )
    before = {row.unit_id: order[row.band] for row in without}
    by_id = {item.unit_id: item for item in units}
    for row in with_floors:
        assert order[row.band] >= before[row.unit_id]
        assert bool(row.band_notes) == (order[row.band] != before[row.unit_id])
        if row.band != "M3":
            floor = floored[order[row.band]].criterion_floor_percent
            assert floor is not None
            assert all(
                line.points is not None and line.points * 100 / line.max_points >= floor
                for line in by_id[row.unit_id].lines
            )
