"""Browser fixtures: Debian's Chromium driven by Playwright, never a downloaded browser.

On a machine without Chromium the browser tests skip and say why; under CI (CI=true) a missing
browser is a failure, so CI really runs them. Screenshots go to var/test-artifacts/screenshots.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.accounts.codes import key_from_page, next_code, totp

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "screenshots"


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} — CI must run the browser tests.")
    pytest.skip(reason)


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page: Any, username: str, password: str) -> None:
    page.goto(page.base_url + "/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập", exact=True).click()
    second_step(page, username)


ENROL_PATH = "/account/two-factor/setup/"
CODE_PATH = "/account/two-factor/"


def second_step(page: Any, username: str) -> None:
    """After the password, the second step as the person takes it, when the page asks for
    one: a council admin's or a leader's first sign-in (every browser test starts from an
    empty database) enrols the authenticator with the key the page shows, and goes past the
    recovery codes; a later sign-in types the code. The codes are computed as the phone's app
    computes them (tests/accounts/codes.py). Nothing happens on any other page."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    path = urlsplit(page.url).path
    if path == ENROL_PATH:
        key = key_from_page(page.locator("#totp-key").inner_text())
        page.get_by_label("Mã 6 số trong ứng dụng").fill(totp(key))
        with page.expect_navigation():
            page.get_by_role("button", name="Bật xác thực hai bước").click()
        with page.expect_navigation():
            page.get_by_role("link", name="Đã lưu mã, tiếp tục").click()
    elif path == CODE_PATH:
        device = TOTPDevice.objects.get(user__username=username)
        page.get_by_label("Mã xác thực").fill(next_code(device))
        with page.expect_navigation():
            page.get_by_role("button", name="Xác nhận").click()


# Accessibility: axe-core from the npm registry (package.json, installed by `npm ci`).

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
# Findings of these impacts fail a test; "minor" and "moderate" ones are printed for review.
AXE_BLOCKING = ("serious", "critical")
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations", "incomplete"]});
  const rules = list => list.map(rule => ({
    id: rule.id, impact: rule.impact, help: rule.help, url: rule.helpUrl,
    nodes: rule.nodes.map(node => ({
      target: node.target.join(" "), html: node.html, summary: node.failureSummary,
    })),
  }));
  return {
    violations: rules(result.violations),
    incomplete: rules(result.incomplete),
    passed: result.passes.length,
  };
}"""


@pytest.fixture(scope="session")
def axe_script(browser: Any) -> Path:
    if not AXE_SCRIPT.exists():
        _missing(f"axe-core is not installed at {AXE_SCRIPT} (run `npm ci` at the project root)")
    return AXE_SCRIPT


@pytest.fixture
def axe_page(
    browser: Any, axe_script: Path, live_server: Any, transactional_db: None
) -> Iterator[Any]:
    """A page for ``axe_violations``. Its context bypasses the Content-Security-Policy: the
    app allows only its own script files ("script-src 'self'"), and Playwright injects axe-core
    as an inline script, which the policy would block. Only the test's injection is exempted;
    the pages run as they do for everyone else."""
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 1366, "height": 768}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    page.axe_script = axe_script
    yield page
    context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run every axe-core rule on the page as it is now; the violations as plain data, with
    what axe could not decide alone (``incomplete``, to review by eye) kept on the page for
    ``axe_report``."""
    page.add_script_tag(path=str(page.axe_script))
    result: dict[str, Any] = page.evaluate(AXE_RUN)
    # A run that passed no rule did not look at a page (axe missing, empty document).
    assert result["passed"] > 0, f"axe-core checked nothing on {page.url}"
    violations: list[dict[str, Any]] = result["violations"]
    page.axe_incomplete = result["incomplete"]
    return violations


def axe_report(
    where: str, violations: list[dict[str, Any]], incomplete: Sequence[dict[str, Any]] = ()
) -> str:
    """The findings of one page, one line per rule and one per element, for the test output;
    then the rules axe could not decide alone (contrast over an image, …), one line each."""
    lines = [f"{where}: {len(violations)} rule(s) violated"]
    for rule in violations:
        lines.append(f"  [{rule['impact']}] {rule['id']}: {rule['help']} ({rule['url']})")
        for node in rule["nodes"]:
            lines.append(f"      {node['target']}  {node['html'][:160]}")
    for rule in incomplete:
        targets = ", ".join(node["target"] for node in rule["nodes"][:5])
        lines.append(f"  (to review) {rule['id']}: {rule['help']} – {targets}")
    return "\n".join(lines)
