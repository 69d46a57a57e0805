"""Shared fixtures: a small bloc world and the personas of STYLE.md §9."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.test import Client

from blocs import services
from blocs.models import Bloc, BlocYear, Council, Unit, User
from tests.factories import BlocFactory, CouncilFactory, UnitFactory

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class World:
    """One council, a bloc with a 2020 year, and a unit of another bloc."""

    council: Council
    bloc: Bloc
    bloc_year: BlocYear
    head: Unit
    deputy: Unit
    member: Unit
    other_bloc: Bloc
    outsider_unit: Unit
    admin_unit: Unit


@pytest.fixture
def world(db: None) -> World:
    council = CouncilFactory.create(
        code="QNA", name="Hội đồng Thi đua - Khen thưởng tỉnh Quảng Nam", province="Quảng Nam"
    )
    head = UnitFactory.create(council=council, code="SYT", name="Sở Y tế")
    deputy = UnitFactory.create(council=council, code="SGDDT", name="Sở Giáo dục và Đào tạo")
    member = UnitFactory.create(council=council, code="BQN", name="Báo Quảng Nam")
    outsider_unit = UnitFactory.create(council=council, code="STP", name="Sở Tư pháp")
    admin_unit = UnitFactory.create(council=council, code="SNV", name="Sở Nội vụ")
    bloc = BlocFactory.create(council=council, code="TM3", name="Khối thi đua tham mưu III")
    other_bloc = BlocFactory.create(council=council, code="TM1", name="Khối thi đua tham mưu I")
    bloc_year = services.bloc_year_create(
        bloc=bloc, year=2020, members=[head, deputy, member], head=head, deputy=deputy
    )
    services.bloc_year_create(bloc=other_bloc, year=2020, members=[outsider_unit, admin_unit])
    return World(
        council, bloc, bloc_year, head, deputy, member, other_bloc, outsider_unit, admin_unit
    )


def _person(username: str, unit: Unit, role: str) -> User:
    return services.user_create(
        username=username, password="mat-khau-thu-nghiem", unit=unit, role=role, full_name=username
    )


@pytest.fixture
def council_admin(world: World) -> User:
    return _person("quantri", world.admin_unit, User.Role.COUNCIL_ADMIN)


@pytest.fixture
def secretariat(world: World) -> User:
    """A focal point of the head unit: the bloc secretariat of 2020."""
    return _person("thuky", world.head, User.Role.FOCAL_POINT)


@pytest.fixture
def focal_point(world: World) -> User:
    """A focal point of an ordinary member unit."""
    return _person("daumoi", world.member, User.Role.FOCAL_POINT)


@pytest.fixture
def outsider(world: World) -> User:
    """A focal point of a unit that is not a member of the bloc."""
    return _person("ngoaikhoi", world.outsider_unit, User.Role.FOCAL_POINT)


@pytest.fixture
def leader(world: World) -> User:
    return _person("lanhdao", world.admin_unit, User.Role.LEADER)


PERSONAS = ["anonymous", "council_admin", "secretariat", "focal_point", "outsider", "leader"]


@pytest.fixture
def personas(
    council_admin: User, secretariat: User, focal_point: User, outsider: User, leader: User
) -> dict[str, User | None]:
    return {
        "anonymous": None,
        "council_admin": council_admin,
        "secretariat": secretariat,
        "focal_point": focal_point,
        "outsider": outsider,
        "leader": leader,
    }


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
