"""A tier-table line in a real browser: the grid's script gives the row and its points while the
value is typed, refuses a value in no row at the cell, and the page saves it; the criterion page
edits the table as text. Screenshots of both for people to look at."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from demo.organisation import load_organisation
from demo.scoring import load_scoring
from scoring import rules
from scoring.models import Criterion, ScoreLine, ScoreSheet
from scoring.services import criteria as criteria_services
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser
D = Decimal

LATE = [
    {"low": "0.00", "high": "0.00", "points": "0.00"},
    {"low": "1.00", "high": "3.00", "points": "2.00"},
    {"low": "4.00", "high": "7.00", "points": "4.00"},
    {"low": "7.00", "high": None, "points": "5.00", "low_open": True},
]


def late_reports_by_days() -> ScoreSheet:
    """The demo's penalty for late reports (VII.1, at most 5) scored by days late instead of
    times; Báo Quảng Nam's draft sheet, its line cleared."""
    load_organisation()
    load_scoring()
    sheet = ScoreSheet.objects.get(
        bloc_year__bloc__code="TM3", bloc_year__year=2021, unit__code="BQN"
    )
    criterion = sheet.lines.get(criterion__code="VII.1").criterion
    Criterion.objects.filter(pk=criterion.pk).update(
        method=rules.TIER, tiers=LATE, tier_unit="ngày", points_per_occurrence=None
    )
    sheet.lines.filter(criterion=criterion).update(self_value=None, self_points=None)
    return sheet


def test_a_tier_line_shows_its_row_while_typing_and_refuses_a_value_in_no_row(page: Any) -> None:
    sheet = late_reports_by_days()
    log_in(page, "daumoi", "thidua2021")
    page.goto(page.base_url + sheet.get_absolute_url())
    row = page.locator("#score-grid tr.row-leaf[data-method='tier']")
    cell = row.locator("[data-col='self']")
    cell.fill("2")
    cell.dispatch_event("input")
    computed = row.locator("[data-computed='self']")
    assert computed.inner_text() == "mức 1–3 ngày = 2,00"
    cell.fill("0,5")
    cell.dispatch_event("input")
    check = row.locator(".cell-check")
    assert check.inner_text() == (
        "0,5 ngày không thuộc mức nào của bảng (0 ngày; 1–3 ngày; 4–7 ngày; trên 7 ngày)."
    )
    cell.fill("9")
    cell.dispatch_event("input")
    assert computed.inner_text() == "mức trên 7 ngày = 5,00"
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu bảng tự chấm", exact=True).first.click()
    line = ScoreLine.objects.get(sheet=sheet, criterion__code="VII.1")
    assert (line.self_value, line.self_points) == (D(9), D(5))
    row.scroll_into_view_if_needed()
    assert row.locator("[data-computed='self']").inner_text() == "mức trên 7 ngày = 5,00"
    screenshot(page, "tiers-grid")


def test_the_criterion_page_edits_the_table_as_text(page: Any) -> None:
    sheet = late_reports_by_days()
    draft = criteria_services.criteria_set_clone(
        source=sheet.bloc_year.scoring.criteria_set, year=2022, by=None
    )
    criterion = draft.criteria.get(code="VII.1")
    log_in(page, "quantri", "thidua2021")
    page.goto(page.base_url + reverse("scoring:criterion-edit", args=[draft.pk, criterion.pk]))
    box = page.get_by_label("Bảng mức")
    assert box.input_value() == "0: 0\n1–3: 2\n4–7: 4\n>7: 5"
    box.fill("0: 0\n1–3: 2\n5–7: 4\n>7: 6")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu tiêu chí").click()
    errors = " ".join(page.locator("[id^='id_tiers-error']").all_inner_texts())
    assert "Dòng 3: giữa “1–3” và “5–7” còn giá trị không thuộc mức nào (ví dụ 4)" in errors
    assert "Dòng 4: điểm 6 phải từ 0 đến điểm tối đa 5." in errors
    assert page.get_by_label("Bảng mức").input_value() == "0: 0\n1–3: 2\n5–7: 4\n>7: 6"
    screenshot(page, "tiers-criterion-error")
    page.get_by_label("Bảng mức").fill("0: 0\n1–3: 2\n4–7: 4\n>7: 5\n")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu tiêu chí").click()
    criterion.refresh_from_db()
    assert criterion.tiers == LATE
    page.goto(page.base_url + reverse("scoring:criterion-edit", args=[draft.pk, criterion.pk]))
    screenshot(page, "tiers-criterion-edit")
