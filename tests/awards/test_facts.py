"""Unit-year facts: entering the staff figures, checking them, the bloc's list."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards.models import UnitYearFacts
from awards.services.facts import facts_check, facts_problems, facts_save
from blocs import services as bloc_services
from blocs.models import AuditEntry, Membership, User
from tests.conftest import AwardsWorld, World, client_for
from tests.factories import BlocFactory, CouncilFactory, UnitFactory

pytestmark = pytest.mark.django_db

FIGURES = {
    "headcount": "30",
    "completing_tasks": "30",
    "advanced_workers": "24",
    "emulation_fighters": "2",
    "women": "12",
    "disciplined": "0",
    "investigation_note": "",
}


def unit_url(unit_id: int, year: int) -> str:
    return reverse("awards:unit-facts", args=[unit_id, year])


def list_url(bloc_id: int, year: int) -> str:
    return reverse("awards:facts", args=[bloc_id, year])


def values(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "headcount": 30,
        "completing_tasks": 30,
        "advanced_workers": 24,
        "emulation_fighters": 2,
        "women": 12,
        "disciplined": 0,
        "under_investigation": False,
        "investigation_note": "",
    }
    return {**base, **changes}


def test_a_focal_point_saves_its_own_units_figures(world: World, focal_point: User) -> None:
    response = client_for(focal_point).post(unit_url(world.member.pk, 2020), FIGURES)
    assert response.status_code == 302
    facts = UnitYearFacts.objects.get(unit=world.member, year=2020)
    assert (facts.headcount, facts.advanced_workers, facts.women) == (30, 24, 12)
    assert facts.entered_by == focal_point and facts.checked_at is None
    entry = AuditEntry.objects.get(action="facts.create")
    assert entry.context == f"awards:{world.bloc_year.pk}" and entry.actor == focal_point
    page = client_for(focal_point).get(unit_url(world.member.pk, 2020)).content.decode()
    assert "80,00%" in page  # 24 of 30 are "Lao động tiên tiến"


def test_the_women_share_goes_to_the_membership_before_finalization(
    world: World, focal_point: User
) -> None:
    client_for(focal_point).post(unit_url(world.member.pk, 2020), {**FIGURES, "women": "7"})
    membership = Membership.objects.get(unit=world.member, year=2020)
    assert membership.women_share == Decimal("23.33")  # 7 × 100 / 30, 2 decimals


def test_the_women_share_stays_once_the_ranking_is_finalized(
    awards_world: AwardsWorld, focal_point: User
) -> None:
    w = awards_world
    before = Membership.objects.get(unit=w.member, year=2019).women_share
    client = client_for(focal_point)
    response = client.post(unit_url(w.member.pk, 2019), {**FIGURES, "women": "21"}, follow=True)
    assert response.status_code == 200
    assert UnitYearFacts.objects.get(unit=w.member, year=2019).women == 21
    assert Membership.objects.get(unit=w.member, year=2019).women_share == before
    page = response.content.decode()
    assert "tỷ lệ nữ trong xếp hạng không thay đổi" in page
    assert "Kết quả xếp hạng năm này đã chốt" in page


def test_a_count_above_the_headcount_is_refused_at_its_field(
    world: World, focal_point: User
) -> None:
    data = {**FIGURES, "completing_tasks": "31", "women": "40"}
    response = client_for(focal_point).post(unit_url(world.member.pk, 2020), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"completing_tasks", "women"}
    assert "Không được lớn hơn tổng số người của đơn vị (30)." in form.errors["completing_tasks"]
    page = response.content.decode()
    assert 'class="error-summary"' in page and 'href="#id_completing_tasks"' in page
    assert 'value="31"' in page  # what was typed stays
    assert not UnitYearFacts.objects.filter(unit=world.member, year=2020).exists()


def test_the_investigation_flag_needs_a_note(world: World, focal_point: User) -> None:
    data = {**FIGURES, "under_investigation": "on", "investigation_note": "  "}
    response = client_for(focal_point).post(unit_url(world.member.pk, 2020), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["investigation_note"]
    assert not UnitYearFacts.objects.exists()
    data["investigation_note"] = "Thanh tra việc mua sắm năm 2020"
    assert client_for(focal_point).post(unit_url(world.member.pk, 2020), data).status_code == 302
    assert UnitYearFacts.objects.get().under_investigation


def test_the_service_refuses_what_the_form_refuses(world: World) -> None:
    assert facts_problems(values(headcount=0)) == {"headcount": "Tổng số người phải lớn hơn 0."}
    assert set(facts_problems(values(disciplined=31, emulation_fighters=40))) == {
        "disciplined",
        "emulation_fighters",
    }
    with pytest.raises(ValidationError) as error:
        facts_save(unit=world.member, year=2020, values=values(advanced_workers=31), by=None)
    assert set(error.value.message_dict) == {"advanced_workers"}
    assert not UnitYearFacts.objects.exists()


def test_people_outside_the_bloc_and_other_members_are_refused(
    world: World, outsider: User, secretariat: User, focal_point: User
) -> None:
    facts_save(unit=world.deputy, year=2020, values=values(), by=None)
    assert client_for(outsider).get(unit_url(world.member.pk, 2020)).status_code == 403
    # Another member sees only whether the deputy entered its figures, never the figures.
    assert client_for(focal_point).get(unit_url(world.deputy.pk, 2020)).status_code == 403
    assert client_for(focal_point).post(unit_url(world.deputy.pk, 2020), FIGURES).status_code == 403
    # The secretariat enters figures on a unit's behalf.
    response = client_for(secretariat).post(unit_url(world.member.pk, 2020), FIGURES)
    assert response.status_code == 302


def test_a_leader_reads_the_figures_without_a_form(awards_world: AwardsWorld, leader: User) -> None:
    client = client_for(leader)
    response = client.get(unit_url(awards_world.member.pk, 2019))
    assert response.status_code == 200 and response.context["form"] is None
    assert client.post(unit_url(awards_world.member.pk, 2019), FIGURES).status_code == 403


def test_the_page_says_which_unit_titles_the_figures_meet(
    awards_world: AwardsWorld, focal_point: User
) -> None:
    # 2019 follows Luật 2003: "Tập thể lao động tiên tiến" needs more than 50 % advanced workers.
    UnitYearFacts.objects.filter(pk=awards_world.facts.pk).update(advanced_workers=15)
    response = client_for(focal_point).get(unit_url(awards_world.member.pk, 2019))
    rows = {row.award.code: row for row in response.context["gates"]}
    assert set(rows) == {"EXCELLENT_COLLECTIVE", "ADVANCED_COLLECTIVE"}
    assert not rows["ADVANCED_COLLECTIVE"].passed
    assert rows["ADVANCED_COLLECTIVE"].reasons == [
        "50% người đạt “Lao động tiên tiến”; cần trên 50%."
    ]
    assert not rows["EXCELLENT_COLLECTIVE"].passed
    page = response.content.decode()
    assert "chưa đạt" in page and "cần trên 50%" in page


def test_the_discipline_flag_shows_as_a_blocking_reason(
    awards_world: AwardsWorld, focal_point: User
) -> None:
    UnitYearFacts.objects.filter(pk=awards_world.facts.pk).update(
        under_investigation=True, investigation_note="Thanh tra tài chính"
    )
    response = client_for(focal_point).get(unit_url(awards_world.member.pk, 2019))
    for row in response.context["gates"]:
        assert not row.passed
        assert any("Thanh tra tài chính" in reason for reason in row.reasons)


def test_the_secretariat_checks_another_unit_but_never_its_own(
    awards_world: AwardsWorld, secretariat: User
) -> None:
    w = awards_world
    client = client_for(secretariat)
    response = client.post(list_url(w.bloc.pk, 2019), {"unit": w.member.pk})
    assert response.status_code == 302
    facts = UnitYearFacts.objects.get(pk=w.facts.pk)
    assert facts.checked_by == secretariat and facts.checked_at is not None
    assert AuditEntry.objects.filter(action="facts.check", subject=w.member.code).exists()
    # The head unit's own figures: the secretariat (the head's focal point) may not check them.
    own = facts_save(unit=w.head, year=2019, values=values(), by=None).facts
    assert client.post(list_url(w.bloc.pk, 2019), {"unit": w.head.pk}).status_code == 403
    with pytest.raises(ValidationError):
        facts_check(facts=own, by=secretariat)
    assert UnitYearFacts.objects.get(pk=own.pk).checked_at is None


def test_changed_figures_need_a_new_check(awards_world: AwardsWorld, secretariat: User) -> None:
    w = awards_world
    facts_check(facts=w.facts, by=secretariat)
    result = facts_save(unit=w.member, year=2019, values=values(headcount=31, women=None), by=None)
    assert result.check_cleared and result.changed == ["headcount"]
    assert UnitYearFacts.objects.get(pk=w.facts.pk).checked_at is None
    # Saving the same figures again changes nothing and keeps a check.
    facts_check(facts=result.facts, by=secretariat)
    again = facts_save(unit=w.member, year=2019, values=values(headcount=31, women=None), by=None)
    assert again.changed == [] and UnitYearFacts.objects.get(pk=w.facts.pk).checked_at


def test_a_check_of_figures_changed_since_the_page_was_opened_is_refused(
    awards_world: AwardsWorld, secretariat: User
) -> None:
    w = awards_world
    seen = w.facts.entered_at
    facts_save(unit=w.member, year=2019, values=values(headcount=40), by=None)
    response = client_for(secretariat).post(
        list_url(w.bloc.pk, 2019), {"unit": w.member.pk, "seen": seen.isoformat()}, follow=True
    )
    assert "Đơn vị vừa sửa số liệu" in response.content.decode()
    assert UnitYearFacts.objects.get(pk=w.facts.pk).checked_at is None


def test_members_see_only_whether_the_others_entered_their_figures(
    awards_world: AwardsWorld, focal_point: User, secretariat: User
) -> None:
    w = awards_world
    facts_save(unit=w.head, year=2019, values=values(headcount=987, completing_tasks=1), by=None)
    page = client_for(focal_point).get(list_url(w.bloc.pk, 2019)).content.decode()
    assert "987" not in page  # the head's figures
    assert "Đã nhập" in page and "Chưa nhập" in page
    assert unit_url(w.member.pk, 2019) in page and unit_url(w.head.pk, 2019) not in page
    page = client_for(secretariat).get(list_url(w.bloc.pk, 2019)).content.decode()
    assert "987" in page and unit_url(w.head.pk, 2019) in page
    assert "Đánh dấu đã kiểm tra" in page  # the member's row


def test_only_the_secretariat_marks_figures_checked(
    awards_world: AwardsWorld, focal_point: User, leader: User
) -> None:
    w = awards_world
    for person in (focal_point, leader):
        response = client_for(person).post(list_url(w.bloc.pk, 2019), {"unit": w.member.pk})
        assert response.status_code == 403
    assert UnitYearFacts.objects.get(pk=w.facts.pk).checked_at is None


def build_facts_bloc(members: int) -> tuple[Any, User]:
    council = CouncilFactory.create()
    units = [UnitFactory.create(council=council) for _ in range(members)]
    bloc_year = bloc_services.bloc_year_create(
        bloc=BlocFactory.create(council=council),
        year=2019,
        members=units,
        head=units[0],
        deputy=units[1],
    )
    for index, unit in enumerate(units[::2]):
        facts = facts_save(unit=unit, year=2019, values=values(headcount=30 + index), by=None)
        if index % 2:
            UnitYearFacts.objects.filter(pk=facts.facts.pk).update(
                checked_at=facts.facts.entered_at
            )
    secretary = bloc_services.user_create(username=f"thuky{members}", password="x", unit=units[0])
    return bloc_year, secretary


@pytest.mark.parametrize("members", [3, 12])
def test_the_facts_list_costs_the_same_whatever_the_size(
    members: int, django_assert_num_queries: Any
) -> None:
    bloc_year, secretary = build_facts_bloc(members)
    client = client_for(secretary)
    # session, user, bloc-year, secretariat rights, memberships, former names, facts.
    with django_assert_num_queries(7):
        response = client.get(list_url(bloc_year.bloc_id, 2019))
    assert response.status_code == 200
    assert len(response.context["rows"]) == members
