"""A focal point fills and submits a sheet with the keyboard only; the secretariat verifies it."""

from __future__ import annotations

from typing import Any

import pytest

from demo.organisation import DEMO_PASSWORD, load_organisation
from demo.scoring import load_scoring
from scoring.models import ScoreSheet
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

ACTIVE = "document.activeElement"


def keyboard_login(page: Any, username: str) -> None:
    page.goto(page.base_url + "/login/")
    page.keyboard.press("Tab")  # skip link
    while page.evaluate(f"{ACTIVE}.id") != "id_username":
        page.keyboard.press("Tab")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/my-work/")


def tab_until(page: Any, condition: str, limit: int = 200) -> None:
    for _ in range(limit):
        if page.evaluate(condition):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"never reached: {condition}")


def value_for(page: Any) -> str | None:
    """What a careful focal point types in the focused cell (None: a select, handled apart)."""
    info = page.evaluate(
        f"""(() => {{ const el = {ACTIVE}; const row = el.closest('tr');
            return {{tag: el.tagName, col: el.dataset.col,
                     method: row.dataset.method, max: row.dataset.max}}; }})()"""
    )
    if info["tag"] == "SELECT":
        return None
    if info["col"].endswith("-target"):
        return "20"
    return {
        "direct": "4,5" if float(info["max"]) >= 4.5 else "1",
        "target": "18",
        "relative_best": "86,5",
        "per_occurrence": "1",
    }[info["method"]]


def test_a_focal_point_fills_and_submits_by_keyboard_and_the_secretariat_verifies(
    page: Any,
) -> None:
    load_organisation()
    load_scoring()
    sheet = ScoreSheet.objects.get(
        bloc_year__bloc__code="TM3", bloc_year__year=2021, unit__code="BQN"
    )
    keyboard_login(page, "daumoi")
    page.goto(page.base_url + sheet.get_absolute_url())
    screenshot(page, "scoring-1-draft-before")

    # From the top of the page to the first score cell, then down the whole column.
    tab_until(page, f"{ACTIVE}.dataset && {ACTIVE}.dataset.col === 'self'")
    cells = page.evaluate(
        "document.querySelectorAll("
        '\'#score-grid [data-col="self"], #score-grid [data-col="self-target"]\').length'
    )
    for _ in range(cells):
        value = value_for(page)
        if value is None:
            page.keyboard.press("ArrowDown")  # "Đạt"
        else:
            page.keyboard.press("Control+A")
            page.keyboard.type(value)
        page.keyboard.press("Enter" if value is None else "Tab")
    # The score column is done: Tab brought the focus to the first note.
    assert page.evaluate(f"{ACTIVE}.dataset.col") == "note"
    page.keyboard.type("Có biên bản kèm theo")
    # Live total, computed in the page before saving.
    assert page.locator('[data-total="self"]').inner_text() != "–"
    screenshot(page, "scoring-2-filled-by-keyboard")
    tab_until(page, f"{ACTIVE}.textContent.trim() === 'Lưu bảng tự chấm'")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Đã lưu" in page.locator(".messages").inner_text()

    tab_until(page, f"{ACTIVE}.textContent.trim() === 'Gửi bảng tự chấm…'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/submit/")
    screenshot(page, "scoring-3-check-before-submit")
    tab_until(
        page, f"{ACTIVE}.tagName === 'BUTTON' && {ACTIVE}.textContent.trim() === 'Gửi bảng tự chấm'"
    )
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Đã gửi bảng tự chấm" in page.locator(".messages").inner_text()
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.SUBMITTED

    # The council office scores its own line; the secretariat verifies the rest.
    page.context.clear_cookies()
    keyboard_login(page, "quantri")
    page.goto(page.base_url + sheet.get_absolute_url())
    council_line = page.locator("tr[data-scored-by='council'] input[data-col='verified']")
    council_line.fill("0")
    page.get_by_role("button", name="Lưu điểm thẩm định").click()

    page.context.clear_cookies()
    keyboard_login(page, "thuky")
    page.goto(page.base_url + sheet.get_absolute_url())
    page.get_by_role(
        "button", name="Chấp nhận điểm tự chấm cho các tiêu chí chưa thẩm định"
    ).click()
    page.wait_for_load_state()
    for row in page.locator("tr[data-scored-by='bloc']").all():
        row.locator("input[data-col='verified']").fill("1")
    first_unit_line = page.locator(
        "tr[data-scored-by='unit'][data-method='direct'] input[data-col='verified']"
    ).first
    first_unit_line.fill("4")
    page.locator(
        "tr[data-scored-by='unit'][data-method='direct'] textarea[data-col='reason']"
    ).first.fill("Thiếu biên bản kiểm tra quý IV")
    page.get_by_role("button", name="Lưu điểm thẩm định").click()
    page.wait_for_load_state()
    assert page.locator("tr.row-diff").count() >= 1
    screenshot(page, "scoring-4-verification-with-difference")
    page.get_by_role("button", name="Hoàn thành thẩm định").click()
    page.wait_for_load_state()
    assert "Đã hoàn thành thẩm định" in page.locator(".messages").inner_text()
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.VERIFIED
    page.locator("details", has_text="thay đổi gần nhất").locator("summary").click()
    screenshot(page, "scoring-5-verified-with-history")


def test_the_secretariat_sees_progress(page: Any) -> None:
    load_organisation()
    load_scoring()
    keyboard_login(page, "thuky")
    page.get_by_role("link", name="Thẩm định bảng điểm Khối thi đua tham mưu III năm 2021").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Tiến độ chấm điểm"
    assert page.get_by_text("Cần giải trình").first.is_visible()
    screenshot(page, "scoring-progress")
