"""The verified total kept on each score sheet (scoring/totals.py) follows every change of its
lines and of the criteria behind them, equals the sheet page's total, and can be rebuilt.

The services refresh it explicitly (``totals.refresh``); the models and their querysets are
plain Django and never touch the sheet. After every database test, tests/conftest.py checks
that no kept total is stale, so a writer that forgets the call fails: proven here too."""

from __future__ import annotations

from decimal import Decimal
from importlib import import_module
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blocs.models import BlocYear, User
from scoring import selectors, totals
from scoring.models import ScoreLine, ScoreSheet
from scoring.services import criteria as criteria_services
from scoring.services import sheets as services
from scoring.services import transitions
from tests.conftest import World, build_criteria_set, check_kept_totals, client_for, verified_year

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


# ---------------------------------------------------------------------------- plain models


def _sheet_queries(captured: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in captured if "scoring_scoresheet" in query["sql"]]


def _first_line(year: BlocYear) -> ScoreLine:
    line = (
        ScoreLine.objects.filter(sheet__bloc_year=year, criterion__code="I.1")
        .order_by("sheet_id")
        .first()
    )
    assert line is not None
    return line


def test_a_line_save_is_one_update_of_the_line_and_nothing_else(year: BlocYear) -> None:
    line = _first_line(year)
    line.verified_points = D(1)
    with CaptureQueriesContext(connection) as captured:
        line.save()
    assert len(captured) == 1
    assert captured[0]["sql"].startswith('UPDATE "scoring_scoreline"')
    with CaptureQueriesContext(connection) as captured:
        line.save(update_fields=["verified_points", "council_adjustment"])
    assert len(captured) == 1
    assert captured[0]["sql"].startswith('UPDATE "scoring_scoreline"')
    assert totals.stale(ScoreSheet.objects.all()).keys() == {line.sheet_id}  # left to the caller
    totals.refresh([line.sheet_id])


def test_the_line_queryset_and_delete_never_touch_the_sheet(year: BlocYear) -> None:
    found = ScoreLine.objects.filter(sheet__bloc_year=year, criterion__code="I.1")
    sheet_ids = sorted(found.values_list("sheet_id", flat=True))
    lines = ScoreLine.objects.filter(pk__in=list(found.values_list("pk", flat=True)))
    with CaptureQueriesContext(connection) as captured:
        lines.update(verified_points=D(0))
        changed = list(lines.order_by("pk"))
        for line in changed:
            line.council_adjustment = D("0.5")
        ScoreLine.objects.bulk_update(changed, ["council_adjustment"])
        first = changed[0]
        first.delete()
        lines.exclude(pk=first.pk).delete()
        ScoreLine.objects.bulk_create([first])
    assert _sheet_queries(captured) == []
    assert not any("FOR UPDATE" in query["sql"] for query in captured)
    assert sorted(totals.stale(ScoreSheet.objects.all())) == sheet_ids
    totals.refresh(sheet_ids)


def test_a_criterion_or_set_saved_as_a_model_does_not_touch_the_sheets(year: BlocYear) -> None:
    criteria_set = year.scoring.criteria_set
    leaf = criteria_set.criteria.get(code="I.1")
    with CaptureQueriesContext(connection) as captured:
        leaf.save()
        criteria_set.save()
    assert len(captured) == 2
    assert _sheet_queries(captured) == []


def test_the_models_do_not_import_the_totals() -> None:
    """The cycle models ↔ totals is gone: only totals reads the models."""
    import ast
    from pathlib import Path

    import scoring.models

    tree = ast.parse(Path(scoring.models.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name if isinstance(node, ast.Import) else f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {name for name in imported if "totals" in name}


# ---------------------------------------------------------------------------- the check


def test_a_line_changed_without_the_refresh_is_caught_by_the_suites_check(year: BlocYear) -> None:
    line = _first_line(year)
    sheet = ScoreSheet.objects.get(pk=line.sheet_id)
    assert totals.stale(ScoreSheet.objects.all()) == {}
    ScoreLine.objects.filter(pk=line.pk).update(verified_points=None)  # a writer that forgot
    assert totals.stale(ScoreSheet.objects.all()) == {
        sheet.pk: ((sheet.verified_total, 0), (None, 1))
    }
    with pytest.raises(AssertionError, match="totals kept on sheets differ from their lines"):
        check_kept_totals()
    totals.refresh([sheet.pk])  # what the writer should have called
    assert totals.stale(ScoreSheet.objects.all()) == {}
    assert kept(sheet) == (None, 1)


def test_refresh_reads_only_what_it_is_given_and_depends_on_names_the_columns(
    year: BlocYear,
) -> None:
    with CaptureQueriesContext(connection) as captured:
        totals.refresh([])
    assert len(captured) == 0
    sheet_ids = list(ScoreSheet.objects.filter(bloc_year=year).values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as captured:
        totals.refresh(sheet_ids)
    assert len(captured) == 2  # one read of the lines, one update
    assert totals.depends_on(["verified_points", "verified_value"])
    assert totals.depends_on(["not_applicable"]) and totals.depends_on(["council_adjustment"])
    # The ranking parts keep the self column's points too (scoring/parts.py).
    assert totals.depends_on(["self_value", "self_points"])
    assert not totals.depends_on(["self_value", "note", "verified_reason"])


# ---------------------------------------------------------------------------- the admin


def _admin(world: World) -> User:
    from blocs import services as bloc_services

    return bloc_services.user_create(
        username="qt.tong", password="x", unit=world.admin_unit, role=User.Role.COUNCIL_ADMIN
    )


def test_a_line_is_neither_changed_nor_deleted_in_the_admin(world: World, year: BlocYear) -> None:
    """Lines are the sheet page's: the admin shows them and refuses a change or a delete, so the
    kept totals cannot be left behind by it."""
    line = _first_line(year)
    sheet = ScoreSheet.objects.get(pk=line.sheet_id)
    before = kept(sheet)
    client = client_for(_admin(world))
    data = {
        "sheet": str(line.sheet_id),
        "criterion": str(line.criterion_id),
        "verified_value": "0",
        "council_adjustment": "-0.5",
        "council_reason": "Sửa trong trang quản trị",
    }
    response = client.post(reverse("admin:scoring_scoreline_change", args=[line.pk]), data)
    assert response.status_code == 403
    response = client.post(
        reverse("admin:scoring_scoreline_delete", args=[line.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert ScoreLine.objects.filter(pk=line.pk).exists()
    assert kept(sheet) == before


def test_a_bonus_cap_corrected_in_the_admin_refreshes_the_sheets(
    world: World, year: BlocYear
) -> None:
    criteria_set = year.scoring.criteria_set
    criteria_services.criteria_set_unfreeze(criteria_set=criteria_set, reason="Sửa sai", by=None)
    sheets = list(ScoreSheet.objects.filter(bloc_year=year).order_by("pk"))
    before = [kept(sheet)[0] for sheet in sheets]
    criteria = list(criteria_set.criteria.order_by("order", "pk"))
    data = {
        "council": str(criteria_set.council_id),
        "year": str(criteria_set.year),
        "bloc_year": str(criteria_set.bloc_year_id),
        "name": criteria_set.name,
        "bonus_cap": "0",
        "step": str(criteria_set.step),
        "criteria-TOTAL_FORMS": str(len(criteria)),
        "criteria-INITIAL_FORMS": str(len(criteria)),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for index, criterion in enumerate(criteria):
        prefix = f"criteria-{index}-"
        data.update(
            {
                f"{prefix}id": str(criterion.pk),
                f"{prefix}criteria_set": str(criteria_set.pk),
                f"{prefix}code": criterion.code,
                f"{prefix}title": criterion.title,
                f"{prefix}max_points": str(criterion.max_points),
                f"{prefix}kind": criterion.kind,
                f"{prefix}method": criterion.method,
                f"{prefix}points_per_occurrence": str(criterion.points_per_occurrence or ""),
                f"{prefix}floor_percent": "",
                f"{prefix}scored_by": criterion.scored_by,
                f"{prefix}order": str(criterion.order),
            }
        )
    response = client_for(_admin(world)).post(
        reverse("admin:scoring_criteriaset_change", args=[criteria_set.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    after = [kept(sheet)[0] for sheet in sheets]
    assert after == [page_total(sheet) for sheet in sheets]
    assert after != before  # the bonus no longer counts
