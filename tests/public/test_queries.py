"""Query budgets of the public pages and of every open-data download: the same count when the
province grows (more blocs, more years, more units, longer lineage chains elsewhere)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from awards.models import AwardGrant, Decision
from blocs import services
from blocs.models import BlocYear, Council, UnitLineage
from reports.models import Document
from scoring.models import CriteriaSet, ScoringSeason
from tests.conftest import client_for
from tests.factories import BlocFactory, CouncilFactory, UnitFactory
from tests.public.conftest import secret_snapshot
from tests.reports.worlds import issued_quickly

pytestmark = pytest.mark.django_db

FIRST_YEAR = 2015


def build_province(scale: int) -> dict[str, Any]:
    """``2 × scale`` blocs of 3 units over ``2 + scale`` years, the last year still scoring and
    the others published with a snapshot, an award and an issued report; a chain of mergers
    (and a split) for the followed unit, and the council merged into another."""
    council = CouncilFactory.create(code="QNA", province="Quảng Nam")
    decision = Decision.objects.create(
        council=council, number="1/QĐ-UBND", date=datetime.date(2020, 1, 1)
    )
    years = list(range(FIRST_YEAR, FIRST_YEAR + 2 + scale))
    first: dict[str, Any] = {}
    for b in range(2 * scale):
        bloc = BlocFactory.create(council=council)
        units = [UnitFactory.create(council=council) for _u in range(3)]
        for year in years:
            published = year != years[-1]
            bloc_year = services.bloc_year_create(
                bloc=bloc,
                year=year,
                members=units,
                head=units[year % 3],
                deputy=units[(year + 1) % 3],
                state=BlocYear.State.PUBLISHED if published else BlocYear.State.SCORING,
            )
            criteria_set = CriteriaSet.objects.create(
                council=council, year=year, bloc_year=bloc_year, name=f"Bảng {year}"
            )
            ScoringSeason.objects.create(bloc_year=bloc_year, criteria_set=criteria_set)
            secret_snapshot(bloc_year, units)
            if published:
                AwardGrant.objects.create(
                    unit=units[0],
                    year=year,
                    award_code="PROV_FLAG",
                    award_name="Cờ thi đua",
                    decision=decision,
                )
                issued_quickly(bloc_year, Document.Kind.REPORT)
        services.unit_rename(
            unit=units[1], name=f"Tên mới {b}", effective_date=datetime.date(2025, 3, 1)
        )
        first = first or {"bloc": bloc, "units": units}
    # The followed unit: merged into a successor, itself merged into a unit of the next council.
    followed = first["units"][0]
    successor = UnitFactory.create(council=council)
    services.lineage_record(
        predecessor=followed,
        successor=successor,
        kind=UnitLineage.Kind.MERGED_INTO,
        effective_date=datetime.date(2025, 3, 1),
    )
    services.lineage_record(
        predecessor=first["units"][2],
        successor=UnitFactory.create(council=council),
        kind=UnitLineage.Kind.SPLIT_INTO,
        effective_date=datetime.date(2025, 3, 1),
    )
    danang = CouncilFactory.create(code="DNG", province="Đà Nẵng")
    final = UnitFactory.create(council=danang)
    services.lineage_record(
        predecessor=successor,
        successor=final,
        kind=UnitLineage.Kind.MERGED_INTO,
        effective_date=datetime.date(2025, 7, 1),
    )
    services.council_set_successor(
        council=council, successor=danang, effective_date=datetime.date(2025, 7, 1)
    )
    return {
        "council": council,
        "bloc": first["bloc"],
        "unit": followed,
        "final": final,
        "published": years[-2],
        "scoring": years[-1],
    }


# Page → (URL from the province, queries), for an anonymous visitor.
PAGES = {
    # Councils' years, bloc-years with heads and deputies and their names, blocs, and the
    # councils merged into this one.
    "council": (lambda p: reverse("blocs:council", args=["QNA"]) + f"?year={p['published']}", 7),
    # A council with no year of its own yet: no bloc-year is read.
    "council-successor": (lambda p: reverse("blocs:council", args=["DNG"]), 4),
    "bloc": (lambda p: reverse("blocs:bloc", args=[p["bloc"].pk]), 4),
    # The bloc-year (1), its years (1), members and names (2), scoring summary (3), documents
    # (1), the public results: snapshot (1), grants (1), award orders (1), when the
    # conference was held: its ballot (1) and, with neither ballot nor day, the report (1), and
    # whether the ranking rules changed after scoring opened (1).
    "bloc-year-published": (
        lambda p: reverse("bloc-year", args=[p["bloc"].pk, p["published"]]),
        14,
    ),
    # Not published: no results are read, no documents are shown.
    "bloc-year-scoring": (lambda p: reverse("bloc-year", args=[p["bloc"].pk, p["scoring"]]), 4),
    # The unit (2), its lineage (5), years across the lineage (1), ranks (1), awards (2).
    "unit": (lambda p: reverse("unit", args=[p["unit"].pk]), 11),
    "unit-end-of-chain": (lambda p: reverse("unit", args=[p["final"].pk]), 11),
}

# Download → (URL arguments before the format, queries).
DOWNLOADS = {
    "open-data-council-blocs": (lambda p: ["QNA", p["published"]], 6),
    "open-data-bloc-members": (lambda p: [p["bloc"].pk], 4),
    # The bloc-year (1), its members and their names (2).
    "open-data-bloc-year-members": (lambda p: [p["bloc"].pk, p["published"]], 3),
    # + the latest snapshot (1); the awards: + grants (1) and award orders (1).
    "open-data-ranking": (lambda p: [p["bloc"].pk, p["published"]], 4),
    "open-data-awards": (lambda p: [p["bloc"].pk, p["published"]], 6),
    "open-data-unit-results": (lambda p: [p["final"].pk], 9),
    "open-data-unit-awards": (lambda p: [p["final"].pk], 10),
}


@pytest.mark.parametrize("scale", [1, 4])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_public_pages_keep_their_query_budget(
    page: str, scale: int, django_assert_num_queries: Any
) -> None:
    province = build_province(scale)
    build, budget = PAGES[page]
    client = client_for(None)
    with django_assert_num_queries(budget):
        response = client.get(build(province))
    assert response.status_code == 200
    assert Council.objects.count() == 2


@pytest.mark.parametrize("scale", [1, 4])
@pytest.mark.parametrize("name", sorted(DOWNLOADS))
def test_open_data_downloads_keep_their_query_budget(
    name: str, scale: int, django_assert_num_queries: Any
) -> None:
    province = build_province(scale)
    build, budget = DOWNLOADS[name]
    client = client_for(None)
    for fmt in ("csv", "excel.csv", "json"):
        with django_assert_num_queries(budget):
            response = client.get(reverse(name, args=[*build(province), fmt]))
        assert response.status_code == 200, fmt
