"""The verified total kept on each score sheet (scoring/totals.py) follows every change of its
lines and of the criteria behind them, equals the sheet page's total, and can be rebuilt.

(After every database test, tests/conftest.py also checks that every kept total equals a
fresh computation, whatever wrote the lines.)"""

from __future__ import annotations

from decimal import Decimal
from importlib import import_module
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from blocs.models import BlocYear
from scoring import selectors
from scoring.models import ScoreSheet
from scoring.services import criteria as criteria_services
from scoring.services import sheets as services
from scoring.services import transitions
from tests.conftest import World, build_criteria_set, verified_year

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def year(world: World) -> BlocYear:
    """2021 of the world's bloc: every member's sheet verified."""
    units = [world.head, world.deputy, world.member]
    return verified_year(world.bloc, 2021, units)


def kept(sheet: ScoreSheet) -> tuple[Decimal | None, int]:
    sheet.refresh_from_db()
    return sheet.verified_total, sheet.verified_missing


def page_total(sheet: ScoreSheet) -> Decimal:
    view = selectors.sheet_view(ScoreSheet.objects.get(pk=sheet.pk), history=False)
    assert view.final_totals.complete
    return view.final_totals.total


def test_a_verified_sheet_keeps_the_total_its_page_shows(year: BlocYear) -> None:
    for sheet in ScoreSheet.objects.filter(bloc_year=year):
        total, missing = kept(sheet)
        assert missing == 0
        assert total == page_total(sheet)


def test_a_sheet_being_filled_keeps_no_total_and_counts_what_is_missing(world: World) -> None:
    criteria_set = build_criteria_set(world.council, 2020, world.bloc_year)
    services.scoring_open(bloc_year=world.bloc_year, criteria_set=criteria_set, by=None)
    sheet = ScoreSheet.objects.get(bloc_year=world.bloc_year, unit=world.member)
    assert kept(sheet) == (None, sheet.lines.count())


def test_the_councils_adjustment_and_a_line_not_applicable_change_the_kept_total(
    year: BlocYear,
) -> None:
    sheet = ScoreSheet.objects.filter(bloc_year=year).order_by("pk").first()
    assert sheet is not None
    before, _missing = kept(sheet)
    assert before is not None
    line = sheet.lines.select_related("criterion").get(criterion__code="I.1")
    services.line_council_adjust(line=line, amount=D("-0.5"), reason="Chậm hồ sơ", by=None)
    assert kept(sheet) == (before - D("0.5"), 0)
    assert kept(sheet)[0] == page_total(sheet)
    other = sheet.lines.select_related("criterion").get(criterion__code="I.2")
    # Marking a line not applicable is a step of verification: the sheet is reopened first.
    transitions.sheet_reopen(sheet=sheet, reason="Tiêu chí không áp dụng", by=None)
    services.line_set_not_applicable(line=other, not_applicable=True, reason="Không có", by=None)
    scaled, _missing = kept(sheet)
    assert scaled != before - D("0.5")
    assert scaled == page_total(sheet)


def test_a_corrected_maximum_and_bonus_cap_refresh_the_sheets_scored_with_the_set(
    year: BlocYear,
) -> None:
    criteria_set = year.scoring.criteria_set
    sheets = list(ScoreSheet.objects.filter(bloc_year=year).order_by("pk"))
    # One line not applicable: that sheet's standard points are scaled by the maxima (marked
    # during verification, the sheet reopened for it).
    line = sheets[0].lines.select_related("criterion").get(criterion__code="I.1")
    transitions.sheet_reopen(sheet=sheets[0], reason="Tiêu chí không áp dụng", by=None)
    services.line_set_not_applicable(line=line, not_applicable=True, reason="Không có", by=None)
    before = [kept(sheet)[0] for sheet in sheets]
    criteria_services.criteria_set_unfreeze(criteria_set=criteria_set, reason="Sửa sai", by=None)
    section = criteria_set.criteria.get(code="I")
    leaf = criteria_set.criteria.get(code="I.2")
    criteria_services.criterion_save(
        criteria_set=criteria_set,
        criterion=leaf,
        by=None,
        code=leaf.code,
        title=leaf.title,
        max_points=leaf.max_points * 2,
        kind=leaf.kind,
        method=leaf.method,
        scored_by=leaf.scored_by,
    )
    section.max_points += leaf.max_points
    section.save(update_fields=["max_points"])
    after_maximum = [kept(sheet)[0] or D(0) for sheet in sheets]
    assert after_maximum == [page_total(sheet) for sheet in sheets]
    assert after_maximum[0] != before[0]  # scaled by the new maxima
    assert after_maximum[1:] == before[1:]  # points are kept as they were entered
    criteria_set.refresh_from_db()
    criteria_services.criteria_set_update(
        criteria_set=criteria_set, by=None, name=criteria_set.name, bonus_cap=D(0), step=D("0.25")
    )
    capped = [kept(sheet)[0] or D(0) for sheet in sheets]
    assert capped == [page_total(sheet) for sheet in sheets]
    assert all(new <= old for new, old in zip(capped, after_maximum, strict=True))
    assert capped != after_maximum  # the bonus no longer counts


def test_the_command_and_the_migration_rebuild_kept_totals(year: BlocYear) -> None:
    sheets = ScoreSheet.objects.filter(bloc_year=year).order_by("pk")
    right = [kept(sheet) for sheet in sheets]
    sheets.update(verified_total=None, verified_missing=99)  # a repair by hand gone wrong
    output = StringIO()
    call_command("refresh_totals", stdout=output)
    assert [kept(sheet) for sheet in sheets] == right
    assert f"{ScoreSheet.objects.count()} bảng chấm điểm" in output.getvalue()
    sheets.update(verified_total=None, verified_missing=0)  # as the new columns start
    migration = import_module("scoring.migrations.0004_sheet_verified_totals")
    migration.keep_totals(apps, None)
    assert [kept(sheet) for sheet in sheets] == right
