"""The ranking from the sheets' kept parts (scoring/parts.py, scoring/selectors/ranking_kept.py)
is the ranking from the lines: the same pure function, fed sums instead of lines."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blocs.models import BlocYear
from scoring import parts, rules
from scoring.models import Criterion, RankingRules, ScoreLine, ScoreSheet, ScoringSeason
from scoring.ranking import Band, Settings, UnitScores, default_bands, rank_units
from scoring.rows import RankingRow
from scoring.rules import LineScore
from scoring.selectors.ranking import ranking_input, ranking_rows
from scoring.selectors.ranking_kept import kept_ranking_input

SECTIONS = ["I", "II", "III"]
KINDS = [rules.STANDARD, rules.STANDARD, rules.STANDARD, rules.BONUS, rules.PENALTY]

leaf_strategy = st.tuples(
    st.sampled_from(KINDS),
    st.sampled_from(SECTIONS),
    st.decimals(min_value=1, max_value=30, places=2),
    st.booleans(),  # scored by someone else than the unit (optional in the self column)
)


@st.composite
def year(draw: st.DrawFn) -> tuple[list[tuple[str, str, Decimal, bool]], list[list[LineScore]]]:
    leaves = draw(st.lists(leaf_strategy, min_size=1, max_size=12))
    units = []
    for _unit in range(draw(st.integers(1, 8))):
        lines = []
        for index, (kind, section, maximum, optional) in enumerate(leaves):
            points = draw(st.none() | st.decimals(min_value=0, max_value=maximum, places=2))
            na = draw(st.booleans()) if draw(st.integers(0, 3)) == 0 else False
            lines.append(LineScore(index + 1, kind, maximum, points, na, section, optional))
        units.append(lines)
    return leaves, units


settings_strategy = st.builds(
    lambda cap, empty, floor: Settings(
        bonus_cap=cap,
        sections=[(code, code, Decimal(50)) for code in SECTIONS],
        bands=[
            Band(band.name, band.min_total_percent, floor or band.floor_percent)
            for band in default_bands()
        ],
        empty_sections=empty,
    ),
    st.none() | st.decimals(min_value=0, max_value=20, places=1),
    st.sampled_from(rules.EMPTY_SECTION_RULES),
    st.none() | st.decimals(min_value=0, max_value=95, places=0),
)


def _rows(units: list[UnitScores], chosen: Settings) -> list[RankingRow]:
    return [unit.row(code="", self_total=None) for unit in rank_units(units, chosen)]


@settings(max_examples=300, deadline=None)
@given(year(), settings_strategy)
def test_ranking_the_parts_gives_the_ranking_of_the_lines(data, chosen: Settings) -> None:
    _leaves, lines = data
    from_lines = [UnitScores(index, f"U{index}", unit) for index, unit in enumerate(lines)]
    from_parts = [
        UnitScores(index, f"U{index}", parts.scores(parts.line_parts(unit)))
        for index, unit in enumerate(lines)
    ]
    assert _rows(from_parts, chosen) == _rows(from_lines, chosen)
    for unit in lines:
        # The self column's lines (some optional) total the same too, missing lines included.
        own = [line._replace(optional=line.optional) for line in unit]
        whole = rules.sheet_totals(own, chosen.bonus_cap, chosen.empty_sections)
        summed = rules.sheet_totals(
            parts.scores(parts.line_parts(own)), chosen.bonus_cap, chosen.empty_sections
        )
        assert summed == whole


def test_parts_sum_lines_by_kind_section_and_applicability() -> None:
    lines = [
        LineScore(1, rules.STANDARD, Decimal(10), Decimal("7.5"), section="I"),
        LineScore(2, rules.STANDARD, Decimal(20), Decimal(16), section="I"),
        LineScore(3, rules.STANDARD, Decimal(20), None, section="I"),
        LineScore(4, rules.STANDARD, Decimal(30), None, True, "II"),
        LineScore(5, rules.BONUS, Decimal(5), Decimal(2), section="IV", optional=True),
    ]
    assert parts.line_parts(lines) == [
        [rules.STANDARD, "I", False, False, "50", "23.5", 1],
        [rules.STANDARD, "II", True, False, "30", None, 1],
        [rules.BONUS, "IV", False, True, "5", "2", 0],
    ]
    # 23,5 of the 50 applicable points, scaled to the full 80: 37,60; + 2 bonus; one missing.
    totals = rules.sheet_totals(parts.scores(parts.line_parts(lines)), None)
    assert (totals.standard, totals.bonus, totals.missing) == (Decimal("37.60"), 2, 1)
    assert totals.sections == {"I": Decimal("23.50")}


# ---------------------------------------------------------------------------- with the database


def _both(bloc_year: BlocYear) -> tuple[list[RankingRow], list[RankingRow]]:
    kept = kept_ranking_input(bloc_year)
    lines = ranking_input(bloc_year)
    return ranking_rows(kept, kept.rank()), ranking_rows(lines, lines.rank())


@pytest.mark.django_db
def test_the_demo_ranks_the_same_from_kept_parts_and_from_lines() -> None:
    from demo.organisation import load_organisation
    from demo.scoring import load_scoring

    load_organisation()
    load_scoring()
    years = BlocYear.objects.filter(
        pk__in=ScoringSeason.objects.values("bloc_year")
    ).select_related("bloc")
    assert years
    for bloc_year in years:
        assert kept_ranking_input(bloc_year).points == {}  # the parts were enough
        kept, lines = _both(bloc_year)
        assert kept == lines, bloc_year
    # Harder cases on the year being scored: a section without task counted in full, lines not
    # applicable, a criterion with its own floor, a bonus cap.
    scoring_year = years.filter(state=BlocYear.State.SCORING).first() or years.first()
    assert scoring_year is not None
    bloc_year = scoring_year
    RankingRules.objects.update_or_create(
        bloc_year=bloc_year, defaults={"empty_sections": rules.FULL_POINTS}
    )
    season = ScoringSeason.objects.get(bloc_year=bloc_year)
    standard = Criterion.objects.filter(
        criteria_set=season.criteria_set, kind=Criterion.Kind.STANDARD, parent__isnull=True
    ).order_by("order")
    Criterion.objects.filter(pk=standard[0].pk).update(floor_percent=Decimal(95))
    sheet = ScoreSheet.objects.filter(bloc_year=bloc_year).order_by("pk").first()
    assert sheet is not None
    section = standard.last()
    assert section is not None
    ScoreLine.objects.filter(sheet=sheet, criterion__code__startswith=section.code + ".").update(
        not_applicable=True, verified_points=None
    )
    from scoring import totals

    totals.refresh([sheet.pk])  # as the writers do
    assert kept_ranking_input(bloc_year).points == {}
    kept, lines = _both(bloc_year)
    assert kept == lines
    assert any(row.band_note for row in lines) or any(row.sections for row in lines)


@pytest.mark.django_db
def test_a_band_floor_on_every_criterion_reads_the_lines(scoring_world) -> None:
    bloc_year = scoring_world.draft_sheet.bloc_year
    bands = [
        {"name": "A", "min_total_percent": "90", "floor_percent": "0"},
        {"name": "B", "min_total_percent": "0", "floor_percent": "0"},
    ]
    RankingRules.objects.update_or_create(bloc_year=bloc_year, defaults={"bands": bands})
    assert kept_ranking_input(bloc_year).points == {}
    bands[0]["criterion_floor_percent"] = "85"
    RankingRules.objects.filter(bloc_year=bloc_year).update(bands=bands)
    assert kept_ranking_input(bloc_year).points != {}  # each line's points were read
    kept, lines = _both(bloc_year)
    assert kept == lines
