"""The public lineage of a council: predecessors, successor, the units' reorganisations."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from blocs import services
from blocs.lineage import council_lineage
from blocs.models import Council, UnitLineage
from demo.organisation import load_organisation
from tests.conftest import client_for
from tests.factories import CouncilFactory, UnitFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def demo(db: None) -> dict[str, Council]:
    load_organisation()
    return {council.code: council for council in Council.objects.all()}


def test_da_nang_shows_quang_nam_merged_into_it_and_its_units_reorganisations(
    demo: dict[str, Council],
) -> None:
    response = client_for(None).get(reverse("blocs:council-lineage", args=["DNG"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Hội đồng Thi đua - Khen thưởng tỉnh Quảng Nam hợp nhất vào Hội đồng Thi đua - Khen "
        "thưởng thành phố Đà Nẵng từ ngày 01/07/2025." in html
    )
    assert "Đơn vị của Hội đồng Thi đua - Khen thưởng tỉnh Quảng Nam" in html
    lineage = council_lineage(demo["DNG"])
    (group,) = lineage.groups  # Đà Nẵng's own units have no reorganisation in the demo
    events = [(e.day, e.before_name, e.kind, e.after_name) for e in group.events]
    assert (D(2025, 3, 1), "Ban Dân tộc", "renamed_same_unit", "Sở Dân tộc và Tôn giáo") in events
    assert (
        D(2025, 3, 1),
        "Sở Thông tin và Truyền thông",
        UnitLineage.Kind.MERGED_INTO,
        "Sở Khoa học và Công nghệ",
    ) in events
    # The 1 July merger: Quảng Nam's unit, under its name of the day before, into Đà Nẵng's.
    press = [e for e in group.events if e.after_name == "Báo và Phát thanh, Truyền hình Đà Nẵng"]
    assert {e.before_name for e in press} == {
        "Báo Quảng Nam",
        "Đài Phát thanh - Truyền hình Quảng Nam",
    }
    assert all(e.day == D(2025, 7, 1) for e in press)
    assert all(e.after_council == demo["DNG"].name for e in press)
    days = [e.day for e in group.events]
    assert days == sorted(days)


def test_quang_nam_shows_its_successor_with_the_date(demo: dict[str, Council]) -> None:
    html = client_for(None).get(reverse("blocs:council-lineage", args=["QNA"])).content.decode()
    assert "kế thừa từ 01/07/2025" in html
    assert reverse("blocs:council-lineage", args=["DNG"]) in html
    lineage = council_lineage(demo["QNA"])
    assert [step.successor for step in lineage.successors] == [demo["DNG"]]
    assert not lineage.predecessors
    # A renamed unit that later merged: the 1 July row prints the new name.
    names = [e.before_name for e in lineage.groups[0].events if e.day == D(2025, 7, 1)]
    assert "Sở Dân tộc và Tôn giáo" in names and "Ban Dân tộc" not in names


def test_admins_see_the_link_to_the_tool_and_the_public_does_not(demo: dict[str, Council]) -> None:
    from blocs.models import User

    admin = User.objects.get(username="quantri")
    tool = reverse("blocs:reorganisation", args=["QNA"])
    url = reverse("blocs:council-lineage", args=["QNA"])
    assert tool in client_for(admin).get(url).content.decode()
    assert tool not in client_for(None).get(url).content.decode()


def test_a_council_without_reorganisations_says_so(db: None) -> None:
    CouncilFactory.create(code="HUE")
    html = client_for(None).get(reverse("blocs:council-lineage", args=["HUE"])).content.decode()
    assert "Chưa ghi nhận lần sắp xếp tổ chức nào." in html
    assert client_for(None).get(reverse("blocs:council-lineage", args=["XYZ"])).status_code == 404


def build(scale: int) -> Council:
    """A council merged into another, ``scale`` × (merges, transfers, renames) on each side."""
    old = CouncilFactory.create(code="OLD", valid_until=D(2025, 6, 30))
    new = CouncilFactory.create(code="NEW")
    old.successor = new
    old.save()
    for index in range(scale * 5):
        for council in (old, new):
            a, b = (UnitFactory.create(council=council) for _ in range(2))
            services.lineage_record(
                predecessor=a,
                successor=b,
                kind=UnitLineage.Kind.MERGED_INTO,
                effective_date=D(2025, 3, 1),
            )
            services.unit_rename(unit=b, name=f"Tên mới {index}", effective_date=D(2025, 2, 1))
        services.lineage_record(
            predecessor=UnitFactory.create(council=old),
            successor=UnitFactory.create(council=new),
            kind=UnitLineage.Kind.MERGED_INTO,
            effective_date=D(2025, 7, 1),
        )
    return new


@pytest.mark.parametrize("scale", [1, 10])
def test_the_lineage_page_query_budget_does_not_grow(
    db: None, scale: int, django_assert_num_queries
) -> None:
    build(scale)
    client = client_for(None)
    # council (1), all councils (1), links with both units' names (3), renames with names (2)
    with django_assert_num_queries(7):
        response = client.get(reverse("blocs:council-lineage", args=["NEW"]))
    assert response.status_code == 200
    assert len(response.context["lineage"].groups[1].events) == scale * 5 * 3
