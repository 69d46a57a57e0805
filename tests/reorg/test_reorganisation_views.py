"""The reorganisation tool's pages: describe, preview, confirm; errors at their fields."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from blocs import services
from blocs.models import BlocYear, Unit, UnitLineage, User
from tests.conftest import World, client_for
from tests.factories import CouncilFactory, UnitFactory

pytestmark = pytest.mark.django_db


def form_url(operation: str, code: str = "QNA") -> str:
    return reverse("blocs:reorganisation-form", args=[code, operation])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("council_admin", 200),
        ("secretariat", 403),
        ("focal_point", 403),
        ("outsider", 403),
        ("leader", 403),
    ],
)
def test_only_council_admins_may_reorganise_units(
    world: World, personas: dict, persona: str, status: int
) -> None:
    client = client_for(personas[persona])
    assert client.get(reverse("blocs:reorganisation", args=["QNA"])).status_code == status
    assert client.get(form_url("merge")).status_code == status
    posted = client.post(
        form_url("transfer"),
        {
            "action": "apply",
            "unit": world.member.pk,
            "target": world.head.pk,
            "effective_date": "01/03/2025",
            "note": "Báo chí",
        },
    )
    assert posted.status_code == (302 if persona == "anonymous" else status)
    assert UnitLineage.objects.exists() is False


def test_an_admin_of_another_council_may_not_and_unknown_pages_are_404(
    world: World, council_admin: User
) -> None:
    other = CouncilFactory.create(code="HUE")
    stranger = services.user_create(
        username="quantri.hue",
        password="x",
        unit=UnitFactory.create(council=other),
        role=User.Role.COUNCIL_ADMIN,
    )
    assert client_for(stranger).get(form_url("merge")).status_code == 403
    admin = client_for(council_admin)
    assert admin.get(form_url("merge", "XYZ")).status_code == 404
    assert admin.get(form_url("explode")).status_code == 404


def test_a_successor_councils_admin_may_reorganise_the_merged_councils_units(
    world: World,
) -> None:
    successor = CouncilFactory.create(code="DNG")
    services.council_set_successor(
        council=world.council, successor=successor, effective_date=datetime.date(2025, 7, 1)
    )
    admin = services.user_create(
        username="quantri.dng",
        password="x",
        unit=UnitFactory.create(council=successor),
        role=User.Role.COUNCIL_ADMIN,
    )
    assert client_for(admin).get(form_url("rename")).status_code == 200


def test_merge_preview_then_confirmation(world: World, council_admin: User) -> None:
    year = services.bloc_year_create(
        bloc=world.bloc,
        year=2025,
        members=[world.head, world.deputy, world.member],
        head=world.head,
        deputy=world.deputy,
    )
    target = UnitFactory.create(council=world.council, name="Sở Y tế và Dân số", code="SYTDS")
    client = client_for(council_admin)
    data = {
        "units": [str(world.head.pk)],
        "effective_date": "01/03/2025",
        "target": str(target.pk),
        "new_code": "",
        "new_name": "",
        "new_short_name": "",
        "new_kind": "department",
        "note": "Quyết định 15/QĐ-UBND",
    }
    preview = client.post(form_url("merge"), {**data, "action": "preview"})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Xem trước: Sáp nhập, hợp nhất" in html
    assert "<strong>Sở Y tế và Dân số</strong> thay Sở Y tế (Trưởng khối)" in html
    assert "hoạt động đến hết ngày 28/02/2025" in html
    assert not UnitLineage.objects.exists()
    digest = preview.context["preview"].digest
    done = client.post(form_url("merge"), {**data, "action": "apply", "digest": digest})
    assert done.status_code == 302
    assert done["Location"] == reverse("blocs:council-lineage", args=["QNA"])
    assert year.memberships.get(role="head").unit == target
    lineage = client_for(None).get(done["Location"]).content.decode()
    assert "Sở Y tế và Dân số" in lineage and "sáp nhập vào" in lineage


def test_merging_a_unit_into_itself_is_refused_at_the_field(
    world: World, council_admin: User
) -> None:
    response = client_for(council_admin).post(
        form_url("merge"),
        {
            "action": "preview",
            "units": [str(world.head.pk)],
            "effective_date": "01/03/2025",
            "target": str(world.head.pk),
            "note": "Ghi chú vẫn giữ",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert 'href="#id_target"' in html
    assert "Không thể sáp nhập một đơn vị vào chính nó." in html
    assert "Ghi chú vẫn giữ" in html  # what was typed stays


def test_a_unit_of_another_council_is_refused_with_a_clear_message(
    world: World, council_admin: User
) -> None:
    foreign = UnitFactory.create(council=CouncilFactory.create())
    response = client_for(council_admin).post(
        form_url("rename"),
        {
            "action": "preview",
            "unit": str(foreign.pk),
            "effective_date": "01/03/2025",
            "new_name": "Tên mới",
        },
    )
    html = response.content.decode()
    assert "Đơn vị không thuộc hội đồng này" in html
    assert Unit.objects.get(pk=foreign.pk).name != "Tên mới"


def test_a_bad_date_is_named(world: World, council_admin: User) -> None:
    response = client_for(council_admin).post(
        form_url("rename"),
        {"action": "preview", "unit": str(world.member.pk), "effective_date": "31/02/2025"},
    )
    html = response.content.decode()
    # The form was right; the day does not exist, and the page says so.
    assert "Không có ngày 31/02/2025: tháng 2 năm 2025 có 28 ngày." in html
    assert 'href="#id_new_name"' in html
    response = client_for(council_admin).post(
        form_url("rename"),
        {"action": "preview", "unit": str(world.member.pk), "effective_date": "2025/02/01x"},
    )
    assert "Nhập ngày theo dạng ngày/tháng/năm" in response.content.decode()


def test_split_new_units_are_checked_row_by_row(world: World, council_admin: User) -> None:
    data = {
        "unit": str(world.member.pk),
        "effective_date": "01/03/2025",
        "original_ends": "on",
        "new-TOTAL_FORMS": "3",
        "new-INITIAL_FORMS": "0",
        "new-MIN_NUM_FORMS": "0",
        "new-MAX_NUM_FORMS": "10",
        "new-0-code": world.head.code,
        "new-0-name": "Báo Quảng Nam điện tử",
        "new-0-joins_blocs": "on",
        "new-1-joins_blocs": "on",
        "new-2-joins_blocs": "on",
    }
    client = client_for(council_admin)
    clash = client.post(form_url("split"), {**data, "action": "preview"})
    assert "Mã SYT đã có đơn vị dùng." in clash.content.decode()
    ok = client.post(form_url("split"), {**data, "new-0-code": "BQNDT", "action": "preview"})
    assert "Đơn vị được thành lập" in ok.content.decode()
    digest = ok.context["preview"].digest
    done = client.post(
        form_url("split"), {**data, "new-0-code": "BQNDT", "action": "apply", "digest": digest}
    )
    assert done.status_code == 302
    assert UnitLineage.objects.get(predecessor=world.member).successor.code == "BQNDT"


def test_past_years_keep_their_names_after_a_rename(world: World, council_admin: User) -> None:
    for year in (2024, 2025):
        services.bloc_year_create(bloc=world.bloc, year=year, members=[world.member])
    data = {
        "unit": str(world.member.pk),
        "effective_date": "01/03/2025",
        "new_name": "Báo và Phát thanh, Truyền hình Quảng Nam",
        "new_short_name": "",
        "note": "",
    }
    client = client_for(council_admin)
    preview = client.post(form_url("rename"), {**data, "action": "preview"})
    assert "các trang về những năm trước vẫn in tên này" in preview.content.decode()
    digest = preview.context["preview"].digest
    assert (
        client.post(form_url("rename"), {**data, "action": "apply", "digest": digest}).status_code
        == 302
    )
    public = client_for(None)
    page_2024 = public.get(reverse("bloc-year", args=[world.bloc.pk, 2024])).content.decode()
    page_2025 = public.get(reverse("bloc-year", args=[world.bloc.pk, 2025])).content.decode()
    assert "Báo Quảng Nam" in page_2024
    assert "Báo và Phát thanh, Truyền hình Quảng Nam" not in page_2024
    assert "Báo và Phát thanh, Truyền hình Quảng Nam" in page_2025
    assert BlocYear.objects.get(bloc=world.bloc, year=2020).memberships.count() == 3


def test_a_stale_confirmation_shows_the_new_preview(world: World, council_admin: User) -> None:
    services.bloc_year_create(bloc=world.bloc, year=2025, members=[world.member])
    data = {
        "unit": str(world.member.pk),
        "effective_date": "01/03/2025",
        "target": str(world.head.pk),
        "note": "Báo chí",
    }
    client = client_for(council_admin)
    response = client.post(form_url("transfer"), {**data, "action": "apply", "digest": "cũ"})
    assert response.status_code == 200
    assert "Dữ liệu đã thay đổi từ lúc xem trước" in response.content.decode()
    assert not UnitLineage.objects.exists()
