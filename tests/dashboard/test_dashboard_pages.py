"""The leaders' dashboard one page of blocs at a time (issue 19): the same queries at 3 and 30
blocs; page 2 shows the next blocs; the figures count the whole council on every page and
equal the sum of the cards of every page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import AwardType, Proposal
from blocs import services as bloc_services
from blocs.models import BlocYear, Council, User
from common.paging import PAGE_SIZE
from scoring.models import ScoreSheet
from tests.conftest import World, client_for
from tests.factories import BlocFactory, UnitFactory

pytestmark = pytest.mark.django_db

YEAR = 2031  # a year of its own: the world's blocs have none


def province(council: Council, blocs: int) -> list[BlocYear]:
    """``blocs`` blocs scoring in YEAR, two units each: one sheet not sent past the deadline,
    one sent late; one proposal waiting (every other one sent late); every third bloc still
    set up, the others under way (both late as a whole past the self-assessment deadline)."""
    today = timezone.localdate()
    flag = AwardType.objects.filter(code="GOV_FLAG").order_by("-rule_set__valid_from")[0]
    bloc_years = []
    for index in range(blocs):
        bloc = BlocFactory.create(council=council, code=f"P{index:02d}", name=f"Khối P{index:02d}")
        units = [UnitFactory.create(council=council) for _unit in range(2)]
        bloc_year = bloc_services.bloc_year_create(
            bloc=bloc, year=YEAR, members=units, head=units[0], deputy=units[1]
        )
        state = BlocYear.State.SETUP if index % 3 == 0 else BlocYear.State.UNDERWAY
        BlocYear.objects.filter(pk=bloc_year.pk).update(
            state=state,
            self_assessment_due=today - datetime.timedelta(days=3),
            verification_due=today + datetime.timedelta(days=10),
        )
        ScoreSheet.objects.create(bloc_year=bloc_year, unit=units[0])
        ScoreSheet.objects.create(
            bloc_year=bloc_year,
            unit=units[1],
            state=ScoreSheet.State.SUBMITTED,
            submitted_late=True,
        )
        Proposal.objects.create(
            bloc_year=bloc_year,
            unit=units[0],
            award_type=flag,
            status=Proposal.Status.SUBMITTED,
            submitted_late=bool(index % 2),
        )
        bloc_years.append(bloc_year)
    return bloc_years


def params(world: World, page: int) -> dict[str, Any]:
    return {"council": world.council.code, "year": YEAR, "page": page}


@pytest.mark.parametrize("blocs", [3, 30])
def test_the_dashboard_costs_the_same_at_3_and_30_blocs(
    blocs: int, world: World, council_admin: User, django_assert_num_queries: Any
) -> None:
    province(world.council, blocs)
    client = client_for(council_admin)
    client.get(reverse("dashboard"))  # warm the session
    # session, user, councils seen, council-years, whole-council aggregate, proposals per
    # award and status, the page's bloc-years, members, former names, sheets, snapshots,
    # rule set, award types
    with django_assert_num_queries(13):
        response = client.get(reverse("dashboard"), params(world, 2 if blocs > PAGE_SIZE else 1))
    assert response.status_code == 200
    assert len(response.context["data"].blocs) == (blocs - PAGE_SIZE if blocs > PAGE_SIZE else 3)


def test_page_two_shows_the_next_blocs_and_the_figures_of_the_whole_council(
    world: World, council_admin: User
) -> None:
    bloc_years = province(world.council, 30)
    client = client_for(council_admin)
    pages = [
        client.get(reverse("dashboard"), params(world, number)).context["data"] for number in (1, 2)
    ]
    first, second = pages
    assert [bloc.bloc_year for bloc in first.blocs] == bloc_years[:PAGE_SIZE]
    assert [bloc.bloc_year for bloc in second.blocs] == bloc_years[PAGE_SIZE:]
    cards = [bloc for data in pages for bloc in data.blocs]
    for data in pages:
        assert data.bloc_count == 30 == len(cards)
        # The figures of the whole council equal the sum of the cards of every page.
        assert data.waiting == sum(bloc.waiting for bloc in cards) == 30
        assert data.marked_late == sum(bloc.marked_late for bloc in cards) == 30 + 15
        # Each bloc: its draft sheet past the deadline, and the bloc itself (scoring not
        # opened: set up or under way).
        assert data.late_count == sum(bloc.late_now for bloc in cards) == 60
        assert data.late_count == sum(len(page.late) for page in pages)
        flags = next(row for row in data.awards if row.award.code == "GOV_FLAG")
        assert (flags.proposed, flags.waiting) == (30, 30)
        # 30 flags for 30 blocs: far above the share the rules allow, on every page.
        assert [warning.council for warning in data.warnings] == [world.council]
    assert first.awards == second.awards
    # The unit chooser offers the page's units.
    assert len(second.units) == 2 * (30 - PAGE_SIZE)


def test_the_pager_keeps_the_council_and_the_year_and_marks_the_current_page(
    world: World, council_admin: User
) -> None:
    province(world.council, 25)
    response = client_for(council_admin).get(reverse("dashboard"), params(world, 2))
    html = response.content.decode()
    assert '<nav class="pager no-print" aria-label="Các trang khối thi đua">' in html
    assert 'aria-current="page"><span class="visually-hidden">Trang </span>2</span>' in html
    assert f'href="?council={world.council.code}&amp;year={YEAR}&amp;page=1#blocs"' in html
    assert "Khối P24" in html and "Khối P00" not in html
