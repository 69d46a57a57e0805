"""On a 390-px phone no page of the year scrolls sideways, as each person sees it.

The demo (Khối thi đua tham mưu III: 2021 being scored, 2020 decided) plus what the demo leaves
out — a complaint, a proposal waiting for the leader, a blocked draft, a draft document — and
every page of the year's journey for the person who uses it, one browser context per person.
A wide table scrolls inside its own box (``.table-wrap``), with its first column in view, or
becomes one card per row; the page itself never does. On a failure the message names the page
and its widest elements that no scrolling box holds.
"""

from __future__ import annotations

from typing import Any

import pytest

from awards.models import AwardType, Decision, Proposal, RuleSet
from awards.services import proposals as proposal_services
from blocs.models import Bloc, BlocYear, Unit, User
from demo.awards import load_awards
from demo.organisation import DEMO_PASSWORD, load_organisation
from demo.scoring import load_scoring
from reports import services as report_services
from reports.models import Document
from scoring.models import Complaint, CriteriaSet, ScoreSheet
from tests.awards.test_review import ensure_rule_sets
from tests.browser.conftest import screenshot, second_step

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# How wide the page is, and the elements past its right edge that no box scrolls or clips:
# one whose containing block chain (not its DOM ancestors: an absolutely positioned element
# escapes every static ancestor, overflow or not) holds an overflow box is not the page's
# problem. Widest first; elements in a closed <details> are not drawn and do not count.
SIDEWAYS = """(limit) => {
  const held = el => {
    let position = getComputedStyle(el).position;
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (position === 'fixed') return false;
      const style = getComputedStyle(box);
      if (position === 'absolute' && style.position === 'static') continue;
      if (style.overflowX !== 'visible') return true;
      position = style.position;
    }
    return false;
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const path = el => {
    const names = [];
    for (let at = el; at && at !== document.body && names.length < 4; at = at.parentElement) {
      names.unshift(name(at));
    }
    return names.join(' > ');
  };
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > limit + 0.5 && el.checkVisibility() && !held(el)) {
      const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 50);
      found.push(`${Math.round(box.right + window.scrollX)} px: ${path(el)} “${text}”`);
    }
  }
  found.sort((a, b) => parseInt(b) - parseInt(a));
  return {width: document.documentElement.scrollWidth, widest: found.slice(0, 5)};
}"""


def sideways(page: Any) -> str | None:
    """None when the page fits the phone; else how wide it is and what sticks out."""
    limit = PHONE["width"]
    found: dict[str, Any] = page.evaluate(SIDEWAYS, limit)
    if found["width"] <= limit:
        return None
    return f"{found['width']} px wide\n      " + "\n      ".join(found["widest"])


def load_the_year() -> None:
    """The demo, and what it leaves out that the year's pages show."""
    ensure_rule_sets()
    load_organisation()
    load_scoring()
    load_awards()
    year = BlocYear.objects.get(bloc__council__code="QNA", bloc__code="TM3", year=2020)
    units = {unit.code: unit for unit in Unit.objects.filter(council__code="QNA")}
    awards = {award.code: award for award in AwardType.objects.filter(rule_set__code="LUAT-2003")}
    secretary = User.objects.get(username="daumoi.syt")
    # A proposal waiting for the leader, and a draft its conditions block.
    waiting = proposal_services.proposal_create(
        bloc_year=year,
        unit=units["SVHTTDL"],
        award_type=awards["ADVANCED_COLLECTIVE"],
        by=secretary,
    )
    proposal_services.proposal_update_summary(
        proposal=waiting,
        summary="Hoàn thành tốt nhiệm vụ năm 2020; 100% hồ sơ thủ tục hành chính đúng hạn.",
        version=waiting.version,
        by=secretary,
    )
    proposal_services.proposals_submit(bloc_year=year, by=secretary)
    proposal_services.proposal_create(
        bloc_year=year, unit=units["BQN"], award_type=awards["EXCELLENT_COLLECTIVE"], by=secretary
    )
    # A member's complaint about another's points (the window is long closed: written as is).
    complaint = Complaint.objects.create(
        bloc_year=year,
        unit=units["BQN"],
        about_unit=units["DPTTH"],
        text="Điểm tiêu chí I.1 của Đài Phát thanh - Truyền hình Quảng Nam cao hơn kết quả "
        "thực tế được Ủy ban nhân dân tỉnh giao; đề nghị Khối xem xét lại.",
        created_by=User.objects.get(username="daumoi"),
    )
    complaint.criteria.set(year.scoring.criteria_set.criteria.filter(code="I.1"))
    report_services.document_create(bloc_year=year, kind=Document.Kind.REPORT, by=secretary)


def pages_by_person() -> dict[str | None, dict[str, str]]:
    """The year's pages for the person who uses them (None: a visitor who is not logged in)."""
    bloc = Bloc.objects.get(council__code="QNA", code="TM3")
    y2020, y2021 = f"{bloc.pk}/2020", f"{bloc.pk}/2021"
    sheets = {
        sheet.unit.code: sheet
        for sheet in ScoreSheet.objects.filter(bloc_year__bloc=bloc, bloc_year__year=2021)
        .select_related("unit")
        .order_by("pk")
    }
    leaf = sheets["BQN"].lines.select_related("criterion").order_by("criterion__code").first()
    assert leaf is not None
    line = f"/scoring/sheets/{sheets['BQN'].pk}/lines/{leaf.criterion_id}/"
    what_if = f"?unit={sheets['BQN'].unit_id}&criterion={leaf.criterion_id}&points=1#what-if"
    proposals = Proposal.objects.filter(bloc_year__bloc=bloc, bloc_year__year=2020)
    approved = proposals.filter(status=Proposal.Status.APPROVED).order_by("pk").first()
    waiting = proposals.get(status=Proposal.Status.SUBMITTED)
    assert approved is not None
    complaint = Complaint.objects.get(bloc_year__bloc=bloc, bloc_year__year=2020)
    document = Document.objects.get(bloc_year__bloc=bloc, bloc_year__year=2020)
    # The demo records two decisions of 2020: the province's and the Prime Minister's.
    decision = Decision.objects.order_by("pk").first()
    assert decision is not None
    criteria_set = CriteriaSet.objects.get(bloc_year__bloc=bloc, bloc_year__year=2021)
    council_scored = criteria_set.criteria.get(code="VII.2").pk
    rule_set = RuleSet.objects.get(code="LUAT-2003")
    unit = Unit.objects.get(council__code="QNA", code="STTTT")
    return {
        None: {
            "home": "/",
            "council": "/councils/QNA/",
            "council-2020": "/councils/QNA/?year=2020",
            "bloc": bloc.get_absolute_url(),
            "bloc-year-2020": f"/blocs/{y2020}/",
            "bloc-year-2021": f"/blocs/{y2021}/",
            "ranking-public": f"/scoring/ranking/{y2020}/",
            "unit": unit.get_absolute_url(),
            "login": "/login/",
        },
        # The focal point of an ordinary member (Báo Quảng Nam).
        "daumoi": {
            "my-work": "/my-work/",
            "notifications": "/notifications/",
            "notification-preferences": "/notifications/preferences/",
            "score-sheet-entry": sheets["BQN"].get_absolute_url(),
            "score-sheet-submit-check": f"{sheets['BQN'].get_absolute_url()}submit/",
            "line": line,
            "bloc-year": f"/blocs/{y2021}/",
            "ranking": f"/scoring/ranking/{y2020}/",
            "complaints": f"/scoring/ranking/{y2020}/complaints/",
            "complaint": f"/scoring/ranking/{y2020}/complaints/{complaint.pk}/",
            "proposals": f"/awards/{y2020}/proposals/",
        },
        # The secretariat of 2021, while the sheets are being scored.
        "thuky": {
            "my-work": "/my-work/",
            "notifications": "/notifications/",
            "bloc": bloc.get_absolute_url(),
            "bloc-year": f"/blocs/{y2021}/",
            "progress": f"/scoring/{y2021}/",
            "score-sheet-verification": sheets["SGDDT"].get_absolute_url(),
            "score-sheet-verify-check": f"{sheets['SGDDT'].get_absolute_url()}verify/",
            "line": line,
            "ranking-live": f"/scoring/ranking/{y2021}/",
            "ranking-what-if": f"/scoring/ranking/{y2021}/{what_if}",
            "finalize": f"/scoring/ranking/{y2021}/finalize/",
            "ranking-rules": f"/scoring/ranking/{y2021}/rules/",
            "criteria-sets": "/scoring/criteria-sets/",
            "criteria-set": criteria_set.get_absolute_url(),
            "documents": f"/reports/{y2021}/",
        },
        # The secretariat of 2020, from the finalized ranking to the conference pack; the year
        # is decided, so it reads what it ran (the council admin changes it: below).
        "daumoi.syt": {
            "my-work": "/my-work/",
            "progress": f"/scoring/{y2020}/",
            "snapshots": f"/scoring/ranking/{y2020}/snapshots/",
            "complaints": f"/scoring/ranking/{y2020}/complaints/",
            "complaint": f"/scoring/ranking/{y2020}/complaints/{complaint.pk}/",
            "ballot": f"/awards/{y2020}/ballot/",
            "facts": f"/awards/{y2020}/facts/",
            "proposals": f"/awards/{y2020}/proposals/",
            "proposal": approved.get_absolute_url(),
            "documents": f"/reports/{y2020}/",
            "document": document.get_absolute_url(),
            "document-preview": f"/reports/documents/{document.pk}/preview/",
        },
        "lanhdao": {
            "my-work": "/my-work/",
            "review-queue": "/awards/review/",
            "proposal-review": waiting.get_absolute_url(),
            "dashboard": "/dashboard/",
            "council-view": "/awards/councils/QNA/2020/",
            "decisions": "/awards/decisions/",
            "decision": f"/awards/decisions/{decision.pk}/",
            "ranking-live": f"/scoring/ranking/{y2021}/",
        },
        "quantri": {
            "my-work": "/my-work/",
            "dashboard": "/dashboard/",
            "rule-sets": "/awards/rule-sets/",
            "rule-set": f"/awards/rule-sets/{rule_set.pk}/",
            "criteria-sets": "/scoring/criteria-sets/",
            "criteria-set": criteria_set.get_absolute_url(),
            "council-ranking-rules": "/scoring/councils/QNA/ranking-rules/",
            "criterion-scores": f"/scoring/{y2021}/criteria/{council_scored}/scores/",
            "snapshots": f"/scoring/ranking/{y2020}/snapshots/",
            "publish": f"/scoring/ranking/{y2020}/publish/",
            "ballot-form": f"/awards/{y2020}/ballot/",
            "quotas": f"/awards/{y2020}/quotas/",
            "correct": f"/scoring/ranking/{y2020}/correct/",
            "council-view": "/awards/councils/QNA/2020/",
            "decisions": "/awards/decisions/",
            "decision": f"/awards/decisions/{decision.pk}/",
        },
    }


# Screenshots of the pages issue 13 is about, at 390 px: (person, page) → file name.
SHOTS = {
    ("quantri", "ballot-form"): "phone-ballot",
    ("thuky", "ranking-live"): "phone-ranking-live",
    ("thuky", "ranking-what-if"): "phone-ranking-what-if",
    (None, "ranking-public"): "phone-ranking-public",
}


def sign_in(page: Any, base_url: str, username: str) -> None:
    page.goto(base_url + "/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()
    second_step(page, username)
    assert page.url.endswith("/my-work/"), f"{username} could not log in"


def test_no_page_of_the_year_scrolls_sideways_on_a_phone(
    browser: Any, live_server: Any, transactional_db: None
) -> None:
    load_the_year()
    too_wide: dict[str, str] = {}
    for person, pages in pages_by_person().items():
        context = browser.new_context(locale="vi-VN", viewport=PHONE)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            if person is not None:
                sign_in(page, live_server.url, person)
            for name, path in pages.items():
                response = page.goto(live_server.url + path)
                where = f"{person or 'visitor'} · {name} · {path}"
                assert response is not None and response.ok, f"{where}: {response}"
                if (person, name) in SHOTS:
                    screenshot(page, SHOTS[person, name])
                # What a disclosure holds (a history, a past ranking) must fit once opened too.
                page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
                problem = sideways(page)
                if problem is not None:
                    too_wide[where] = problem
            if person == "quantri":
                # The ballot's grid scrolled sideways: the rank and the unit stay in view.
                page.goto(live_server.url + pages["ballot-form"])
                page.locator(".ballot-grid").evaluate("grid => grid.parentElement.scrollLeft = 240")
                screenshot(page, "phone-ballot-scrolled")
        finally:
            context.close()
    assert not too_wide, "pages that scroll sideways at 390 px:\n" + "\n".join(
        f"  {where}: {problem}" for where, problem in too_wide.items()
    )
