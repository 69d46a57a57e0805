"""The header's search box, in the browser: a visitor types a unit's name without its marks and
reaches the unit's page; the results page, public and signed in, on a desktop and a phone."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from blocs.models import BlocYear
from demo.organisation import DEMO_PASSWORD, load_organisation
from reports.models import Document
from tests.browser.conftest import log_in, screenshot
from tests.browser.test_public_site import DESKTOP, PHONE, nothing_scrolls_sideways
from tests.reports.worlds import draft, issued_quickly

pytestmark = pytest.mark.browser


def search_in_header(page: Any, label: str, query: str) -> None:
    box = page.get_by_role("search").get_by_role("searchbox", name=label)
    box.fill(query)
    with page.expect_navigation():
        box.press("Enter")
    expect(page.locator("main h1")).to_have_text("Tìm kiếm")


def test_the_header_box_finds_a_unit_without_its_marks(page: Any) -> None:
    load_organisation()
    year = BlocYear.objects.get(bloc__council__code="QNA", bloc__code="TM3", year=2020)
    issued_quickly(year, Document.Kind.REPORT)
    draft(year, Document.Kind.MINUTES)

    page.set_viewport_size(DESKTOP)
    page.goto(page.base_url + "/")
    search_in_header(page, "Tìm đơn vị, khối thi đua", "dai pt")
    expect(page.get_by_role("status")).to_have_text("Tìm thấy 1 kết quả cho “dai pt”.")
    screenshot(page, "search-public-desktop")
    with page.expect_navigation():
        page.get_by_role("link", name="Đài Phát thanh - Truyền hình Quảng Nam").click()
    expect(page.locator("main h1")).to_have_text("Đài Phát thanh - Truyền hình Quảng Nam")

    # On a phone, by a name the unit carried before; nothing scrolls sideways.
    page.set_viewport_size(PHONE)
    search_in_header(page, "Tìm đơn vị, khối thi đua", "ban dan toc")
    expect(page.get_by_text("Tên trước đây: Ban Dân tộc")).to_be_visible()
    assert nothing_scrolls_sideways(page)
    screenshot(page, "search-public-phone")

    # Signed in, a council admin finds documents (the draft marked so) and people too.
    log_in(page, "quantri", DEMO_PASSWORD)
    page.wait_for_url("**/my-work/")
    page.set_viewport_size(DESKTOP)
    search_in_header(page, "Tìm đơn vị, khối thi đua, văn bản, người dùng", "tham muu iii")
    kinds = page.get_by_role("navigation", name="Kết quả theo loại")
    expect(kinds).to_contain_text("Văn bản 2")
    expect(kinds).to_contain_text("Người dùng 0")
    expect(page.locator(".search-hits .badge-draft")).to_have_text("Dự thảo")
    screenshot(page, "search-signed-in-desktop")
    page.set_viewport_size(PHONE)
    assert nothing_scrolls_sideways(page)
    screenshot(page, "search-signed-in-phone")
