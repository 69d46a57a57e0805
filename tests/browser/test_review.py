"""A leader reviews the bloc's proposals on a phone: returns one with a note, the secretariat
fixes and resubmits it, the leader approves it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from awards.models import AwardType, Ballot, BallotResult, Proposal, QuotaOverride
from awards.services import proposals as services
from blocs.models import BlocYear, Unit, User
from demo.organisation import load_organisation
from demo.scoring import load_scoring
from tests.awards.test_review import ensure_rule_sets
from tests.browser.conftest import screenshot
from tests.browser.test_scoring import keyboard_login

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}

SUMMARIES = {
    "SLDTBXH": "Dẫn đầu Khối thi đua tham mưu III năm 2020; giảm tỷ lệ hộ nghèo 2,1%.",
    "DPTTH": "Phủ sóng phát thanh, truyền hình 100% địa bàn; 12 giải báo chí.",
    "STTTT": "Hoàn thành chính quyền điện tử cấp tỉnh; 98% hồ sơ trực tuyến.",
}


def build_2020() -> BlocYear:
    """The 2020 conference of Khối thi đua tham mưu III (source article): a quota of 2
    provincial flags, the secret ballot, and the three proposals made and submitted by the
    secretariat through the services."""
    ensure_rule_sets()
    load_organisation()
    load_scoring()
    bloc_year = BlocYear.objects.get(bloc__council__code="QNA", bloc__code="TM3", year=2020)
    awards = {award.code: award for award in AwardType.objects.filter(rule_set__code="LUAT-2003")}
    QuotaOverride.objects.create(bloc_year=bloc_year, award_type=awards["PROV_FLAG"], quota=2)
    ballot = Ballot.objects.create(
        bloc_year=bloc_year,
        held_on=datetime.date(2021, 3, 2),
        members_total=7,
        members_present=7,
        ballots_issued=7,
        ballots_returned=7,
        ballots_valid=7,
    )
    units = {unit.code: unit for unit in Unit.objects.filter(council__code="QNA")}
    for code, unit, votes in [
        ("GOV_FLAG", "SLDTBXH", 7),
        ("PROV_FLAG", "DPTTH", 7),
        ("PROV_FLAG", "STTTT", 6),
    ]:
        BallotResult.objects.create(
            ballot=ballot, award_type=awards[code], unit=units[unit], votes_for=votes
        )
    secretary = User.objects.get(username="daumoi.syt")
    for proposal in services.proposals_create_suggested(bloc_year=bloc_year, by=secretary):
        services.proposal_update_summary(
            proposal=proposal,
            summary=SUMMARIES[proposal.unit.code],
            version=proposal.version,
            by=secretary,
        )
    services.proposals_submit(bloc_year=bloc_year, by=secretary)
    return bloc_year


def no_sideways_scroll(page: Any) -> bool:
    """Neither the page nor any of its tables needs scrolling sideways."""
    return bool(
        page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth && "
            "[...document.querySelectorAll('.table-wrap')]"
            ".every(wrap => wrap.scrollWidth <= wrap.clientWidth)"
        )
    )


def test_a_leader_returns_a_proposal_on_a_phone_and_approves_it_once_fixed(page: Any) -> None:
    bloc_year = build_2020()
    radio = Proposal.objects.get(bloc_year=bloc_year, unit__code="DPTTH")

    keyboard_login(page, "lanhdao")
    page.get_by_role("link", name="Duyệt đề nghị khen thưởng: 3 đề nghị chờ duyệt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Duyệt đề nghị khen thưởng")
    screenshot(page, "review-1-queue")

    # On the phone: the packet on one screen, no sideways scrolling.
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="Đài Phát thanh - Truyền hình Quảng Nam").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Đài Phát thanh - Truyền hình Quảng Nam"
    )
    expect(page.get_by_text("Hạng 2/7")).to_be_visible()
    expect(page.get_by_text("7/7 phiếu đồng ý")).to_be_visible()
    expect(page.get_by_text("Ba năm trước")).to_be_visible()
    assert no_sideways_scroll(page)
    screenshot(page, "review-2-packet-on-a-phone")

    page.get_by_label("Trả lại để thư ký khối hoàn thiện").check()
    page.get_by_label("Ghi chú hoặc lý do").fill("Bổ sung số liệu phủ sóng vùng núi năm 2020.")
    screenshot(page, "review-3-returning-with-a-note")
    page.get_by_role("button", name="Ghi ý kiến").click()
    page.wait_for_url("**/awards/review/")
    assert "Đã trả lại đề nghị" in page.locator(".messages").inner_text()
    assert "2 đề nghị chờ duyệt" in page.locator("main").inner_text()
    radio.refresh_from_db()
    assert radio.status == Proposal.Status.RETURNED

    # The secretariat sees it returned, fixes the summary and submits again.
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    keyboard_login(page, "daumoi.syt")
    assert "1 đề nghị bị trả lại" in page.locator("main").inner_text()
    page.get_by_role("link", name="Đề nghị khen thưởng Khối thi đua tham mưu III năm 2020").click()
    returned_row = page.locator("tr", has_text="Đài Phát thanh - Truyền hình Quảng Nam")
    assert "Trả lại để hoàn thiện" in returned_row.inner_text()
    screenshot(page, "review-4-secretariat-sees-it-returned")
    returned_row.get_by_role("link", name="Đài Phát thanh - Truyền hình Quảng Nam").click()
    expect(page.get_by_text("Bổ sung số liệu phủ sóng vùng núi năm 2020.")).to_be_visible()
    page.get_by_label("Tóm tắt thành tích").fill(
        SUMMARIES["DPTTH"] + "\nPhủ sóng 100% các xã vùng núi (bổ sung theo ý kiến lãnh đạo)."
    )
    page.get_by_role("button", name="Lưu tóm tắt thành tích").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu tóm tắt thành tích")
    page.goto(page.base_url + f"/awards/{bloc_year.bloc_id}/2020/proposals/submit/")
    screenshot(page, "review-5-resubmitting")
    page.get_by_role("button", name="Trình đề nghị khen thưởng").click()
    expect(page.locator(".messages")).to_contain_text("Đã trình 1 đề nghị")

    # Back on the phone, the leader approves it.
    page.context.clear_cookies()
    keyboard_login(page, "lanhdao")
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + "/awards/review/")
    page.get_by_role("link", name="Đài Phát thanh - Truyền hình Quảng Nam").click()
    expect(page.get_by_text("vùng núi (bổ sung theo ý kiến lãnh đạo)")).to_be_visible()
    page.get_by_label("Duyệt", exact=True).check()
    page.get_by_role("button", name="Ghi ý kiến").click()
    page.wait_for_url("**/awards/review/")
    assert "Đã duyệt đề nghị" in page.locator(".messages").inner_text()
    radio.refresh_from_db()
    assert radio.status == Proposal.Status.APPROVED
    page.goto(page.base_url + radio.get_absolute_url())
    assert page.locator(".badge-approved").inner_text() == "Đã duyệt"
    assert no_sideways_scroll(page)
    screenshot(page, "review-6-approved")
