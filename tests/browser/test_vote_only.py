"""A bloc-year ranked by vote alone in a browser: the secretariat sets the mode on the rules page,
records the votes (a wrong row refused at its cell), and the ranking page shows the votes, the
bands and the rule in words. Screenshots: vote-only-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from blocs.models import BlocYear, Membership
from demo.organisation import DEMO_PASSWORD, load_organisation
from scoring.models import ScoreSheet, VoteResult
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_rules_votes_and_ranking_of_a_vote_only_year(page: Any) -> None:
    load_organisation()
    head = Membership.objects.filter(unit__code="SLDTBXH", role=Membership.Role.HEAD).first()
    assert head is not None
    bloc_year: BlocYear = head.bloc_year
    assert not ScoreSheet.objects.filter(bloc_year=bloc_year).exists()
    args = [bloc_year.bloc_id, bloc_year.year]
    log_in(page, "thuky", DEMO_PASSWORD)

    page.goto(page.base_url + reverse("scoring:ranking-rules", args=args))
    page.get_by_label("Bình xét bằng phiếu", exact=False).check()
    page.get_by_label("Mức theo phiếu 1: trên … % số phiếu").fill("70")
    page.get_by_label("Mức theo phiếu 2: tên").fill("Hoàn thành tốt nhiệm vụ")
    page.get_by_label("Mức theo phiếu 2: trên … % số phiếu").fill("50")
    page.get_by_label("Mức theo phiếu 3: tên").fill("Hoàn thành nhiệm vụ")
    reason = page.get_by_label("Lý do thay đổi")
    if reason.count():  # the demo year is in the scoring step: a change needs its reason
        reason.fill("Khối thống nhất bình xét bằng phiếu tại hội nghị tổng kết")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu", exact=False).first.click()
    assert "được trên 70% số phiếu" in page.locator("main").inner_text()
    screenshot(page, "vote-only-rules")

    page.goto(page.base_url + reverse("scoring:votes", args=args))
    rows = page.locator("table.vote-entry tbody tr")
    count = rows.count()
    votes = [14, 11, 9, 8, 15, 7, 10, 12, 6, 13, 5, 4]
    for index in range(count):
        cells = rows.nth(index).locator("input")
        cells.nth(0).fill(str(votes[index % len(votes)]))
        cells.nth(1).fill("15")
    rows.nth(0).locator("input").nth(0).fill("16")  # more votes than voters
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu kết quả phiếu").click()
    assert "không được lớn hơn số thành viên bỏ phiếu" in page.locator("main").inner_text()
    assert not VoteResult.objects.filter(bloc_year=bloc_year).exists()
    screenshot(page, "vote-only-entry-refused")
    rows.nth(0).locator("input").nth(0).fill("14")
    rows.nth(1).locator("select").select_option("Hoàn thành xuất sắc nhiệm vụ")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu kết quả phiếu").click()
    assert VoteResult.objects.filter(bloc_year=bloc_year).count() == count

    text = page.locator("main").inner_text()
    assert "không chấm điểm" in text and "14/15" in text
    screenshot(page, "vote-only-ranking")
