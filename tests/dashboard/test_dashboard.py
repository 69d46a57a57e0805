"""The leaders' dashboard: who may open it, what it shows on a built world, and its query budget
whatever the number of blocs, units and years."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awards.models import AwardType, Proposal
from blocs import services as bloc_services
from blocs.access import dashboard_council_ids
from blocs.models import BlocYear, Council, UnitLineage, User
from portal.dashboard import dashboard_data, unit_trend
from scoring.selectors.ranking import ranking_input
from tests.conftest import AwardsWorld, client_for, verified_year
from tests.factories import BlocFactory, UnitFactory

pytestmark = pytest.mark.django_db


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def page(user: User, **params: Any) -> str:
    response = client_for(user).get(reverse("dashboard"), params)
    assert response.status_code == 200
    return response.content.decode()


def with_deadlines(w: AwardsWorld) -> AwardsWorld:
    """2020: every unit of TM3 late (two sheets not sent, the deputy's not verified)."""
    BlocYear.objects.filter(pk=w.bloc_year.pk).update(
        self_assessment_due=days_from_today(-3), verification_due=days_from_today(-1)
    )
    return w


# ---------------------------------------------------------------------------- who


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("council_admin", 200),
        ("secretariat", 403),
        ("focal_point", 403),
        ("outsider", 403),
        ("leader", 200),
    ],
)
def test_leaders_and_council_admins_open_the_dashboard(
    awards_world: AwardsWorld, personas: dict[str, User | None], persona: str, status: int
) -> None:
    response = client_for(personas[persona]).get(reverse("dashboard"))
    assert response.status_code == status
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_a_leader_sees_the_councils_the_own_council_succeeded(awards_world: AwardsWorld) -> None:
    w = awards_world
    successor = Council.objects.create(code="DNG", name="Hội đồng TĐKT thành phố Đà Nẵng")
    w.council.successor = successor
    w.council.save()
    unit = UnitFactory.create(council=successor)
    leader = bloc_services.user_create(
        username="lanhdao-dn", password="x", unit=unit, role=User.Role.LEADER
    )
    assert dashboard_council_ids(leader) == {w.council.pk, successor.pk}
    assert "Khối thi đua tham mưu III" in page(leader)


def test_the_menu_offers_the_dashboard_to_leaders_and_admins_only(
    awards_world: AwardsWorld, leader: User, council_admin: User, focal_point: User
) -> None:
    link = f'href="{reverse("dashboard")}"'
    assert link in client_for(leader).get(reverse("my-work")).content.decode()
    assert link in client_for(council_admin).get(reverse("my-work")).content.decode()
    assert link not in client_for(focal_point).get(reverse("my-work")).content.decode()


def test_a_unit_of_another_council_is_not_found(awards_world: AwardsWorld, leader: User) -> None:
    stranger = UnitFactory.create()
    response = client_for(leader).get(reverse("dashboard"), {"unit": stranger.pk})
    assert response.status_code == 404


# ---------------------------------------------------------------------------- what


def test_the_latest_year_is_shown_with_each_blocs_progress(
    awards_world: AwardsWorld, leader: User
) -> None:
    html = page(leader)
    assert "Tổng quan năm 2020" in html
    assert f'href="?council={awards_world.council.code}&amp;year=2019"' in html
    assert "Khối thi đua tham mưu III" in html and "Khối thi đua tham mưu I" in html
    assert html.count('class="mini-steps"') == 2
    assert 'aria-current="step"' in html


def test_units_behind_their_deadlines_are_listed_with_the_days_overdue(
    awards_world: AwardsWorld, leader: User
) -> None:
    w = with_deadlines(awards_world)
    data = dashboard_data(
        council_ids=frozenset({w.council.pk}), year=2020, unit_id=None, today=timezone.localdate()
    )
    late = {(item.unit_name, str(item.what), item.days_over) for item in data.late}
    assert late == {
        ("Sở Y tế", "Chưa gửi bảng tự chấm", 3),
        ("Báo Quảng Nam", "Chưa gửi bảng tự chấm", 3),
        ("Sở Giáo dục và Đào tạo", "Chưa thẩm định xong bảng điểm", 1),
    }
    assert data.late[0].days_over == 3  # the longest overdue first
    html = page(leader)
    assert 'id="late"' in html and "Chưa thẩm định xong bảng điểm" in html
    assert f'href="{w.draft_sheet.get_absolute_url()}"' in html


def test_days_overdue_are_grouped_by_thousands(awards_world: AwardsWorld, leader: User) -> None:
    BlocYear.objects.filter(pk=awards_world.bloc_year.pk).update(
        self_assessment_due=days_from_today(-1816)
    )
    html = page(leader)
    assert re.search(r'<td class="num">\s*1\.816 ngày\s*</td>', html)
    assert "1816 ngày" not in html


def test_a_published_bloc_past_its_proposals_deadline_is_late_as_a_whole(
    awards_world: AwardsWorld, council_admin: User
) -> None:
    w = awards_world
    BlocYear.objects.filter(pk=w.provisional_year.pk).update(proposals_due=days_from_today(-4))
    html = page(council_admin, year=2019)
    assert "Khối chưa trình đề nghị khen thưởng" in html
    assert "Cả khối" in html


def test_waiting_proposals_counts_per_award_and_the_flag_warning(
    awards_world: AwardsWorld, leader: User
) -> None:
    w = awards_world
    data = dashboard_data(
        council_ids=frozenset({w.council.pk}), year=2019, unit_id=None, today=timezone.localdate()
    )
    assert data.waiting == 1
    counts = {
        row.award.code: (row.proposed, row.waiting, row.approved, row.decided)
        for row in data.awards
    }
    assert counts["GOV_FLAG"] == (1, 1, 0, 0)
    assert counts["PROV_FLAG"] == (0, 0, 0, 0)  # a draft is not counted
    # One Government flag for the only bloc of the year: above the 20 % share.
    (warning,) = data.warnings
    assert warning.council == w.council
    assert "Cờ thi đua của Chính phủ" in warning.finding.message
    html = page(leader, year=2019)
    assert f'href="{reverse("awards:review-queue")}"' in html
    assert "hướng dẫn chỉ cho đề nghị tối đa" in html


def test_approved_and_decided_proposals_are_counted(
    awards_world: AwardsWorld, council_admin: User
) -> None:
    w = awards_world
    Proposal.objects.filter(pk=w.submitted_proposal.pk).update(
        status=Proposal.Status.APPROVED, decision=w.decision
    )
    data = dashboard_data(
        council_ids=frozenset({w.council.pk}), year=2019, unit_id=None, today=timezone.localdate()
    )
    counts = {
        row.award.code: (row.proposed, row.waiting, row.approved, row.decided)
        for row in data.awards
    }
    assert counts["GOV_FLAG"] == (1, 0, 1, 1)
    # An admin cannot review, so the page links to the council's view instead of the queue.
    html = page(council_admin, year=2019)
    assert reverse("awards:council-view", args=[w.council.code, 2019]) in html
    assert f'href="{reverse("awards:review-queue")}"' not in html


def svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(match) for match in re.findall(r"<svg .*?</svg>", html, re.S)]


def test_the_score_distribution_uses_the_frozen_ranking(
    awards_world: AwardsWorld, leader: User
) -> None:
    html = page(leader, year=2019)
    (chart,) = svgs(html)
    ns = "{http://www.w3.org/2000/svg}"
    title = chart.find(f"{ns}title")
    assert title is not None and title.text == "Tổng điểm các đơn vị trong từng khối, năm 2019"
    dots = [circle.find(f"{ns}title") for circle in chart.iter(f"{ns}circle")]
    names = {dot.text.split(":")[0] for dot in dots if dot is not None and dot.text}
    assert names == {"Sở Y tế", "Sở Giáo dục và Đào tạo", "Báo Quảng Nam"}
    assert "Xem số liệu dạng bảng" in html  # the table behind the picture


def test_live_verified_totals_are_drawn_while_scoring(
    awards_world: AwardsWorld, leader: User
) -> None:
    w = awards_world
    live = verified_year(
        BlocFactory.create(council=w.council, name="Khối thi đua tham mưu II"),
        2020,
        [UnitFactory.create(council=w.council) for _index in range(3)],
    )
    data = dashboard_data(
        council_ids=frozenset({w.council.pk}), year=2020, unit_id=None, today=timezone.localdate()
    )
    (bloc,) = [bloc for bloc in data.blocs if bloc.bloc_year.pk == live.pk]
    assert not bloc.scores_final and len(bloc.scores) == 3
    # The very totals the ranking computes from the same lines (bonus cap, penalties).
    ranked = ranking_input(live).rank()
    assert [dot.value for dot in bloc.scores] == sorted((row.total for row in ranked), reverse=True)
    assert "tạm tính" in page(leader)


def test_a_units_trend_follows_it_back_through_a_merger(
    awards_world: AwardsWorld, leader: User
) -> None:
    w = awards_world
    successor = UnitFactory.create(council=w.council, name="Sở Y tế mới")
    UnitLineage.objects.create(
        predecessor=w.head,
        successor=successor,
        kind=UnitLineage.Kind.MERGED_INTO,
        effective_date=datetime.date(2025, 7, 1),
    )
    data = dashboard_data(
        council_ids=frozenset({w.council.pk}),
        year=2020,
        unit_id=successor.pk,
        today=timezone.localdate(),
    )
    assert data.trend is not None
    assert [(row.year, row.unit_name, row.units) for row in data.trend.rows] == [
        (2019, "Sở Y tế", 3)
    ]
    html = page(leader, unit=successor.pk)
    charts = svgs(html)
    assert len(charts) == 1  # 2020 has no complete sheet yet: only the trend is drawn
    ns = "{http://www.w3.org/2000/svg}"
    desc = charts[0].find(f"{ns}desc")
    assert desc is not None and desc.text is not None and desc.text.startswith("2019: ")
    assert "hạng" in desc.text


# ---------------------------------------------------------------------------- budget


def grow(w: AwardsWorld, blocs: int) -> None:
    """More blocs, units, years, sheets, snapshots and proposals in the same council."""
    from scoring.services import ranking as ranking_services

    gov = AwardType.objects.get(rule_set__code="LUAT-2003", code="GOV_FLAG")
    for index in range(blocs):
        bloc = BlocFactory.create(council=w.council)
        units = [UnitFactory.create(council=w.council) for _unit in range(4)]
        for year in (2018, 2019):
            bloc_year = verified_year(bloc, year, units)
            ranking_services.bloc_year_finalize(bloc_year=bloc_year, by=None)
            Proposal.objects.create(
                bloc_year=bloc_year,
                unit=units[0],
                award_type=gov,
                status=Proposal.Status.SUBMITTED,
                submitted_late=bool(index % 2),
            )
        bloc_services.bloc_year_create(
            bloc=bloc, year=2020, members=units, head=units[0], deputy=units[1]
        )
        BlocYear.objects.filter(bloc=bloc).update(self_assessment_due=days_from_today(-1))


def count(user: User, **params: Any) -> int:
    client = client_for(user)
    client.get(reverse("dashboard"), params)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard"), params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("year", [2019, 2020])
def test_the_dashboard_costs_the_same_whatever_the_size(
    awards_world: AwardsWorld, leader: User, django_assert_num_queries: Any, year: int
) -> None:
    w = awards_world
    small = count(leader, year=year, unit=w.head.pk)
    assert small <= 16  # the whole council counted in one aggregate (issue 19)
    grow(w, 3)
    client = client_for(leader)
    client.get(reverse("dashboard"))
    with django_assert_num_queries(small):
        client.get(reverse("dashboard"), {"year": year, "unit": w.head.pk})


def test_the_year_without_a_chosen_unit_costs_even_less(
    awards_world: AwardsWorld, council_admin: User
) -> None:
    without, with_unit = (
        count(council_admin, year=2019),
        count(council_admin, year=2019, unit=awards_world.head.pk),
    )
    assert without < with_unit <= 16


def test_a_public_trend_keeps_only_the_rankings_published_for_good(
    awards_world: AwardsWorld,
) -> None:
    from scoring.services import ranking as ranking_services

    w = awards_world
    frozen = verified_year(w.bloc, 2018, [w.head, w.deputy, w.member])
    ranking_services.bloc_year_finalize(bloc_year=frozen, by=None)
    councils = frozenset({w.council.pk})
    everything = unit_trend(w.head.pk, councils)
    public = unit_trend(w.head.pk, councils, published_only=True)
    assert [(row.year, row.final) for row in everything.rows] == [(2018, False), (2019, True)]
    assert [row.year for row in public.rows] == [2019]
