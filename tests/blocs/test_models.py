"""Database constraints of the organisation, and names that follow the years."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from blocs import services
from blocs.models import BlocYear, Membership, UnitLineage, User
from tests.conftest import World
from tests.factories import BlocFactory, CouncilFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_a_bloc_has_one_year_per_year(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        BlocYear.objects.create(bloc=world.bloc, year=2020)


def test_a_unit_is_in_one_bloc_of_its_council_per_year(world: World) -> None:
    other_year = BlocYear.objects.get(bloc=world.other_bloc, year=2020)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(bloc_year=other_year, unit=world.member)


def test_a_unit_may_change_bloc_from_one_year_to_the_next(world: World) -> None:
    next_year = BlocYear.objects.create(bloc=world.other_bloc, year=2021)
    Membership.objects.create(bloc_year=next_year, unit=world.member)
    assert world.member.memberships.count() == 2


def test_a_unit_is_a_member_of_a_bloc_year_once(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(bloc_year=world.bloc_year, unit=world.member)


def test_a_bloc_year_has_one_head(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(bloc_year=world.bloc_year, unit=world.member).update(
            role=Membership.Role.HEAD
        )


def test_a_bloc_year_has_one_deputy(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(bloc_year=world.bloc_year, unit=world.member).update(
            role=Membership.Role.DEPUTY
        )


def test_head_and_deputy_are_different_members(world: World) -> None:
    # The head is a role of a membership; the same unit cannot hold a second one as deputy.
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            bloc_year=world.bloc_year, unit=world.head, role=Membership.Role.DEPUTY
        )


def test_service_refuses_a_head_that_is_not_a_member(world: World) -> None:
    stranger = UnitFactory.create(council=world.council)
    with pytest.raises(ValidationError) as error:
        services.bloc_year_create(
            bloc=world.bloc, year=2021, members=[world.member, world.deputy], head=stranger
        )
    assert "head" in error.value.message_dict
    assert not BlocYear.objects.filter(bloc=world.bloc, year=2021).exists()


def test_service_refuses_the_same_unit_as_head_and_deputy(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        services.bloc_year_create(
            bloc=world.bloc,
            year=2021,
            members=[world.member],
            head=world.member,
            deputy=world.member,
        )
    assert "deputy" in error.value.message_dict


def test_service_refuses_a_unit_of_another_council(world: World) -> None:
    foreign = UnitFactory.create(council=CouncilFactory.create())
    with pytest.raises(ValidationError) as error:
        services.bloc_year_create(bloc=world.bloc, year=2021, members=[foreign])
    assert "members" in error.value.message_dict


def test_membership_clean_names_the_other_bloc(world: World) -> None:
    other_year = BlocYear.objects.get(bloc=world.other_bloc, year=2020)
    membership = Membership(bloc_year=other_year, unit=world.member)
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "Khối thi đua tham mưu III" in error.value.message_dict["unit"][0]


def test_rotation_moves_head_and_deputy(world: World) -> None:
    services.bloc_year_set_leadership(
        bloc_year=world.bloc_year, head=world.member, deputy=world.head
    )
    roles = dict(world.bloc_year.memberships.values_list("unit__code", "role"))
    assert roles == {"BQN": "head", "SYT": "deputy", "SGDDT": "member"}


def test_a_user_belongs_to_a_unit_unless_superuser(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="khongdonvi", role=User.Role.FOCAL_POINT)
    User.objects.create_superuser("root", password="x")


def test_council_period_must_be_ordered() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilFactory.create(
            valid_from=datetime.date(2025, 7, 1), valid_until=datetime.date(2025, 6, 30)
        )


def test_a_lineage_link_joins_two_different_units(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitLineage.objects.create(
            predecessor=world.member,
            successor=world.member,
            kind=UnitLineage.Kind.RENAMED,
            effective_date=datetime.date(2025, 3, 1),
        )


def test_bloc_codes_are_unique_within_a_council(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        BlocFactory.create(council=world.council, code="TM3")
    BlocFactory.create(council=CouncilFactory.create(), code="TM3")


def test_a_renamed_unit_keeps_its_old_name_for_past_years(world: World) -> None:
    services.unit_rename(
        unit=world.member,
        name="Báo và Phát thanh, Truyền hình Quảng Nam",
        effective_date=datetime.date(2025, 3, 1),
    )
    world.member.refresh_from_db()
    assert world.member.name_in_year(2020) == "Báo Quảng Nam"
    assert world.member.name_in_year(2024) == "Báo Quảng Nam"
    assert world.member.name_in_year(2025) == "Báo và Phát thanh, Truyền hình Quảng Nam"
    assert world.member.name_on(datetime.date(2025, 2, 28)) == "Báo Quảng Nam"


def test_renames_must_move_forward(world: World) -> None:
    services.unit_rename(
        unit=world.member, name="Tên mới", effective_date=datetime.date(2025, 3, 1)
    )
    with pytest.raises(ValidationError):
        services.unit_rename(
            unit=world.member, name="Tên khác", effective_date=datetime.date(2024, 1, 1)
        )


def test_a_merge_closes_the_predecessor(world: World) -> None:
    services.lineage_record(
        predecessor=world.member,
        successor=world.head,
        kind=UnitLineage.Kind.MERGED_INTO,
        effective_date=datetime.date(2025, 3, 1),
    )
    world.member.refresh_from_db()
    assert world.member.active_until == datetime.date(2025, 2, 28)


def test_a_transfer_of_functions_keeps_the_predecessor_open(world: World) -> None:
    services.lineage_record(
        predecessor=world.member,
        successor=world.head,
        kind=UnitLineage.Kind.FUNCTIONS_TRANSFERRED,
        effective_date=datetime.date(2025, 3, 1),
    )
    world.member.refresh_from_db()
    assert world.member.active_until is None
