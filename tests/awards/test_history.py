"""A unit's record: awards across lineage (a merged unit shows its predecessors' awards,
labelled with their names of that year) and the ranks of published years, on the unit page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from awards.history import lineage_predecessors, unit_award_history, unit_results
from awards.models import AwardGrant, Decision
from blocs import services as bloc_services
from blocs.models import UnitLineage, User
from scoring.services import ranking as ranking_services
from tests.conftest import AwardsWorld, World, client_for, verified_year
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def merge(predecessor: Any, successor: Any, day: datetime.date, kind: str = "merged_into") -> None:
    bloc_services.lineage_record(
        predecessor=predecessor, successor=successor, kind=kind, effective_date=day
    )


@pytest.fixture
def merged(world: World) -> World:
    """Báo Quảng Nam (renamed in 2022) merged into Sở Y tế in 2025; an older paper, merged into
    Báo Quảng Nam in 2016, won a flag in 2015; Sở Tư pháp only took over some functions."""
    w = world
    decision = Decision.objects.create(
        council=w.council,
        number="123/QĐ-UBND",
        date=D(2020, 3, 1),
        signer_title="Chủ tịch UBND tỉnh",
    )
    AwardGrant.objects.create(
        unit=w.head, year=2019, award_code="PROV_CERT", award_name="Bằng khen", decision=decision
    )
    AwardGrant.objects.create(
        unit=w.head, year=2019, award_code="GOV_FLAG", award_name="Cờ của Chính phủ"
    )
    AwardGrant.objects.create(
        unit=w.member,
        year=2018,
        award_code="PROV_FLAG",
        award_name="Cờ thi đua của UBND tỉnh",
        decision_text="QĐ 88/QĐ-UBND ngày 02/02/2019 (hồ sơ giấy)",
    )
    bloc_services.unit_rename(
        unit=w.member, name="Báo và Phát thanh Quảng Nam", effective_date=D(2022, 1, 1)
    )
    older = UnitFactory.create(council=w.council, name="Báo Văn nghệ Quảng Nam")
    AwardGrant.objects.create(
        unit=older, year=2015, award_code="PROV_FLAG", award_name="Cờ thi đua của UBND tỉnh"
    )
    merge(older, w.member, D(2016, 1, 1))
    merge(w.member, w.head, D(2025, 3, 1))
    AwardGrant.objects.create(
        unit=w.outsider_unit, year=2019, award_code="PROV_CERT", award_name="Bằng khen (Tư pháp)"
    )
    merge(w.outsider_unit, w.head, D(2025, 3, 1), UnitLineage.Kind.FUNCTIONS_TRANSFERRED)
    return w


def test_a_merged_unit_shows_its_predecessors_awards_with_their_names_of_that_year(
    merged: World,
) -> None:
    history = unit_award_history(merged.head)
    assert [(entry.year, entry.award_code, entry.predecessor_name) for entry in history] == [
        (2019, "GOV_FLAG", ""),
        (2019, "PROV_CERT", ""),
        (2018, "PROV_FLAG", "Báo Quảng Nam"),
        (2015, "PROV_FLAG", "Báo Văn nghệ Quảng Nam"),
    ]
    assert history[1].decision_number == "123/QĐ-UBND"
    assert history[1].decision_date == D(2020, 3, 1)
    assert history[2].decision_text.startswith("QĐ 88/QĐ-UBND")


def test_a_transfer_of_functions_does_not_carry_awards(merged: World) -> None:
    assert merged.outsider_unit.pk not in lineage_predecessors(merged.head)
    assert all(
        entry.award_name != "Bằng khen (Tư pháp)" for entry in unit_award_history(merged.head)
    )


def test_the_predecessor_keeps_only_its_own_history(merged: World) -> None:
    history = unit_award_history(merged.member)
    assert [(entry.year, entry.predecessor_name) for entry in history] == [
        (2018, ""),
        (2015, "Báo Văn nghệ Quảng Nam"),
    ]


def test_lineage_loops_do_not_hang(world: World) -> None:
    merge(world.member, world.head, D(2025, 3, 1))
    merge(world.head, world.member, D(2026, 1, 1))
    assert set(lineage_predecessors(world.head)) == {world.member.pk}


def test_the_unit_page_shows_the_awards_received_with_the_label(merged: World) -> None:
    html = client_for(None).get(reverse("unit", args=[merged.head.pk])).content.decode()
    assert "Khen thưởng đã nhận" in html
    assert "Cờ thi đua của UBND tỉnh" in html
    assert "của Báo Quảng Nam" in html and "của Báo Văn nghệ Quảng Nam" in html
    assert "Số 123/QĐ-UBND ngày 01/03/2020" in html
    # The page's own sections are still there.
    assert "Tham gia khối thi đua" in html and "Sắp xếp tổ chức" in html


def test_the_unit_page_keeps_its_query_budget_across_generations(
    merged: World, django_assert_num_queries: Any
) -> None:
    client = client_for(None)
    # unit, former names, predecessor links, successor links, memberships, published ranks,
    # second generation of lineage, third (empty), grants, their units' former names,
    # award orders
    with django_assert_num_queries(11):
        assert client.get(reverse("unit", args=[merged.head.pk])).status_code == 200


def test_the_unit_page_shows_the_ranks_of_published_years_only(
    awards_world: AwardsWorld, focal_point: User
) -> None:
    w = awards_world
    finalized = verified_year(w.bloc, 2018, [w.head, w.deputy, w.member])
    ranking_services.bloc_year_finalize(bloc_year=finalized, by=None)
    provisional = verified_year(w.bloc, 2017, [w.head, w.deputy, w.member])
    ranking_services.bloc_year_finalize(bloc_year=provisional, by=None)
    ranking_services.publish_provisional(bloc_year=provisional, by=None)

    public = client_for(None).get(reverse("unit", args=[w.member.pk])).content.decode()
    section = public[public.index("Kết quả thi đua các năm") : public.index("Khen thưởng đã nhận")]
    assert reverse("scoring:ranking", args=[w.bloc.pk, 2019]) in section
    assert "<strong>2</strong>/3" in section and "9,70" in section  # 2019: second of three
    assert reverse("scoring:ranking", args=[w.bloc.pk, 2018]) not in section
    assert reverse("scoring:ranking", args=[w.bloc.pk, 2017]) not in section

    # The members see their provisional results; a finalized, unpublished year stays hidden.
    years = [row.year for row in unit_results(w.member, focal_point)]
    assert years == [2019, 2017]
