"""The score sheet in a real browser: a whole year's sheet by keyboard alone, a block pasted from
a spreadsheet, and the progress page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from demo.organisation import DEMO_PASSWORD, load_organisation
from demo.scoring import load_scoring
from scoring.models import Evidence, ExplanationRequest, ScoreLine, ScoreSheet
from tests.browser.conftest import screenshot, second_step

pytestmark = pytest.mark.browser

ACTIVE = "document.activeElement"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def keyboard_login(page: Any, username: str) -> None:
    page.goto(page.base_url + "/login/")
    page.keyboard.press("Tab")  # skip link
    while page.evaluate(f"{ACTIVE}.id") != "id_username":
        page.keyboard.press("Tab")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    second_step(page, username)
    page.wait_for_url("**/my-work/")


def tab_until(page: Any, condition: str, limit: int = 400) -> None:
    for _ in range(limit):
        if page.evaluate(condition):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"never reached: {condition}")


def press_button(page: Any, label: str) -> None:
    """Tab to the button that says ``label`` and press it with Enter, as a keyboard user does."""
    tab_until(page, f"{ACTIVE}.tagName === 'BUTTON' && {ACTIVE}.textContent.trim() === {label!r}")
    with page.expect_navigation():
        page.keyboard.press("Enter")


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


def choose_by_keyboard(page: Any, path: Path) -> None:
    """Open the focused file box's chooser with the keyboard and pick ``path``. Chromium
    sometimes lets the first key press pass without opening it; a person presses again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for key in ("Space", "Enter", "Space"):
        try:
            with page.expect_file_chooser(timeout=3_000) as chooser:
                page.keyboard.press(key)
        except PlaywrightTimeout:
            continue
        chooser.value.set_files(str(path))
        return
    raise AssertionError("the file chooser never opened from the keyboard")


def demo_sheet(unit: str = "BQN") -> ScoreSheet:
    load_organisation()
    load_scoring()
    return ScoreSheet.objects.get(
        bloc_year__bloc__code="TM3", bloc_year__year=2021, unit__code=unit
    )


def test_a_whole_sheet_by_keyboard_with_evidence_and_an_explanation(
    page: Any, tmp_path: Path
) -> None:
    sheet = demo_sheet()
    evidence = tmp_path / "bien-ban.pdf"
    evidence.write_bytes(PDF)
    keyboard_login(page, "daumoi")
    page.goto(page.base_url + sheet.get_absolute_url())
    screenshot(page, "scoring-1-draft-before")

    # From the top of the page to the first score cell, then down the column with Enter, as in
    # a spreadsheet (a target line's second box is reached with the right arrow).
    tab_until(page, f"{ACTIVE}.dataset && {ACTIVE}.dataset.col === 'self'")
    cells = page.evaluate("document.querySelectorAll('#score-grid [data-col=\"self\"]').length")
    for _ in range(cells):
        value = value_for(page)
        if value is None:
            page.keyboard.press("1")  # "Đạt", typed as in a spreadsheet
        else:
            page.keyboard.press("Control+A")
            page.keyboard.type(value)
        if page.evaluate(f"!!{ACTIVE}.closest('tr').querySelector('[data-col=\"self-target\"]')"):
            page.keyboard.press("End")
            page.keyboard.press("ArrowRight")  # at the edge of the text: the target box
            assert page.evaluate(f"{ACTIVE}.dataset.col") == "self-target"
            page.keyboard.press("Control+A")
            page.keyboard.type("20")
            page.keyboard.press("ArrowLeft")
            page.keyboard.press("Home")
            page.keyboard.press("ArrowLeft")  # back to the result box
        page.keyboard.press("Enter")
    # Tab goes along the row: from the last score cell to its note.
    tab_until(page, f"{ACTIVE}.dataset.col === 'note'", limit=3)
    page.keyboard.type("Có biên bản kèm theo")
    # Live totals, at the top and at the foot, before saving.
    assert page.locator('[data-total="self"]').inner_text() != "–"
    assert "thiếu" not in page.locator('[data-live="self"]').inner_text()
    # A draft: nothing verified yet, whatever the live totals computed (issue 20).
    assert page.locator('[data-live="verified"]').inner_text() == "chưa thẩm định"
    assert page.locator('[data-total="verified"]').text_content() == "–chưa thẩm định"
    assert "thiếu" not in page.locator('[data-live="combined"]').inner_text()

    # One evidence file, chosen from the row without leaving the grid.
    first_row = page.locator("#score-grid tr.row-leaf").first
    attach_id = first_row.locator("input[type=file]").get_attribute("id")
    page.locator("#error-summary, h1").first.focus()  # back to the top of the page
    tab_until(
        page,
        f"{ACTIVE}.tagName === 'SUMMARY' && {ACTIVE}.closest('details.attach')"
        f" && !!{ACTIVE}.closest('details').querySelector('#{attach_id}')",
    )
    page.keyboard.press("Enter")  # opens "Thêm minh chứng"
    page.keyboard.press("Tab")
    assert page.evaluate(f"{ACTIVE}.id") == attach_id
    choose_by_keyboard(page, evidence)
    screenshot(page, "scoring-2-filled-by-keyboard")
    press_button(page, "Lưu bảng tự chấm")
    messages = page.locator(".messages").inner_text()
    assert "Đã lưu" in messages and "Đã tải lên 1 tệp minh chứng" in messages
    assert Evidence.objects.filter(line__sheet=sheet, original_name="bien-ban.pdf").count() == 1

    press_button(page, "Gửi bảng tự chấm…")
    page.wait_for_url("**/submit/")
    screenshot(page, "scoring-3-check-before-submit")
    press_button(page, "Gửi bảng tự chấm")
    assert "Đã gửi bảng tự chấm" in page.locator(".messages").inner_text()
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.SUBMITTED

    # The council office scores its own line.
    page.context.clear_cookies()
    keyboard_login(page, "quantri")
    page.goto(page.base_url + sheet.get_absolute_url())
    tab_until(
        page,
        f"!!{ACTIVE}.closest(\"tr[data-scored-by='council']\")"
        f" && {ACTIVE}.dataset.col === 'verified'",
    )
    page.keyboard.type("0")
    press_button(page, "Lưu điểm thẩm định")

    # The secretariat: the bloc's lines, one lowered line with its reason and a question, then
    # "return" — every typed value goes with it.
    page.context.clear_cookies()
    keyboard_login(page, "thuky")
    page.goto(page.base_url + sheet.get_absolute_url())
    for _ in range(page.locator("tr[data-scored-by='bloc'] input[data-col='verified']").count()):
        tab_until(
            page,
            f"!!{ACTIVE}.closest(\"tr[data-scored-by='bloc']\")"
            f" && {ACTIVE}.dataset.col === 'verified' && {ACTIVE}.value === ''",
        )
        page.keyboard.type("1")
    # Back up the grid to the first line the unit scored directly, and lower it.
    first_direct = "tr[data-scored-by='unit'][data-method='direct'] input[data-col='verified']"
    first_id = page.locator(first_direct).first.get_attribute("id")
    for _ in range(200):
        if page.evaluate(f"{ACTIVE}.id") == first_id:
            break
        page.keyboard.press("Shift+Tab")
    page.keyboard.type("4")
    page.keyboard.press("Tab")
    assert page.evaluate(f"{ACTIVE}.dataset.col") == "reason"
    page.keyboard.type("Thiếu biên bản kiểm tra quý IV")
    page.keyboard.press("Tab")  # "Yêu cầu giải trình"
    assert page.evaluate(f"{ACTIVE}.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate(f"{ACTIVE}.dataset.col") == "question"
    page.keyboard.type("Đề nghị gửi biên bản kiểm tra quý IV.")
    screenshot(page, "scoring-4-verification-with-question")
    press_button(page, "Trả lại để giải trình")
    assert "Đã gửi câu hỏi" in page.locator(".messages").inner_text()
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.RETURNED
    line = ScoreLine.objects.get(sheet=sheet, verified_reason="Thiếu biên bản kiểm tra quý IV")
    assert line.verified_value == 4
    assert line.explanations.get().status == ExplanationRequest.Status.OPEN

    # The unit answers by keyboard.
    page.context.clear_cookies()
    keyboard_login(page, "daumoi")
    page.goto(page.base_url + sheet.get_absolute_url())
    tab_until(page, f"{ACTIVE}.id && {ACTIVE}.id.startsWith('a-')")
    page.keyboard.type("Biên bản quý IV đã gửi kèm trên trang minh chứng.")
    press_button(page, "Gửi giải trình")
    assert "Đã gửi giải trình" in page.locator(".messages").inner_text()

    # The secretariat accepts the explanation, checks its answers and finishes.
    page.context.clear_cookies()
    keyboard_login(page, "thuky")
    page.goto(page.base_url + sheet.get_absolute_url())
    tab_until(page, f"{ACTIVE}.id && {ACTIVE}.id.startsWith('note-')")
    page.keyboard.type("Đã đủ hồ sơ.")
    press_button(page, "Chấp nhận giải trình")
    assert "Đã ghi ý kiến" in page.locator(".messages").inner_text()
    tab_until(page, f"{ACTIVE}.textContent.trim().startsWith('Chấp nhận điểm tự chấm của')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Đã chấp nhận điểm tự chấm" in page.locator(".messages").inner_text()
    press_button(page, "Hoàn thành thẩm định…")
    page.wait_for_url("**/verify/")
    screenshot(page, "scoring-5-check-before-verified")
    expect(page.get_by_role("heading", name="1 tiêu chí bị hạ điểm")).to_be_visible()
    press_button(page, "Hoàn thành thẩm định")
    assert "Đã hoàn thành thẩm định" in page.locator(".messages").inner_text()
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.VERIFIED
    page.locator("details", has_text="thay đổi gần nhất").locator("summary").click()
    screenshot(page, "scoring-6-verified-with-history")


def test_a_block_pasted_from_a_spreadsheet_fills_the_grid_before_saving(page: Any) -> None:
    sheet = demo_sheet()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    keyboard_login(page, "daumoi")
    page.goto(page.base_url + sheet.get_absolute_url())
    rows = page.evaluate(
        """Array.from(document.querySelectorAll('#score-grid tr.row-leaf'))
             .filter(row => row.querySelector('[data-col="self"]'))
             .slice(0, 10).map(row => [row.dataset.method, row.dataset.max])"""
    )
    typed = {
        "direct": lambda maximum: "3,5" if float(maximum) >= 3.5 else "1",
        "target": lambda maximum: "17/20",
        "relative_best": lambda maximum: "80",
        "pass_fail": lambda maximum: "Đạt",
        "per_occurrence": lambda maximum: "2",
    }
    block = "".join(
        f"{typed[method](maximum)}\tDán từ Excel, dòng {index}\r\n"
        for index, (method, maximum) in enumerate(rows, start=1)
    )
    assert len(rows) == 10
    page.evaluate("text => navigator.clipboard.writeText(text)", block)
    page.locator('#score-grid [data-col="self"]').first.focus()
    page.keyboard.press("Control+V")

    # Every pasted cell shows at once, marked as changed, nothing saved yet.
    notes = page.locator('#score-grid textarea[data-col="note"]')
    assert [notes.nth(index).input_value() for index in range(10)] == [
        f"Dán từ Excel, dòng {index}" for index in range(1, 11)
    ]
    assert page.locator('#score-grid textarea.is-changed[data-col="note"]').count() == 10
    assert "Đã dán 20 ô" in page.locator("#live-status").inner_text()
    first_target = page.locator('#score-grid [data-col="self-target"]').first
    assert first_target.input_value() == "20"
    assert not ScoreLine.objects.filter(sheet=sheet, note__startswith="Dán").exists()
    screenshot(page, "scoring-7-pasted-block")

    page.get_by_role("button", name="Lưu bảng tự chấm").click()
    page.wait_for_load_state()
    assert "Đã lưu" in page.locator(".messages").inner_text()
    saved = ScoreLine.objects.filter(sheet=sheet, note__startswith="Dán từ Excel")
    assert saved.count() == 10


def test_a_pass_fail_cell_is_typed_and_the_arrows_only_move(page: Any) -> None:
    sheet = demo_sheet()
    keyboard_login(page, "daumoi")
    page.goto(page.base_url + sheet.get_absolute_url())
    choice = page.locator("tr[data-method='pass_fail'] select[data-col='self']").first
    choice.focus()
    before = choice.input_value()
    page.keyboard.press("ArrowDown")
    assert choice.input_value() == before  # moved on, the answer untouched
    assert page.evaluate(f"{ACTIVE}.id") != choice.get_attribute("id")
    page.keyboard.press("ArrowUp")
    assert page.evaluate(f"{ACTIVE}.id") == choice.get_attribute("id")
    page.keyboard.press("k")
    assert choice.input_value() == "0"
    page.keyboard.press("d")  # Đạt (on a select an input method does not compose "đ")
    assert choice.input_value() == "1"
    assert "is-changed" in (choice.get_attribute("class") or "") or before == "1"


def test_a_value_over_the_maximum_is_marked_while_typing(page: Any) -> None:
    sheet = demo_sheet()
    keyboard_login(page, "daumoi")
    page.goto(page.base_url + sheet.get_absolute_url())
    cell = page.locator("tr[data-method='direct'][data-max='5.00'] input[data-col='self']").first
    cell.fill("7")
    assert cell.get_attribute("aria-invalid") == "true"
    check = cell.locator("xpath=ancestor::td").locator(".cell-check")
    assert check.inner_text() == "Điểm không được vượt điểm tối đa 5."
    cell.fill("abc")
    assert "không phải là một số" in check.inner_text()
    cell.fill("4,5")
    assert cell.get_attribute("aria-invalid") is None


def test_the_secretariat_sees_progress(page: Any) -> None:
    load_organisation()
    load_scoring()
    keyboard_login(page, "thuky")
    page.get_by_role("link", name="Thẩm định bảng điểm Khối thi đua tham mưu III năm 2021").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiến độ chấm điểm")
    expect(page.get_by_text("Cần giải trình").first).to_be_visible()
    screenshot(page, "scoring-progress")
