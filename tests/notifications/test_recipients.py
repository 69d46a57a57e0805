"""Who is told: the secretariat read from the bloc-year agrees with blocs.access."""

from __future__ import annotations

import pytest

from blocs import access
from blocs import services as bloc_services
from blocs.models import BlocYear, User
from notifications import recipients
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_the_secretariat_is_the_same_people_blocs_access_calls_secretariat(
    world: World, personas: dict[str, User | None], deputy_secretary: User
) -> None:
    outsider, leader = personas["outsider"], personas["leader"]
    assert outsider is not None and leader is not None
    world.bloc_year.secretaries.add(outsider, leader)  # a leader is never secretariat
    retired = bloc_services.user_create(
        username="nghiviec", password=None, unit=world.head, role=User.Role.FOCAL_POINT
    )
    User.objects.filter(pk=retired.pk).update(is_active=False)
    people = [*User.objects.all()]
    for bloc_year in BlocYear.objects.all():
        expected = {
            user.pk
            for user in people
            if user.is_active and access.is_secretariat(User.objects.get(pk=user.pk), bloc_year)
        }
        assert recipients.secretariat_ids(bloc_year.pk) == expected
    assert {
        User.objects.get(pk=pk).username for pk in recipients.secretariat_ids(world.bloc_year.pk)
    } == {
        "thuky",
        "khoipho",
        "ngoaikhoi",
    }


def test_a_units_focal_points_are_its_active_focal_point_accounts(
    world: World, focal_point: User, personas: dict[str, User | None]
) -> None:
    bloc_services.user_create(
        username="lanhdaobao", password=None, unit=world.member, role=User.Role.LEADER
    )
    second = bloc_services.user_create(
        username="daumoi2", password=None, unit=world.member, role=User.Role.FOCAL_POINT
    )
    assert recipients.focal_point_ids(world.member.pk) == {focal_point.pk, second.pk}
    assert recipients.focal_point_ids_by_unit([]) == {}
