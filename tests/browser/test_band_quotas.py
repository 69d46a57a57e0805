"""Quotas counted across blocs in a browser: the council admin adds one on its page, and the
ranking page shows the unit moved down and the quota under the table (axe-core on both)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from blocs.models import User
from scoring.models import BandQuota
from tests.browser.conftest import AXE_BLOCKING, axe_report, axe_violations, log_in, screenshot
from tests.conftest import World
from tests.scoring.test_band_quota_pages import XS, cluster

pytestmark = pytest.mark.browser


def blocking(page: Any, where: str) -> list[dict[str, Any]]:
    found = axe_violations(page)
    print(axe_report(where, found, page.axe_incomplete))
    return [rule for rule in found if rule["impact"] in AXE_BLOCKING]


def test_a_quota_added_on_its_page_moves_a_unit_down_on_the_ranking(
    axe_page: Any, world: World, council_admin: User
) -> None:
    page = axe_page
    first, _second = cluster(world)
    log_in(page, "quantri", "mat-khau-thu-nghiem")
    page.goto(f"{page.base_url}/scoring/councils/{world.council.code}/band-quotas/?year=2019")
    page.get_by_label("Tên hạn mức").fill("Cụm thi đua số 1")
    page.get_by_label("Mức xếp loại").fill(XS)
    page.get_by_label("Tối đa % số đơn vị").fill("40")
    page.get_by_label(world.bloc.name).check()
    page.get_by_label("Khối B").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Thêm hạn mức").click()
    assert BandQuota.objects.get().share_percent == 40
    expect(page.get_by_role("row", name="Cụm thi đua số 1")).to_be_visible()
    screenshot(page, "band-quotas")
    assert blocking(page, "band quotas") == []

    page.goto(f"{page.base_url}/scoring/ranking/{first.bloc_id}/2019/")
    note = page.locator(".band-note", has_text="hạn mức chung “Cụm thi đua số 1”")
    expect(note).to_have_count(1)
    expect(note).to_be_visible()
    rule = page.locator(".quota-rule").inner_text()
    assert "(2 trên 7 đơn vị, làm tròn xuống)" in rule
    assert f"{world.bloc.name} (khối này)" in rule
    assert "Khối B (kết quả tạm tính hiện tại)" in rule
    screenshot(page, "ranking-band-quota")
    assert blocking(page, "ranking with a quota") == []
