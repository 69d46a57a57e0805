"""The council's view of a year: every bloc's proposals side by side, counts per award, the
province-wide Government-flag check, the XLSX download, and a query budget that does not grow
with the number of blocs."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import AwardType, Decision, Proposal
from blocs import services as bloc_services
from blocs.models import BlocYear, Council, User
from tests.conftest import AwardsWorld, World, client_for
from tests.factories import BlocFactory, UnitFactory

pytestmark = pytest.mark.django_db

YEAR = 2030  # a year of its own: the world's blocs have none


def province(council: Council, blocs: int, government_flags: int) -> list[BlocYear]:
    """``blocs`` bloc-years of two units each; the first ``government_flags`` blocs propose
    their head for the Government flag, every bloc proposes its second unit for a certificate."""
    awards = {a.code: a for a in AwardType.objects.filter(rule_set__code="LUAT-2022-ND152")}
    bloc_years = []
    for index in range(blocs):
        bloc = BlocFactory.create(
            council=council, code=f"K{index:02d}", name=f"Khối số {index:02d}"
        )
        units = [UnitFactory.create(council=council) for _unit in range(2)]
        bloc_year = bloc_services.bloc_year_create(
            bloc=bloc, year=YEAR, members=units, head=units[0], deputy=units[1]
        )
        BlocYear.objects.filter(pk=bloc_year.pk).update(state=BlocYear.State.PROPOSED)
        if index < government_flags:
            Proposal.objects.create(
                bloc_year=bloc_year,
                unit=units[0],
                award_type=awards["GOV_FLAG"],
                status=Proposal.Status.SUBMITTED,
                rank=1,
                total=Decimal("97.5"),
                band="Hoàn thành xuất sắc nhiệm vụ",
                votes_for=2,
                submitted_at=timezone.now(),
            )
        Proposal.objects.create(
            bloc_year=bloc_year,
            unit=units[1],
            award_type=awards["PROV_CERT"],
            status=Proposal.Status.APPROVED,
            rank=2,
            votes_for=2,
        )
        bloc_years.append(bloc_year)
    return bloc_years


def test_the_council_view_shows_every_bloc_with_counts_per_award(
    world: World, leader: User
) -> None:
    province(world.council, 5, 1)
    html = (
        client_for(leader)
        .get(reverse("awards:council-view", args=[world.council.code, YEAR]))
        .content.decode()
    )
    for index in range(5):
        assert f"Khối số {index:02d}" in html
    assert "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh" in html
    # Totals per award column: GOV_FLAG 1, PROV_FLAG 0, PROV_CERT 5, the two titles 0.
    footer = html[html.index("Tổng số đề nghị") :]
    assert [
        cell.split("</strong>")[0] for cell in footer.split('<td class="num"><strong>')[1:6]
    ] == ["1", "0", "5", "0", "0"]
    # 1 of 5 blocs is exactly 20 %: within the share, no warning.
    assert "1 Cờ thi đua của Chính phủ được đề nghị trên 5 khối" in html
    assert "Cảnh báo" not in html


def test_three_government_flags_over_ten_blocs_raise_the_20_percent_warning(
    world: World, council_admin: User
) -> None:
    province(world.council, 10, 3)
    html = (
        client_for(council_admin)
        .get(reverse("awards:council-view", args=[world.council.code, YEAR]))
        .content.decode()
    )
    assert "Cảnh báo:" in html
    assert (
        "3 đề nghị Cờ thi đua của Chính phủ cho 10 khối, tức 30% số đơn vị dẫn đầu khối; "
        "hướng dẫn chỉ cho đề nghị tối đa 20%"
    ) in html


def test_drafts_stay_out_and_links_lead_to_each_proposal(
    awards_world: AwardsWorld, council_admin: User
) -> None:
    w = awards_world
    html = (
        client_for(council_admin)
        .get(reverse("awards:council-view", args=[w.council.code, 2019]))
        .content.decode()
    )
    assert w.submitted_proposal.get_absolute_url() in html
    assert w.draft_proposal.get_absolute_url() not in html
    assert "Đã trình" in html
    # A year switcher over the council's years.
    assert reverse("awards:council-view", args=[w.council.code, 2020]) in html


def test_people_outside_the_councils_admins_and_leaders_are_refused(
    awards_world: AwardsWorld, secretariat: User
) -> None:
    url = reverse("awards:council-view", args=[awards_world.council.code, 2019])
    assert client_for(secretariat).get(url).status_code == 403
    assert client_for(secretariat).get(url.replace("/QNA/", "/XYZ/")).status_code == 404


def test_the_xlsx_has_one_row_per_proposal_with_text_kept_as_text(
    awards_world: AwardsWorld, council_admin: User
) -> None:
    w = awards_world
    Proposal.objects.filter(pk=w.submitted_proposal.pk).update(
        status=Proposal.Status.APPROVED,
        decision=w.decision,
        total=Decimal("97.25"),
        band="Xuất sắc",
    )
    w.head.name = '=HYPERLINK("http://x")'
    w.head.save()
    response = client_for(council_admin).get(
        reverse("awards:council-export", args=[w.council.code, 2019])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "de-nghi-khen-thuong-QNA-2019.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Đề nghị khen thưởng"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0] == [
        "Khối",
        "Đơn vị",
        "Hình thức khen thưởng",
        "Thứ hạng",
        "Tổng điểm",
        "Xếp loại",
        "Số phiếu đồng ý",
        "Trạng thái",
        "Quyết định",
    ]
    assert len(rows) == 2  # the draft stays out
    bloc, unit, award, rank, total, band, votes, status, decision = rows[1]
    assert (bloc, award, rank, total, band, votes) == (
        "Khối thi đua tham mưu III",
        "Cờ thi đua của Chính phủ",
        1,
        97.25,
        "Xuất sắc",
        3,
    )
    assert unit == '=HYPERLINK("http://x")'
    assert sheet.cell(row=4, column=2).data_type == "s"
    assert (status, decision) == ("Đã có quyết định", "123/QĐ-UBND (01/03/2020)")


@pytest.mark.parametrize("blocs", [2, 8])
def test_the_council_view_and_its_export_keep_their_query_budget_as_blocs_grow(
    blocs: int, world: World, council_admin: User, django_assert_num_queries: Any
) -> None:
    bloc_years = province(world.council, blocs, 1)
    decision = Decision.objects.create(
        council=world.council, number="1/QĐ-UBND", date=timezone.localdate()
    )
    Proposal.objects.filter(bloc_year=bloc_years[0], status=Proposal.Status.APPROVED).update(
        decision=decision
    )
    client = client_for(council_admin)
    # session, user, council, managed councils, years, bloc-years counted, the page's
    # bloc-years, rule set, awards, proposals, their units' former names, the council's totals
    with django_assert_num_queries(12):
        response = client.get(reverse("awards:council-view", args=[world.council.code, YEAR]))
    assert response.status_code == 200
    # the file: every bloc, no count and no separate totals
    with django_assert_num_queries(10):
        response = client.get(reverse("awards:council-export", args=[world.council.code, YEAR]))
    assert response.status_code == 200
