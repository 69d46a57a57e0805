"""Content-Security-Policy: on every page of the permission table, and no page needs to break it.

Every GET page of ``tests/test_permissions.TABLE`` is opened by a persona allowed to see it;
the response must carry the policy (or, for an uploaded file, its own sandbox policy) and an
HTML page must hold no inline script, style block, style attribute or event handler.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from blocs.models import User
from common.csp import DEFAULT_POLICY
from tests.conftest import client_for
from tests.security.pages import AWARDS_PREFIXES, inline_problems, pages_for
from tests.test_permissions import TABLE

REQUIRED_DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]


def _check_pages(world: Any, personas: dict[str, User | None], *, awards: bool) -> int:
    failures: list[str] = []
    html_pages = 0
    for name, persona in pages_for(AWARDS_PREFIXES, awards=awards):
        build, _method, _expected = TABLE[name]
        response = client_for(personas[persona]).get(build(world))
        policy = response.get("Content-Security-Policy", "")
        if not policy:
            failures.append(f"{name}: no Content-Security-Policy header")
        elif policy != DEFAULT_POLICY and not policy.startswith("sandbox"):
            failures.append(f"{name}: unexpected policy {policy!r}")
        if response.get("X-Content-Type-Options") != "nosniff":
            failures.append(f"{name}: no X-Content-Type-Options: nosniff")
        if response.get("Content-Type", "").startswith("text/html"):
            html_pages += 1
            body = b"".join(response) if response.streaming else response.content
            failures += [f"{name}: {problem}" for problem in inline_problems(body.decode())]
    assert failures == [], "\n".join(failures)
    return html_pages


def test_the_policy_forbids_inline_code_and_framing() -> None:
    for directive in REQUIRED_DIRECTIVES:
        assert directive in DEFAULT_POLICY
    assert "unsafe-inline" not in DEFAULT_POLICY
    assert "unsafe-eval" not in DEFAULT_POLICY


def test_every_page_of_scoring_and_blocs_carries_the_policy_and_no_inline_code(
    ranking_world: Any, personas: dict[str, User | None]
) -> None:
    assert _check_pages(ranking_world, personas, awards=False) >= 30


def test_every_page_of_awards_and_reports_carries_the_policy_and_no_inline_code(
    awards_world: Any, personas: dict[str, User | None]
) -> None:
    assert _check_pages(awards_world, personas, awards=True) >= 15


def test_error_and_login_pages_have_no_inline_code(
    world: Any, focal_point: User, secretariat: User
) -> None:
    client = Client()
    for response in [
        client.get(reverse("login")),
        client.get("/khong-co-trang-nay/"),
        client_for(focal_point).get(reverse("scoring:import")),
    ]:
        assert response["Content-Security-Policy"] == DEFAULT_POLICY
        assert inline_problems(response.content.decode()) == []
    for _ in range(5):
        locked = client.post(reverse("login"), {"username": "thuky", "password": "sai-mat-khau"})
    assert locked.status_code == 429
    assert inline_problems(locked.content.decode()) == []


def test_uploaded_files_keep_their_sandbox_policy(ranking_world: Any, focal_point: User) -> None:
    response = client_for(focal_point).get(
        reverse("scoring:evidence", args=[ranking_world.evidence.pk])
    )
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_permissions_policy_turns_off_what_the_app_never_uses(db: None) -> None:
    response = Client().get(reverse("healthz"))
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/blocs/unit/",
        "/admin/blocs/unit/add/",
        "/admin/blocs/blocyear/",
        "/admin/scoring/criteriaset/",
        "/admin/awards/proposal/",
        "/admin/reports/document/",
        "/admin/password_change/",
    ],
)
def test_the_admin_pages_need_no_inline_code(
    awards_world: Any, council_admin: User, path: str
) -> None:
    response = client_for(council_admin).get(path)
    assert response.status_code == 200, path
    assert response["Content-Security-Policy"] == DEFAULT_POLICY
    assert inline_problems(response.content.decode()) == []


def test_the_admin_change_form_of_a_unit_needs_no_inline_code(
    world: Any, council_admin: User
) -> None:
    response = client_for(council_admin).get(
        reverse("admin:blocs_unit_change", args=[world.member.pk])
    )
    assert response.status_code == 200
    assert inline_problems(response.content.decode()) == []


def test_the_checker_finds_what_the_policy_would_block() -> None:
    html = """<html><head><style>p{}</style><script>alert(1)</script>
    <script src="/static/js/sheet.js"></script><script type="application/json">{}</script></head>
    <body><p style="color:red" onclick="x()"><a href="javascript:void(0)">a</a></p></body></html>"""
    problems = inline_problems(html)
    assert len(problems) == 5, problems
