"""A leader of Đà Nẵng opens the dashboard on the demo: it shows Quảng Nam's latest year with
activity (2021, being scored), not Đà Nẵng's nearly empty 2026; the council is chosen in its own
form, and the year tabs stay within the chosen council."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from demo.awards import load_awards
from demo.organisation import DEMO_PASSWORD, load_organisation
from demo.scoring import load_scoring
from tests.awards.test_review import ensure_rule_sets
from tests.browser.conftest import AXE_BLOCKING, axe_report, axe_violations, log_in, screenshot

pytestmark = pytest.mark.browser


def blocking(page: Any) -> list[dict[str, Any]]:
    violations = axe_violations(page)
    print(axe_report(page.url, violations, page.axe_incomplete))
    return [rule for rule in violations if rule["impact"] in AXE_BLOCKING]


def test_a_leader_chooses_the_council_then_the_year(axe_page: Any) -> None:
    page = axe_page
    ensure_rule_sets()
    load_organisation()
    load_scoring()
    load_awards()
    log_in(page, "lanhdao", DEMO_PASSWORD)
    page.goto(page.base_url + "/dashboard/")
    assert page.locator("h1").inner_text() == "Tổng quan năm 2021"
    council = page.get_by_label("Hội đồng", exact=True)
    assert council.locator("option:checked").inner_text() == (
        "Hội đồng Thi đua - Khen thưởng tỉnh Quảng Nam"
    )
    tabs = page.get_by_role("navigation", name="Năm thi đua của Hội đồng Thi đua - Khen thưởng")
    assert tabs.locator("li").all_inner_texts() == ["2021", "2020", "2019"]
    proposals = page.locator("table", has=page.locator("#awards-caption"))
    headers = proposals.locator("thead th").all_inner_texts()
    assert "Trả lại" in headers and "Không duyệt" in headers
    screenshot(page, "dashboard-quang-nam-2021")
    assert blocking(page) == []

    council.select_option(label="Hội đồng Thi đua - Khen thưởng thành phố Đà Nẵng")
    with page.expect_navigation():
        page.get_by_role("button", name="Xem hội đồng này").click()
    assert parse_qs(urlsplit(page.url).query)["council"] == ["DNG"]
    assert page.locator("h1").inner_text() == "Tổng quan năm 2026"
    assert page.locator(".year-nav li").all_inner_texts() == ["2026"]
    screenshot(page, "dashboard-da-nang-2026")

    page.goto(page.base_url + "/dashboard/?council=QNA&year=2020")
    assert page.locator("h1").inner_text() == "Tổng quan năm 2020"
    page.get_by_role("link", name="2019", exact=True).click()
    assert parse_qs(urlsplit(page.url).query) == {"council": ["QNA"], "year": ["2019"]}
    assert page.locator("h1").inner_text() == "Tổng quan năm 2019"

    # On a phone the long council names shrink into the screen; the page never scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/dashboard/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "dashboard-phone")

    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(page.base_url + "/open-data/")
    assert page.locator("h1").inner_text() == "Dữ liệu mở"
    assert blocking(page) == []
