"""An anonymous visitor walks the public site on the demo data, on an office desktop and on a
phone: home → council → bloc → bloc-year 2020 → ranking → a unit → an open-data file → the
page explaining the files."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from demo.awards import load_awards
from demo.organisation import load_organisation
from demo.scoring import load_scoring
from tests.awards.test_review import ensure_rule_sets
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
TIE = "xếp trên Sở TT-TT do điểm Mục I cao hơn: 57,75 so với 55,75"


def load_demo() -> None:
    ensure_rule_sets()
    load_organisation()
    load_scoring()
    load_awards()


def nothing_scrolls_sideways(page: Any, *, tables: bool = True) -> bool:
    """The page never scrolls sideways; with ``tables``, neither does any of its tables."""
    check = "document.documentElement.scrollWidth <= window.innerWidth"
    if tables:
        check += (
            " && [...document.querySelectorAll('.table-wrap')]"
            ".every(wrap => wrap.scrollWidth <= wrap.clientWidth)"
        )
    return bool(page.evaluate(check))


def walk(page: Any, prefix: str, *, phone: bool) -> None:
    def look(name: str, *, tables: bool = True) -> None:
        expect(page.locator("main h1")).to_be_visible()
        if phone:
            assert nothing_scrolls_sideways(page, tables=tables), name
        screenshot(page, f"{prefix}-{name}")

    page.goto(page.base_url + "/")
    look("1-home")
    page.get_by_role("link", name="Hội đồng Thi đua - Khen thưởng tỉnh Quảng Nam").first.click()
    expect(page.locator("h1")).to_contain_text("Hội đồng Thi đua - Khen thưởng tỉnh Quảng Nam")
    expect(page.get_by_text("từ ngày 01/07/2025").first).to_be_visible()
    page.get_by_role("link", name="2020", exact=True).click()
    expect(page.get_by_text("Các khối, cụm thi đua năm 2020")).to_be_visible()
    expect(page.get_by_text("Bước 8/8").first).to_be_visible()
    look("2-council")

    row = page.locator("tr", has_text="Khối thi đua tham mưu III")
    row.get_by_role("link", name="các năm của khối").click()
    expect(page.locator("h1")).to_have_text("Khối thi đua tham mưu III")
    expect(page.get_by_text("Trưởng khối, Khối phó qua các năm")).to_be_visible()
    look("3-bloc")

    page.get_by_role("link", name="2020", exact=True).first.click()
    expect(page.locator("h1")).to_contain_text("Khối thi đua tham mưu III – năm 2020")
    results = page.locator("section.public-results")
    expect(results.get_by_text(TIE)).to_be_visible()
    expect(results.get_by_text("Số 245/QĐ-UBND ngày 25/03/2021").first).to_be_visible()
    look("4-bloc-year-2020")

    page.get_by_role("link", name="Bảng xếp hạng đầy đủ: điểm từng mục, biểu đồ").click()
    expect(page.locator("h1")).to_contain_text("Xếp hạng Khối thi đua tham mưu III năm 2020")
    expect(page.get_by_text(TIE)).to_be_visible()
    # The full ranking has a column per section: its table may scroll inside, the page not.
    look("5-ranking", tables=False)

    page.go_back()
    results.get_by_role("link", name="Sở Thông tin và Truyền thông").first.click()
    expect(page.locator("h1")).to_have_text("Sở Thông tin và Truyền thông")
    expect(
        page.get_by_text(
            "Sở Thông tin và Truyền thông sáp nhập vào Sở Khoa học và Công nghệ từ ngày 01/03/2025."
        )
    ).to_be_visible()
    expect(page.get_by_text("Hoàn thành xuất sắc nhiệm vụ").first).to_be_visible()
    look("6-unit")

    # The CSV that Excel set to Vietnamese opens by double-click: ';', decimal commas.
    with page.expect_download() as info:
        page.get_by_role(
            "link",
            name="Kết quả thi đua của Sở Thông tin và Truyền thông, tệp CSV cho Excel (Việt Nam)",
        ).click()
    download = info.value
    assert download.suggested_filename == "unit-results-QNA-STTTT-excel-vn.csv"
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    by_year = {row["Năm"]: row for row in rows}
    assert by_year["2020"]["Hạng"] == "3" and by_year["2020"]["Tổng điểm"] == "95,55"
    assert by_year["2021"]["Đã công bố kết quả"] == "không" and by_year["2021"]["Tổng điểm"] == ""

    page.get_by_role("link", name="Giải thích các tệp và cột").first.click()
    expect(page.locator("h1")).to_have_text("Dữ liệu mở")
    expect(page.get_by_role("heading", name="Chọn tệp nào?")).to_be_visible()
    # Each dataset's table of columns may scroll inside its box, the page not.
    look("7-open-data", tables=False)


def test_an_anonymous_visitor_finds_how_a_unit_did_on_a_desktop(page: Any) -> None:
    load_demo()
    page.set_viewport_size(DESKTOP)
    walk(page, "public-desktop", phone=False)


def test_an_anonymous_visitor_finds_how_a_unit_did_on_a_phone(page: Any) -> None:
    load_demo()
    page.set_viewport_size(PHONE)
    walk(page, "public-phone", phone=True)
