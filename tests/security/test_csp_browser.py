"""The Content-Security-Policy in a real browser: the main pages of every role load in Chromium
without a single policy violation, JavaScript error or console error.

Listens for ``securitypolicyviolation`` events from before each page's first script runs, so a
blocked inline script, style attribute, font or image is caught wherever it comes from
(templates, charts, JavaScript, Django's admin).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from blocs.models import User
from tests.awards.test_review import ensure_rule_sets
from tests.browser.conftest import log_in, screenshot
from tests.test_permissions import TABLE

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-thu-nghiem"
RECORDER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || location.pathname}:${event.lineNumber}`
  );
});
"""
# The pages a person of each role opens most, by URL name of the permission table.
MAIN_PAGES = {
    "secretariat": [
        "blocs:home",
        "blocs:council",
        "blocs:bloc",
        "bloc-year",
        "unit",
        "my-work",
        "scoring:sheet",
        "scoring:line",
        "scoring:sheet-print",
        "scoring:progress",
        "scoring:ranking",
        "scoring:ranking-rules",
        "scoring:complaints",
        "scoring:criteria-set",
        "awards:facts",
        "awards:ballot",
        "awards:ballot-paper",
        "awards:ballot-tally",
        "awards:proposals",
        "reports:documents",
        "reports:preview",
    ],
    "leader": ["awards:review-queue", "awards:council-view", "awards:decisions"],
    "council_admin": ["scoring:correct", "scoring:import", "scoring:criteria-set-edit"],
}
ADMIN_PAGES = ["/admin/", "/admin/blocs/unit/", "/admin/blocs/unit/add/", "/admin/awards/proposal/"]


@pytest.fixture
def browser_world(transactional_db: None, request: pytest.FixtureRequest) -> Any:
    """The awards world, in a database the live server can see (the seeded rule sets are
    flushed between transactional tests, so they are seeded again first)."""
    ensure_rule_sets()
    return request.getfixturevalue("awards_world")


@pytest.fixture
def watched(page: Any) -> Iterator[tuple[Any, list[str]]]:
    problems: list[str] = []
    page.add_init_script(RECORDER)

    def console(message: Any) -> None:
        # A failed load is reported with its address by the "response" listener below; the
        # console's copy has no address (and Chromium's own /favicon.ico request, which the
        # app does not serve, shows only there).
        if message.type in ("error", "warning") and "Failed to load resource" not in message.text:
            problems.append(f"console {message.type}: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "response",
        lambda response: (
            problems.append(f"HTTP {response.status}: {response.url}")
            if response.status >= 400
            else None
        ),
    )
    yield page, problems


def _visit(page: Any, problems: list[str], path: str) -> None:
    response = page.goto(page.base_url + path)
    assert response is not None and response.status == 200, (path, response and response.status)
    page.wait_for_load_state("load")
    assert "default-src 'self'" in (response.header_value("content-security-policy") or "")
    problems.extend(f"{path}: {violation}" for violation in page.evaluate("window.__violations"))


def _urls(world: Any, names: list[str]) -> list[str]:
    urls = []
    for name in names:
        build, _method, _expected = TABLE[name]
        urls.append(build(world))
    return urls


@pytest.mark.parametrize("persona", sorted(MAIN_PAGES))
def test_the_main_pages_load_without_a_policy_violation(
    browser_world: Any,
    watched: tuple[Any, list[str]],
    personas: dict[str, User | None],
    persona: str,
) -> None:
    page, problems = watched
    user = personas[persona]
    assert user is not None
    log_in(page, user.username, PASSWORD)
    page.wait_for_url("**/my-work/")
    paths = _urls(browser_world, MAIN_PAGES[persona])
    for path in paths:
        _visit(page, problems, path)
    assert problems == [], "\n".join(problems)


def test_the_score_grid_script_runs_under_the_policy(
    browser_world: Any, watched: tuple[Any, list[str]], focal_point: User
) -> None:
    page, problems = watched
    log_in(page, "daumoi", PASSWORD)
    page.wait_for_url("**/my-work/")
    _visit(page, problems, reverse("scoring:sheet", args=[browser_world.draft_sheet.pk]))
    cell = page.locator("input.cell").first
    cell.fill("5,5")
    cell.press("Tab")
    assert problems == [], "\n".join(problems)
    screenshot(page, "helper-security-sheet-under-csp")


def test_the_print_button_appears_under_the_policy(
    browser_world: Any, watched: tuple[Any, list[str]], secretariat: User
) -> None:
    page, problems = watched
    log_in(page, "thuky", PASSWORD)
    page.wait_for_url("**/my-work/")
    _visit(page, problems, reverse("awards:ballot-paper", args=[browser_world.bloc.pk, 2019]))
    assert page.locator("[data-print]").first.is_visible()  # shown by print.js
    assert problems == [], "\n".join(problems)
    screenshot(page, "helper-security-ballot-paper-under-csp")


def test_the_admin_works_under_the_policy(
    browser_world: Any, watched: tuple[Any, list[str]], council_admin: User
) -> None:
    page, problems = watched
    log_in(page, "quantri", PASSWORD)
    page.wait_for_url("**/my-work/")
    for path in ADMIN_PAGES:
        _visit(page, problems, path)
    # The admin's own scripts still work: the action bar's "select all" checks every row.
    _visit(page, problems, "/admin/blocs/unit/")
    page.locator("#action-toggle").check()
    assert page.locator("input.action-select:checked").count() >= 1
    assert problems == [], "\n".join(problems)
    screenshot(page, "helper-security-admin-under-csp")


def test_the_locked_out_and_error_pages_load_without_a_violation(
    browser_world: Any, watched: tuple[Any, list[str]]
) -> None:
    page, problems = watched
    for _ in range(5):
        log_in(page, "thuky", "sai-mat-khau")
    assert "Tạm khóa đăng nhập" in page.content()
    problems.extend(page.evaluate("window.__violations"))
    response = page.goto(page.base_url + "/khong-co-trang-nay/")
    assert response is not None and response.status == 404
    problems.extend(page.evaluate("window.__violations"))
    screenshot(page, "helper-security-locked-out")
    # A locked-out page answers 429, which Chromium reports on the console as a failed load.
    problems = [problem for problem in problems if "429" not in problem and "404" not in problem]
    assert problems == [], "\n".join(problems)


def test_the_recorder_catches_what_the_policy_blocks(
    browser_world: Any, watched: tuple[Any, list[str]]
) -> None:
    """The harness itself: a page with an inline script and a style attribute is caught."""
    page, _problems = watched
    page.route(
        "**/harness-check/",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            headers={"Content-Security-Policy": "default-src 'self'; style-src 'self'"},
            body='<p style="color:red">x</p><script>document.title="ran"</script>',
        ),
    )
    page.goto(page.base_url + "/harness-check/")
    violations = page.evaluate("window.__violations")
    assert any("style-src" in violation for violation in violations), violations
    assert any("script-src" in violation for violation in violations), violations
    assert page.title() != "ran"
