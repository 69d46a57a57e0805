"""The demonstration scenario loads, twice, into the shape docs/decisions.md ("Demo") describes."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from blocs.models import Bloc, BlocYear, Council, Membership, Unit, UnitLineage, User
from demo.organisation import load_organisation

pytestmark = pytest.mark.django_db


def test_loading_twice_changes_nothing() -> None:
    load_organisation()
    counts = [
        model.objects.count()
        for model in (Council, Unit, Bloc, BlocYear, Membership, UnitLineage, User)
    ]
    load_organisation()
    assert counts == [
        model.objects.count()
        for model in (Council, Unit, Bloc, BlocYear, Membership, UnitLineage, User)
    ]


def test_the_article_bloc_has_its_seven_members_in_2020_and_2021() -> None:
    load_organisation()
    bloc = Bloc.objects.get(council__code="QNA", code="TM3", name="Khối thi đua tham mưu III")
    for year in (2020, 2021):
        names = set(
            Membership.objects.filter(bloc_year__bloc=bloc, year=year).values_list(
                "unit__name", flat=True
            )
        )
        assert names == {
            "Đài Phát thanh - Truyền hình Quảng Nam",
            "Báo Quảng Nam",
            "Sở Giáo dục và Đào tạo",
            "Sở Lao động - Thương binh và Xã hội",
            "Sở Thông tin và Truyền thông",
            "Sở Văn hóa, Thể thao và Du lịch",
            "Sở Y tế",
        }
    assert BlocYear.objects.get(bloc=bloc, year=2020).state == BlocYear.State.UNDERWAY
    assert BlocYear.objects.get(bloc=bloc, year=2021).state == BlocYear.State.SCORING


def test_quang_nam_merged_into_da_nang_with_lineage() -> None:
    load_organisation()
    qna = Council.objects.get(code="QNA")
    assert qna.successor and qna.successor.code == "DNG"
    assert str(qna.valid_until) == "2025-06-30"
    stttt = Unit.objects.get(council=qna, code="STTTT")
    assert stttt.successor_links.filter(
        kind=UnitLineage.Kind.MERGED_INTO, successor__code="SKHCN"
    ).exists()
    assert Bloc.objects.filter(council__code="QNA").count() >= 3
    assert Membership.objects.filter(bloc_year__bloc__code="TM1", year=2021).count() == 10
    ban_dan_toc = Unit.objects.get(council=qna, code="BDT")
    assert ban_dan_toc.name_in_year(2020) == "Ban Dân tộc"
    assert ban_dan_toc.name_in_year(2025) == "Sở Dân tộc và Tôn giáo"


def test_there_is_one_demo_person_per_role() -> None:
    load_organisation()
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {User.Role.COUNCIL_ADMIN, User.Role.LEADER, User.Role.FOCAL_POINT}


def test_command_with_if_empty_leaves_existing_data_alone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    Council.objects.create(code="X", name="Hội đồng có sẵn", province="X")
    call_command("load_demo", "--if-empty")
    assert not Unit.objects.exists()
    call_command("load_demo")
    assert Unit.objects.filter(council__code="QNA").exists()


def test_the_2020_ranking_is_the_one_the_article_implies() -> None:
    from demo.scoring import load_scoring
    from scoring.models import RankingSnapshot

    load_organisation()
    load_scoring()
    snapshot = RankingSnapshot.objects.get(bloc_year__bloc__code="TM3", bloc_year__year=2020)
    codes = [row.code for row in snapshot.rows]
    assert codes[:3] == ["SLDTBXH", "DPTTH", "STTTT"]
    assert snapshot.rows[1].total == snapshot.rows[2].total
    assert (snapshot.rows[1].tie_break or "").startswith("xếp trên Sở TT-TT do điểm Mục I cao hơn")
    assert BlocYear.objects.get(bloc__code="TM3", year=2020).state == BlocYear.State.PUBLISHED
    # 2019 came in through the workbook contract and was published too.
    assert RankingSnapshot.objects.filter(
        bloc_year__bloc__code="TM3", bloc_year__year=2019
    ).exists()


@pytest.mark.django_db
def test_the_benchmarks_stack_floor_reads_the_session_and_the_person_only(
    client: Client, django_assert_max_num_queries: Any, focal_point: User
) -> None:
    """``manage.py bench`` measures every page against this one (docs/performance.md)."""
    person = focal_point
    client.force_login(person)
    with override_settings(ROOT_URLCONF="demo.bench_urls"), django_assert_max_num_queries(3):
        response = client.get("/bench/floor/")
    assert response.status_code == 200
    assert response.content == str(person.pk).encode()
    assert client.get("/bench/floor/").status_code == 404  # the app's own URLs have no such page
