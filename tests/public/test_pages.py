"""What an anonymous visitor sees on the public pages: the organisation always, results only once
published for good. Every page is read next to a year that is not published (2018, shown to
its members provisionally) whose numbers and words must never reach the public."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from awards.models import Ballot
from blocs import services
from blocs.models import BlocYear
from scoring.models import CriteriaSet
from tests.conftest import client_for
from tests.factories import CouncilFactory
from tests.public.conftest import (
    DECISION_NUMBER,
    SECRET_BAND,
    SECRET_SHOWN,
    SECRET_SUMMARY,
    SECRET_TIE,
    PublicWorld,
)

pytestmark = pytest.mark.django_db


def anonymous_html(url: str) -> str:
    response = client_for(None).get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def assert_nothing_unpublished(html: str) -> None:
    for secret in (*SECRET_SHOWN, SECRET_BAND, SECRET_TIE, SECRET_SUMMARY):
        assert secret not in html


def test_the_council_page_shows_each_blocs_progress_and_no_result(
    public_world: PublicWorld,
) -> None:
    w = public_world
    url = reverse("blocs:council", args=[w.council.code])
    for year in (2018, 2019, 2020):
        html = anonymous_html(f"{url}?year={year}")
        assert_nothing_unpublished(html)
        assert f"Các khối, cụm thi đua năm {year}" in html
    published = anonymous_html(f"{url}?year=2019")
    assert "Đã công bố" in published and "Bước 6/8" in published
    provisional = anonymous_html(f"{url}?year=2018")
    assert "Công bố tạm thời" in provisional and "Bước 5/8" in provisional
    assert reverse("open-data-council-blocs", args=[w.council.code, 2018, "csv"]) in provisional


def test_the_council_pages_name_the_merger_both_ways(public_world: PublicWorld) -> None:
    w = public_world
    successor = CouncilFactory.create(
        code="DNG", name="Hội đồng Thi đua - Khen thưởng thành phố Đà Nẵng"
    )
    services.council_set_successor(
        council=w.council, successor=successor, effective_date=datetime.date(2025, 7, 1)
    )
    before = anonymous_html(reverse("blocs:council", args=["QNA"]))
    assert "Hợp nhất vào" in before
    assert "Hội đồng Thi đua - Khen thưởng thành phố Đà Nẵng</a> từ ngày 01/07/2025" in before
    after = anonymous_html(reverse("blocs:council", args=["DNG"]))
    assert "Tiếp nhận hội đồng đã hợp nhất" in after
    assert "Hội đồng Thi đua - Khen thưởng tỉnh Quảng Nam</a> từ ngày 01/07/2025" in after


def test_the_bloc_page_lists_heads_and_deputies_by_year(public_world: PublicWorld) -> None:
    w = public_world
    html = anonymous_html(reverse("blocs:bloc", args=[w.bloc.pk]))
    assert_nothing_unpublished(html)
    table = html[html.index("Trưởng khối, Khối phó qua các năm") : html.index("Thành viên qua")]
    # 2020 (head SYT, deputy SGDDT), 2019 (the same), 2018 (deputy's unit heads it).
    rows = table.split("<tr>")[2:]
    assert [row.count("Sở Giáo dục và Đào tạo") for row in rows] == [1, 1, 1]
    assert "2018" in rows[2] and "Báo Quảng Nam" in rows[2]
    assert "Bước 5/8" in rows[2] and "Bước 6/8" in rows[1] and "Bước 1/8" in rows[0]
    assert reverse("open-data-bloc-members", args=[w.bloc.pk, "json"]) in html


def test_a_published_year_shows_ranking_awards_and_issued_documents(
    public_world: PublicWorld,
) -> None:
    w = public_world
    snapshot = w.docs.snapshot
    snapshot.data["rows"][2]["tie_break"] = "xếp dưới Báo Quảng Nam do điểm Mục I thấp hơn"
    snapshot.save(update_fields=["data"])
    html = anonymous_html(reverse("bloc-year", args=[w.bloc.pk, 2019]))
    assert_nothing_unpublished(html)
    results = html[html.index("Kết quả xếp hạng") : html.index("Khen thưởng đã có quyết định")]
    assert "11,50" in results and "9,70" in results and "9,60" in results
    assert results.index("Sở Y tế") < results.index("Báo Quảng Nam") < results.index("Sở Giáo")
    assert "Hoàn thành tốt nhiệm vụ" in results
    assert "xếp dưới Báo Quảng Nam do điểm Mục I thấp hơn" in results
    assert reverse("scoring:ranking", args=[w.bloc.pk, 2019]) in results
    awards = html[html.index("Khen thưởng đã có quyết định") :]
    assert "Cờ thi đua của Chính phủ" in awards
    assert f"Số {DECISION_NUMBER} ngày 01/03/2020" in awards
    # The member's provincial-flag proposal is only a draft: not an award.
    assert "Cờ thi đua của Ủy ban nhân dân tỉnh" not in awards
    assert reverse("reports:preview", args=[w.report.pk]) in html
    assert reverse("reports:preview", args=[w.minutes.pk]) not in html
    for name in ("open-data-ranking", "open-data-awards", "open-data-bloc-year-members"):
        for fmt in ("csv", "excel.csv", "xlsx", "json"):
            assert reverse(name, args=[w.bloc.pk, 2019, fmt]) in html
    assert f'href="{reverse("open-data")}"' in html


def test_a_year_not_yet_published_shows_members_head_deputy_and_steps_only(
    public_world: PublicWorld,
) -> None:
    w = public_world
    html = anonymous_html(reverse("bloc-year", args=[w.bloc.pk, 2018]))
    assert_nothing_unpublished(html)
    assert "Kết quả xếp hạng" not in html and "Khen thưởng đã có quyết định" not in html
    assert reverse("scoring:ranking", args=[w.bloc.pk, 2018]) not in html
    assert reverse("reports:preview", args=[w.secret_report.pk]) not in html
    assert reverse("open-data-ranking", args=[w.bloc.pk, 2018, "csv"]) not in html
    assert "được công khai sau khi khối công bố chính thức" in html
    # The organisation is public: members, head, deputy, the cycle.
    assert 'aria-current="step">Công bố tạm thời' in html
    for name in ("Sở Y tế", "Sở Giáo dục và Đào tạo", "Báo Quảng Nam"):
        assert name in html
    assert reverse("open-data-bloc-year-members", args=[w.bloc.pk, 2018, "csv"]) in html


def test_the_members_see_no_public_results_section_before_publication_either(
    public_world: PublicWorld, focal_point: object
) -> None:
    html = (
        client_for(focal_point)  # type: ignore[arg-type]
        .get(reverse("bloc-year", args=[public_world.bloc.pk, 2018]))
        .content.decode()
    )
    assert "Khen thưởng đã có quyết định" not in html
    assert SECRET_SUMMARY not in html


def test_the_ranking_page_explains_ties_to_the_public(public_world: PublicWorld) -> None:
    w = public_world
    snapshot = w.docs.snapshot
    snapshot.data["rows"][1]["tie_break"] = "xếp trên Sở GD-ĐT do ít điểm trừ hơn"
    snapshot.save(update_fields=["data"])
    html = anonymous_html(reverse("scoring:ranking", args=[w.bloc.pk, 2019]))
    assert "xếp trên Sở GD-ĐT do ít điểm trừ hơn" in html
    hidden = client_for(None).get(reverse("scoring:ranking", args=[w.bloc.pk, 2018]))
    assert hidden.status_code in (302, 404)  # not public: log in, or nothing at all
    assert_nothing_unpublished(hidden.content.decode())


def test_the_unit_page_shows_published_results_and_awards_only(public_world: PublicWorld) -> None:
    w = public_world
    html = anonymous_html(reverse("unit", args=[w.head.pk]))
    assert_nothing_unpublished(html)
    results = html[html.index("Kết quả thi đua các năm") : html.index("Khen thưởng đã nhận")]
    rows = results.split("<tr>")[2:]
    assert [row[row.index(">20") + 1 : row.index(">20") + 5] for row in rows] == [
        "2020",
        "2019",
        "2018",
    ]
    assert "<strong>1</strong>/3" in rows[1] and "11,50" in rows[1]
    assert "Hoàn thành xuất sắc nhiệm vụ" in rows[1]
    assert "Công bố tạm thời" in rows[2] and "<strong>" not in rows[2]
    awards = html[html.index("Khen thưởng đã nhận") :]
    assert "Cờ thi đua của Chính phủ" in awards and f"Số {DECISION_NUMBER}" in awards
    assert reverse("open-data-unit-results", args=[w.head.pk, "xlsx"]) in html
    assert reverse("open-data-unit-awards", args=[w.head.pk, "xlsx"]) in html


def test_a_member_still_sees_its_provisional_result_on_the_unit_page(
    public_world: PublicWorld, focal_point: object
) -> None:
    html = (
        client_for(focal_point)  # type: ignore[arg-type]
        .get(reverse("unit", args=[public_world.member.pk]))
        .content.decode()
    )
    assert SECRET_SHOWN[0] in html  # the member ranked first in 2018, provisionally


def test_the_criteria_of_a_published_year_are_public(public_world: PublicWorld) -> None:
    """Issue 20.6: "xem tiêu chí" of a published year opens for everyone, without the history of
    changes (it names people); the criteria of a year not published still ask to sign in."""
    w = public_world
    criteria_set = w.published.scoring.criteria_set
    html = anonymous_html(criteria_set.get_absolute_url())
    assert criteria_set.name in html
    assert "I.1" in html
    assert "Lịch sử thay đổi" not in html
    assert reverse("scoring:criteria-set-edit", args=[criteria_set.pk]) not in html
    year = anonymous_html(reverse("bloc-year", args=[w.bloc.pk, 2019]))
    assert criteria_set.get_absolute_url() in year
    unpublished = CriteriaSet.objects.create(
        council=w.council, year=2018, name="Bảng tiêu chí 2018"
    )
    response = client_for(None).get(unpublished.get_absolute_url())
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_conference_reads_as_held_once_the_ballot_was_held(
    public_world: PublicWorld,
) -> None:
    """Issue 20.6: the bloc-year records no conference day, but its ballot was held: the page
    gives the ballot's day, not "chưa tổ chức"."""
    w = public_world
    BlocYear.objects.filter(pk=w.published.pk).update(conference_date=None)
    ballot = Ballot.objects.get(bloc_year=w.published)
    html = anonymous_html(reverse("bloc-year", args=[w.bloc.pk, 2019]))
    held = html[html.index("Hội nghị tổng kết") :][:200]
    assert "chưa tổ chức" not in held
    assert f"{ballot.held_on:%d/%m/%Y}" in held
