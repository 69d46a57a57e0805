"""Opening next year of a bloc: what the preview lists is exactly what is created."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from blocs import services
from blocs.models import AuditEntry, BlocYear, Membership, UnitLineage, User
from portal.rollover import (
    NO_SUCCESSOR,
    Basis,
    CriteriaAction,
    Origin,
    PlanOutdated,
    RolloverChoices,
    rollover_apply,
    rollover_plan,
)
from reports.models import Document
from scoring.models import CriteriaSet
from tests.conftest import World, build_criteria_set
from tests.factories import BlocFactory, CouncilFactory, UnitFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def created_rows(bloc_year: BlocYear) -> set[tuple[int, str]]:
    return set(Membership.objects.filter(bloc_year=bloc_year).values_list("unit_id", "role"))


def planned_rows(plan) -> set[tuple[int, str]]:
    return {(member.unit.pk, member.role) for member in plan.members}


def test_preview_lists_exactly_what_is_applied(world: World, council_admin: User) -> None:
    own_set = build_criteria_set(world.council, 2020, world.bloc_year)
    plan = rollover_plan(world.bloc_year)
    assert plan.ready
    assert plan.criteria.action == CriteriaAction.CLONE_OWN
    assert plan.criteria.source == own_set
    created = rollover_apply(plan=plan, by=council_admin)
    assert (created.bloc_id, created.year, created.state) == (world.bloc.pk, 2021, "setup")
    assert created_rows(created) == planned_rows(plan)
    clone = CriteriaSet.objects.get(bloc_year=created)
    assert clone.name == plan.criteria.name == "Bảng tiêu chí 2021"
    assert clone.year == 2021 and clone.frozen_at is None and clone.cloned_from == own_set
    assert clone.criteria.count() == own_set.criteria.count()
    entry = AuditEntry.objects.get(action="bloc_year.rollover")
    assert entry.bloc_year == created and entry.actor == council_admin
    assert len(entry.changes["members"]) == 3


def test_rotation_makes_the_deputy_head_and_the_next_member_deputy(world: World) -> None:
    # 2020: head Sở Y tế, deputy Sở Giáo dục và Đào tạo, member Báo Quảng Nam.
    plan = rollover_plan(world.bloc_year)
    assert plan.head is not None and plan.deputy is not None
    assert plan.head.unit == world.deputy
    assert plan.head_basis == plan.deputy_basis == Basis.ROTATION
    # After "Sở Giáo dục" in alphabetical order comes "Sở Y tế", last year's head, which is
    # skipped; the order wraps round to "Báo Quảng Nam".
    assert plan.deputy.unit == world.member


def test_rotation_follows_the_alphabetical_order_of_next_years_names(world: World) -> None:
    council = world.council
    units = [
        UnitFactory.create(council=council, name=name)
        for name in ("Sở Công Thương", "Sở Xây dựng", "Ban Dân tộc", "Sở Tài chính")
    ]
    bloc = BlocFactory.create(council=council)
    bloc_year = services.bloc_year_create(
        bloc=bloc, year=2020, members=units, head=units[1], deputy=units[0]
    )
    plan = rollover_plan(bloc_year)
    # Order: Ban Dân tộc, Sở Công Thương, Sở Tài chính, Sở Xây dựng.
    assert plan.head.unit == units[0]  # type: ignore[union-attr]
    assert plan.deputy.unit == units[3]  # type: ignore[union-attr]


def test_the_conference_choice_in_the_year_end_report_is_suggested(world: World) -> None:
    Document.objects.create(
        bloc_year=world.bloc_year,
        kind=Document.Kind.REPORT,
        issuer=world.head,
        issuer_name="SỞ Y TẾ",
        issuer_code="SYT",
        date=D(2021, 1, 20),
        place="Quảng Nam",
        subject="Tổng kết",
        narrative={"next_head": " báo quảng nam ", "next_deputy": "Sở Tư pháp"},
    )
    plan = rollover_plan(world.bloc_year)
    assert plan.head.unit == world.member  # type: ignore[union-attr]
    assert plan.head_basis == Basis.CONFERENCE
    # Sở Tư pháp is not a member of the bloc: the deputy follows the rotation, and says why.
    assert plan.deputy_basis == Basis.ROTATION
    assert any("Sở Tư pháp" in note for note in plan.suggestion_notes)


def test_the_admin_may_choose_another_head_and_deputy(world: World, council_admin: User) -> None:
    choices = RolloverChoices(head_id=world.head.pk, deputy_id=world.member.pk)
    plan = rollover_plan(world.bloc_year, choices)
    assert plan.ready and plan.head_basis == Basis.ADMIN
    created = rollover_apply(plan=plan, by=council_admin)
    roles = dict(created.memberships.values_list("unit_id", "role"))
    assert roles == {world.head.pk: "head", world.member.pk: "deputy", world.deputy.pk: "member"}


def test_head_and_deputy_must_differ_and_be_members(world: World) -> None:
    same = rollover_plan(
        world.bloc_year, RolloverChoices(head_id=world.member.pk, deputy_id=world.member.pk)
    )
    assert not same.ready and "deputy" in same.errors
    foreign = rollover_plan(world.bloc_year, RolloverChoices(head_id=world.outsider_unit.pk))
    assert not foreign.ready and "head" in foreign.errors
    with pytest.raises(ValidationError):
        rollover_apply(plan=same, by=None)
    assert not BlocYear.objects.filter(year=2021).exists()


def test_members_merged_into_one_unit_are_replaced_by_it_once(
    world: World, council_admin: User
) -> None:
    successor = UnitFactory.create(council=world.council, name="Báo và Phát thanh, Truyền hình")
    for unit in (world.member, world.deputy):
        services.lineage_record(
            predecessor=unit,
            successor=successor,
            kind=UnitLineage.Kind.MERGED_INTO,
            effective_date=D(2021, 1, 1),
        )
    plan = rollover_plan(world.bloc_year)
    units = [member.unit for member in plan.members]
    assert units.count(successor) == 1
    assert world.member not in units and world.deputy not in units
    arrived = next(member for member in plan.members if member.unit == successor)
    assert arrived.origin == Origin.SUCCESSOR
    assert set(arrived.replaces) == {"Báo Quảng Nam", "Sở Giáo dục và Đào tạo"}
    # The deputy's successor takes the deputy's turn as head.
    assert plan.head.unit == successor  # type: ignore[union-attr]
    created = rollover_apply(plan=plan, by=council_admin)
    assert created_rows(created) == planned_rows(plan)


def test_a_member_merged_into_another_member_leaves_one_membership(world: World) -> None:
    services.lineage_record(
        predecessor=world.member,
        successor=world.head,
        kind=UnitLineage.Kind.MERGED_INTO,
        effective_date=D(2020, 7, 1),
    )
    plan = rollover_plan(world.bloc_year)
    assert sorted(m.unit.pk for m in plan.members) == sorted([world.head.pk, world.deputy.pk])
    kept = next(m for m in plan.members if m.unit == world.head)
    assert kept.origin == Origin.KEPT and kept.replaces == ("Báo Quảng Nam",)


def test_a_merge_after_the_first_of_january_waits_for_the_next_rollover(world: World) -> None:
    successor = UnitFactory.create(council=world.council)
    services.lineage_record(
        predecessor=world.member,
        successor=successor,
        kind=UnitLineage.Kind.MERGED_INTO,
        effective_date=D(2021, 3, 1),
    )
    plan = rollover_plan(world.bloc_year)
    assert world.member in [member.unit for member in plan.members]


def test_a_renamed_member_keeps_its_membership_under_the_new_name(world: World) -> None:
    services.unit_rename(
        unit=world.member, name="Báo và Đài Quảng Nam", effective_date=D(2021, 1, 1)
    )
    plan = rollover_plan(world.bloc_year)
    member = next(m for m in plan.members if m.unit == world.member)
    assert member.name == "Báo và Đài Quảng Nam"
    assert member.origin == Origin.RENAMED


def test_a_split_member_needs_a_choice_before_anything_is_created(
    world: World, council_admin: User
) -> None:
    east, west = (
        UnitFactory.create(council=world.council, name=n) for n in ("Báo Đông", "Báo Tây")
    )
    for unit in (east, west):
        services.lineage_record(
            predecessor=world.member,
            successor=unit,
            kind=UnitLineage.Kind.SPLIT_INTO,
            effective_date=D(2020, 10, 1),
            close_predecessor=True,
        )
    plan = rollover_plan(world.bloc_year)
    assert not plan.ready
    (question,) = plan.unanswered
    assert question.unit == world.member
    assert {pk for pk, _name in question.options} == {east.pk, west.pk}
    with pytest.raises(ValidationError):
        rollover_apply(plan=plan, by=council_admin)
    assert not BlocYear.objects.filter(bloc=world.bloc, year=2021).exists()

    answered = rollover_plan(
        world.bloc_year, RolloverChoices(splits={world.member.pk: frozenset({west.pk})})
    )
    assert answered.ready
    units = {m.unit for m in answered.members}
    assert west in units and east not in units and world.member not in units
    created = rollover_apply(plan=answered, by=council_admin)
    assert created_rows(created) == planned_rows(answered)


def test_a_split_member_may_be_replaced_by_none_of_its_successors(world: World) -> None:
    new = UnitFactory.create(council=world.council)
    services.lineage_record(
        predecessor=world.member,
        successor=new,
        kind=UnitLineage.Kind.SPLIT_INTO,
        effective_date=D(2020, 10, 1),
        close_predecessor=True,
    )
    choices = RolloverChoices(splits={world.member.pk: frozenset({NO_SUCCESSOR})})
    plan = rollover_plan(world.bloc_year, choices)
    assert plan.ready
    assert {m.unit for m in plan.members} == {world.head, world.deputy}


def test_a_successor_that_belongs_to_another_bloc_stays_there(world: World) -> None:
    services.lineage_record(
        predecessor=world.member,
        successor=world.outsider_unit,
        kind=UnitLineage.Kind.MERGED_INTO,
        effective_date=D(2020, 9, 1),
    )
    plan = rollover_plan(world.bloc_year)
    assert world.outsider_unit not in {m.unit for m in plan.members}
    (dropped,) = plan.dropped
    assert dropped.unit == world.member and "Khối thi đua tham mưu I" in dropped.reason


def test_next_year_that_exists_is_refused(world: World, council_admin: User) -> None:
    services.bloc_year_create(bloc=world.bloc, year=2021, members=[world.member])
    plan = rollover_plan(world.bloc_year)
    assert not plan.ready and plan.existing is not None
    assert "đã có năm 2021" in plan.problems[0]
    with pytest.raises(ValidationError):
        rollover_apply(plan=plan, by=council_admin)
    assert BlocYear.objects.filter(bloc=world.bloc, year=2021).count() == 1


def test_a_council_merged_before_the_new_year_names_its_successor(world: World) -> None:
    successor = CouncilFactory.create(name="Hội đồng Thi đua - Khen thưởng thành phố Đà Nẵng")
    services.council_set_successor(
        council=world.council, successor=successor, effective_date=D(2021, 7, 1)
    )
    assert rollover_plan(world.bloc_year).ready  # still working on 1 January 2021
    year_2021 = services.bloc_year_create(bloc=world.bloc, year=2021, members=[world.member])
    plan = rollover_plan(year_2021)
    assert not plan.ready and plan.successor_council == successor
    assert "Đà Nẵng" in plan.problems[0] and "01/07/2021" in plan.problems[0]


def test_a_plan_the_data_overtook_is_refused(world: World, council_admin: User) -> None:
    plan = rollover_plan(world.bloc_year)
    services.lineage_record(
        predecessor=world.member,
        successor=UnitFactory.create(council=world.council),
        kind=UnitLineage.Kind.MERGED_INTO,
        effective_date=D(2020, 12, 1),
    )
    with pytest.raises(PlanOutdated):
        rollover_apply(plan=plan, by=council_admin)
    assert not BlocYear.objects.filter(bloc=world.bloc, year=2021).exists()


def test_nothing_is_created_when_a_step_fails(
    world: World, council_admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_criteria_set(world.council, 2020, world.bloc_year)
    plan = rollover_plan(world.bloc_year)

    def broken(**kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("scoring.services.criteria.criteria_set_clone", broken)
    with pytest.raises(RuntimeError):
        rollover_apply(plan=plan, by=council_admin)
    assert not BlocYear.objects.filter(bloc=world.bloc, year=2021).exists()
    assert not Membership.objects.filter(year=2021).exists()


def test_a_shared_criteria_set_is_cloned_once_for_the_council(
    world: World, council_admin: User
) -> None:
    shared = build_criteria_set(world.council, 2020)
    plan = rollover_plan(world.bloc_year)
    assert plan.criteria.action == CriteriaAction.CLONE_SHARED
    rollover_apply(plan=plan, by=council_admin)
    clone = CriteriaSet.objects.get(year=2021)
    assert clone.bloc_year is None and clone.cloned_from == shared
    other = BlocYear.objects.get(bloc=world.other_bloc, year=2020)
    second = rollover_plan(other)
    assert second.criteria.action == CriteriaAction.USE_SHARED
    assert second.criteria.existing == clone
    rollover_apply(plan=second, by=council_admin)
    assert CriteriaSet.objects.filter(year=2021).count() == 1
