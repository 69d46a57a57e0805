"""No GET writes to the database (issue 14): a crawler follows every link as each persona.

Starting from the home page and "Việc của tôi" (``/my-work/``), each persona's test client
follows, breadth first, every ``<a href>`` to this site and every redirect, on the awards world
(the richest of tests/conftest.py, with a notification of the focal point and documents in
each state added). The GET rows of the permission table (tests/test_permissions.py) are
visited too, after those two: some pages are reached only through a button of a form (the
score sheet is one form, and its lines' pages and check page open from its buttons), so no
link leads to them. Each GET runs inside ``CaptureQueriesContext`` (a download's streamed body
included) and fails the test when it runs any ``INSERT``, ``UPDATE`` or ``DELETE`` other than
those a request may make by design: the session (``django_session``), the login throttling
records (``axes_*``) and a person's ``last_login``. The failure names the persona, the URL and
the SQL. A GET answered with a server error fails it too.

Left out: the logout link (a POST form anyway), ``/static/`` files, links to other sites,
and the Django admin (``/admin/``), which has its own permission model and is tried in
tests/blocs/test_admin.py. Downloads by POST are forms, not links, so the crawl never meets them.

Bounds that keep it fast: at most ``MAX_PAGES`` GETs per persona; a URL is visited once per
path and query, and query strings that differ only in a page number (``page``) or in where to
go after logging in (``next``) count as one.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse

from blocs.models import AuditEntry
from tests.conftest import PERSONAS, AwardsWorld, client_for
from tests.notifications.worlds import focal_point_notification
from tests.reports.worlds import draft, issued_quickly
from tests.test_permissions import TABLE

pytestmark = pytest.mark.django_db

MAX_PAGES = 400
START = ["blocs:home", "my-work"]
SKIPPED_PREFIXES = ("/admin/", "/static/", "/logout/")
COLLAPSED_PARAMETERS = {"page", "next"}  # query parameters that do not make another page
ALLOWED_TABLES = ("django_session", "axes_")

WRITE = re.compile(
    r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+\"?(\w+)\"?",
    re.IGNORECASE,
)
WRITE_IN_CTE = re.compile(r"^\s*WITH\b.*\b(?:INSERT|UPDATE|DELETE)\b", re.IGNORECASE | re.DOTALL)
LAST_LOGIN_ONLY = re.compile(  # the value as captured: %s, or quoted with a PostgreSQL cast
    r"^\s*UPDATE\s+\"blocs_user\"\s+SET\s+\"last_login\"\s*=\s*(?:'[^']*'(?:::\w+)?|\S+)\s+WHERE\b",
    re.IGNORECASE,
)


def forbidden_write(sql: str) -> bool:
    """Whether ``sql`` writes a row that a GET must leave alone."""
    match = WRITE.match(sql)
    if match is None:
        return bool(WRITE_IN_CTE.match(sql))
    table = match.group(1).lower()
    return not (table.startswith(ALLOWED_TABLES) or LAST_LOGIN_ONLY.match(sql))


class LinkFinder(HTMLParser):
    """The ``href`` of every ``<a>`` of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links(html: str) -> list[str]:
    finder = LinkFinder()
    finder.feed(html)
    finder.close()
    return finder.hrefs


def same_site(base: str, href: str) -> str | None:
    """``href`` read from the page at ``base`` as a path with its query, when it is a page of
    this site the crawl should open; else None."""
    parts = urlsplit(urljoin(base, href.strip()))
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    if not parts.path.startswith("/") or parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def page_key(url: str) -> str:
    """One key for URLs that differ only in a page number or a ``next``."""
    parts = urlsplit(url)
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name not in COLLAPSED_PARAMETERS
    )
    return parts.path + "?" + urlencode(query)


@dataclass
class Crawl:
    pages: int = 0
    queries: int = 0
    writes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unvisited: int = 0  # links left when the bound was reached


def fetch(client: Client, url: str) -> tuple[Any, list[str]]:
    """GET ``url``, its streamed body read inside the capture; the SQL it ran. (The test client
    closes the response: closing it again would close the database connection too.)"""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response, [query["sql"] for query in captured.captured_queries]


def crawl(client: Client, start: list[str], persona: str) -> Crawl:
    result = Crawl()
    queue: deque[str] = deque()
    seen: set[str] = set()
    for url in start:
        if page_key(url) not in seen:
            seen.add(page_key(url))
            queue.append(url)
    while queue and result.pages < MAX_PAGES:
        url = queue.popleft()
        response, statements = fetch(client, url)
        result.pages += 1
        result.queries += len(statements)
        result.writes.extend(
            f"{persona} GET {url} → {sql}" for sql in statements if forbidden_write(sql)
        )
        if response.status_code >= 500:
            result.errors.append(f"{persona} GET {url} → {response.status_code}")
        found: list[str] = []
        if 300 <= response.status_code < 400:
            found.append(response["Location"])
        elif response.get("Content-Type", "").startswith("text/html") and not getattr(
            response, "streaming", False
        ):
            found.extend(links(response.content.decode()))
        for href in found:
            target = same_site(url, href)
            if target is not None and page_key(target) not in seen:
                seen.add(page_key(target))
                queue.append(target)
    result.unvisited = len(queue)
    return result


@pytest.fixture
def crawled_world(awards_world: AwardsWorld) -> AwardsWorld:
    """The awards world, plus a notification of the focal point and a document of the 2019
    year in each state (draft, issued), so their pages and links are reached too."""
    focal_point_notification(awards_world)
    draft(awards_world.provisional_year, "submission")
    issued_quickly(awards_world.provisional_year, "minutes")
    return awards_world


def table_pages(world: AwardsWorld) -> list[str]:
    """The GET URLs of the permission table, built from the world."""
    urls = []
    for _name, (build, method, _expected) in sorted(TABLE.items()):
        if method == "get":
            urls.append(build(world))
    return urls


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_reached_by_links_writes_to_the_database(
    persona: str, personas: dict[str, Any], crawled_world: AwardsWorld
) -> None:
    client = client_for(personas[persona])
    client.raise_request_exception = False
    start = [reverse(name) for name in START] + table_pages(crawled_world)
    result = crawl(client, start, persona)
    print(  # the numbers the issue asked for, shown with pytest -s or on failure
        f"{persona}: {result.pages} pages, {result.queries} queries checked, "
        f"{result.unvisited} links left past the bound"
    )
    assert result.pages > len(start), f"{persona}: the crawl found no links"
    assert not result.writes, "GET requests that write:\n" + "\n".join(result.writes)
    assert not result.errors, "GET requests that fail:\n" + "\n".join(result.errors)


# ---------------------------------------------------------------------------- the crawl itself


def writes_on_get(request: HttpRequest) -> HttpResponse:
    """A page that breaks the rule (and keeps something in the session, which is allowed)."""
    request.session["seen"] = True
    AuditEntry.objects.create(context="test", action="test.get", summary="GET")
    return HttpResponse(
        '<a href="/test-only/writes/?page=2">2</a> <a href="/logout/">x</a> '
        '<a href="https://example.org/">y</a> <a href="/admin/">z</a>'
    )


urlpatterns = [path("test-only/writes/", writes_on_get), path("", include("thidua.urls"))]


@pytest.mark.urls(__name__)
def test_the_crawl_names_a_get_that_writes_and_lets_the_session_be(db: None) -> None:
    result = crawl(Client(), ["/test-only/writes/"], "anonymous")
    assert result.pages == 1  # the second page number, logout, another site and admin: skipped
    assert len(result.writes) == 1
    assert result.writes[0].startswith("anonymous GET /test-only/writes/ → INSERT INTO")
    assert "blocs_auditentry" in result.writes[0]


@pytest.mark.parametrize(
    ("sql", "forbidden"),
    [
        ('UPDATE "blocs_user" SET "last_login" = %s WHERE "blocs_user"."id" = %s', False),
        (
            'UPDATE "blocs_user" SET "last_login" = \'2025-01-02 03:04:05.6\' WHERE "id" = 1',
            False,
        ),
        (
            'UPDATE "blocs_user" SET "last_login" = \'2025-01-02T03:04:05+00:00\'::timestamptz '
            'WHERE "blocs_user"."id" = 1',
            False,
        ),
        ('UPDATE "blocs_user" SET "last_login" = %s, "is_active" = %s WHERE "id" = %s', True),
        ('INSERT INTO "django_session" ("session_key") VALUES (%s)', False),
        ('DELETE FROM "axes_accessattempt" WHERE "id" = %s', False),
        ('INSERT OR IGNORE INTO "scoring_scoreline" ("sheet_id") VALUES (1)', True),
        ('WITH x AS (SELECT 1) UPDATE "scoring_scoresheet" SET "version" = 2', True),
        ('SELECT "id" FROM "scoring_scoresheet" WHERE "state" = \'UPDATE\' FOR UPDATE', False),
        ("SAVEPOINT s1", False),
    ],
)
def test_the_check_tells_a_write_from_what_a_get_may_do(sql: str, forbidden: bool) -> None:
    assert forbidden_write(sql) is forbidden
