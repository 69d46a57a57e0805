"""The Django admin: every model's pages open, rows are scoped to the admin's councils."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from django.contrib import admin
from django.urls import reverse

from blocs import services
from blocs.models import BlocYear, Membership, User
from tests.conftest import World, client_for
from tests.factories import BlocFactory, CouncilFactory, UnitFactory

pytestmark = pytest.mark.django_db

PROJECT_MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_label in {"blocs", "scoring", "awards"}
]


@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda model: model._meta.model_name)
def test_council_admin_opens_every_changelist_and_add_page(
    model, world: World, council_admin: User
) -> None:
    client = client_for(council_admin)
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
    assert client.get(reverse(f"{prefix}_changelist"), {"q": "Sở"}).status_code == 200
    # Read-only records (the audit trail) have no add page.
    can_add = admin.site._registry[model].has_add_permission(
        type("Request", (), {"user": council_admin, "method": "GET"})()
    )
    assert client.get(reverse(f"{prefix}_add")).status_code == (200 if can_add else 403)


def test_change_pages_open_with_their_inlines(world: World, council_admin: User) -> None:
    client = client_for(council_admin)
    assert (
        client.get(reverse("admin:blocs_blocyear_change", args=[world.bloc_year.pk])).status_code
        == 200
    )
    assert client.get(reverse("admin:blocs_unit_change", args=[world.member.pk])).status_code == 200
    assert (
        client.get(reverse("admin:blocs_user_change", args=[council_admin.pk])).status_code == 200
    )


def test_people_without_the_admin_role_cannot_open_the_admin(
    world: World, secretariat: User, leader: User, focal_point: User
) -> None:
    for person in (secretariat, leader, focal_point, None):
        response = client_for(person).get(reverse("admin:blocs_bloc_changelist"))
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_a_council_admin_sees_only_their_councils(world: World, council_admin: User) -> None:
    other_council = CouncilFactory.create(name="Hội đồng tỉnh khác")
    BlocFactory.create(council=other_council, name="Khối của tỉnh khác")
    client = client_for(council_admin)
    html = client.get(reverse("admin:blocs_bloc_changelist")).content.decode()
    assert "Khối thi đua tham mưu III" in html
    assert "Khối của tỉnh khác" not in html
    foreign_year = BlocYear.objects.create(
        bloc=BlocFactory.create(council=other_council), year=2020
    )
    assert (
        client.get(reverse("admin:blocs_blocyear_change", args=[foreign_year.pk])).status_code
        == 302
    )


def test_a_successor_councils_admin_manages_the_merged_council(world: World) -> None:
    successor = CouncilFactory.create(code="DNG")
    import datetime

    services.council_set_successor(
        council=world.council, successor=successor, effective_date=datetime.date(2025, 7, 1)
    )
    admin_user = services.user_create(
        username="quantri.dng",
        password="x",
        unit=UnitFactory.create(council=successor),
        role=User.Role.COUNCIL_ADMIN,
    )
    html = client_for(admin_user).get(reverse("admin:blocs_bloc_changelist")).content.decode()
    assert "Khối thi đua tham mưu III" in html


def _membership_post(world: World, roles: Mapping[int, str]) -> dict[str, str]:
    memberships = list(world.bloc_year.memberships.order_by("pk"))
    data = {
        "bloc": str(world.bloc.pk),
        "year": "2020",
        "state": "setup",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(len(memberships)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, membership in enumerate(memberships):
        data[f"memberships-{index}-id"] = str(membership.pk)
        data[f"memberships-{index}-bloc_year"] = str(world.bloc_year.pk)
        data[f"memberships-{index}-unit"] = str(membership.unit_id)
        data[f"memberships-{index}-role"] = roles.get(membership.unit_id, membership.role)
    return data


def test_two_heads_in_the_admin_form_are_refused_with_a_message(
    world: World, council_admin: User
) -> None:
    client = client_for(council_admin)
    url = reverse("admin:blocs_blocyear_change", args=[world.bloc_year.pk])
    response = client.post(url, _membership_post(world, {world.member.pk: Membership.Role.HEAD}))
    assert response.status_code == 200
    assert "Mỗi năm chỉ có một Trưởng khối." in response.content.decode()
    assert world.bloc_year.memberships.get(unit=world.member).role == Membership.Role.MEMBER


def test_rotating_roles_in_the_admin_form_saves(world: World, council_admin: User) -> None:
    client = client_for(council_admin)
    url = reverse("admin:blocs_blocyear_change", args=[world.bloc_year.pk])
    roles = {world.head.pk: Membership.Role.MEMBER, world.member.pk: Membership.Role.HEAD}
    response = client.post(url, _membership_post(world, roles))
    assert response.status_code == 302
    assert world.bloc_year.memberships.get(role=Membership.Role.HEAD).unit == world.member


def test_making_someone_council_admin_in_the_admin_gives_admin_access(
    world: World, council_admin: User
) -> None:
    person = services.user_create(username="moi", password="x", unit=world.member)
    client = client_for(council_admin)
    response = client.post(
        reverse("admin:blocs_user_change", args=[person.pk]),
        {
            "username": "moi",
            "full_name": "Người mới",
            "unit": str(world.member.pk),
            "role": User.Role.COUNCIL_ADMIN,
            "is_active": "on",
            "date_joined_0": "01/01/2021",
            "date_joined_1": "08:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.is_staff and person.groups.exists()
