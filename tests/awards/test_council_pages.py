"""The council proposals view one page of blocs at a time (issue 19): the same queries at 3 and
30 blocs, page 2 shows the next blocs, the totals count the whole council on every page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from awards.council import council_year
from awards.models import Proposal
from blocs.models import User
from common.paging import PAGE_SIZE
from tests.awards.test_council import YEAR, province
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


def url(world: World) -> str:
    return reverse("awards:council-view", args=[world.council.code, YEAR])


@pytest.mark.parametrize("blocs", [3, 30])
def test_the_page_costs_the_same_at_3_and_30_blocs(
    blocs: int, world: World, council_admin: User, django_assert_num_queries: Any
) -> None:
    province(world.council, blocs, 1)
    client = client_for(council_admin)
    with django_assert_num_queries(12):
        response = client.get(url(world), {"page": 2})
    assert response.status_code == 200


def test_page_two_shows_the_next_blocs_and_the_totals_of_the_whole_council(
    world: World, council_admin: User
) -> None:
    bloc_years = province(world.council, 30, 2)
    client = client_for(council_admin)
    first = client.get(url(world)).context["data"]
    second = client.get(url(world), {"page": 2}).context["data"]

    assert [row.bloc_year for row in first.rows] == bloc_years[:PAGE_SIZE]
    assert [row.bloc_year for row in second.rows] == bloc_years[PAGE_SIZE:]
    assert (first.page.number, second.page.number, second.page.pages) == (1, 2, 2)
    # The footer counts every bloc of the council, on either page: 30 certificates, 2 flags.
    sent = Proposal.objects.filter(bloc_year__in=bloc_years).exclude(
        status__in=[Proposal.Status.DRAFT, Proposal.Status.REJECTED]
    )
    columns = {award.code: index for index, award in enumerate(first.awards)}
    for data in (first, second):
        assert sum(data.totals) == sent.count() == 32
        assert data.totals[columns["PROV_CERT"]] == 30
        assert data.government_flags == 2 and data.blocs == 30
    # Whatever page, the totals are those the whole file (every bloc) counts.
    whole = council_year(world.council, YEAR)
    assert (whole.totals, whole.decided) == (first.totals, first.decided)
    assert sum(row.proposed for row in first.rows + second.rows) == 32


def test_the_pager_is_a_labelled_nav_with_the_current_page_marked(
    world: World, council_admin: User
) -> None:
    province(world.council, 25, 0)
    response = client_for(council_admin).get(url(world), {"page": 2})
    html = response.content.decode()
    assert '<nav class="pager no-print" aria-label="Các trang khối đề nghị">' in html
    assert 'aria-current="page"><span class="visually-hidden">Trang </span>2</span>' in html
    assert 'href="?page=1"' in html and "Khối số 24" in html and "Khối số 00" not in html


@pytest.mark.parametrize("asked", ["9", "0", "x", "-1"])
def test_a_page_out_of_range_shows_the_nearest_page(
    asked: str, world: World, council_admin: User
) -> None:
    province(world.council, 25, 0)
    data = client_for(council_admin).get(url(world), {"page": asked}).context["data"]
    assert data.page.number == (2 if asked == "9" else 1)
    assert data.rows
