"""Issue 18 item 9: a year no rule set covers is never judged by the nearest one.

The rule sets start with Nghị định 91/2017/NĐ-CP (in force from 01/10/2017, migration 0007);
2016 and earlier have no rule set: they are imported with their scores and ranking, and the
awards pages say the app does not judge their awards (docs/awards.md).
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from awards import periods
from awards.models import RuleSet
from awards.selectors import eligibility_for, rule_set_for_year, uncovered_reason
from blocs.models import User
from scoring.importer import CouncilChoice, import_bloc_year
from tests.conftest import World, client_for
from tests.scoring.test_import import build_workbook, valid_sheets

pytestmark = pytest.mark.django_db


def test_each_year_takes_the_rule_set_in_force_on_its_31_december() -> None:
    codes = {year: getattr(rule_set_for_year(year), "code", None) for year in range(2014, 2027)}
    assert codes == {
        2014: None,
        2015: None,
        2016: None,  # Nghị định 42/2010 (amended by 65/2014): not in the app
        2017: "LUAT-2003",  # Nghị định 91/2017 in force from 01/10/2017
        2018: "LUAT-2003",
        2019: "LUAT-2003",
        2020: "LUAT-2003",
        2021: "LUAT-2003",
        2022: "LUAT-2003",
        2023: "LUAT-2003",
        2024: "LUAT-2022-ND98",
        2025: "LUAT-2022-ND152",
        2026: "LUAT-2022-ND152",
    }
    assert RuleSet.objects.get(code="LUAT-2003").valid_from == datetime.date(2017, 10, 1)


def test_a_year_before_every_rule_set_says_from_when_they_start() -> None:
    reason = uncovered_reason(2016)
    assert reason.startswith("Năm 2016 không có bộ quy định khen thưởng nào áp dụng")
    assert "từ ngày 01/10/2017 (Luật Thi đua, Khen thưởng 2003; Nghị định 91/2017/NĐ-CP" in reason
    assert "Ứng dụng không xét khen thưởng năm này; điểm và xếp hạng vẫn dùng được." in reason


def test_a_gap_between_periods_is_a_gap_not_the_nearest_period() -> None:
    # A council admin who ends the 2003 law's period early leaves 2023 without a rule set.
    RuleSet.objects.filter(code="LUAT-2003").update(valid_until=datetime.date(2022, 12, 31))
    assert rule_set_for_year(2023) is None
    assert uncovered_reason(2023).startswith(
        "Chưa có bộ quy định khen thưởng áp dụng cho năm 2023 (ngày 31/12/2023 không thuộc"
    )


def test_the_reason_in_words_is_a_pure_function_of_the_periods() -> None:
    start = datetime.date(2017, 10, 1)
    assert periods.year_end(2016) == datetime.date(2016, 12, 31)
    assert "từ ngày 01/10/2017 (Luật X)" in periods.uncovered_reason(2016, start, "Luật X")
    assert periods.uncovered_reason(2030, start, "Luật X").startswith("Chưa có bộ quy định")
    assert periods.uncovered_reason(2016, None, "").startswith("Chưa có bộ quy định")


def test_an_imported_2016_year_has_its_ranking_and_no_awards_judged(
    world: World, council_admin: User
) -> None:
    result = import_bloc_year(
        build_workbook(valid_sheets(year=2016)), filename="x.xlsx", choice=CouncilChoice(), by=None
    )
    bloc_year = result.bloc_year
    assert [row.rank for row in result.ranking] == [1, 2, 3, 4]
    data = eligibility_for(bloc_year)
    assert data.rule_set is None and data.awards == []
    assert data.uncovered == uncovered_reason(2016)
    page = client_for(council_admin).get(reverse("awards:ballot", args=[bloc_year.bloc_id, 2016]))
    assert page.status_code == 200
    assert page.context["uncovered"] == uncovered_reason(2016)
    assert "Năm 2016 không có bộ quy định khen thưởng nào áp dụng" in page.content.decode()


def test_a_covered_year_has_no_such_notice(world: World) -> None:
    assert eligibility_for(world.bloc_year).uncovered == ""
