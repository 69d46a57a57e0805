"""Emulation registration in a browser: a focal point's registration page, the bloc's list,
and the proposal page of a unit proposed for a title it did not register (the gate fails)."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from awards.models import AwardType, Ballot, BallotResult, Proposal
from awards.services import proposals as proposal_services
from awards.services.registration import registration_save
from blocs import deadlines
from blocs.models import BlocYear, Unit, User
from demo.organisation import load_organisation
from demo.scoring import load_scoring
from tests.awards.test_review import ensure_rule_sets
from tests.browser.conftest import screenshot
from tests.browser.test_scoring import keyboard_login

pytestmark = pytest.mark.browser

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
EARLY = datetime.datetime(2020, 3, 10, 9, tzinfo=LOCAL)


def registered_2020() -> BlocYear:
    """The demo's 2020 of Khối thi đua tham mưu III with a registration deadline, three units
    registered (Sở Thông tin và Truyền thông did not), the ballot, and the provincial flag
    proposed by hand for the unit that did not register."""
    ensure_rule_sets()
    load_organisation()
    load_scoring()
    bloc_year = BlocYear.objects.get(bloc__council__code="QNA", bloc__code="TM3", year=2020)
    deadlines.deadlines_set(
        bloc_year=bloc_year,
        by=None,
        registration_due=datetime.date(2020, 3, 31),
        self_assessment_due=bloc_year.self_assessment_due,
        verification_due=bloc_year.verification_due,
        proposals_due=bloc_year.proposals_due,
    )
    bloc_year.refresh_from_db()
    units = {unit.code: unit for unit in Unit.objects.filter(council__code="QNA")}
    for code, codes, pledge in [
        ("SLDTBXH", ["GOV_FLAG", "PROV_FLAG"], ""),
        ("DPTTH", ["PROV_FLAG"], ""),
        (
            "BQN",
            ["PROV_CERT", "EXCELLENT_COLLECTIVE"],
            "Phát hành đúng kỳ 100% số báo.\nKhông có cán bộ, phóng viên vi phạm kỷ luật.",
        ),
    ]:
        registration_save(
            bloc_year=bloc_year,
            unit=units[code],
            award_codes=codes,
            pledge=pledge,
            by=None,
            now=EARLY,
        )
    awards = {award.code: award for award in AwardType.objects.filter(rule_set__code="LUAT-2003")}
    ballot = Ballot.objects.create(
        bloc_year=bloc_year,
        held_on=datetime.date(2021, 3, 2),
        members_total=7,
        members_present=7,
        ballots_issued=7,
        ballots_returned=7,
        ballots_valid=7,
    )
    BallotResult.objects.create(
        ballot=ballot, award_type=awards["PROV_FLAG"], unit=units["STTTT"], votes_for=6
    )
    proposal_services.proposal_create(
        bloc_year=bloc_year,
        unit=units["STTTT"],
        award_type=awards["PROV_FLAG"],
        by=User.objects.get(username="daumoi.syt"),
    )
    return bloc_year


def test_registration_pages_and_the_failed_gate(page: Any) -> None:
    bloc_year = registered_2020()
    keyboard_login(page, "daumoi")  # focal point of Báo Quảng Nam
    bqn = Unit.objects.get(council__code="QNA", code="BQN")
    page.goto(f"{page.base_url}/awards/{bloc_year.bloc_id}/2020/registration/{bqn.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Đăng ký thi đua năm 2020: Báo Quảng Nam"
    )
    assert page.get_by_label("Tập thể lao động xuất sắc").is_checked()
    screenshot(page, "registration-1-focal-point")
    page.get_by_role("link", name="Danh sách đăng ký của khối").click()
    expect(page.locator(".totals-bar")).to_contain_text("3/7")
    screenshot(page, "registration-2-bloc-list")

    page.context.clear_cookies()
    keyboard_login(page, "daumoi.syt")  # the 2020 head's focal point: the secretariat
    proposal = Proposal.objects.get(bloc_year=bloc_year, unit__code="STTTT")
    page.goto(page.base_url + proposal.get_absolute_url())
    body = page.locator("main").inner_text()
    assert "Đã đăng ký thi đua" in body
    assert "Chưa đăng ký thi đua danh hiệu “Cờ thi đua của Ủy ban nhân dân tỉnh” năm 2020." in body
    screenshot(page, "registration-3-proposal-gate")
