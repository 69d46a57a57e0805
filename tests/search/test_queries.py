"""Query budget of the search page: one query per kind (and what its access rule reads), the
same when the province grows ten times."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from blocs import services
from blocs.models import User
from reports.models import Document
from tests.conftest import client_for
from tests.factories import BlocFactory, UnitFactory, UserFactory
from tests.reports.worlds import issued_quickly
from tests.search.conftest import SearchWorld

pytestmark = pytest.mark.django_db

# Session and person (for the signed-in), then units, blocs, documents, people, and the ids
# the document rule needs: the councils a council admin manages or a leader serves (with those
# theirs succeeded), the bloc-years a focal point runs as secretariat.
BUDGETS = {"anonymous": 2, "focal_point": 6, "leader": 6, "council_admin": 7}
QUERY = "tham muu"  # words every kind has rows for, once grown


def grow(w: SearchWorld, times: int) -> None:
    """More units (renamed), blocs with a year each and an issued report, and people."""
    for n in range(times):
        unit = UnitFactory.create(council=w.council, name=f"Sở tham mưu số {n} Quảng Nam")
        services.unit_rename(
            unit=unit, name=f"Sở mới {n}", effective_date=datetime.date(2020 + n % 5, 1, n + 1)
        )
        other = UnitFactory.create(council=w.council, name=f"Ban tham mưu {n} Quảng Nam")
        bloc = BlocFactory.create(council=w.council, name=f"Khối thi đua tham mưu số {n}")
        year = services.bloc_year_create(
            bloc=bloc, year=2020, members=[unit, other], head=unit, deputy=other
        )
        issued_quickly(year, Document.Kind.REPORT)
        UserFactory.create(unit=unit, full_name=f"Người tham mưu {n} Quảng Nam")


def count(client: Any, django_assert_num_queries: Any, budget: int) -> Any:
    with django_assert_num_queries(budget):
        response = client.get(reverse("search"), {"q": QUERY})
    assert response.status_code == 200
    return response.context["results"]


@pytest.mark.parametrize("persona", list(BUDGETS))
def test_the_search_page_has_a_fixed_budget(
    persona: str,
    search_world: SearchWorld,
    personas: dict[str, User | None],
    django_assert_num_queries: Any,
) -> None:
    grow(search_world, 1)
    user = personas[persona]
    small = count(client_for(user), django_assert_num_queries, BUDGETS[persona])
    assert all(group.total for group in small.groups), persona  # every kind has rows
    grow(search_world, 10)
    large = count(client_for(user), django_assert_num_queries, BUDGETS[persona])
    assert large.total > small.total
    # Ten units more than fit on the page: the count says so.
    units = large.groups[0]
    assert units.total > len(units.hits) and units.more_url
