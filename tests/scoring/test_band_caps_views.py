"""Issue 18 item 2 through the pages: the rules page sets a cap on a band ("Tối đa % số đơn
vị"), the ranking page moves the units over it down and says who and why, and a finalized
ranking keeps both."""

from __future__ import annotations

import pytest
from django.urls import reverse

from blocs.models import AuditEntry, BlocYear, User
from scoring.models import RankingRules
from scoring.ranking import FIRST_SECTION, TIE_BREAKS
from scoring.selectors.ranking_rules import rules_of
from scoring.services import ranking as ranking_services
from tests.conftest import World, client_for, verified_year

pytestmark = pytest.mark.django_db
REASON = "Hướng dẫn của tỉnh: không quá 34% đơn vị xuất sắc"


def rules_url(bloc_year: BlocYear) -> str:
    return reverse("scoring:ranking-rules", args=[bloc_year.bloc_id, bloc_year.year])


def ranking_url(bloc_year: BlocYear) -> str:
    return reverse("scoring:ranking", args=[bloc_year.bloc_id, bloc_year.year])


def post(bands: list[tuple[str, str, str]]) -> dict[str, str]:
    """The rules form as a browser posts it: (name, minimum total, cap) per band."""
    rows = len(bands) + 2
    data = {"band_rows": str(rows), "reason": REASON}
    for position, key in enumerate(TIE_BREAKS, start=1):
        data[f"order_{key}"] = str(position)
    data[f"use_{FIRST_SECTION}"] = "on"
    for index in range(rows):
        name, minimum, cap = bands[index] if index < len(bands) else ("", "", "")
        data[f"band_{index}_name"] = name
        data[f"band_{index}_min"] = minimum
        data[f"band_{index}_floor"] = "0" if name else ""
        data[f"band_{index}_criterion"] = ""
        data[f"band_{index}_cap"] = cap
    return data


CAPPED = [("Xuất sắc", "90", "34"), ("Tốt", "80", ""), ("Còn lại", "0", "")]


@pytest.fixture
def year(world: World) -> BlocYear:
    """2019 verified: the three units reach 90 % or more (head first, then deputy, member)."""
    return verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])


def test_a_cap_moves_the_units_over_it_down_and_says_so(
    year: BlocYear, secretariat: User, world: World
) -> None:
    client = client_for(secretariat)
    uncapped = [(name, minimum, "") for name, minimum, _cap in CAPPED]
    assert client.post(rules_url(year), post(uncapped)).status_code == 302
    before = {row.unit_id: row.band for row in client.get(ranking_url(year)).context["rows"]}
    assert set(before.values()) == {"Xuất sắc"}
    response = client.post(rules_url(year), post(CAPPED))
    assert response.status_code == 302
    rules = RankingRules.objects.get(bloc_year=year)
    assert rules.bands[0]["cap_percent"] == "34"
    assert "cap_percent" not in rules.bands[1]
    assert next(band.cap_percent for band in rules_of(year).bands) == 34
    entry = AuditEntry.objects.filter(bloc_year=year, action="ranking.rules").latest("pk")
    assert entry.reason == REASON and entry.changes["bands"][1][0]["cap_percent"] == "34"
    response = client.get(ranking_url(year))
    first, second, third = response.context["rows"]
    # 34 % of 3 ranked units = 1,02 → 1 unit: the first keeps it, the others are moved down.
    assert first.band == "Xuất sắc" and first.band_note is None
    assert (second.rank, second.band) == (2, "Tốt")
    assert second.band_note == (
        "không xếp “Xuất sắc” vì khối chỉ được tối đa 34% (1 đơn vị) ở mức này; đơn vị xếp thứ 2"
    )
    assert (third.rank, third.band) == (3, "Tốt")
    assert "đơn vị xếp thứ 3" in (third.band_note or "")
    page = response.content.decode()
    assert second.band_note in page
    assert "“Xuất sắc” tối đa 34%" in page
    # The finalized ranking keeps the words and the cap.
    snapshot = ranking_services.bloc_year_finalize(bloc_year=year, by=None)
    kept = {row.unit_id: row for row in snapshot.rows}
    assert kept[second.unit_id].band_note == second.band_note
    assert snapshot.data["settings"]["bands"][0]["cap_percent"] == "34"
    page = client.get(ranking_url(year)).content.decode()
    assert second.band_note in page and "“Xuất sắc” tối đa 34%" in page
    rules_page = client.get(rules_url(year)).content.decode()
    assert "Tối đa % số đơn vị" in rules_page and 'name="band_0_cap"' not in rules_page


def test_a_refused_cap_shows_everything_again_with_the_reason(
    year: BlocYear, secretariat: User
) -> None:
    bands = [("Xuất sắc", "90", "2o"), ("Tốt", "80", "150"), ("Còn lại", "0", "")]
    response = client_for(secretariat).post(rules_url(year), post(bands))
    assert response.status_code == 200
    form = response.context["form"]
    assert "band_0_cap" in form.errors
    assert form.errors["band_1_cap"] == ["Tỷ lệ phải từ 0 đến 100."]
    page = response.content.decode()
    assert 'value="2o"' in page and 'value="150"' in page  # what was typed stays
    assert "Mức 2: tối đa % số đơn vị" in page  # in the summary at the top
    assert not RankingRules.objects.filter(bloc_year=year).exists()
    # The last band takes everyone else: a cap there is refused at the band table.
    last = [("Xuất sắc", "90", ""), ("Còn lại", "0", "50")]
    response = client_for(secretariat).post(rules_url(year), post(last))
    assert response.status_code == 200
    assert response.context["form"].group_errors["bands"] == [
        "Mức cuối cùng dành cho các đơn vị còn lại: không đặt tối đa."
    ]
    assert 'value="50"' in response.content.decode()
    assert not RankingRules.objects.filter(bloc_year=year).exists()


def test_a_council_default_cap_applies_until_a_bloc_year_overrides_it(
    year: BlocYear, world: World, secretariat: User
) -> None:
    council_bands = [
        {"name": "Xuất sắc", "min_total_percent": "90", "floor_percent": "0", "cap_percent": "20"},
        {"name": "Còn lại", "min_total_percent": "0", "floor_percent": "0"},
    ]
    ranking_services.ranking_rules_save(
        tie_breaks=[], bands=council_bands, by=None, council=world.council
    )
    rows = client_for(secretariat).get(ranking_url(year)).context["rows"]
    assert [row.band for row in rows] == ["Còn lại"] * 3  # 20 % of 3 = 0,6 → nobody
    assert "tối đa 20% (0 đơn vị)" in (rows[0].band_note or "")
    own = [{**council_bands[0], "cap_percent": "67"}, council_bands[1]]
    ranking_services.ranking_rules_save(
        tie_breaks=[], bands=own, by=None, bloc_year=year, reason=REASON
    )
    rows = client_for(secretariat).get(ranking_url(year)).context["rows"]
    assert [row.band for row in rows] == ["Xuất sắc", "Xuất sắc", "Còn lại"]  # 2,01 → 2
    assert RankingRules.objects.get(council=world.council).bands[0]["cap_percent"] == "20"
