"""Issue 18 items 1 and 3 through the pages: the rules page sets a floor on every criterion per
band and what a section with no task counts; the ranking page applies them and says so."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from blocs.models import AuditEntry, BlocYear, User
from scoring.models import RankingRules, ScoreLine, ScoreSheet
from scoring.ranking import FIRST_SECTION, TIE_BREAKS
from scoring.selectors.ranking_rules import rules_of
from scoring.services import ranking as ranking_services
from scoring.services import sheets as sheet_services
from scoring.services import transitions
from tests.conftest import World, client_for, verified_year

pytestmark = pytest.mark.django_db
D = Decimal
REASON = "Áp dụng hướng dẫn chấm điểm mới của tỉnh"


def rules_url(bloc_year: BlocYear) -> str:
    return reverse("scoring:ranking-rules", args=[bloc_year.bloc_id, bloc_year.year])


def ranking_url(bloc_year: BlocYear) -> str:
    return reverse("scoring:ranking", args=[bloc_year.bloc_id, bloc_year.year])


def post(bands: list[tuple[str, str, str, str]], empty: str | None) -> dict[str, str]:
    """The rules form as a browser posts it: first section as the only tie-break."""
    rows = len(bands) + 2
    data = {"band_rows": str(rows), "reason": REASON}
    for position, key in enumerate(TIE_BREAKS, start=1):
        data[f"order_{key}"] = str(position)
    data[f"use_{FIRST_SECTION}"] = "on"
    for index in range(rows):
        name, minimum, floor, criterion = bands[index] if index < len(bands) else ("",) * 4
        data[f"band_{index}_name"] = name
        data[f"band_{index}_min"] = minimum
        data[f"band_{index}_floor"] = floor
        data[f"band_{index}_criterion"] = criterion
    if empty is not None:
        data["empty_sections"] = empty
    return data


BANDS = [
    ("Xuất sắc", "90", "0", "90"),
    ("Tốt", "80", "0", "80"),
    ("Còn lại", "0", "0", ""),
]


@pytest.fixture
def year(world: World) -> BlocYear:
    """2019 verified: I.1 (6) and I.2 (4) are 6 and 4, 5,5 and 3,6, 5 and 3,2 by unit."""
    return verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])


def test_the_rules_page_saves_floors_per_band_and_the_rule_for_sections_with_no_task(
    year: BlocYear, secretariat: User
) -> None:
    response = client_for(secretariat).post(rules_url(year), post(BANDS, "full_points"))
    assert response.status_code == 302
    rules = RankingRules.objects.get(bloc_year=year)
    assert rules.empty_sections == "full_points"
    assert rules.bands[0]["criterion_floor_percent"] == "90"
    assert "criterion_floor_percent" not in rules.bands[2]  # blank: no floor
    in_force = rules_of(year)
    assert [band.criterion_floor_percent for band in in_force.bands] == [D(90), D(80), None]
    entry = AuditEntry.objects.get(bloc_year=year, action="ranking.rules")
    assert entry.changes["empty_sections"] == ["pro_rata", "full_points"]
    assert entry.reason == REASON
    page = client_for(secretariat).get(rules_url(year)).content.decode()
    assert 'name="band_0_criterion"' in page and 'value="90"' in page
    assert 'value="full_points" checked' in page or "checked" in page.split("full_points")[1][:80]


def test_a_refused_criterion_floor_shows_everything_again_with_the_reason(
    year: BlocYear, secretariat: User
) -> None:
    bands = [("Xuất sắc", "90", "0", "120"), ("Tốt", "80", "0", "8o"), ("Còn lại", "0", "0", "")]
    response = client_for(secretariat).post(rules_url(year), post(bands, "full_points"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["band_0_criterion"] == ["Tỷ lệ phải từ 0 đến 100."]
    assert "band_1_criterion" in form.errors
    page = response.content.decode()
    assert 'value="120"' in page and 'value="8o"' in page  # what was typed stays
    assert "Mức 1: mức sàn mỗi tiêu chí (%)" in page  # in the summary at the top
    assert not RankingRules.objects.filter(bloc_year=year).exists()


def test_the_ranking_moves_a_unit_down_and_says_which_criterion_and_why(
    year: BlocYear, secretariat: User, world: World
) -> None:
    client = client_for(secretariat)
    assert client.post(rules_url(year), post(BANDS, None)).status_code == 302
    response = client.get(ranking_url(year))
    rows = {row.unit_id: row for row in response.context["rows"]}
    assert rows[world.head.pk].band == "Xuất sắc" and rows[world.head.pk].band_note is None
    assert rows[world.deputy.pk].band == "Xuất sắc"  # 91,67 % and 90 %
    moved = rows[world.member.pk]
    assert moved.band == "Tốt"
    assert moved.band_note == (
        "không xếp “Xuất sắc” dù đủ tổng điểm, vì có tiêu chí dưới mức sàn mỗi tiêu chí 90%: "
        "I.1 đạt 5,00/6,00 điểm (83,33%), I.2 đạt 3,20/4,00 điểm (80%)"
    )
    page = response.content.decode()
    assert "I.1 đạt 5,00/6,00 điểm (83,33%)" in page
    assert response.context["empty_sections"] == "pro_rata"
    assert "điểm các mục còn lại được quy đổi theo tỷ lệ" in page
    # The finalized ranking keeps the words and the rule.
    snapshot = ranking_services.bloc_year_finalize(bloc_year=year, by=None)
    kept = {row.unit_id: row for row in snapshot.rows}
    assert kept[world.member.pk].band_note == moved.band_note
    assert snapshot.data["settings"]["bands"][0]["criterion_floor_percent"] == "90"
    assert "empty_sections" not in snapshot.data["settings"]  # the default is not written
    page = client.get(ranking_url(year)).content.decode()
    assert "I.1 đạt 5,00/6,00 điểm (83,33%)" in page


def test_a_section_with_no_task_counts_its_maximum_when_the_rules_say_so(
    world: World, secretariat: User
) -> None:
    year = verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])
    client = client_for(secretariat)
    # The member had no task in section I (its only standard section): both lines do not
    # apply. Pro rata leaves nothing to scale: its standard points are 0.
    sheet = ScoreSheet.objects.get(bloc_year=year, unit=world.member)
    transitions.sheet_reopen(sheet=sheet, reason="Xem lại nhiệm vụ được giao", by=secretariat)
    for line in ScoreLine.objects.select_related("criterion", "sheet__bloc_year").filter(
        sheet__bloc_year=year, sheet__unit=world.member, criterion__code__in=["I.1", "I.2"]
    ):
        sheet_services.line_set_not_applicable(
            line=line, not_applicable=True, reason="Không được giao nhiệm vụ", by=secretariat
        )
    sheet.refresh_from_db()
    transitions.sheet_mark_verified(sheet=sheet, by=secretariat)
    before = {row.unit_id: row for row in client.get(ranking_url(year)).context["rows"]}
    assert before[world.member.pk].standard == D(0)
    assert before[world.member.pk].total == D("1.50")  # the bonus
    bands = [("Xuất sắc", "90", "0", "90"), ("Còn lại", "0", "0", "")]
    assert client.post(rules_url(year), post(bands, "full_points")).status_code == 302
    response = client.get(ranking_url(year))
    after = {row.unit_id: row for row in response.context["rows"]}
    member = after[world.member.pk]
    assert member.standard == D(10) and member.total == D("11.50")
    assert member.sections == {"I": D(10)}
    assert member.band == "Xuất sắc"  # lines counted at full points meet every floor
    assert response.context["empty_sections"] == "full_points"
    assert "được tính đủ điểm tối đa của mục" in response.content.decode()
    snapshot = ranking_services.bloc_year_finalize(bloc_year=year, by=None)
    assert snapshot.data["settings"]["empty_sections"] == "full_points"
    response = client.get(ranking_url(year))
    assert response.context["empty_sections"] == "full_points"
    # Once finalized, the rules page only shows them, in words.
    page = client.get(rules_url(year)).content.decode()
    assert "Mức sàn mỗi tiêu chí (%)" in page and 'name="empty_sections"' not in page
    assert "được tính đủ điểm tối đa của mục" in page


def test_a_bloc_year_starts_from_its_councils_rule_and_may_override_it(
    year: BlocYear, secretariat: User, world: World
) -> None:
    council_bands = [{"name": "Tất cả", "min_total_percent": "0", "floor_percent": "0"}]
    ranking_services.ranking_rules_save(
        tie_breaks=[],
        bands=council_bands,
        by=None,
        council=world.council,
        empty_sections="full_points",
    )
    assert rules_of(year).empty_sections == "full_points"
    # Own rules saved without the choice start from the council's.
    ranking_services.ranking_rules_save(
        tie_breaks=[], bands=council_bands, by=None, bloc_year=year, reason=REASON
    )
    assert rules_of(year).empty_sections == "full_points"
    ranking_services.ranking_rules_save(
        tie_breaks=[],
        bands=council_bands,
        by=None,
        bloc_year=year,
        empty_sections="pro_rata",
        reason=REASON,
    )
    assert rules_of(year).empty_sections == "pro_rata"
    assert RankingRules.objects.get(council=world.council).empty_sections == "full_points"


def test_the_admin_sets_the_rule_through_the_same_service(
    year: BlocYear, council_admin: User
) -> None:
    rules = ranking_services.ranking_rules_save(
        tie_breaks=[],
        bands=[{"name": "Tất cả", "min_total_percent": "0", "floor_percent": "0"}],
        by=None,
        bloc_year=year,
        reason=REASON,
    )
    url = reverse("admin:scoring_rankingrules_change", args=[rules.pk])
    bands = (
        '[{"name": "Tốt", "min_total_percent": "80", "floor_percent": "0",'
        ' "criterion_floor_percent": "75"}, {"name": "Còn lại", "min_total_percent": "0",'
        ' "floor_percent": "0"}]'
    )
    data = {"tie_breaks": "[]", "bands": bands, "empty_sections": "full_points"}
    refused = client_for(council_admin).post(url, data)
    assert refused.status_code == 200  # scoring is open: the reason is required here too
    assert RankingRules.objects.get(pk=rules.pk).empty_sections == "pro_rata"
    response = client_for(council_admin).post(url, {**data, "reason": REASON})
    assert response.status_code == 302
    rules.refresh_from_db()
    assert rules.empty_sections == "full_points"
    assert rules.bands[0]["criterion_floor_percent"] == "75"
    assert AuditEntry.objects.filter(
        bloc_year=year, action="ranking.rules", changes__empty_sections=["pro_rata", "full_points"]
    ).exists()
