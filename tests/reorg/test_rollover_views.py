"""The "open next year" page: who may use it, the preview, the choices, the confirmation."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from blocs import services
from blocs.models import BlocYear, Membership, UnitLineage, User
from tests.conftest import World, client_for
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def url(world: World, year: int = 2020) -> str:
    return reverse("rollover", args=[world.bloc.pk, year])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("council_admin", 200),
        ("secretariat", 403),
        ("focal_point", 403),
        ("outsider", 403),
        ("leader", 403),
    ],
)
def test_only_council_admins_of_the_bloc_council_may_open_next_year(
    world: World, personas: dict, persona: str, status: int
) -> None:
    client = client_for(personas[persona])
    assert client.get(url(world)).status_code == status
    post = client.post(url(world), {"action": "apply"})
    assert post.status_code == (302 if persona == "anonymous" else status)
    assert not BlocYear.objects.filter(bloc=world.bloc, year=2021).exists()


def test_an_admin_of_another_council_is_refused_and_an_unknown_year_is_404(
    world: World, council_admin: User
) -> None:
    from tests.factories import CouncilFactory

    elsewhere = UnitFactory.create(council=CouncilFactory.create())
    stranger = services.user_create(
        username="quantri.khac", password="x", unit=elsewhere, role=User.Role.COUNCIL_ADMIN
    )
    assert client_for(stranger).get(url(world)).status_code == 403
    assert client_for(council_admin).get(url(world, 1999)).status_code == 404


def test_the_admin_opens_next_year_from_the_preview(world: World, council_admin: User) -> None:
    client = client_for(council_admin)
    page = client.get(url(world))
    html = page.content.decode()
    assert "Mở năm 2021 cho Khối thi đua tham mưu III" in html
    assert "Theo luân phiên" in html
    form = page.context["form"]
    response = client.post(
        url(world),
        {
            "action": "apply",
            "digest": form["digest"].value(),
            "suggested_head": form["suggested_head"].value(),
            "suggested_deputy": form["suggested_deputy"].value(),
            "head": form["head"].value(),
            "deputy": form["deputy"].value(),
        },
    )
    created = BlocYear.objects.get(bloc=world.bloc, year=2021)
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert created.memberships.get(role="head").unit == world.deputy


def test_a_head_changed_in_the_form_is_applied(world: World, council_admin: User) -> None:
    client = client_for(council_admin)
    form = client.get(url(world)).context["form"]
    client.post(
        url(world),
        {
            "action": "apply",
            "digest": form["digest"].value(),
            "suggested_head": form["suggested_head"].value(),
            "suggested_deputy": form["suggested_deputy"].value(),
            "head": str(world.head.pk),
            "deputy": str(world.deputy.pk),
        },
    )
    created = BlocYear.objects.get(bloc=world.bloc, year=2021)
    roles = dict(created.memberships.values_list("unit_id", "role"))
    assert roles[world.head.pk] == Membership.Role.HEAD
    assert roles[world.deputy.pk] == Membership.Role.DEPUTY


def test_the_same_head_and_deputy_are_refused_at_the_field(
    world: World, council_admin: User
) -> None:
    client = client_for(council_admin)
    form = client.get(url(world)).context["form"]
    response = client.post(
        url(world),
        {
            "action": "apply",
            "digest": form["digest"].value(),
            "head": str(world.member.pk),
            "deputy": str(world.member.pk),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in html and "hai đơn vị khác nhau" in html
    assert not BlocYear.objects.filter(bloc=world.bloc, year=2021).exists()


def test_a_split_member_stops_the_preview_until_chosen(world: World, council_admin: User) -> None:
    east = UnitFactory.create(council=world.council, name="Báo Đông Quảng Nam")
    services.lineage_record(
        predecessor=world.member,
        successor=east,
        kind=UnitLineage.Kind.SPLIT_INTO,
        effective_date=datetime.date(2020, 10, 1),
        close_predecessor=True,
    )
    client = client_for(council_admin)
    page = client.get(url(world))
    assert "Đơn vị tham gia khối thay Báo Quảng Nam" in page.content.decode()
    digest = page.context["form"]["digest"].value()
    refused = client.post(url(world), {"action": "apply", "digest": digest})
    assert refused.status_code == 200
    assert "Chọn đơn vị tham gia khối thay Báo Quảng Nam" in refused.content.decode()
    assert not BlocYear.objects.filter(bloc=world.bloc, year=2021).exists()
    # Choosing updates the preview (a new digest), and only then may the year be opened.
    field = f"split_{world.member.pk}"
    chosen = client.post(url(world), {"action": "preview", "digest": digest, field: [str(east.pk)]})
    assert "Báo Đông Quảng Nam" in chosen.content.decode()
    new_digest = chosen.context["form"]["digest"].value()
    stale = client.post(url(world), {"action": "apply", "digest": digest, field: [str(east.pk)]})
    assert stale.status_code == 200 and "đã thay đổi" in stale.content.decode()
    done = client.post(url(world), {"action": "apply", "digest": new_digest, field: [str(east.pk)]})
    assert done.status_code == 302
    created = BlocYear.objects.get(bloc=world.bloc, year=2021)
    assert set(created.memberships.values_list("unit_id", flat=True)) == {
        world.head.pk,
        world.deputy.pk,
        east.pk,
    }


def test_an_existing_next_year_is_refused_with_a_link(world: World, council_admin: User) -> None:
    services.bloc_year_create(bloc=world.bloc, year=2021, members=[world.member])
    client = client_for(council_admin)
    html = client.get(url(world)).content.decode()
    assert "Không mở được năm 2021" in html
    assert reverse("bloc-year", args=[world.bloc.pk, 2021]) in html
    client.post(url(world), {"action": "apply"})
    assert BlocYear.objects.filter(bloc=world.bloc, year=2021).count() == 1


def big_bloc_year(world: World, size: int) -> BlocYear:
    """A bloc of ``size`` members in 2020, a third of them merged into new units in 2020."""
    from tests.factories import BlocFactory

    units = [UnitFactory.create(council=world.council) for _ in range(size)]
    bloc_year = services.bloc_year_create(
        bloc=BlocFactory.create(council=world.council),
        year=2020,
        members=units,
        head=units[0],
        deputy=units[1],
    )
    for unit in units[::3]:
        successor = UnitFactory.create(council=world.council)
        services.lineage_record(
            predecessor=unit,
            successor=successor,
            kind=UnitLineage.Kind.MERGED_INTO,
            effective_date=datetime.date(2020, 6, 1),
        )
        services.unit_rename(
            unit=successor, name=f"{successor.name} mới", effective_date=datetime.date(2020, 9, 1)
        )
    return bloc_year


@pytest.mark.parametrize("size", [3, 30])
def test_the_preview_query_budget_does_not_grow_with_the_bloc(
    world: World, council_admin: User, size: int, django_assert_num_queries
) -> None:
    bloc_year = big_bloc_year(world, size)
    client = client_for(council_admin)
    # session and person with the unread count (2), the bloc-year (1), the admin's councils (1),
    # the plan: next year (1), members with names (2), links with successors' names (2 for the
    # one generation of merges, 1 to find there is no next one), other blocs (1), the year-end
    # report (1), the criteria set (3: scoring, own set, shared set), the council's units that
    # may be added with their bloc next year (1) and names (1), the open proposals of N (1).
    with django_assert_num_queries(18):
        response = client.get(reverse("rollover", args=[bloc_year.bloc_id, 2020]))
    assert response.status_code == 200
    assert len(response.context["plan"].members) == size
