"""The people pages and the password pages in a browser, on a desktop and on a phone: the
people list, the upload's preview with refused cells, a new account's first password through
the e-mailed link, and "Quên mật khẩu?". Screenshots: people-*.png, password-*.png."""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest
from django.core import mail
from playwright.sync_api import expect

from blocs import access
from blocs.models import Council, User
from demo.organisation import DEMO_PASSWORD, load_organisation
from tests.browser.conftest import AXE_BLOCKING, axe_report, axe_violations, log_in, screenshot
from tests.browser.test_phone import PHONE, sideways

pytestmark = pytest.mark.browser


def _list_file() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tài khoản"
    sheet.append(["Tên đăng nhập", "Họ và tên", "Thư điện tử", "Mã đơn vị", "Vai trò"])
    sheet.append(["daumoi.moi1", "Nguyễn Thị Lan Anh", "lananh@snv.quangnam.gov.vn", "SNV", ""])
    sheet.append(["daumoi.moi2", "Trần Văn Bình", "binh@", "SYT", "Đầu mối"])
    sheet.append(["daumoi", "Lê Thị Cúc", "cuc@bqn.vn", "BQN", ""])
    sheet.append(["daumoi.moi3", "Phạm Quốc Dũng", "dung@x.vn", "KHONGCO", "Giám đốc"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fits_the_phone(page: Any, name: str) -> None:
    page.set_viewport_size(PHONE)
    page.reload()
    screenshot(page, f"{name}-phone")
    assert sideways(page) is None, f"{name}: {sideways(page)}"
    page.set_viewport_size({"width": 1366, "height": 768})


def test_the_people_list_and_an_upload_preview(page: Any) -> None:
    load_organisation()
    log_in(page, "quantri", DEMO_PASSWORD)
    page.wait_for_url("**/my-work/")
    page.get_by_role("link", name="Người dùng").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Người dùng")
    expect(page.get_by_role("cell", name="daumoi.syt", exact=True)).to_be_visible()
    screenshot(page, "people-list")
    _fits_the_phone(page, "people-list")

    page.get_by_label("Vai trò").select_option("leader")
    page.get_by_role("button", name="Lọc").click()
    rows = page.locator("table.people-table tbody tr")
    # The demo's admin works for Đà Nẵng's council, which took over Quảng Nam's people.
    scope = access.people_council_ids(Council.objects.get(code="DNG"))
    leaders = User.objects.filter(role=User.Role.LEADER, unit__council__in=scope)
    assert rows.count() == leaders.count() > 0

    page.get_by_role("link", name="Tải danh sách lên").first.click()
    screenshot(page, "people-upload")
    page.get_by_label("Tệp danh sách (.xlsx hoặc .csv)").set_input_files(
        files=[
            {
                "name": "danh-sach.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": _list_file(),
            }
        ]
    )
    page.get_by_role("button", name="Đọc tệp và xem trước").click()
    page.wait_for_url("**/upload/preview/")
    problems = page.locator("table.upload-problems tbody tr")
    assert problems.count() == 5  # the last row has two: its unit and its role
    expect(page.get_by_role("rowheader", name="C3")).to_be_visible()  # the bad e-mail
    assert not page.get_by_role("button", name=re.compile("^Tạo")).count()
    screenshot(page, "people-upload-preview")
    _fits_the_phone(page, "people-upload-preview")
    assert not User.objects.filter(username="daumoi.moi1").exists()


def test_a_new_account_sets_its_password_and_a_person_resets_theirs(
    page: Any, settings: Any, live_server: Any
) -> None:
    settings.SITE_URL = live_server.url
    load_organisation()
    log_in(page, "quantri", DEMO_PASSWORD)
    page.wait_for_url("**/my-work/")
    page.goto(page.base_url + "/councils/DNG/people/new/")
    page.get_by_label("Tên đăng nhập").fill("daumoi.moi")
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Lan Anh")
    page.get_by_label("Thư điện tử").fill("lananh@snv.quangnam.gov.vn")
    page.get_by_label("Đơn vị", exact=True).select_option(label="Sở Nội vụ (SNV, DNG)")
    page.get_by_role("button", name="Tạo tài khoản và gửi thư").click()
    page.wait_for_url(re.compile(r"/people/\d+/$"))
    expect(page.get_by_text("Chưa đặt mật khẩu").first).to_be_visible()
    screenshot(page, "people-person")
    _fits_the_phone(page, "people-person")
    link = re.search(r"http://\S+/password-reset/\S+/", str(mail.outbox[-1].body))
    assert link, mail.outbox[-1].body

    page.context.clear_cookies()
    page.goto(link.group(0))
    assert page.get_by_role("heading", level=1).inner_text() == "Đặt mật khẩu mới"
    page.get_by_label("Mật khẩu mới", exact=True).fill("12345678")
    page.get_by_label("Nhập lại mật khẩu mới").fill("12345678")
    page.get_by_role("button", name="Đặt mật khẩu").click()
    expect(page.get_by_role("alert")).to_be_visible()
    screenshot(page, "password-set-refused")
    _fits_the_phone(page, "password-set-refused")
    page.get_by_label("Mật khẩu mới", exact=True).fill("Lan-Anh-dat-mat-khau")
    page.get_by_label("Nhập lại mật khẩu mới").fill("Lan-Anh-dat-mat-khau")
    page.get_by_role("button", name="Đặt mật khẩu").click()
    page.wait_for_url("**/password-reset/done/")
    screenshot(page, "password-set-done")
    log_in(page, "daumoi.moi", "Lan-Anh-dat-mat-khau")
    page.wait_for_url("**/my-work/")

    # "Quên mật khẩu?" of a demo person with an address.
    User.objects.filter(username="daumoi").update(email="daumoi@baoquangnam.vn")
    page.context.clear_cookies()
    page.goto(page.base_url + "/password-reset/")
    screenshot(page, "password-reset")
    _fits_the_phone(page, "password-reset")
    page.get_by_label("Thư điện tử").fill("daumoi@baoquangnam.vn")
    page.get_by_role("button", name="Gửi liên kết đặt mật khẩu").click()
    page.wait_for_url("**/password-reset/sent/")
    screenshot(page, "password-reset-sent")
    _fits_the_phone(page, "password-reset-sent")
    link = re.search(r"http://\S+/password-reset/\S+/", str(mail.outbox[-1].body))
    assert link and mail.outbox[-1].to == ["daumoi@baoquangnam.vn"]
    page.goto(link.group(0))
    screenshot(page, "password-reset-confirm")
    _fits_the_phone(page, "password-reset-confirm")
    page.goto(page.base_url + "/password-reset/MQ/wrong-token/")
    screenshot(page, "password-reset-bad-link")

    log_in(page, "daumoi", DEMO_PASSWORD)
    page.wait_for_url("**/my-work/")
    page.get_by_role("link", name="Đổi mật khẩu").click()
    screenshot(page, "password-change")
    _fits_the_phone(page, "password-change")


def test_the_people_and_password_pages_have_no_serious_accessibility_findings(
    axe_page: Any,
) -> None:
    """axe-core on each page of this feature, with a form refused where there is one."""
    page = axe_page
    load_organisation()
    findings: dict[str, list[dict[str, Any]]] = {}

    def check(name: str) -> None:
        assert page.locator("main h1").count() == 1, name
        findings[name] = axe_violations(page)

    page.goto(page.base_url + "/password-reset/")
    check("password-reset")
    page.get_by_label("Thư điện tử").fill("khong-phai-thu")
    page.get_by_role("button", name="Gửi liên kết đặt mật khẩu").click()
    check("password-reset refused")
    page.goto(page.base_url + "/password-reset/MQ/wrong-token/")
    check("password-reset-confirm (bad link)")
    log_in(page, "quantri", DEMO_PASSWORD)
    page.wait_for_url("**/my-work/")
    for name, path in {
        "people": "/councils/DNG/people/",
        "person-new": "/councils/DNG/people/new/",
        "people-upload": "/councils/DNG/people/upload/",
        "password-change": "/password/",
    }.items():
        page.goto(page.base_url + path)
        check(name)
    page.goto(page.base_url + "/councils/DNG/people/new/")
    page.get_by_role("button", name="Tạo tài khoản và gửi thư").click()
    check("person-new refused")
    page.goto(page.base_url + "/councils/DNG/people/upload/")
    page.get_by_label("Tệp danh sách (.xlsx hoặc .csv)").set_input_files(
        files=[{"name": "ds.xlsx", "mimeType": "application/octet-stream", "buffer": _list_file()}]
    )
    page.get_by_role("button", name="Đọc tệp và xem trước").click()
    page.wait_for_url("**/upload/preview/")
    check("people-upload-preview")
    person = User.objects.get(username="daumoi")
    page.goto(page.base_url + f"/councils/DNG/people/{person.pk}/")
    check("person")
    blocking = {
        where: [rule for rule in found if rule["impact"] in AXE_BLOCKING]
        for where, found in findings.items()
    }
    blocking = {where: found for where, found in blocking.items() if found}
    assert not blocking, "\n\n".join(axe_report(where, found) for where, found in blocking.items())
