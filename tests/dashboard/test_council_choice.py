"""The dashboard opens on the latest year with activity, shows one council at a time with an
explicit chooser, keeps its year tabs within that council, and counts every proposal sent to
the leaders in exactly one column."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import AwardType, Proposal
from blocs import services as bloc_services
from blocs.models import BlocYear, Council, User
from portal.dashboard import dashboard_data
from portal.dashboard.councils import CouncilYear, choose
from scoring.models import ScoreSheet
from tests.conftest import AwardsWorld, client_for
from tests.factories import BlocFactory, UnitFactory

pytestmark = pytest.mark.django_db

Y = CouncilYear


# ---------------------------------------------------------------------------- the rule


def test_the_latest_year_with_activity_wins_over_a_newer_empty_one() -> None:
    years = [Y(1, 2020, True), Y(1, 2021, True), Y(2, 2026, False)]
    assert choose(years) == (1, 2021)
    assert choose(years, preferred_council_id=2) == (1, 2021)


def test_without_any_activity_the_latest_year_is_shown() -> None:
    assert choose([Y(1, 2020, False), Y(2, 2026, False)]) == (2, 2026)
    assert choose([]) is None


def test_the_council_and_year_asked_for_are_kept_when_they_exist() -> None:
    years = [Y(1, 2020, True), Y(1, 2021, True), Y(2, 2026, False)]
    assert choose(years, council_id=2) == (2, 2026)
    assert choose(years, council_id=1, year=2020) == (1, 2020)
    # A year the council does not have: the council's own default.
    assert choose(years, council_id=2, year=2020) == (2, 2026)
    # A council that is not among them: ignored.
    assert choose(years, council_id=99, year=2020) == (1, 2020)
    # A year without a council: the council that has it.
    assert choose(years, year=2026) == (2, 2026)


def test_between_councils_of_the_same_year_the_own_council_comes_first() -> None:
    years = [Y(1, 2021, True), Y(2, 2021, True)]
    assert choose(years) == (1, 2021)
    assert choose(years, preferred_council_id=2) == (2, 2021)


# ---------------------------------------------------------------------------- the page


@pytest.fixture
def danang(awards_world: AwardsWorld) -> dict[str, Any]:
    """Quảng Nam merged into Đà Nẵng, which has just opened 2026: a bloc, its units, nothing
    sent and no proposal. The leader belongs to Đà Nẵng."""
    w = awards_world
    council = Council.objects.create(code="DNG", name="Hội đồng TĐKT thành phố Đà Nẵng")
    w.council.successor = council
    w.council.save()
    units = [UnitFactory.create(council=council) for _index in range(3)]
    bloc = BlocFactory.create(council=council, name="Khối văn hóa – xã hội")
    bloc_services.bloc_year_create(
        bloc=bloc, year=2026, members=units, head=units[0], deputy=units[1]
    )
    leader = bloc_services.user_create(
        username="lanhdao-dn", password="x", unit=units[2], role=User.Role.LEADER
    )
    return {"council": council, "leader": leader, "world": w}


def get(user: User, **params: Any) -> Any:
    response = client_for(user).get(reverse("dashboard"), params)
    assert response.status_code == 200
    return response


def test_a_leader_of_the_new_council_opens_on_the_latest_year_with_activity(
    danang: dict[str, Any],
) -> None:
    w = danang["world"]
    assert BlocYear.objects.filter(bloc__council=w.council, year=2020).exists()
    response = get(danang["leader"])
    data = response.context["data"]
    assert data.council == w.council and data.year == 2020
    assert 2026 not in data.years  # the tabs stay within Quảng Nam
    assert {bloc.bloc_year.bloc.council for bloc in data.blocs} == {w.council}
    html = response.content.decode()
    assert '<label for="dashboard-council">Hội đồng</label>' in html
    assert '<option value="DNG">Hội đồng TĐKT thành phố Đà Nẵng</option>' in html
    assert f'<option value="{w.council.code}" selected>' in html
    assert f'href="?council={w.council.code}&amp;year=2019"' in html
    assert "year=2026" not in html


def test_choosing_the_council_shows_its_years_only_and_the_url_keeps_both(
    danang: dict[str, Any],
) -> None:
    response = get(danang["leader"], council="DNG")
    data = response.context["data"]
    assert data.council == danang["council"] and data.year == 2026 and data.years == [2026]
    assert [bloc.bloc_year.bloc.name for bloc in data.blocs] == ["Khối văn hóa – xã hội"]
    # A bookmark to a year Đà Nẵng does not have stays on Đà Nẵng.
    data = get(danang["leader"], council="DNG", year=2019).context["data"]
    assert (data.council, data.year) == (danang["council"], 2026)
    # Both in the URL: Quảng Nam's 2019, whatever the default.
    w = danang["world"]
    data = get(danang["leader"], council=w.council.code, year=2019).context["data"]
    assert (data.council, data.year) == (w.council, 2019)
    assert '<option value="DNG">' in get(danang["leader"], council="XYZ").content.decode()


def test_a_first_proposal_makes_the_new_year_the_default(danang: dict[str, Any]) -> None:
    bloc_year = BlocYear.objects.get(year=2026)
    assert not ScoreSheet.objects.filter(bloc_year=bloc_year).exists()
    award = AwardType.objects.get(rule_set__code="LUAT-2003", code="GOV_FLAG")
    unit = bloc_year.memberships.get(role="head").unit
    Proposal.objects.create(bloc_year=bloc_year, unit=unit, award_type=award)
    data = get(danang["leader"]).context["data"]
    assert (data.council, data.year) == (danang["council"], 2026)


def test_quang_nams_2020_is_active_through_its_sent_sheets(danang: dict[str, Any]) -> None:
    w = danang["world"]
    year = BlocYear.objects.filter(bloc__council=w.council, year=2020)
    assert not Proposal.objects.filter(bloc_year__in=year).exists()
    assert ScoreSheet.objects.filter(bloc_year__in=year).exclude(state="draft").exists()
    ScoreSheet.objects.filter(bloc_year__in=year).update(state=ScoreSheet.State.DRAFT)
    # Nothing sent in 2020 any more: the latest year with activity is 2019.
    data = get(danang["leader"]).context["data"]
    assert (data.council, data.year) == (w.council, 2019)


def test_choosing_a_council_costs_no_query(danang: dict[str, Any]) -> None:
    from tests.dashboard.test_dashboard import count

    default = count(danang["leader"])
    assert count(danang["leader"], council="DNG") <= default
    # 16: the whole council counted in SQL (issue 19)
    assert count(danang["leader"], council=danang["world"].council.code, year=2019) <= 16


# ---------------------------------------------------------------------------- proposals


def test_every_proposal_sent_is_counted_in_exactly_one_column(
    awards_world: AwardsWorld, leader: User
) -> None:
    w = awards_world
    gov = AwardType.objects.get(rule_set__code="LUAT-2003", code="GOV_FLAG")
    statuses = [
        Proposal.Status.SUBMITTED,
        Proposal.Status.RETURNED,
        Proposal.Status.RETURNED,
        Proposal.Status.APPROVED,
        Proposal.Status.REJECTED,
        Proposal.Status.DRAFT,
    ]
    for status in statuses:
        Proposal.objects.create(
            bloc_year=w.submitted_proposal.bloc_year,
            unit=UnitFactory.create(council=w.council),  # one proposal per unit and award
            award_type=gov,
            status=status,
        )
    data = dashboard_data(
        council_ids=frozenset({w.council.pk}), year=2019, unit_id=None, today=timezone.localdate()
    )
    (row,) = [row for row in data.awards if row.award.code == "GOV_FLAG"]
    # The world's own submitted proposal, and the five above that are not drafts.
    assert (row.proposed, row.waiting, row.returned, row.approved, row.rejected) == (6, 2, 2, 1, 1)
    sent = Proposal.objects.filter(bloc_year__year=2019, award_type__code="GOV_FLAG").exclude(
        status=Proposal.Status.DRAFT
    )
    assert row.waiting + row.returned + row.approved + row.rejected == row.proposed == sent.count()
    for award in data.awards:
        columns = award.waiting + award.returned + award.approved + award.rejected
        assert columns == award.proposed, award.award.code
    html = get(leader, year=2019).content.decode()
    table = html[html.index('id="awards-caption"') :]
    table = table[: table.index("</table>")]
    assert ">Trả lại</th>" in table and ">Không duyệt</th>" in table
    assert '<td class="num">6</td>' in table and '<td class="num">2</td>' in table
