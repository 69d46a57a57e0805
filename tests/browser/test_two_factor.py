"""Two-factor sign-in in the browser: a leader's first sign-in enrols an authenticator from
the page's key, sees the recovery codes once, and the next sign-in asks for a code; on a
desktop (with axe-core) and at 390 px (the page's own Content-Security-Policy, no sideways
scrolling). Screenshots: var/test-artifacts/screenshots/two-factor-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from demo.organisation import DEMO_PASSWORD, load_organisation
from tests.accounts.codes import key_from_page, next_code, totp
from tests.browser.conftest import (
    AXE_BLOCKING,
    CODE_PATH,
    ENROL_PATH,
    axe_report,
    axe_violations,
    screenshot,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def password_step(page: Any, username: str) -> None:
    page.goto(page.base_url + "/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập", exact=True).click()


def sign_out(page: Any) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng xuất").first.click()


def no_blocking_findings(page: Any, where: str) -> None:
    found = axe_violations(page)
    print(axe_report(where, found, getattr(page, "axe_incomplete", [])))
    blocking = [rule["id"] for rule in found if rule["impact"] in AXE_BLOCKING]
    assert blocking == [], where
    assert page.locator("main h1").count() == 1


def fits_a_phone(page: Any, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{where} is {width} px wide"


def test_a_leader_enrols_on_the_first_sign_in_and_types_a_code_the_next(
    axe_page: Any,
) -> None:
    page = axe_page
    load_organisation()
    password_step(page, "lanhdao")
    expect(page).to_have_url(page.base_url + ENROL_PATH + "?next=%2Fmy-work%2F")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bật xác thực hai bước")
    expect(
        page.get_by_role("img", name="Mã QR để thêm Thi đua vào ứng dụng xác thực")
    ).to_be_visible()
    screenshot(page, "two-factor-enrol")
    no_blocking_findings(page, "leader · enrolment")

    # Every other page leads back here until it is done.
    page.goto(page.base_url + "/dashboard/")
    expect(page).to_have_url(page.base_url + ENROL_PATH + "?next=%2Fdashboard%2F")

    key = key_from_page(page.locator("#totp-key").inner_text())
    right = totp(key)
    page.get_by_label("Mã 6 số trong ứng dụng").fill("000000" if right != "000000" else "111111")
    with page.expect_navigation():
        page.get_by_role("button", name="Bật xác thực hai bước").click()
    expect(page.get_by_role("alert")).to_contain_text("Mã không khớp")
    # The key stays the one already in the app.
    assert key_from_page(page.locator("#totp-key").inner_text()) == key
    no_blocking_findings(page, "leader · enrolment with a wrong code")

    page.get_by_label("Mã 6 số trong ứng dụng").fill(right)
    with page.expect_navigation():
        page.get_by_role("button", name="Bật xác thực hai bước").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mã dự phòng")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    stored = set(
        StaticToken.objects.filter(device__user__username="lanhdao").values_list("token", flat=True)
    )
    assert {code.replace("-", "") for code in codes} == stored
    screenshot(page, "two-factor-recovery-codes")
    no_blocking_findings(page, "leader · recovery codes")
    with page.expect_navigation():
        page.get_by_role("link", name="Đã lưu mã, tiếp tục").click()
    expect(page).to_have_url(page.base_url + "/dashboard/")

    sign_out(page)
    password_step(page, "lanhdao")
    expect(page).to_have_url(page.base_url + CODE_PATH + "?next=%2Fmy-work%2F")
    screenshot(page, "two-factor-code")
    no_blocking_findings(page, "leader · code page")
    # A recovery code, by keyboard: the field has the focus after a Tab from the label's page.
    page.get_by_label("Mã xác thực").fill(codes[0].upper())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(page.base_url + "/my-work/")
    expect(page.locator(".messages")).to_contain_text("còn 9 mã")


def test_the_pages_fit_a_phone_under_the_sites_own_policy(
    browser: Any, live_server: Any, transactional_db: None
) -> None:
    load_organisation()
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    try:
        password_step(page, "quantri")
        expect(page).to_have_url(page.base_url + ENROL_PATH + "?next=%2Fmy-work%2F")
        # The QR code is an SVG data: image, which the Content-Security-Policy allows.
        qr = page.get_by_role("img", name="Mã QR để thêm Thi đua vào ứng dụng xác thực")
        expect(qr).to_be_visible()
        assert qr.evaluate("image => image.naturalWidth") > 100
        fits_a_phone(page, "enrolment")
        screenshot(page, "two-factor-enrol-phone")

        key = key_from_page(page.locator("#totp-key").inner_text())
        page.get_by_label("Mã 6 số trong ứng dụng").fill(totp(key))
        with page.expect_navigation():
            page.get_by_role("button", name="Bật xác thực hai bước").click()
        expect(page.locator(".recovery-codes li")).to_have_count(10)
        fits_a_phone(page, "recovery codes")
        screenshot(page, "two-factor-recovery-codes-phone")
        with page.expect_navigation():
            page.get_by_role("link", name="Đã lưu mã, tiếp tục").click()
        expect(page).to_have_url(page.base_url + "/my-work/")

        sign_out(page)
        password_step(page, "quantri")
        expect(page).to_have_url(page.base_url + CODE_PATH + "?next=%2Fmy-work%2F")
        page.get_by_text("Không có điện thoại bên mình?").click()
        fits_a_phone(page, "code page")
        screenshot(page, "two-factor-code-phone")
        page.get_by_label("Mã xác thực").fill(
            next_code(TOTPDevice.objects.get(user__username="quantri"))
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Xác nhận").click()
        expect(page).to_have_url(page.base_url + "/my-work/")
        # The admin opens, now that the second step is done.
        page.goto(page.base_url + "/admin/")
        expect(page).to_have_url(page.base_url + "/admin/")
    finally:
        context.close()


def test_the_login_page_offers_the_province_login_when_configured(page: Any, settings: Any) -> None:
    load_organisation()
    page.goto(page.base_url + "/login/")
    expect(page.get_by_role("button", name="Đăng nhập bằng tài khoản tỉnh")).to_have_count(0)
    settings.OIDC_ENABLED = True
    page.goto(page.base_url + "/login/")
    expect(page.get_by_role("button", name="Đăng nhập bằng tài khoản tỉnh")).to_be_visible()
    screenshot(page, "login-province")
