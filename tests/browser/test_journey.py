"""One bloc-year from start to finish, in the browser only, as the people do it.

Only the organisation (councils, units, blocs, people) comes from the demo loader; everything
after that is clicked and typed: the council admin sets up Khối thi đua tham mưu III for 2022 in
Django admin, writes a small criteria set and opens scoring; the four focal points fill and
submit their sheets with the keyboard; the secretariat (the head's focal point, and the
deputy's for the head's own sheet) verifies, finalizes and publishes the ranking, records the
secret ballot, makes the suggested proposals and submits them; the leader approves; the
council admin records the decision; the secretariat downloads the conference pack; and a
visitor who is not logged in finds the published ranking and the award on the unit's page.

Every step is photographed into var/test-artifacts/journey/NN-<step>.png, numbered in order.
"""

from __future__ import annotations

import datetime
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from blocs.models import BlocYear
from demo.organisation import DEMO_PASSWORD, load_organisation
from tests.awards.test_review import ensure_rule_sets
from tests.browser.conftest import second_step

pytestmark = pytest.mark.browser

JOURNEY = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "journey"
BLOC = "Khối thi đua tham mưu III"
YEAR = 2022
HEAD, DEPUTY = "Đài Phát thanh - Truyền hình Quảng Nam", "Sở Y tế"
LABOUR, NEWSPAPER = "Sở Lao động - Thương binh và Xã hội", "Báo Quảng Nam"

# code, title, maximum, kind: two sections of standard criteria and a bonus, five leaves.
CRITERIA = [
    ("I", "Thực hiện nhiệm vụ chuyên môn được giao", "60", "Tiêu chí chuẩn"),
    ("I.1", "Hoàn thành các chỉ tiêu, nhiệm vụ trọng tâm được UBND tỉnh giao", "30", None),
    ("I.2", "Tham mưu ban hành văn bản theo chương trình công tác", "30", None),
    ("II", "Cải cách hành chính, chuyển đổi số", "40", "Tiêu chí chuẩn"),
    ("II.1", "Chỉ số cải cách hành chính của đơn vị", "25", None),
    ("II.2", "Hồ sơ, văn bản xử lý trên môi trường điện tử", "15", None),
    ("III", "Điểm thưởng", "5", "Điểm thưởng"),
    ("III.1", "Được tặng Bằng khen, Cờ thi đua trong năm", "5", "Điểm thưởng"),
]
# Each focal point's self-assessment, leaf by leaf (I.1, I.2, II.1, II.2, III.1), and the total.
SHEETS = [
    ("daumoi.dptth", HEAD, ["29", "28", "24", "14", "2"], "97,00"),
    ("daumoi.syt", DEPUTY, ["27", "26", "22", "13", "0"], "88,00"),
    ("thuky", LABOUR, ["28", "27", "23", "14", "1"], "93,00"),
    ("daumoi", NEWSPAPER, ["25", "24", "20", "12", "0"], "81,00"),
]
SUMMARIES = {
    HEAD: "Dẫn đầu Khối năm 2022; phủ sóng phát thanh, truyền hình 100% địa bàn tỉnh.",
    LABOUR: "Xếp thứ hai của Khối; vượt chỉ tiêu giải quyết việc làm cho 22.000 lao động.",
}
PACK = [
    # Nothing is issued in this journey: every document is a draft, unnumbered and named so.
    "du-thao-bao-cao-tong-ket-TM3-2022.docx",
    "du-thao-bao-cao-tong-ket-TM3-2022.pdf",
    "du-thao-bien-ban-binh-xet-TM3-2022.docx",
    "du-thao-bien-ban-binh-xet-TM3-2022.pdf",
    "du-thao-phu-luc-bang-diem-TM3-2022.docx",
    "du-thao-phu-luc-bang-diem-TM3-2022.pdf",
    "du-thao-to-trinh-khen-thuong-TM3-2022.docx",
    "du-thao-to-trinh-khen-thuong-TM3-2022.pdf",
    "xep-hang-TM3-2022.xlsx",
]


@pytest.fixture
def shoot() -> Iterator[Callable[[Any, str], Path]]:
    """Full-page screenshots numbered in the order they are taken; the previous run's go."""
    shutil.rmtree(JOURNEY, ignore_errors=True)
    JOURNEY.mkdir(parents=True)
    taken: list[Path] = []

    def take(page: Any, step: str) -> Path:
        path = JOURNEY / f"{len(taken) + 1:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        taken.append(path)
        return path

    yield take


def days_pass(monkeypatch: pytest.MonkeyPatch, days: int) -> None:
    """Move the app's clock forward: the live server runs in this process, and today's date
    (``timezone.localdate()``) is read from ``timezone.now()``."""
    real = timezone.now
    monkeypatch.setattr("django.utils.timezone.now", lambda: real() + datetime.timedelta(days=days))


def go(page: Any, locator: Any) -> None:
    """Click something that loads a new page and wait until it has loaded (scripts included)."""
    with page.expect_navigation():
        locator.click()


def sign_in(page: Any, username: str) -> None:
    page.context.clear_cookies()
    page.goto(page.base_url + "/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    go(page, page.get_by_role("button", name="Đăng nhập"))
    second_step(page, username)
    expect(page).to_have_url(page.base_url + "/my-work/")


def message(page: Any) -> str:
    return str(page.locator(".messages").inner_text())


def task(page: Any, title: str) -> None:
    """Open a task of the "my work" page."""
    page.goto(page.base_url + "/my-work/")
    go(page, page.get_by_role("link", name=title))


def select2(page: Any, field_id: str, text: str) -> None:
    """Pick a row in one of Django admin's autocomplete boxes."""
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def set_up_the_year(page: Any, shoot: Callable[[Any, str], Path]) -> None:
    """The council admin adds the bloc-year in Django admin: members, head and deputy, the
    covenant and the conference."""
    sign_in(page, "quantri")
    go(page, page.get_by_role("link", name="Quản trị", exact=True))
    page.goto(page.base_url + "/admin/blocs/blocyear/add/")
    select2(page, "id_bloc", BLOC)
    page.get_by_label("Năm:").fill(str(YEAR))
    page.get_by_label("Ngày ký giao ước:").fill("15/03/2022")
    page.get_by_label("Nơi ký giao ước:").fill("Hội trường Đài PT-TH Quảng Nam")
    page.get_by_label("Ngày hội nghị tổng kết:").fill("17/01/2023")
    page.get_by_label("Nơi họp tổng kết:").fill("Hội trường Đài PT-TH Quảng Nam")
    roles = [(HEAD, "Trưởng khối"), (DEPUTY, "Khối phó"), (LABOUR, "Thành viên")]
    for row, (unit, role) in enumerate([*roles, (NEWSPAPER, "Thành viên")]):
        page.get_by_text("Thêm một Thành viên khối").click()
        select2(page, f"id_memberships-{row}-unit", unit)
        page.locator(f"#id_memberships-{row}-role").select_option(label=role)
    shoot(page, "admin-bloc-year-with-members")
    go(page, page.get_by_role("button", name="Lưu lại"))
    expect(page.locator(".messagelist")).to_contain_text("được thêm vào thành công")

    task(page, f"Thiết lập {BLOC} năm {YEAR}")
    expect(page.locator("main h1")).to_have_text(f"{BLOC} – năm {YEAR}")
    expect(page.locator("dl.summary")).to_contain_text(HEAD)
    expect(page.locator("dl.summary")).to_contain_text("15/03/2022")
    shoot(page, "bloc-year-set-up")


def write_the_criteria_set(page: Any, shoot: Callable[[Any, str], Path]) -> None:
    """The council admin writes a small criteria set for the bloc's year."""
    go(page, page.get_by_role("link", name="Bảng tiêu chí", exact=True))
    go(page, page.get_by_role("link", name="Tạo bảng tiêu chí"))
    page.get_by_label("Hội đồng").select_option(
        label="Hội đồng Thi đua - Khen thưởng tỉnh Quảng Nam"
    )
    page.get_by_label("Năm").fill(str(YEAR))
    page.get_by_label("Dùng riêng cho").select_option(label=f"{BLOC} – {YEAR}")
    page.get_by_label("Tên bảng tiêu chí").fill(f"Bảng tiêu chí Khối tham mưu III năm {YEAR}")
    page.get_by_label("Điểm thưởng tối đa được tính").fill("5")
    go(page, page.get_by_role("button", name="Tạo bảng tiêu chí"))
    assert "Đã tạo bảng tiêu chí" in message(page)
    set_url = page.url.split("#")[0]
    for code, title, maximum, kind in CRITERIA:
        go(page, page.get_by_role("link", name="Thêm tiêu chí", exact=True))
        page.get_by_label("Mã", exact=True).fill(code)
        page.get_by_label("Nội dung", exact=True).fill(title)
        page.get_by_label("Điểm tối đa", exact=True).fill(maximum)
        if kind:
            page.get_by_label("Loại", exact=True).select_option(label=kind)
        go(page, page.get_by_role("button", name="Thêm tiêu chí"))
        assert f"Đã lưu tiêu chí {code}." in message(page)
        assert page.url.startswith(set_url)
    # Every section adds up: nothing stands in the way of opening scoring.
    expect(page.locator(".error-summary")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("100,00")
    shoot(page, "criteria-set")


def open_scoring(page: Any, shoot: Callable[[Any, str], Path]) -> None:
    task(page, f"Thiết lập {BLOC} năm {YEAR}")
    go(page, page.get_by_role("link", name="Chuẩn bị và mở chấm điểm"))
    go(page, page.get_by_role("button", name="Tiếp tục"))
    expect(page.locator("main h1")).to_have_text("Kiểm tra trước khi mở chấm điểm")
    shoot(page, "open-scoring-check")
    go(page, page.get_by_role("button", name="Mở chấm điểm"))
    assert "Đã mở chấm điểm" in message(page)
    expect(page.locator("main table.data tbody tr")).to_have_count(4)
    shoot(page, "scoring-opened")


def fill_and_submit(
    page: Any, shoot: Callable[[Any, str], Path], username: str, values: list[str], total: str
) -> None:
    """A focal point types its points with the keyboard (Enter goes down the column, as in a
    spreadsheet), saves and submits after checking the totals."""
    sign_in(page, username)
    task(page, f"Tự chấm điểm năm {YEAR} ({BLOC})")
    page.locator('#score-grid [data-col="self"]').first.focus()
    for value in values:
        page.keyboard.type(value)
        page.keyboard.press("Enter")
    # The score column is done; Tab goes along the last row, to its note.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.col") == "note"
    page.keyboard.type("Báo cáo tổng kết năm của đơn vị kèm theo.")
    expect(page.locator('[data-total="self"]')).to_have_text(total)
    shoot(page, f"self-assessment-{username}")
    go(page, page.get_by_role("button", name="Lưu bảng tự chấm"))
    assert "Đã lưu" in message(page)
    go(page, page.get_by_role("button", name="Gửi bảng tự chấm…"))
    expect(page.locator("main")).to_contain_text(total)
    if username == SHEETS[0][0]:
        shoot(page, "submit-check")
    go(page, page.get_by_role("button", name="Gửi bảng tự chấm"))
    assert "Đã gửi bảng tự chấm" in message(page)


def verify(page: Any, unit: str, shoot: Callable[[Any, str], Path] | None = None) -> None:
    """From the progress page: accept the self-assessment as it stands, then finish."""
    task(page, f"Thẩm định bảng điểm {BLOC} năm {YEAR}")
    if shoot:
        shoot(page, "progress-all-submitted")
    go(page, page.get_by_role("link", name=unit).first)
    if shoot:
        shoot(page, "verification-grid")
    go(
        page,
        page.get_by_role("button", name="Chấp nhận điểm tự chấm của 5 tiêu chí chưa thẩm định"),
    )
    assert "Đã chấp nhận điểm tự chấm của 5 tiêu chí" in message(page)
    go(page, page.get_by_role("button", name="Hoàn thành thẩm định…"))
    if shoot:
        shoot(page, "verification-check")
    go(page, page.get_by_role("button", name="Hoàn thành thẩm định", exact=True))
    assert "Đã hoàn thành thẩm định" in message(page)


def finalize_and_publish(
    page: Any, shoot: Callable[[Any, str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    task(page, f"Điều hành {BLOC} năm {YEAR}")
    go(page, page.get_by_role("link", name="Xếp hạng", exact=True))
    go(page, page.get_by_role("link", name="Chốt kết quả xếp hạng…"))
    ranks = page.locator("main table.data tbody tr")
    expect(ranks.first).to_contain_text("Đài PT-TH Quảng Nam")
    expect(ranks.first).to_contain_text("97,00")
    shoot(page, "finalize-check")
    go(page, page.get_by_role("button", name="Chốt kết quả xếp hạng"))
    assert "Đã chốt kết quả xếp hạng (lần 1)" in message(page)
    shoot(page, "ranking-finalized")

    go(page, page.get_by_role("link", name="Công bố kết quả…"))
    page.get_by_label("Thời hạn nhận khiếu nại (số ngày)").fill("1")
    go(page, page.get_by_role("button", name="Tiếp tục"))
    shoot(page, "publish-provisional-check")
    go(page, page.get_by_role("button", name="Công bố tạm thời cho các thành viên"))
    assert "Đã công bố tạm thời" in message(page)
    # Nobody complains; two days later the window has closed.
    days_pass(monkeypatch, 2)
    page.reload()
    go(page, page.get_by_role("button", name="Tiếp tục"))
    shoot(page, "publish-final-check")
    go(page, page.get_by_role("button", name="Công bố chính thức"))
    assert "Đã công bố chính thức" in message(page)
    shoot(page, "published")


def record_the_ballot(page: Any, shoot: Callable[[Any, str], Path]) -> None:
    task(page, f"Điều hành {BLOC} năm {YEAR}")
    go(page, page.get_by_role("link", name="Bỏ phiếu kín"))
    page.get_by_label("Ngày bỏ phiếu").fill("17/01/2023")
    page.get_by_label("Địa điểm").fill("Hội trường Đài PT-TH Quảng Nam")
    for label in ["Số thành viên có mặt", "Số phiếu phát ra", "Số phiếu thu về", "Số phiếu hợp lệ"]:
        page.get_by_label(label).fill("4")
    page.get_by_label(f"Số phiếu đồng ý cho {HEAD} – Cờ thi đua của Chính phủ").fill("4")
    page.get_by_label(f"Số phiếu đồng ý cho {LABOUR} – Cờ thi đua của Ủy ban nhân dân tỉnh").fill(
        "4"
    )
    shoot(page, "ballot-tally")
    go(page, page.get_by_role("button", name="Lưu kết quả bỏ phiếu"))
    assert "Đã lưu kết quả bỏ phiếu kín" in message(page)
    expect(page.locator("main")).to_contain_text("đủ túc số")
    shoot(page, "ballot-recorded")


def propose(page: Any, shoot: Callable[[Any, str], Path]) -> None:
    task(page, f"Điều hành {BLOC} năm {YEAR}")
    go(page, page.get_by_role("link", name="Đề nghị khen thưởng", exact=True))
    shoot(page, "proposals-suggested")
    go(page, page.get_by_role("button", name="Lập 2 đề nghị"))
    assert "Đã lập 2 đề nghị" in message(page)
    proposals_url = page.url
    for unit, summary in SUMMARIES.items():
        go(page, page.get_by_role("link", name=unit))
        page.get_by_label("Tóm tắt thành tích").fill(summary)
        if unit == HEAD:
            shoot(page, "proposal-with-summary")
        go(page, page.get_by_role("button", name="Lưu tóm tắt thành tích"))
        assert "Đã lưu tóm tắt thành tích" in message(page)
        page.goto(proposals_url)
    go(page, page.get_by_role("link", name="Kiểm tra và trình 2 đề nghị…"))
    # Nobody entered the units' staff and discipline figures in this journey: the check says
    # so, and who must enter them, instead of a tick; it does not block the submission.
    check = page.locator("main")
    expect(check).to_contain_text("Chưa kiểm tra được: chưa có số liệu cán bộ")
    expect(check).not_to_contain_text("✓ Đạt các điều kiện")
    shoot(page, "proposals-submit-check")
    go(page, page.get_by_role("button", name="Trình đề nghị khen thưởng"))
    assert "Đã trình 2 đề nghị" in message(page)


def approve(page: Any, shoot: Callable[[Any, str], Path]) -> None:
    sign_in(page, "lanhdao")
    go(page, page.get_by_role("link", name="Duyệt đề nghị khen thưởng: 2 đề nghị chờ duyệt"))
    shoot(page, "review-queue")
    for unit in SUMMARIES:
        go(page, page.get_by_role("link", name=unit))
        expect(page.get_by_text(SUMMARIES[unit])).to_be_visible()
        page.get_by_label("Duyệt", exact=True).check()
        if unit == HEAD:
            shoot(page, "proposal-packet-approving")
        go(page, page.get_by_role("button", name="Ghi ý kiến"))
        assert "Đã duyệt đề nghị" in message(page)
    shoot(page, "review-queue-done")


def record_the_decision(page: Any, shoot: Callable[[Any, str], Path]) -> None:
    """The province's decision grants its flag; the Government's flag comes with the Prime
    Minister's decision (…/QĐ-TTg), the only one that can grant it."""
    sign_in(page, "quantri")
    main_nav = page.get_by_role("navigation", name="Điều hướng chính")
    decisions = [
        ("58/QĐ-UBND", "10/03/2023", "Chủ tịch Ủy ban nhân dân tỉnh", LABOUR,
         "Cờ thi đua của Ủy ban nhân dân tỉnh", "12"),
        ("412/QĐ-TTg", "05/06/2023", "KT. Thủ tướng Chính phủ, Phó Thủ tướng", HEAD,
         "Cờ thi đua của Chính phủ", "13"),
    ]  # fmt: skip
    for number, date, title, unit, award, votes in decisions:
        go(page, main_nav.get_by_role("link", name="Quyết định", exact=True))
        page.get_by_label("Hội đồng").select_option(
            label="Hội đồng Thi đua - Khen thưởng tỉnh Quảng Nam"
        )
        page.get_by_label("Số quyết định").fill(number)
        page.get_by_label("Ngày quyết định").fill(date)
        page.get_by_label("Chức vụ người ký").fill(title)
        go(page, page.get_by_role("button", name="Ghi quyết định"))
        assert f"Đã ghi quyết định số {number}" in message(page)
        page.get_by_label(f"{unit} – {award}", exact=True).check()
        page.get_by_label(f"{unit} – {award}: tổng số thành viên Hội đồng").fill("15")
        page.get_by_label(f"{unit} – {award}: số thành viên đồng ý").fill(votes)
        if unit == HEAD:
            shoot(page, "decision-checklist")
        go(page, page.get_by_role("button", name="Ghi khen thưởng theo quyết định"))
        assert f"Đã ghi 1 khen thưởng theo quyết định số {number}" in message(page)
        expect(page.locator("main")).to_contain_text(f"{votes}/15")
    shoot(page, "decision-recorded")


def download_the_pack(page: Any, shoot: Callable[[Any, str], Path]) -> None:
    sign_in(page, "daumoi.dptth")
    # The year is decided: it left the secretariat's tasks (none of it is left to do); the
    # unit's own link leads there.
    verification = page.locator("li", has_text=f"Thẩm định bảng điểm {BLOC} năm {YEAR}")
    expect(verification).to_have_count(0)
    task(page, f"Năm thi đua {YEAR} của đơn vị trong {BLOC}")
    go(page, page.get_by_role("link", name="Báo cáo, biên bản, tờ trình, giao ước, bảng điểm"))
    shoot(page, "documents")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bộ hồ sơ hội nghị (ZIP)").click()
    assert download.value.suggested_filename == "ho-so-hoi-nghi-TM3-2022.zip"
    with zipfile.ZipFile(download.value.path()) as pack:
        assert sorted(pack.namelist()) == PACK
        assert all(pack.read(name) for name in PACK)


def visit_as_the_public(page: Any, shoot: Callable[[Any, str], Path]) -> None:
    page.context.clear_cookies()
    page.goto(page.base_url + "/")
    go(page, page.get_by_role("link", name=BLOC).first)
    expect(page.locator("main h1")).to_have_text(f"{BLOC} – năm {YEAR}")
    main = page.locator("main")
    expect(main).to_contain_text("Xếp hạng đã công bố năm 2022")
    expect(main).to_contain_text("Số 58/QĐ-UBND ngày 10/03/2023")
    shoot(page, "public-bloc-year")
    go(page, page.get_by_role("link", name="Xếp hạng", exact=True))
    first = page.locator("main table.data tbody tr").first
    expect(first).to_contain_text("Đài PT-TH Quảng Nam")
    expect(first).to_contain_text("Hoàn thành xuất sắc nhiệm vụ")
    shoot(page, "public-ranking")
    page.go_back()
    go(page, page.get_by_role("link", name=LABOUR).first)
    awards = page.locator("table", has_text="Hình thức khen thưởng")
    expect(awards.locator("tr", has_text="2022")).to_contain_text(
        "Cờ thi đua của Ủy ban nhân dân tỉnh"
    )
    results = page.locator("table", has_text="Tổng điểm").locator("tr", has_text="2022")
    expect(results).to_contain_text("2/4")
    expect(results).to_contain_text("93,00")
    shoot(page, "public-unit")


def test_a_bloc_year_goes_from_setup_to_a_public_award_in_the_browser(
    page: Any, shoot: Callable[[Any, str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    ensure_rule_sets()
    load_organisation()
    try:
        walk_through_the_year(page, shoot, monkeypatch)
    except Exception:
        shoot(page, "failed-here")
        raise
    bloc_year = BlocYear.objects.get(bloc__code="TM3", year=YEAR)
    assert bloc_year.state == BlocYear.State.DECIDED


def walk_through_the_year(
    page: Any, shoot: Callable[[Any, str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    set_up_the_year(page, shoot)
    write_the_criteria_set(page, shoot)
    open_scoring(page, shoot)
    for username, _unit, values, total in SHEETS:
        fill_and_submit(page, shoot, username, values, total)

    # The head's focal point verifies the others; the deputy's verifies the head's own sheet.
    sign_in(page, "daumoi.dptth")
    verify(page, DEPUTY, shoot)
    for unit in (LABOUR, NEWSPAPER):
        verify(page, unit)
    sign_in(page, "daumoi.syt")
    verify(page, HEAD)
    shoot(page, "head-sheet-verified-by-deputy")
    sign_in(page, "daumoi.dptth")
    task(page, f"Thẩm định bảng điểm {BLOC} năm {YEAR}")
    expect(page.locator("main table.data tbody")).not_to_contain_text("Đã gửi")
    shoot(page, "progress-all-verified")

    finalize_and_publish(page, shoot, monkeypatch)
    record_the_ballot(page, shoot)
    propose(page, shoot)
    approve(page, shoot)
    record_the_decision(page, shoot)
    download_the_pack(page, shoot)
    visit_as_the_public(page, shoot)
