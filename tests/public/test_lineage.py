"""A unit's story across the reorganisations, told both ways on its public page: renames,
mergers (the merged unit's results and awards follow it), splits (they do not)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from awards.models import AwardGrant
from blocs import services
from blocs.models import BlocYear, Unit, UnitLineage
from tests.conftest import World, client_for
from tests.factories import CouncilFactory, UnitFactory
from tests.public.conftest import PublicWorld, secret_snapshot

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2025, 3, 1)
JULY = datetime.date(2025, 7, 1)


def page(unit: Unit) -> str:
    response = client_for(None).get(reverse("unit", args=[unit.pk]))
    assert response.status_code == 200
    return response.content.decode()


def lineage_section(html: str) -> str:
    return html[html.index("Sắp xếp tổ chức") : html.index("Kết quả thi đua các năm")]


def test_a_merger_is_told_on_both_pages_and_carries_the_results_on(
    public_world: PublicWorld,
) -> None:
    """Báo Quảng Nam (ranked 2nd in 2019, published) merges into a new Báo và Phát thanh,
    Truyền hình Quảng Nam, whose page shows that year as the predecessor's."""
    w = public_world
    merged = UnitFactory.create(
        council=w.council, code="BPTTH", name="Báo và Phát thanh, Truyền hình Quảng Nam"
    )
    services.lineage_record(
        predecessor=w.member,
        successor=merged,
        kind=UnitLineage.Kind.MERGED_INTO,
        effective_date=MARCH,
    )
    before = lineage_section(page(w.member))
    assert (
        "Báo Quảng Nam sáp nhập vào Báo và Phát thanh, Truyền hình Quảng Nam từ ngày 01/03/2025."
        in before
    )
    assert reverse("unit", args=[merged.pk]) in before

    html = page(merged)
    assert (
        "Trước đây là Báo Quảng Nam, sáp nhập vào Báo và Phát thanh, Truyền hình Quảng Nam "
        "từ ngày 01/03/2025." in lineage_section(html)
    )
    results = html[html.index("Kết quả thi đua các năm") : html.index("Khen thưởng đã nhận")]
    assert "của Báo Quảng Nam" in results
    assert "<strong>2</strong>/3" in results and "9,70" in results  # 2019, published
    assert "77,77" not in results  # 2018, only provisional


def test_a_chain_of_mergers_across_councils_is_followed_both_ways(world: World) -> None:
    """Sở Thông tin và Truyền thông → Sở Khoa học và Công nghệ (1/3/2025) → the Đà Nẵng
    department (1/7/2025), as the demo records the 2025 reorganisation."""
    stttt = UnitFactory.create(
        council=world.council, code="STTTT", name="Sở Thông tin và Truyền thông"
    )
    skhcn = UnitFactory.create(council=world.council, code="SKHCN", name="Sở Khoa học và Công nghệ")
    danang = CouncilFactory.create(code="DNG", province="Đà Nẵng")
    skhcn_dn = UnitFactory.create(council=danang, code="SKHCN", name="Sở Khoa học và Công nghệ")
    services.lineage_record(
        predecessor=stttt, successor=skhcn, kind=UnitLineage.Kind.MERGED_INTO, effective_date=MARCH
    )
    services.lineage_record(
        predecessor=skhcn,
        successor=skhcn_dn,
        kind=UnitLineage.Kind.MERGED_INTO,
        effective_date=JULY,
    )
    year = services.bloc_year_create(
        bloc=world.other_bloc, year=2019, members=[stttt], state=BlocYear.State.PUBLISHED
    )
    secret_snapshot(year, [stttt, world.outsider_unit, world.admin_unit])
    AwardGrant.objects.create(
        unit=stttt,
        year=2019,
        award_code="PROV_CERT",
        award_name="Bằng khen",
        decision_text="QĐ giấy",
    )

    first = lineage_section(page(stttt))
    assert (
        "Sở Thông tin và Truyền thông sáp nhập vào Sở Khoa học và Công nghệ từ ngày 01/03/2025."
        in first
    )
    assert "Sau đó thuộc Sở Khoa học và Công nghệ (Đà Nẵng) từ ngày 01/07/2025." in first
    assert first.index("01/03/2025") < first.index("01/07/2025")

    last_html = page(skhcn_dn)
    last = lineage_section(last_html)
    assert (
        "Trước đây là Sở Khoa học và Công nghệ (Quảng Nam), sáp nhập vào Sở Khoa học và Công "
        "nghệ từ ngày 01/07/2025." in last
    )
    assert (
        "Trước đó, Sở Thông tin và Truyền thông (Quảng Nam) sáp nhập vào Sở Khoa học và Công "
        "nghệ (Quảng Nam) từ ngày 01/03/2025." in last
    )
    # Going back in time: the latest change first.
    assert last.index("01/07/2025") < last.index("01/03/2025")
    # Two generations back, the published year and the award are still there.
    assert "của Sở Thông tin và Truyền thông" in last_html
    assert "77,77" in last_html and "Bằng khen" in last_html and "QĐ giấy" in last_html


def test_a_split_is_told_both_ways_and_leaves_the_results_with_the_old_unit(
    public_world: PublicWorld,
) -> None:
    w = public_world
    first = UnitFactory.create(council=w.council, code="SA", name="Sở Văn hóa và Thể thao")
    second = UnitFactory.create(council=w.council, code="SB", name="Sở Du lịch")
    for unit in (first, second):
        services.lineage_record(
            predecessor=w.deputy,
            successor=unit,
            kind=UnitLineage.Kind.SPLIT_INTO,
            effective_date=MARCH,
        )
    old = lineage_section(page(w.deputy))
    assert (
        "Sở Giáo dục và Đào tạo chia tách, thành lập Sở Văn hóa và Thể thao từ ngày 01/03/2025."
        in old
    )
    assert "Sở Giáo dục và Đào tạo chia tách, thành lập Sở Du lịch từ ngày 01/03/2025." in old
    html = page(second)
    assert (
        "Sở Du lịch được chia tách, thành lập từ Sở Giáo dục và Đào tạo từ ngày 01/03/2025."
        in lineage_section(html)
    )
    # A split unit does not inherit the old unit's ranks.
    assert "9,60" not in html
    assert "Đơn vị chưa tham gia khối thi đua nào." in html


def test_a_rename_and_a_transfer_of_functions_are_told(world: World) -> None:
    services.unit_rename(
        unit=world.outsider_unit, name="Sở Dân tộc và Tôn giáo", effective_date=MARCH
    )
    services.lineage_record(
        predecessor=world.admin_unit,
        successor=world.head,
        kind=UnitLineage.Kind.FUNCTIONS_TRANSFERRED,
        effective_date=MARCH,
    )
    renamed = lineage_section(page(world.outsider_unit))
    assert (
        "Trước đây là Sở Tư pháp, đổi tên thành Sở Dân tộc và Tôn giáo từ ngày 01/03/2025."
        in renamed
    )
    assert (
        "Sở Nội vụ chuyển chức năng, nhiệm vụ sang Sở Y tế từ ngày 01/03/2025."
        in lineage_section(page(world.admin_unit))
    )
    receiving = page(world.head)
    assert "Sở Y tế tiếp nhận chức năng, nhiệm vụ của Sở Nội vụ từ ngày 01/03/2025." in receiving
    # A transfer of functions does not make the other unit's years this unit's.
    assert '<span class="inherited">' not in receiving
