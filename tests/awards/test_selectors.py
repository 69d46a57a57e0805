"""Loading a bloc-year's eligibility data: ranks, ballot, facts, proposals, history."""

from __future__ import annotations

import pytest

from awards.models import AwardGrant
from awards.selectors import eligibility_for, rule_set_for_year
from tests.conftest import AwardsWorld

pytestmark = pytest.mark.django_db


def test_each_year_follows_the_law_in_force_on_the_31st_of_december() -> None:
    assert rule_set_for_year(2020).code == "LUAT-2003"  # type: ignore[union-attr]
    assert rule_set_for_year(2024).code == "LUAT-2022-ND98"  # type: ignore[union-attr]
    assert rule_set_for_year(2025).code == "LUAT-2022-ND152"  # type: ignore[union-attr]
    assert rule_set_for_year(2026).code == "LUAT-2022-ND152"  # type: ignore[union-attr]


def test_the_seeded_catalogue_has_five_awards_per_period() -> None:
    rule_set = rule_set_for_year(2020)
    assert rule_set is not None
    codes = list(rule_set.award_types.values_list("code", flat=True))
    assert codes == [
        "GOV_FLAG",
        "PROV_FLAG",
        "PROV_CERT",
        "EXCELLENT_COLLECTIVE",
        "ADVANCED_COLLECTIVE",
    ]
    advanced = rule_set.award_types.get(code="ADVANCED_COLLECTIVE")
    assert (
        advanced.min_advanced_percent == 50 and advanced.advanced_strictly_above
    )  # Luật 2003: > 50 %


def test_the_head_of_the_ranking_passes_for_the_government_flag(awards_world: AwardsWorld) -> None:
    data = eligibility_for(awards_world.provisional_year)
    assert next(iter(data.units)) == awards_world.head.pk
    # Nothing blocks; the head never entered its figures, so the discipline gate is said to be
    # unchecked (never passed), naming who must enter them; the year has no registration data
    # (no deadline, nobody registered), so the registration gate is unchecked too.
    unchecked, unregistered = data.findings(awards_world.head.pk, "GOV_FLAG")
    assert (unchecked.gate, unchecked.blocking, unchecked.facts_missing) == (
        "discipline",
        False,
        True,
    )
    assert "Cán bộ đầu mối của đơn vị hoặc thư ký khối nhập" in unchecked.message
    assert (unregistered.gate, unregistered.blocking, unregistered.facts_missing) == (
        "registration",
        False,
        True,
    )
    # The member's provincial flag: 2 of 3 votes is more than half; its band is only "good".
    gates = [
        finding.gate
        for finding in data.findings(awards_world.member.pk, "PROV_FLAG")
        if finding.gate != "registration"  # unchecked this year, as above
    ]
    assert gates == ["band"] or gates == []


def test_history_comes_from_grants_of_previous_years(awards_world: AwardsWorld) -> None:
    AwardGrant.objects.create(
        unit=awards_world.member, year=2018, award_code="EXCELLENT_COLLECTIVE", award_name="x"
    )
    AwardGrant.objects.create(
        unit=awards_world.member, year=2017, award_code="EXCELLENT_COLLECTIVE", award_name="x"
    )
    data = eligibility_for(awards_world.provisional_year)
    assert data.history[awards_world.member.pk] == {
        2018: frozenset({"EXCELLENT_COLLECTIVE"}),
        2017: frozenset({"EXCELLENT_COLLECTIVE"}),
    }


def test_suggestions_follow_the_ranking(awards_world: AwardsWorld) -> None:
    data = eligibility_for(awards_world.provisional_year)
    suggested = {
        award.code: [unit.unit_id for unit in units] for award, units in data.suggestions()
    }
    assert suggested["GOV_FLAG"] == [awards_world.head.pk]
