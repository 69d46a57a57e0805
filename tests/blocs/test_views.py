"""What the organisation pages show, to whom."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from blocs import services
from blocs.models import BlocYear, UnitLineage, User
from tests.conftest import World, client_for
from tests.factories import CouncilFactory

pytestmark = pytest.mark.django_db


def test_home_lists_the_active_councils_blocs_with_head_and_deputy(world: World) -> None:
    response = client_for(None).get(reverse("blocs:home"))
    html = response.content.decode()
    assert "Khối thi đua tham mưu III" in html
    assert "Khối thi đua tham mưu I" in html
    assert "Sở Y tế" in html and "Sở Giáo dục và Đào tạo" in html
    assert 'lang="vi"' in html


def test_home_separates_councils_merged_into_another(world: World) -> None:
    successor = CouncilFactory.create(name="Hội đồng Thi đua - Khen thưởng thành phố Đà Nẵng")
    services.council_set_successor(
        council=world.council, successor=successor, effective_date=datetime.date(2025, 7, 1)
    )
    html = client_for(None).get(reverse("blocs:home")).content.decode()
    former = html.split("Hội đồng trước sắp xếp")[1]
    assert "Hội đồng Thi đua - Khen thưởng tỉnh Quảng Nam" in former
    assert "30/06/2025" in former


def test_council_page_switches_year(world: World) -> None:
    services.bloc_year_create(bloc=world.bloc, year=2021, members=[world.member])
    client = client_for(None)
    latest = client.get(reverse("blocs:council", args=["QNA"])).content.decode()
    assert "năm 2021" in latest
    older = client.get(reverse("blocs:council", args=["QNA"]), {"year": "2020"}).content.decode()
    assert "năm 2020" in older


def test_unknown_council_bloc_year_and_unit_are_404(world: World) -> None:
    client = client_for(None)
    assert client.get(reverse("blocs:council", args=["XYZ"])).status_code == 404
    assert client.get(reverse("blocs:bloc", args=[999999])).status_code == 404
    assert client.get(reverse("bloc-year", args=[world.bloc.pk, 1999])).status_code == 404
    assert client.get(reverse("unit", args=[999999])).status_code == 404


def test_bloc_year_page_prints_the_names_of_that_year(world: World) -> None:
    services.unit_rename(
        unit=world.member,
        name="Báo và Phát thanh, Truyền hình Quảng Nam",
        effective_date=datetime.date(2025, 3, 1),
    )
    html = client_for(None).get(reverse("bloc-year", args=[world.bloc.pk, 2020])).content.decode()
    assert "Báo Quảng Nam" in html
    assert "Báo và Phát thanh, Truyền hình Quảng Nam" not in html
    assert "Trưởng khối" in html and "Sở Y tế" in html


def test_bloc_page_shows_members_and_leaders_over_the_years(world: World) -> None:
    services.bloc_year_create(
        bloc=world.bloc,
        year=2021,
        members=[world.head, world.member],
        head=world.member,
        deputy=world.head,
    )
    html = client_for(None).get(reverse("blocs:bloc", args=[world.bloc.pk])).content.decode()
    assert html.index("2021") < html.index("2020")
    assert "Báo Quảng Nam" in html


def test_unit_page_follows_lineage_both_ways(world: World) -> None:
    services.lineage_record(
        predecessor=world.member,
        successor=world.head,
        kind=UnitLineage.Kind.MERGED_INTO,
        effective_date=datetime.date(2025, 3, 1),
    )
    before = client_for(None).get(reverse("unit", args=[world.member.pk])).content.decode()
    assert "sáp nhập vào Sở Y tế" in before
    assert "01/03/2025" in before
    after = client_for(None).get(reverse("unit", args=[world.head.pk])).content.decode()
    assert "Báo Quảng Nam" in after


def test_my_work_of_the_secretariat_leads_to_the_bloc_year(world: World, secretariat: User) -> None:
    html = client_for(secretariat).get(reverse("my-work")).content.decode()
    assert "Điều hành Khối thi đua tham mưu III năm 2020" in html
    assert world.bloc_year.get_absolute_url() in html


def test_my_work_of_a_focal_point_shows_the_units_bloc(world: World, focal_point: User) -> None:
    html = client_for(focal_point).get(reverse("my-work")).content.decode()
    assert "Năm thi đua 2020 của đơn vị trong Khối thi đua tham mưu III" in html
    assert "Điều hành" not in html


def test_my_work_of_a_council_admin_lists_unfinished_setups(
    world: World, council_admin: User
) -> None:
    BlocYear.objects.create(bloc=world.bloc, year=2021)
    html = client_for(council_admin).get(reverse("my-work")).content.decode()
    assert "Thiết lập Khối thi đua tham mưu III năm 2021" in html
    assert "Còn thiếu: thành viên, Trưởng khối, Khối phó" in html


def test_my_work_of_a_leader_points_to_the_council(world: World, leader: User) -> None:
    html = client_for(leader).get(reverse("my-work")).content.decode()
    assert world.council.get_absolute_url() in html


def test_language_switch_turns_the_interface_english(world: World) -> None:
    client = client_for(None)
    client.post(reverse("set-language"), {"language": "en", "next": "/"})
    html = client.get(reverse("blocs:home")).content.decode()
    assert 'lang="en"' in html
    assert "Log in" in html


def test_interface_stays_vietnamese_for_an_english_browser(world: World) -> None:
    html = (
        client_for(None)
        .get(reverse("blocs:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        .content.decode()
    )
    assert 'lang="vi"' in html
    assert "Đăng nhập" in html


def test_healthz_reports_the_database(db: None) -> None:
    response = client_for(None).get(reverse("healthz"))
    assert response.json() == {"status": "ok", "database": "ok"}
