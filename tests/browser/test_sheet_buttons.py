"""Every button of the sheet page, in every state, in a real browser: what was typed is either
saved or still on the page with the reason. Nothing typed is ever lost."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from demo.organisation import load_organisation
from demo.scoring import load_scoring
from scoring.models import ExplanationRequest, ScoreLine, ScoreSheet
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser

D = Decimal


def sheets() -> dict[str, ScoreSheet]:
    load_organisation()
    load_scoring()
    return {
        sheet.unit.code: sheet
        for sheet in ScoreSheet.objects.filter(
            bloc_year__bloc__code="TM3", bloc_year__year=2021
        ).select_related("unit")
    }


def open_as(page: Any, username: str, sheet: ScoreSheet) -> None:
    page.context.clear_cookies()
    log_in(page, username, "thidua2021")
    page.goto(page.base_url + sheet.get_absolute_url())


def press(page: Any, name: str, *, exact: bool = True) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=exact).first.click()


def cell(page: Any, row: str, column: str) -> Any:
    return page.locator(f"#score-grid tr.row-leaf{row} [data-col='{column}']").first


def stored(sheet: ScoreSheet, code: str) -> ScoreLine:
    return ScoreLine.objects.get(sheet=sheet, criterion__code=code)


DIRECT = "[data-method='direct'][data-scored-by='unit'][data-max='5.00']"


def code_of(page: Any, row: str) -> str:
    return page.locator(f"#score-grid tr.row-leaf{row} th.code").first.inner_text()


def test_every_button_of_a_draft_keeps_what_was_typed(page: Any) -> None:
    sheet = sheets()["BQN"]
    open_as(page, "daumoi", sheet)
    code = code_of(page, DIRECT)
    for button, value, lands in [
        ("Lưu bảng tự chấm", "3", "/scoring/sheets/"),
        ("Gửi bảng tự chấm…", "3,5", "/submit/"),
        ("Minh chứng", "4", "/lines/"),
    ]:
        page.goto(page.base_url + sheet.get_absolute_url())
        cell(page, DIRECT, "self").fill(value)
        cell(page, DIRECT, "note").fill(f"Ghi chú trước khi bấm {button}")
        press(page, button)
        assert lands in page.url, button
        saved = stored(sheet, code)
        assert saved.self_value == D(value.replace(",", ".")), button
        assert saved.note == f"Ghi chú trước khi bấm {button}", button
        # The same button with a value no rule accepts: refused, everything typed is back.
        page.goto(page.base_url + sheet.get_absolute_url())
        cell(page, DIRECT, "self").fill("9")
        cell(page, DIRECT, "note").fill("Không được mất")
        press(page, button)
        assert "chưa có gì được lưu" in page.locator("#error-summary").inner_text(), button
        assert cell(page, DIRECT, "self").input_value() == "9", button
        assert cell(page, DIRECT, "note").input_value() == "Không được mất", button
        assert stored(sheet, code).self_value == D(value.replace(",", ".")), button
    screenshot(page, "sheet-buttons-draft-refused")


def test_every_button_of_a_submitted_sheet_keeps_what_was_typed(page: Any) -> None:
    sheet = sheets()["SGDDT"]
    open_as(page, "thuky", sheet)
    code = code_of(page, DIRECT)
    self_points = stored(sheet, code).self_value
    assert self_points is not None
    lower = str(self_points - D("0.5")).replace(".", ",")

    # Save: a lowered score with its reason, and a question that is kept unsent.
    cell(page, DIRECT, "verified").fill(lower)
    cell(page, DIRECT, "reason").fill("Thiếu biên bản")
    page.locator(f"#score-grid tr.row-leaf{DIRECT} details.ask summary").first.click()
    cell(page, DIRECT, "question").fill("Đề nghị gửi biên bản.")
    press(page, "Lưu điểm thẩm định")
    assert stored(sheet, code).verified_reason == "Thiếu biên bản"
    assert cell(page, DIRECT, "question").input_value() == "Đề nghị gửi biên bản."
    assert ExplanationRequest.objects.get(line__sheet=sheet).status == "draft"

    # Accept: fills only the lines without a verified value; the lowered one stays lowered.
    accept = page.get_by_role("button", name="Chấp nhận điểm tự chấm của")
    assert accept.count() == 1
    press(page, "Chấp nhận điểm tự chấm của", exact=False)
    assert stored(sheet, code).verified_value == self_points - D("0.5")
    assert "Đã chấp nhận điểm tự chấm" in page.locator(".messages").inner_text()

    # "Finish" first keeps what was typed, then shows the check page.
    bloc = "[data-scored-by='bloc']"
    bloc_code = code_of(page, bloc)
    cell(page, bloc, "verified").fill("1")
    press(page, "Hoàn thành thẩm định…")
    assert page.url.endswith("/verify/")
    assert stored(sheet, bloc_code).verified_value == D(1)
    left = page.locator("#error-summary").inner_text()
    assert "câu hỏi giải trình đã ghi nhưng chưa gửi" in left
    assert "chờ Cơ quan thường trực" in left  # the council's own line, with who must act
    screenshot(page, "sheet-buttons-verify-check")
    page.goto(page.base_url + sheet.get_absolute_url())

    # Return: a typed score without a reason is refused at its cell; the question stays.
    other = f"{DIRECT}:not(.row-diff)"
    cell(page, other, "verified").fill("1")
    press(page, "Trả lại để giải trình")
    assert "ghi lý do" in page.locator("#error-summary").inner_text()
    assert cell(page, other, "verified").input_value() == "1"
    assert cell(page, DIRECT, "question").input_value() == "Đề nghị gửi biên bản."
    screenshot(page, "sheet-buttons-return-refused")
    cell(page, other, "reason").fill("Chưa đạt")
    press(page, "Trả lại để giải trình")
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.RETURNED
    assert ExplanationRequest.objects.get(line__sheet=sheet).status == "open"


def test_the_answer_and_decision_buttons_keep_what_was_typed(page: Any) -> None:
    sheet = sheets()["SYT"]
    question = ExplanationRequest.objects.get(line__sheet=sheet)
    open_as(page, "daumoi.syt", sheet)
    press(page, "Gửi giải trình")  # nothing typed: refused, with the reason
    assert "Chưa giải trình tiêu chí" in page.locator("#error-summary").inner_text()
    page.locator(f"#a-{question.pk}").fill("Đã bổ sung hồ sơ.")
    press(page, "Gửi giải trình")
    question.refresh_from_db()
    assert question.answer == "Đã bổ sung hồ sơ."

    open_as(page, "thuky", sheet)
    cell(page, DIRECT, "verified").fill("2")
    cell(page, DIRECT, "reason").fill("Giữ mức trừ")
    page.locator(f"#note-{question.pk}").fill("Chấp nhận một phần.")
    press(page, "Chấp nhận giải trình")
    question.refresh_from_db()
    assert (question.status, question.decision_note) == ("accepted", "Chấp nhận một phần.")
    assert stored(sheet, code_of(page, DIRECT)).verified_reason == "Giữ mức trừ"


def test_reopening_a_verified_sheet_asks_for_its_reason_at_the_field(page: Any) -> None:
    sheet = sheets()["DPTTH"]
    open_as(page, "thuky", sheet)
    page.locator("summary", has_text="Mở lại việc thẩm định").click()
    press(page, "Mở lại")
    expect(page.locator("#error-summary a[href='#reopen-reason']")).to_be_visible()
    page.locator("#reopen-reason").fill("Sai số liệu mục II")
    press(page, "Mở lại")
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.SUBMITTED
