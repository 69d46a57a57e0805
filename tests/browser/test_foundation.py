"""A person logs in and reaches "my work"; the main pages are photographed for review."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from blocs.models import Bloc
from demo.organisation import DEMO_PASSWORD, load_organisation
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_a_focal_point_logs_in_and_reaches_my_work(page: Any) -> None:
    load_organisation()
    log_in(page, "daumoi", DEMO_PASSWORD)
    page.wait_for_url("**/my-work/")
    assert page.get_by_role("heading", level=1).inner_text() == "Việc của tôi"
    expect(
        page.get_by_text("Năm thi đua 2021 của đơn vị trong Khối thi đua tham mưu III")
    ).to_be_visible()
    screenshot(page, "foundation-my-work-focal-point")
    page.get_by_role(
        "link", name="Năm thi đua 2021 của đơn vị trong Khối thi đua tham mưu III"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Khối thi đua tham mưu III – năm 2021"
    )


def test_a_wrong_password_keeps_the_person_on_the_login_page(page: Any) -> None:
    load_organisation()
    log_in(page, "daumoi", "sai-mat-khau")
    expect(page.get_by_role("alert")).to_be_visible()
    assert "/login/" in page.url
    screenshot(page, "foundation-login-error")


def test_main_pages_for_review(page: Any) -> None:
    load_organisation()
    bloc = Bloc.objects.get(council__code="QNA", code="TM3")
    pages = {
        "home": "/",
        "council-qna": "/councils/QNA/",
        "bloc-tm3": bloc.get_absolute_url(),
        "bloc-year-tm3-2020": f"/blocs/{bloc.pk}/2020/",
    }
    for name, path in pages.items():
        page.goto(page.base_url + path)
        expect(page.locator("main h1")).to_be_visible()
        screenshot(page, f"foundation-{name}")
    page.get_by_role("link", name="Sở Lao động - Thương binh và Xã hội").first.click()
    expect(page.get_by_text("sáp nhập vào Sở Nội vụ")).to_be_visible()
    screenshot(page, "foundation-unit-lineage")
    for username in ("thuky", "quantri", "lanhdao"):
        page.context.clear_cookies()
        log_in(page, username, DEMO_PASSWORD)
        page.wait_for_url("**/my-work/")
        screenshot(page, f"foundation-my-work-{username}")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + f"/blocs/{bloc.pk}/2021/")
    screenshot(page, "foundation-bloc-year-phone")
