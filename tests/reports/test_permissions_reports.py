"""Every documents URL × every persona (the matrix tests/test_permissions.py holds for the
other apps), on this world:

* 2019 of the bloc is published for good (``publish``): its REPORT and MINUTES are issued,
  its SUBMISSION is a draft;
* 2020 (the ``world``'s year, not published) has an issued REPORT.

The secretariat is the head's focal point (head in both years), the focal point is an ordinary
member's, the outsider's unit is in another bloc, the leader and the council admin belong to
the council. Anonymous visitors who are refused are sent to log in (302).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from blocs.models import BlocYear, User
from reports.models import Document
from tests.conftest import PERSONAS, World, client_for, verified_year
from tests.reports.worlds import draft, issued_quickly, publish

ALL = dict.fromkeys(PERSONAS, 200)


def S(
    anonymous: int,
    council_admin: int,
    secretariat: int,
    focal_point: int,
    outsider: int,
    leader: int,
) -> dict[str, int]:
    """Expected statuses in the order of PERSONAS."""
    return dict(
        zip(
            PERSONAS,
            [anonymous, council_admin, secretariat, focal_point, outsider, leader],
            strict=True,
        )
    )


@dataclass
class DocumentsWorld:
    world: World
    published: BlocYear  # 2019
    report: Document  # 2019, issued
    minutes: Document  # 2019, issued
    submission: Document  # 2019, draft
    unpublished_report: Document  # 2020, issued

    def __getattr__(self, name: str) -> Any:
        return getattr(self.world, name)


@pytest.fixture
def documents_world(world: World) -> DocumentsWorld:
    published = verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])
    publish(published)
    return DocumentsWorld(
        world=world,
        published=published,
        report=issued_quickly(published, Document.Kind.REPORT),
        minutes=issued_quickly(published, Document.Kind.MINUTES),
        submission=draft(published, Document.Kind.SUBMISSION),
        unpublished_report=issued_quickly(world.bloc_year, Document.Kind.REPORT),
    )


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


# case → (URL from the world, method, POST data, {persona: status}).
Case = tuple[Callable[[DocumentsWorld], str], str, dict[str, str], dict[str, int]]
CASES: dict[str, Case] = {
    # The year's list: anybody for a published year; members, leaders and managers otherwise.
    "documents, published year": (
        lambda w: _url("reports:documents", w.bloc.pk, 2019),
        "get",
        {},
        ALL,
    ),
    "documents, unpublished year": (
        lambda w: _url("reports:documents", w.bloc.pk, 2020),
        "get",
        {},
        S(302, 200, 200, 200, 403, 200),
    ),
    "documents, create a draft": (
        lambda w: _url("reports:documents", w.bloc.pk, 2019),
        "post",
        {"kind": "covenant"},
        S(302, 302, 302, 403, 403, 403),
    ),
    # A draft does not exist for people who may not work on it.
    "document, draft": (
        lambda w: _url("reports:document", w.submission.pk),
        "get",
        {},
        S(302, 200, 200, 404, 404, 404),
    ),
    "document, draft, save": (
        lambda w: _url("reports:document", w.submission.pk),
        "post",
        {},
        S(302, 200, 200, 404, 404, 404),
    ),
    "document, issued minutes": (
        lambda w: _url("reports:document", w.minutes.pk),
        "get",
        {},
        S(302, 200, 200, 200, 403, 200),
    ),
    "document, issued minutes, save": (
        lambda w: _url("reports:document", w.minutes.pk),
        "post",
        {},
        S(302, 302, 302, 403, 403, 403),
    ),
    "preview, draft": (
        lambda w: _url("reports:preview", w.submission.pk),
        "get",
        {},
        S(302, 200, 200, 404, 404, 404),
    ),
    "preview, issued report of a published year": (
        lambda w: _url("reports:preview", w.report.pk),
        "get",
        {},
        ALL,
    ),
    "preview, issued minutes": (
        lambda w: _url("reports:preview", w.minutes.pk),
        "get",
        {},
        S(302, 200, 200, 200, 403, 200),
    ),
    "preview, issued report of an unpublished year": (
        lambda w: _url("reports:preview", w.unpublished_report.pk),
        "get",
        {},
        S(302, 200, 200, 200, 403, 200),
    ),
    "download, draft": (
        lambda w: _url("reports:download", w.submission.pk, "docx"),
        "get",
        {},
        S(302, 200, 200, 404, 404, 404),
    ),
    "download, issued report of a published year": (
        lambda w: _url("reports:download", w.report.pk, "pdf"),
        "get",
        {},
        ALL,
    ),
    "download, issued minutes": (
        lambda w: _url("reports:download", w.minutes.pk, "pdf"),
        "get",
        {},
        S(302, 200, 200, 200, 403, 200),
    ),
    "download, issued report of an unpublished year": (
        lambda w: _url("reports:download", w.unpublished_report.pk, "docx"),
        "get",
        {},
        S(302, 200, 200, 200, 403, 200),
    ),
    # Only the secretariat and council admins issue.
    "issue, draft": (
        lambda w: _url("reports:issue", w.submission.pk),
        "get",
        {},
        S(302, 200, 200, 404, 404, 404),
    ),
    "issue, issued report": (
        lambda w: _url("reports:issue", w.report.pk),
        "get",
        {},
        S(302, 302, 302, 403, 403, 403),
    ),
    "pack": (
        lambda w: _url("reports:pack", w.bloc.pk, 2019),
        "get",
        {},
        S(302, 200, 200, 403, 403, 403),
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_status_for_each_persona(
    case: str, persona: str, personas: dict[str, User | None], documents_world: DocumentsWorld
) -> None:
    build, method, data, expected = CASES[case]
    client = client_for(personas[persona])
    response = getattr(client, method)(build(documents_world), data)
    assert response.status_code == expected[persona], (case, persona)
    if response.status_code == 302 and persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_issuing_by_post_is_for_managers_only(
    documents_world: DocumentsWorld, personas: dict[str, User | None]
) -> None:
    url = reverse("reports:issue", args=[documents_world.submission.pk])
    for persona in ("focal_point", "outsider", "leader"):
        assert client_for(personas[persona]).post(url).status_code == 404
    assert client_for(None).post(url).status_code == 302
    documents_world.submission.refresh_from_db()
    assert documents_world.submission.state == Document.State.DRAFT


def test_the_public_sees_issued_reports_of_published_years_only(
    documents_world: DocumentsWorld,
) -> None:
    w = documents_world
    anonymous = client_for(None)
    html = anonymous.get(reverse("reports:documents", args=[w.bloc.pk, 2019])).content.decode()
    assert reverse("reports:preview", args=[w.report.pk]) in html
    assert reverse("reports:preview", args=[w.minutes.pk]) not in html
    assert "Tờ trình" not in html
    assert "Lập dự thảo" not in html and "ZIP" not in html
    assert anonymous.get(reverse("reports:download", args=[w.report.pk, "docx"])).content == b"docx"
    for document in (w.minutes, w.submission, w.unpublished_report):
        response = anonymous.get(reverse("reports:preview", args=[document.pk]))
        assert response.status_code == 302


def test_the_public_does_not_see_a_report_once_the_year_is_not_published(
    documents_world: DocumentsWorld,
) -> None:
    """Rights follow the year's state: a report of a year taken back from publication (by a
    correction) is no longer public."""
    w = documents_world
    BlocYear.objects.filter(pk=w.published.pk).update(state=BlocYear.State.FINALIZED)
    response = client_for(None).get(reverse("reports:preview", args=[w.report.pk]))
    assert response.status_code == 302
