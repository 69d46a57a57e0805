"""Accessibility: axe-core on the main pages of every role, and the score grid by keyboard alone.

axe-core comes from the npm registry (package.json; `npm ci` installs it into node_modules/).
Every finding is printed and written to var/test-artifacts/accessibility/axe-report.txt; the
test fails on findings of impact "serious" or "critical". axe's `label` rule is how "every form
field has a label" is checked, on every page that has a form.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from awards.models import Proposal
from blocs.models import Bloc, Unit
from demo.organisation import DEMO_PASSWORD, load_organisation
from demo.scoring import load_scoring
from scoring.models import CriteriaSet, ScoreSheet
from tests.browser.conftest import (
    AXE_BLOCKING,
    axe_report,
    axe_violations,
    screenshot,
    second_step,
)
from tests.browser.test_review import build_2020
from tests.browser.test_scoring import keyboard_login, tab_until

pytestmark = pytest.mark.browser

REPORT = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "accessibility"
ACTIVE = "document.activeElement"


def sign_in(page: Any, username: str) -> None:
    page.context.clear_cookies()
    page.goto(page.base_url + "/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()
    second_step(page, username)
    assert page.url.endswith("/my-work/"), f"{username} could not log in"


def pages_by_person() -> dict[str | None, dict[str, str]]:
    """Who looks at which page: None is a visitor who is not logged in."""
    bloc = Bloc.objects.get(council__code="QNA", code="TM3")
    tm3_2020, tm3_2021 = f"{bloc.pk}/2020", f"{bloc.pk}/2021"
    sheets = {
        sheet.unit.code: sheet.get_absolute_url()
        for sheet in ScoreSheet.objects.filter(bloc_year__bloc=bloc, bloc_year__year=2021)
        .select_related("unit")
        .order_by("pk")
    }
    proposal = Proposal.objects.filter(bloc_year__bloc=bloc, bloc_year__year=2020).first()
    assert proposal is not None
    criteria_set = CriteriaSet.objects.get(bloc_year__bloc=bloc, bloc_year__year=2021)
    unit = Unit.objects.get(council__code="QNA", code="DPTTH")
    return {
        None: {
            "home": "/",
            "council": "/councils/QNA/",
            "bloc": bloc.get_absolute_url(),
            "bloc-year": f"/blocs/{tm3_2020}/",
            "ranking": f"/scoring/ranking/{tm3_2020}/",
            "unit": unit.get_absolute_url(),
            "login": "/login/",
            "search": "/search/?q=dai+pt",
        },
        # A focal point of an ordinary member: the sheet it is filling in.
        "daumoi": {"my-work": "/my-work/", "score-sheet-entry": sheets["BQN"]},
        # The secretariat of 2021: progress and a submitted sheet to verify.
        "thuky": {
            "my-work": "/my-work/",
            "progress": f"/scoring/{tm3_2021}/",
            "score-sheet-verification": sheets["SGDDT"],
        },
        # The secretariat of 2020: the ballot, the facts, the proposals and the documents.
        "daumoi.syt": {
            "my-work": "/my-work/",
            "ballot": f"/awards/{tm3_2020}/ballot/",
            "facts": f"/awards/{tm3_2020}/facts/",
            "proposals": f"/awards/{tm3_2020}/proposals/",
            "documents": f"/reports/{tm3_2020}/",
        },
        "lanhdao": {
            "my-work": "/my-work/",
            "review-queue": "/awards/review/",
            "proposal-packet": proposal.get_absolute_url(),
        },
        "quantri": {
            "my-work": "/my-work/",
            "rule-sets": "/awards/rule-sets/",
            "criteria-sets": "/scoring/criteria-sets/",
            "criteria-set": criteria_set.get_absolute_url(),
            "decisions": "/awards/decisions/",
            "search": "/search/?q=tham+muu",
        },
    }


def test_the_main_pages_have_no_serious_accessibility_findings(axe_page: Any) -> None:
    build_2020()  # the demo to 2021, with the 2020 proposals waiting for the leader
    page = axe_page
    findings: dict[str, list[dict[str, Any]]] = {}
    to_review: dict[str, list[dict[str, Any]]] = {}

    def check(name: str) -> None:
        findings[name] = axe_violations(page)
        to_review[name] = page.axe_incomplete
        assert page.locator("html").get_attribute("lang") == "vi"

    for person, pages in pages_by_person().items():
        if person is None:
            page.context.clear_cookies()
        else:
            sign_in(page, person)
        for name, path in pages.items():
            page.goto(page.base_url + path)
            assert page.locator("main h1").count() == 1, f"{path} has no single h1"
            check(f"{person or 'visitor'} · {name} · {path}")

    # Pages in their error state: a sheet with a wrong point, a failed login.
    sign_in(page, "daumoi")
    page.goto(page.base_url + pages_by_person()["daumoi"]["score-sheet-entry"])
    page.locator('#score-grid tr[data-method="direct"] input[data-col="self"]').first.fill("99")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu bảng tự chấm").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check("daumoi · score-sheet-with-an-error")
    page.context.clear_cookies()
    page.goto(page.base_url + "/login/")
    page.get_by_label("Tên đăng nhập").fill("daumoi")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()
    check("visitor · login-with-an-error")

    report = "\n\n".join(
        axe_report(where, found, to_review[where]) for where, found in findings.items()
    )
    REPORT.mkdir(parents=True, exist_ok=True)
    (REPORT / "axe-report.txt").write_text(report + "\n", encoding="utf-8")
    print(report)
    blocking = {
        where: [rule for rule in found if rule["impact"] in AXE_BLOCKING]
        for where, found in findings.items()
    }
    blocking = {where: found for where, found in blocking.items() if found}
    assert not blocking, "\n\n".join(axe_report(where, found) for where, found in blocking.items())


def focus_is_visible(page: Any) -> bool:
    return bool(page.evaluate(f"getComputedStyle({ACTIVE}).outlineStyle !== 'none'"))


def active(page: Any, what: str) -> Any:
    return page.evaluate(f"{ACTIVE}.{what}")


def test_the_score_grid_works_with_the_keyboard_alone(page: Any) -> None:
    """Beyond the focal point's pass of tests/browser/test_scoring.py (a whole sheet by
    keyboard): Enter moves down the column and Shift+Enter up, as in a spreadsheet; Tab and
    Shift+Tab go along the row; Enter in the last cell never submits; the focus is always
    visible; and the secretariat verifies by keyboard as well."""
    load_organisation()
    load_scoring()
    draft = ScoreSheet.objects.get(
        bloc_year__bloc__code="TM3", bloc_year__year=2021, unit__code="BQN"
    )
    keyboard_login(page, "daumoi")
    page.goto(page.base_url + draft.get_absolute_url())
    tab_until(page, f"{ACTIVE}.dataset && {ACTIVE}.dataset.col === 'self'")
    first = active(page, "id")
    assert focus_is_visible(page)

    page.keyboard.press("Enter")
    second = active(page, "id")
    assert second != first and active(page, "dataset.col") == "self"
    assert focus_is_visible(page)
    page.keyboard.press("Shift+Enter")
    assert active(page, "id") == first
    page.keyboard.press("ArrowDown")
    assert active(page, "id") == second
    page.keyboard.press("ArrowUp")
    assert active(page, "id") == first

    # Down to the last score cell: Enter there stays put and sends nothing.
    cells = page.evaluate(
        "[...document.querySelectorAll('#score-grid [data-col=\"self\"]')].map(cell => cell.id)"
    )
    for _ in cells[1:]:
        page.keyboard.press("Enter")
    assert active(page, "id") == cells[-1]
    url = page.url
    page.keyboard.press("Enter")
    assert active(page, "id") == cells[-1]
    assert page.url == url and page.locator(".messages").count() == 0
    # Tab goes along the last row, to its note; Shift+Tab comes back.
    page.keyboard.press("Tab")
    assert active(page, "dataset.col") == "note"
    assert focus_is_visible(page)
    page.keyboard.press("Shift+Tab")
    assert active(page, "id") == cells[-1]
    screenshot(page, "accessibility-grid-keyboard-self")

    # The secretariat verifies a submitted sheet the same way and saves with Enter.
    submitted = ScoreSheet.objects.get(
        bloc_year__bloc__code="TM3", bloc_year__year=2021, unit__code="SGDDT"
    )
    page.context.clear_cookies()
    keyboard_login(page, "thuky")
    page.goto(page.base_url + submitted.get_absolute_url())
    tab_until(
        page,
        f"{ACTIVE}.dataset && {ACTIVE}.dataset.col === 'verified' "
        f"&& {ACTIVE}.closest('tr').dataset.method === 'direct'",
    )
    row = page.evaluate(f"{ACTIVE}.closest('tr').dataset.id")
    agreed = page.evaluate(f"{ACTIVE}.closest('tr').dataset.self")
    page.keyboard.press("Control+A")
    page.keyboard.type(agreed.replace(".", ","))
    page.keyboard.press("Enter")
    assert active(page, "dataset.col").startswith("verified")
    assert page.evaluate(f"{ACTIVE}.closest('tr').dataset.id") != row
    tab_until(page, f"{ACTIVE}.textContent.trim() === 'Lưu điểm thẩm định'")
    assert focus_is_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Đã lưu" in page.locator(".messages").inner_text()
    submitted.refresh_from_db()
    line = submitted.lines.get(criterion_id=int(row))
    assert line.verified_value == Decimal(agreed)
    screenshot(page, "accessibility-grid-keyboard-verified")
