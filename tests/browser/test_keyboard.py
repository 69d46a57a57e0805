"""Every visible link, button, field and disclosure of the score sheet (entry, verification,
explanations and their check pages, a criterion's column), the ranking, the ballot, the
proposals and the leader's review is reached with Tab, and with Shift+Tab back
(tests/browser/keyboard.py),
on an office desktop and on a phone; none takes the focus hidden, or under something else (a
column kept in view while its table scrolls).

The data is the phone test's: the demo plus a proposal waiting for the leader (the review form)
and a draft the secretariat can still withdraw.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from awards.models import Proposal
from blocs.models import Bloc
from scoring.models import ScoreSheet
from tests.browser.keyboard import tab_through
from tests.browser.test_phone import PHONE, load_the_year, sign_in

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": PHONE}


def pages_by_person() -> dict[str | None, dict[str, str]]:
    bloc = Bloc.objects.get(council__code="QNA", code="TM3")
    y2020, y2021 = f"{bloc.pk}/2020", f"{bloc.pk}/2021"
    sheets = {
        each.unit.code: each.get_absolute_url()
        for each in ScoreSheet.objects.filter(
            bloc_year__bloc=bloc, bloc_year__year=2021
        ).select_related("unit")
    }
    sheet = ScoreSheet.objects.get(bloc_year__bloc=bloc, bloc_year__year=2021, unit__code="BQN")
    council_scored = sheet.lines.get(criterion__code="VII.2").criterion_id
    leaf = sheet.lines.order_by("criterion__code").values_list("criterion_id", flat=True).first()
    proposals = Proposal.objects.filter(bloc_year__bloc=bloc, bloc_year__year=2020)
    waiting = proposals.get(status=Proposal.Status.SUBMITTED)
    draft = proposals.get(status=Proposal.Status.DRAFT)
    return {
        None: {"ranking-public": f"/scoring/ranking/{y2020}/"},
        "thuky": {
            "sheet-verification": sheets["SGDDT"],
            "sheet-verify-check": f"{sheets['SGDDT']}verify/",
            "ranking-live": f"/scoring/ranking/{y2021}/",
            "ranking-what-if": (
                f"/scoring/ranking/{y2021}/?unit={sheet.unit_id}&criterion={leaf}&points=1"
            ),
        },
        "daumoi.syt": {
            "sheet-explanations": sheets["SYT"],
            "ranking": f"/scoring/ranking/{y2020}/",
            "ballot": f"/awards/{y2020}/ballot/",
            "proposals": f"/awards/{y2020}/proposals/",
            "proposal-draft": draft.get_absolute_url(),
        },
        "daumoi": {
            "sheet-entry": sheets["BQN"],
            "sheet-submit-check": f"{sheets['BQN']}submit/",
            "proposals": f"/awards/{y2020}/proposals/",
        },
        # The 2020 year is decided: its ballot is changed by a council admin from then on.
        "quantri": {
            "criterion-scores": f"/scoring/{y2021}/criteria/{council_scored}/scores/",
            "ballot-form": f"/awards/{y2020}/ballot/",
        },
        "lanhdao": {
            "review-queue": "/awards/review/",
            "proposal-review": waiting.get_absolute_url(),
            "ranking-live": f"/scoring/ranking/{y2021}/",
        },
    }


def test_the_ranking_ballot_proposals_and_review_pages_work_with_tab_alone(
    browser: Any, live_server: Any, transactional_db: None
) -> None:
    load_the_year()
    failures: list[str] = []
    checked = 0
    for person, pages in pages_by_person().items():
        context = browser.new_context(locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            if person is not None:
                sign_in(page, live_server.url, person)
            for name, path in pages.items():
                for screen, viewport in VIEWPORTS.items():
                    page.set_viewport_size(viewport)
                    page.goto(live_server.url + path)
                    result = tab_through(page)
                    assert result.elements, f"{path}: nothing to focus"
                    checked += len(result.elements)
                    if not result.ok:
                        where = f"{person or 'visitor'} · {name} · {screen} · {path}"
                        failures.append(result.report(where))
            if person == "quantri":
                # The ballot refused, with its error summary linking to the fields.
                page.goto(live_server.url + pages["ballot-form"])
                page.get_by_label("Số thành viên có mặt").fill("99")
                with page.expect_navigation():
                    page.get_by_role("button", name="Lưu kết quả bỏ phiếu").click()
                expect(page.locator(".error-summary")).to_be_visible()
                result = tab_through(page)
                if not result.ok:
                    failures.append(result.report("quantri · ballot-with-errors · phone"))
        finally:
            context.close()
    assert checked > 100
    assert not failures, "\n\n".join(failures)
