"""Query budgets of the score grid (GET and a full-sheet save) and of the progress dashboard:
the same count when the bloc's units and the set's criteria grow ten times."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from blocs import services as bloc_services
from blocs.models import BlocYear, User
from scoring.models import CriteriaSet, ScoreSheet
from scoring.services import criteria as criteria_services
from scoring.services import sheets as services
from scoring.services import transitions
from scoring.services.sheets import SELF, LineEntry
from tests.conftest import client_for
from tests.factories import BlocFactory, CouncilFactory, UnitFactory

pytestmark = pytest.mark.django_db
D = Decimal


def build(scale: int) -> tuple[BlocYear, CriteriaSet, User, User, ScoreSheet]:
    """A bloc of 3×scale units and a set of 8×scale leaves (of every method) under 2 sections."""
    council = CouncilFactory.create()
    units = [UnitFactory.create(council=council) for _ in range(3 * scale)]
    bloc = BlocFactory.create(council=council)
    bloc_year = bloc_services.bloc_year_create(
        bloc=bloc, year=2020, members=units, head=units[0], deputy=units[1]
    )
    criteria_set = criteria_services.criteria_set_create(
        council=council, year=2020, name="Bảng", by=None, bonus_cap=D(5)
    )
    methods = ["direct", "target", "pass_fail", "relative_best"]
    leaves = 8 * scale
    criteria_services.criterion_save(
        criteria_set=criteria_set, by=None, code="I", title="Mục I", max_points=D(5 * leaves)
    )
    for index in range(leaves):
        criteria_services.criterion_save(
            criteria_set=criteria_set,
            by=None,
            code=f"I.{index + 1}",
            title=f"Tiêu chí {index + 1}",
            max_points=D(5),
            method=methods[index % 4],
        )
    criteria_services.criterion_save(
        criteria_set=criteria_set, by=None, code="II", title="Thưởng", max_points=D(4), kind="bonus"
    )
    criteria_services.criterion_save(
        criteria_set=criteria_set,
        by=None,
        code="II.1",
        title="Bằng khen",
        max_points=D(4),
        kind="bonus",
        method="per_occurrence",
        points_per_occurrence=D(2),
    )
    services.scoring_open(bloc_year=bloc_year, criteria_set=criteria_set, by=None)
    focal = bloc_services.user_create(username="daumoi", password="x", unit=units[2])
    secretary = bloc_services.user_create(username="thuky", password="x", unit=units[0])
    sheet = ScoreSheet.objects.select_related("bloc_year__scoring__criteria_set").get(
        bloc_year=bloc_year, unit=units[2]
    )
    return bloc_year, criteria_set, focal, secretary, sheet


def full_entries(criteria_set: CriteriaSet, bump: int = 0) -> dict[int, LineEntry]:
    entries = {}
    for criterion in criteria_set.criteria.exclude(code__in=["I", "II"]):
        value = {
            "direct": LineEntry(D(4 + bump % 2)),
            "target": LineEntry(D(8 + bump), D(10)),
            "pass_fail": LineEntry(D(1)),
            "relative_best": LineEntry(D(70 + bump)),
            "per_occurrence": LineEntry(D(1)),
        }[criterion.method]
        entries[criterion.pk] = value
    return entries


def form_data(entries: dict[int, LineEntry], version: int) -> dict[str, str]:
    data = {"version": str(version)}
    for criterion_id, entry in entries.items():
        data[f"v-{criterion_id}"] = str(entry.value)
        data[f"t-{criterion_id}"] = str(entry.target or "")
        data[f"x-{criterion_id}"] = "ghi chú"
    return data


@pytest.mark.parametrize("scale", [1, 10])
def test_the_grid_page_costs_the_same_whatever_the_size(
    scale: int, django_assert_num_queries
) -> None:
    _bloc_year, criteria_set, focal, _secretary, sheet = build(scale)
    services.sheet_save(
        sheet=sheet, layer=SELF, entries=full_entries(criteria_set), version=1, by=focal
    )
    client = client_for(focal)
    # session, user with unit, sheet, criteria, lines with their evidence counts and whether
    # any has a question (none here: the questions are not read), history, the unit's names.
    with django_assert_num_queries(7):
        response = client.get(sheet.get_absolute_url())
    assert response.status_code == 200
    assert "Lịch sử thay đổi" in response.content.decode()


@pytest.mark.parametrize("scale", [1, 10])
def test_the_grid_page_with_questions_costs_the_same_whatever_the_size(
    scale: int, django_assert_num_queries
) -> None:
    _bloc_year, criteria_set, focal, secretary, sheet = build(scale)
    services.sheet_save(
        sheet=sheet, layer=SELF, entries=full_entries(criteria_set), version=1, by=focal
    )
    transitions.sheet_submit(sheet=sheet, by=focal)
    leaves = criteria_set.criteria.exclude(code__in=["I", "II"]).values_list("pk", flat=True)
    transitions.sheet_return_for_explanation(
        sheet=sheet, questions={pk: f"Câu hỏi {pk}" for pk in leaves}, by=secretary
    )
    client = client_for(focal)
    # Then the questions (with who asked) and their files are read too, once each.
    with django_assert_num_queries(9):
        response = client.get(sheet.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('name="a-') == len(leaves)


@pytest.mark.parametrize("scale", [1, 10])
def test_a_full_sheet_save_costs_the_same_whatever_the_size(
    scale: int, django_assert_num_queries
) -> None:
    _bloc_year, criteria_set, focal, _secretary, sheet = build(scale)
    services.sheet_save(
        sheet=sheet, layer=SELF, entries=full_entries(criteria_set), version=1, by=focal
    )
    client = client_for(focal)
    data = form_data(full_entries(criteria_set, bump=1), version=2)
    # session, user, sheet, lines; savepoint, the bloc-year's sheets locked in order (the set
    # has a line scored against the bloc's best), version claim, one bulk update of the
    # changed lines, the sheet's kept totals and ranking parts (its lines read, one write: the
    # self column's points are in the parts), the lines scored against the bloc's best (read,
    # update, and the bloc's kept totals: read, write), one bulk insert of the audit rows,
    # release — not one query per line.
    with django_assert_num_queries(16):
        response = client.post(sheet.get_absolute_url(), data)
    assert response.status_code == 302
    assert sheet.lines.filter(note="ghi chú").count() == 8 * scale + 1


@pytest.mark.parametrize("scale", [1, 10])
def test_the_progress_dashboard_costs_the_same_whatever_the_size(
    scale: int, django_assert_num_queries
) -> None:
    bloc_year, _criteria_set, _focal, secretary, _sheet = build(scale)
    client = client_for(secretary)
    # session, user, bloc-year, secretariat rights, season, the ranking rules (whether the year
    # is ranked by vote alone), roles, sheets with their counts, the units' former names, the
    # last change of each sheet, the criteria scored outside the secretariat with their counts.
    with django_assert_num_queries(11):
        response = client.get(reverse("scoring:progress", args=[bloc_year.bloc_id, 2020]))
    assert response.status_code == 200
