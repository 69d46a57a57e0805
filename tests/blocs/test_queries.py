"""Query budgets of the organisation pages: the same count when the data grows ×10."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from blocs import services
from blocs.models import Council, UnitLineage, User
from tests.conftest import client_for
from tests.factories import BlocFactory, CouncilFactory, UnitFactory

pytestmark = pytest.mark.django_db


def build_province(scale: int) -> dict[str, object]:
    """``scale`` × (3 blocs of 4 units over 2 years), with renames and lineage links."""
    council = CouncilFactory.create(code="QNA")
    first_bloc = first_unit = None
    for b in range(3 * scale):
        bloc = BlocFactory.create(council=council)
        units = [UnitFactory.create(council=council) for _u in range(4)]
        for year in (2020, 2021):
            services.bloc_year_create(
                bloc=bloc, year=year, members=units, head=units[year % 2], deputy=units[2]
            )
        services.unit_rename(
            unit=units[0], name=f"Tên mới {b}", effective_date=datetime.date(2025, 3, 1)
        )
        services.lineage_record(
            predecessor=units[3],
            successor=units[1],
            kind=UnitLineage.Kind.FUNCTIONS_TRANSFERRED,
            effective_date=datetime.date(2025, 3, 1),
        )
        first_bloc = first_bloc or bloc
        first_unit = first_unit or units[3]
    successor = CouncilFactory.create(code="DNG")
    services.council_set_successor(
        council=council, successor=successor, effective_date=datetime.date(2025, 7, 1)
    )
    secretariat = services.user_create(
        username="thuky",
        password="x",
        unit=first_unit.memberships.first().bloc_year.memberships.get(role="head").unit,  # type: ignore[union-attr]
        role=User.Role.FOCAL_POINT,
    )
    admin = services.user_create(
        username="quantri",
        password="x",
        unit=UnitFactory.create(council=successor),
        role=User.Role.COUNCIL_ADMIN,
    )
    return {
        "council": council,
        "bloc": first_bloc,
        "unit": first_unit,
        "secretariat": secretariat,
        "admin": admin,
    }


# Page → (URL from the province, who looks, queries). The budgets count session and user
# lookups of a logged-in person (2) where there is one; the count of their unread
# notifications comes with the user row (portal.auth).
PAGES = {
    "home": (lambda p: reverse("blocs:home"), None, 6),
    # The council page: + the councils merged into this one (1).
    "council": (lambda p: reverse("blocs:council", args=["QNA"]), None, 7),
    "bloc": (lambda p: reverse("blocs:bloc", args=[p["bloc"].pk]), None, 4),
    # A year not published: no ranking or awards are read (tests/public pins a published one).
    "bloc-year": (lambda p: reverse("bloc-year", args=[p["bloc"].pk, 2021]), None, 4),
    # The secretariat also reads its rights, the scoring, awards and documents summaries; a
    # year without a scoring season, its ranking rules (ranked by vote alone?) (1).
    "bloc-year-secretariat": (
        lambda p: reverse("bloc-year", args=[p["bloc"].pk, 2021]),
        "secretariat",
        12,
    ),
    # The unit page: the unit and its names (2), the lineage of its council family with both
    # units' names (5: merged councils, councils linked by units, links, names of predecessors,
    # of successors), the years across the lineage (1), published ranks (1) and awards (1).
    "unit": (lambda p: reverse("unit", args=[p["unit"].pk]), None, 10),
    # + criteria given to the person's unit to score for the blocs (1, scoring/tasks.py), + the
    # unit's registrations still to make and the bloc's registrations to follow (2,
    # awards/tasks_registration.py).
    "my-work-secretariat": (lambda p: reverse("my-work"), "secretariat", 12),
    # The admin: unfinished bloc-years (1), approved proposals waiting for a decision (1) and
    # the council's and departments' criteria still to score in the blocs being scored (1).
    "my-work-admin": (lambda p: reverse("my-work"), "admin", 6),
}


@pytest.mark.parametrize("scale", [1, 10])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_query_budget_does_not_grow_with_the_data(
    page: str, scale: int, django_assert_num_queries
) -> None:
    province = build_province(scale)
    build, who, budget = PAGES[page]
    client = client_for(province[who] if who else None)  # type: ignore[arg-type]
    url = build(province)
    with django_assert_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    assert Council.objects.count() == 2


def build_people(scale: int) -> dict[str, object]:
    """Two councils (Quảng Nam merged into Đà Nẵng), ``scale`` × 10 units with a focal point
    each, the superuser of the list's council among them."""
    province = build_province(1)
    council = Council.objects.get(code="QNA")
    for index in range(10 * scale):
        services.user_create(
            username=f"daumoi{index}",
            password=None,
            unit=UnitFactory.create(council=council),
            role=User.Role.FOCAL_POINT,
            full_name=f"Người {index}",
            email=f"daumoi{index}@x.vn",
        )
    return province


@pytest.mark.parametrize("scale", [1, 10])
@pytest.mark.parametrize(
    ("url", "budget"),
    [
        # Session and person (2), the council (1), the councils the admin manages and those the
        # page lists (2), the units of the filter (1), the people with their units (1).
        ("/councils/DNG/people/", 7),
        ("/councils/DNG/people/?role=focal_point&q=nguoi", 7),
    ],
)
def test_the_people_list_budget_does_not_grow(
    url: str, budget: int, scale: int, django_assert_num_queries
) -> None:
    province = build_people(scale)
    client = client_for(province["admin"])  # type: ignore[arg-type]
    with django_assert_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["listing"].rows) >= 10 * scale
