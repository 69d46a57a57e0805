"""A person logs in and reaches "my work"; the main pages are photographed for review."""

from __future__ import annotations

from typing import Any

import pytest

from blocs.models import Bloc
from demo.organisation import DEMO_PASSWORD, load_organisation
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_a_focal_point_logs_in_and_reaches_my_work(page: Any) -> None:
    load_organisation()
    log_in(page, "daumoi", DEMO_PASSWORD)
    page.wait_for_url("**/my-work/")
    assert page.get_by_role("heading", level=1).inner_text() == "Việc của tôi"
    assert page.get_by_text(
        "Năm thi đua 2021 của đơn vị trong Khối thi đua tham mưu III"
    ).is_visible()
    screenshot(page, "foundation-my-work-focal-point")
    page.get_by_role(
        "link", name="Năm thi đua 2021 của đơn vị trong Khối thi đua tham mưu III"
    ).click()
    assert (
        "Khối thi đua tham mưu III – năm 2021" in page.get_by_role("heading", level=1).inner_text()
    )


def test_a_wrong_password_keeps_the_person_on_the_login_page(page: Any) -> None:
    load_organisation()
    log_in(page, "daumoi", "sai-mat-khau")
    assert page.get_by_role("alert").is_visible()
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
        assert page.locator("main h1").is_visible()
        screenshot(page, f"foundation-{name}")
    page.get_by_role("link", name="Sở Lao động - Thương binh và Xã hội").first.click()
    assert page.get_by_text("sáp nhập vào Sở Nội vụ").is_visible()
    screenshot(page, "foundation-unit-lineage")
    for username in ("thuky", "quantri", "lanhdao"):
        page.context.clear_cookies()
        log_in(page, username, DEMO_PASSWORD)
        page.wait_for_url("**/my-work/")
        screenshot(page, f"foundation-my-work-{username}")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + f"/blocs/{bloc.pk}/2021/")
    screenshot(page, "foundation-bloc-year-phone")
