"""Opening next year in a browser: the admin takes a member out, adds a unit, reads the warning
about the year's open proposals, and opens the year. Screenshots: rollover-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from awards.models import Proposal
from blocs.models import BlocYear, Membership
from demo.organisation import DEMO_PASSWORD, load_organisation
from tests.browser.conftest import AXE_BLOCKING, axe_report, axe_violations, log_in, screenshot
from tests.browser.test_phone import PHONE, sideways
from tests.factories import AwardTypeFactory, ProposalFactory

pytestmark = pytest.mark.browser


def test_the_admin_edits_the_members_and_opens_next_year(axe_page: Any) -> None:
    page = axe_page
    load_organisation()
    source = BlocYear.objects.get(bloc__code="VHXH", year=2026)
    members = list(source.memberships.select_related("unit").order_by("unit__name"))
    taken_out = next(m.unit for m in members if m.role == Membership.Role.MEMBER)
    for code, status in (("PROV_FLAG", Proposal.Status.SUBMITTED), ("PROV_CERT", "draft")):
        ProposalFactory.create(
            bloc_year=source,
            unit=members[0].unit,
            award_type=AwardTypeFactory.create(code=code),
            status=status,
        )
    log_in(page, "quantri", DEMO_PASSWORD)
    page.goto(page.base_url + reverse("rollover", args=[source.bloc_id, 2026]))
    assert "còn 2 đề nghị khen thưởng" in page.locator("#open-proposals").inner_text()

    page.locator(f"#id_remove_{taken_out.pk}").check()
    add = page.get_by_label("Thêm đơn vị vào khối năm 2027")
    added_label = add.locator("option").nth(1).inner_text()
    add.select_option(index=1)
    with page.expect_navigation():
        page.get_by_role("button", name="Thêm và cập nhật bản xem trước").click()
    page.locator(f"#id_reason_{taken_out.pk}").fill("Chuyển sang khối kinh tế")
    expect(page.get_by_role("cell", name=added_label, exact=True)).to_be_visible()
    screenshot(page, "rollover-preview")
    found = [rule for rule in axe_violations(page) if rule["impact"] in AXE_BLOCKING]
    assert not found, axe_report("rollover preview", found)
    page.set_viewport_size(PHONE)
    screenshot(page, "rollover-preview-phone")
    assert sideways(page) is None, sideways(page)
    page.set_viewport_size({"width": 1366, "height": 768})

    page.get_by_role("button", name="Mở năm 2027").click()
    page.wait_for_url("**/2027/")
    screenshot(page, "rollover-opened")
    created = BlocYear.objects.get(bloc_id=source.bloc_id, year=2027)
    units = set(created.memberships.values_list("unit__name", flat=True))
    assert added_label in units and taken_out.name not in units
    assert len(units) == len(members)
