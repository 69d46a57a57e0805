"""Quotas counted across blocs in the application: the council admin's page and service, the
preview on the ranking page, finalization, the query budget (issue 18, item 2)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from blocs.models import AuditEntry, BlocYear, User
from scoring.models import BandQuota
from scoring.services import ranking as ranking_services
from scoring.services.quotas import band_quota_delete, band_quota_save
from tests.conftest import World, client_for, verified_year
from tests.factories import BlocFactory, CouncilFactory, UnitFactory

pytestmark = pytest.mark.django_db
D = Decimal
XS = "Hoàn thành xuất sắc nhiệm vụ"
TOT = "Hoàn thành tốt nhiệm vụ"


def cluster(world: World, extra: int = 4) -> tuple[BlocYear, BlocYear]:
    """2019 of the world's bloc (3 units) and of a second bloc (``extra`` units), verified.

    ``verified_year`` scores the n-th unit of a bloc 11,5 / 9,6 / 9,7 / 7,8 … of 10 points:
    in each bloc the first unit (115 %) and the second (96 %, rank 3) are rated xuất sắc; the
    third (97 %) misses the 85 % floor of section I and is rated tốt."""
    first = verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])
    units = [UnitFactory.create(council=world.council) for _ in range(extra)]
    second = verified_year(BlocFactory.create(council=world.council, name="Khối B"), 2019, units)
    return first, second


def quota(world: World, years: list[BlocYear], percent: str = "40") -> BandQuota:
    return band_quota_save(
        council=world.council,
        quota=None,
        name="Cụm thi đua số 1",
        year=2019,
        band=XS,
        share_percent=D(percent),
        bloc_year_ids=[year.pk for year in years],
        by=None,
    )


def ranking_url(bloc_year: BlocYear) -> str:
    return reverse("scoring:ranking", args=[bloc_year.bloc_id, bloc_year.year])


def bands(response: Any) -> dict[str, tuple[str, str | None]]:
    return {row.name: (row.band, row.band_note) for row in response.context["rows"]}


def test_the_ranking_page_previews_the_quota_with_the_other_blocs_live_rows(
    world: World, council_admin: User
) -> None:
    first, second = cluster(world)
    quota(world, [first, second])
    # 7 units × 40 % = 2,8 → 2. The two first units (115 %, rank 1) are one group and keep
    # the band; the two at 96 % (rank 3) go down together.
    response = client_for(council_admin).get(ranking_url(first))
    shown = bands(response)
    head, deputy = (
        world.head.short_name_on(first.last_day),
        world.deputy.short_name_on(first.last_day),
    )
    assert shown[head] == (XS, None)
    band, note = shown[deputy]
    assert band == TOT
    assert note is not None and note.startswith(
        "không xếp “Hoàn thành xuất sắc nhiệm vụ” vì hạn mức chung “Cụm thi đua số 1” tính chung"
    )
    assert "Khối B" in note and world.bloc.name in note
    assert note.endswith(
        "chỉ cho tối đa 40% (2 đơn vị) ở mức này; đơn vị đạt 96% điểm tối đa, xếp thứ 3 trong khối"
    )
    html = response.content.decode()
    assert "Hạn mức chung “Cụm thi đua số 1”: “Hoàn thành xuất sắc nhiệm vụ” tối đa 40%" in html
    assert "(2 trên 7 đơn vị, làm tròn" in html
    assert "Khối B (kết quả tạm tính hiện tại)" in html
    assert f"{world.bloc.name} (khối này)" in html


def test_finalization_keeps_the_quota_and_the_next_bloc_counts_the_frozen_rows(
    world: World, council_admin: User
) -> None:
    first, second = cluster(world)
    quota(world, [first, second])
    snapshot = ranking_services.bloc_year_finalize(bloc_year=first, by=None)
    frozen = {row.unit_id: row for row in snapshot.rows}
    assert frozen[world.deputy.pk].band == TOT
    assert "Cụm thi đua số 1" in (frozen[world.deputy.pk].band_note or "")
    assert frozen[world.head.pk].band == XS
    (line,) = snapshot.data["settings"]["quotas"]
    assert (line["limit"], line["counted"], line["percent"]) == (2, 7, "40")
    # The frozen page says the same, from the snapshot.
    html = client_for(council_admin).get(ranking_url(first)).content.decode()
    assert "Khối B (kết quả tạm tính hiện tại)" in html
    # The second bloc: the first bloc's frozen head holds one place; its own first unit takes
    # the second (115 %), its unit at 96 % goes down.
    response = client_for(council_admin).get(ranking_url(second))
    rows = list(response.context["rows"])
    assert [row.band for row in rows][:3] == [XS, TOT, TOT]
    assert "Cụm thi đua số 1" in (rows[2].band_note or "")
    assert f"{world.bloc.name} (kết quả đã chốt lần 1)" in response.content.decode()


def test_without_a_quota_nothing_changes(world: World, council_admin: User) -> None:
    first, second = cluster(world)
    quota(world, [first, second], "100")
    shown = bands(client_for(council_admin).get(ranking_url(first)))
    assert [band for band, _note in shown.values()] == [XS, TOT, XS]
    assert all(note is None or "hạn mức chung" not in note for _band, note in shown.values())


def test_the_service_checks_the_blocs_the_band_and_overlaps(world: World) -> None:
    first, second = cluster(world)
    elsewhere = CouncilFactory.create()
    stranger = verified_year(
        BlocFactory.create(council=elsewhere),
        2019,
        [UnitFactory.create(council=elsewhere), UnitFactory.create(council=elsewhere)],
    )

    def refused(**changes: object) -> dict[str, list[str]]:
        arguments: dict[str, object] = {
            "council": world.council,
            "quota": None,
            "name": "Cụm 1",
            "year": 2019,
            "band": XS,
            "share_percent": D(20),
            "bloc_year_ids": [first.pk, second.pk],
            "by": None,
        } | changes
        with pytest.raises(ValidationError) as caught:
            band_quota_save(**arguments)  # type: ignore[arg-type]
        return caught.value.message_dict

    assert "bloc_years" in refused(bloc_year_ids=[first.pk])
    assert "bloc_years" in refused(bloc_year_ids=[first.pk, stranger.pk])
    assert refused(band="Loại A")["band"] == [
        f"Bảng xếp loại của {world.bloc.name} không có mức “Loại A”.",
        "Bảng xếp loại của Khối B không có mức “Loại A”.",
    ]
    assert "band" in refused(band="Không hoàn thành nhiệm vụ")
    assert "name" in refused(name="  ")
    assert "share_percent" in refused(share_percent=D(101))
    quota(world, [first, second])
    assert "đã có hạn mức chung khác" in refused()["bloc_years"][0].lower()
    assert BandQuota.objects.count() == 1


def test_changes_are_audited_and_refused_once_a_bloc_is_finalized(world: World) -> None:
    first, second = cluster(world)
    found = quota(world, [first, second])
    entries = AuditEntry.objects.filter(action="ranking.band_quota")
    assert {entry.bloc_year_id for entry in entries} == {first.pk, second.pk}
    assert entries.first().changes["share_percent"] == "40"  # type: ignore[union-attr]
    ranking_services.bloc_year_finalize(bloc_year=first, by=None)
    with pytest.raises(ValidationError) as caught:
        band_quota_save(
            council=world.council,
            quota=found,
            name="Cụm 1",
            year=2019,
            band=XS,
            share_percent=D(60),
            bloc_year_ids=[first.pk, second.pk],
            by=None,
        )
    assert caught.value.messages == [
        f"{world.bloc.name} đã chốt kết quả năm 2019: hạn mức chung của khối không thay đổi "
        "được nữa."
    ]
    with pytest.raises(ValidationError):
        band_quota_delete(quota=found, by=None)
    found.refresh_from_db()
    assert found.share_percent == D(40)


def test_the_quota_pages_are_the_council_admins(
    world: World, council_admin: User, secretariat: User
) -> None:
    first, second = cluster(world)
    url = reverse("scoring:band-quotas", args=[world.council.code]) + "?year=2019"
    assert client_for(secretariat).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
    client = client_for(council_admin)
    page = client.get(url)
    assert page.status_code == 200
    assert {choice.data["label"] for choice in page.context["form"]["bloc_years"]} == {
        world.bloc.name,
        "Khối B",
    }
    data = {
        "name": "Cụm 1",
        "band": XS,
        "share_percent": "150",
        "bloc_years": [first.pk, second.pk],
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert refused.context["form"].errors["share_percent"] == ["Tỷ lệ phải từ 0 đến 100."]
    assert not BandQuota.objects.exists()
    saved = client.post(url, data | {"share_percent": "12,5"})
    assert saved.status_code == 302
    found = BandQuota.objects.get()
    assert found.share_percent == D("12.5")
    assert set(found.bloc_years.all()) == {first, second}
    one = reverse("scoring:band-quota", args=[world.council.code, found.pk])
    assert client_for(secretariat).get(one).status_code == 403
    assert client.post(one, data | {"share_percent": "30"}).status_code == 302
    found.refresh_from_db()
    assert found.share_percent == D(30)
    assert client.post(one, {"action": "delete"}).status_code == 302
    assert not BandQuota.objects.exists()


def test_the_admin_shows_quotas_without_changing_them(world: World) -> None:
    first, second = cluster(world)
    found = quota(world, [first, second])
    superuser = User.objects.create_superuser("root", password="x", unit=world.admin_unit)
    client = client_for(superuser)
    assert client.get(reverse("admin:scoring_bandquota_changelist")).status_code == 200
    change = client.get(reverse("admin:scoring_bandquota_change", args=[found.pk]))
    assert change.status_code == 200
    assert client.get(reverse("admin:scoring_bandquota_add")).status_code == 403


@pytest.mark.parametrize("members", [3, 12])
def test_a_quota_adds_a_fixed_number_of_queries_to_the_ranking_page(
    members: int, world: World, council_admin: User, django_assert_num_queries
) -> None:
    first, second = cluster(world, members)
    quota(world, [first, second])
    client = client_for(council_admin)
    # The page without quotas (9 for this council admin: session, bloc-year, its first facts
    # in one statement, person, councils, rules, criteria, members, sheets), plus: the
    # quotas, their bloc-years, the other bloc-years' latest snapshots, and the live ranking's
    # inputs of the other bloc (criteria, members, rules, lines).
    with django_assert_num_queries(16):
        assert client.get(ranking_url(first)).status_code == 200
