"""Nobody finds what they may not see: the rules of ``blocs.access`` and ``reports.access``
that the search asks, each kind by each persona."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from blocs import access as bloc_access
from blocs import services
from blocs.models import User
from portal import search as portal_search
from portal.search import DOCUMENTS, PEOPLE, UNITS
from reports import access as report_access
from tests.factories import UserFactory
from tests.search.conftest import SearchWorld

pytestmark = pytest.mark.django_db


def found(user: User | AnonymousUser, query: str, kind: str) -> list[str] | None:
    """The links found of one kind; None when this person's search does not cover it."""
    for group in portal_search.search(user, query).groups:
        if group.kind == kind:
            return [hit.url or "" for hit in group.hits]
    return None


def as_user(user: User | None) -> User | AnonymousUser:
    return AnonymousUser() if user is None else user


def test_visible_documents_is_the_rule_of_each_document_page(
    search_world: SearchWorld, personas: dict[str, User | None]
) -> None:
    """The query says what ``can_see_document`` says of each document, for every persona."""
    superuser = User.objects.create_superuser("admin", password="x")
    people = {**personas, "superuser": superuser}
    for persona, user in people.items():
        person = as_user(user)
        visible = set(report_access.visible_documents(person))
        for document in search_world.documents:
            expected = report_access.can_see_document(person, document)
            assert (document in visible) == expected, (persona, document.kind, document.state)


def test_each_persona_finds_the_documents_it_may_open(
    search_world: SearchWorld, personas: dict[str, User | None]
) -> None:
    """2019 is published: its report is public, its minutes for members, leaders and managers,
    its submission a draft for managers only. 2020 is not published: its issued report is for
    members, leaders and managers, never the outsider. Visitors search no documents."""
    w = search_world
    report, minutes, draft, report_2020 = (
        document.get_absolute_url()
        for document in (w.report, w.minutes, w.submission, w.unpublished_report)
    )
    expected = {
        "anonymous": None,
        "council_admin": [report_2020, report, minutes, draft],
        "secretariat": [report_2020, report, minutes, draft],
        "focal_point": [report_2020, report, minutes],
        "outsider": [report],
        "leader": [report_2020, report, minutes],
    }
    for persona, user in personas.items():
        assert found(as_user(user), "tham muu iii", DOCUMENTS) == expected[persona], persona
    # The outsider finds nothing of 2020 whatever it types: the unpublished year stays hidden.
    outsider = personas["outsider"]
    assert outsider is not None
    for query in (w.unpublished_report.subject, "bao cao", "2020", "tham muu"):
        assert report_2020 not in (found(outsider, query, DOCUMENTS) or []), query
    assert found(outsider, "bien ban", DOCUMENTS) == []  # the minutes of 2019


def test_a_secretariat_of_a_decided_year_still_finds_its_drafts(
    search_world: SearchWorld, secretariat: User
) -> None:
    """Reading is not changing: the year's secretariat keeps seeing its documents."""
    w = search_world
    type(w.published).objects.filter(pk=w.published.pk).update(state="decided")
    assert w.submission.get_absolute_url() in (found(secretariat, "de nghi", DOCUMENTS) or [])


def test_people_are_found_by_the_admins_of_their_council_only(
    search_world: SearchWorld, personas: dict[str, User | None], council_admin: User
) -> None:
    w = search_world
    hoa_binh_admin = UserFactory.create(
        username="hb.admin",
        full_name="Quản Trị Hòa Bình",
        unit=w.hoa_binh_units[0],
        role=User.Role.COUNCIL_ADMIN,
    )
    person_url = f"/admin/blocs/user/{w.hoa_binh_person.pk}/change/"
    # Only council admins search people, and each finds those of the councils it manages.
    for persona, user in personas.items():
        expected: list[str] | None = [] if persona == "council_admin" else None
        assert found(as_user(user), "dinh thi hoa", PEOPLE) == expected, persona
    assert set(bloc_access.visible_people(council_admin)) == set(
        User.objects.filter(unit__council=w.council)
    )
    hoa_binh_admin.is_staff = True
    assert found(hoa_binh_admin, "dinh thi hoa", PEOPLE) == [person_url]
    assert found(hoa_binh_admin, "quantri", PEOPLE) == []  # Quảng Nam's admin
    # A council that succeeded another keeps its people: Hòa Bình's admin now finds Quảng Nam's.
    services.council_set_successor(
        council=w.council, successor=w.hoa_binh, effective_date=datetime.date(2025, 7, 1)
    )
    merged = User.objects.select_related("unit__council").get(pk=hoa_binh_admin.pk)
    merged.is_staff = True
    assert found(merged, "quantri", PEOPLE) == [f"/admin/blocs/user/{council_admin.pk}/change/"]
    # …but not the other way round.
    assert found(council_admin, "dinh thi hoa", PEOPLE) == []
    # A superuser finds everybody.
    superuser = User.objects.create_superuser("admin", password="x")
    assert found(superuser, "dinh thi hoa", PEOPLE) == [person_url]


def test_units_and_blocs_are_public(
    search_world: SearchWorld, personas: dict[str, User | None]
) -> None:
    """The organisation is public: every persona finds the same units, of every council."""
    for persona, user in personas.items():
        assert len(found(as_user(user), "hoa binh", UNITS) or []) == 6, persona


@pytest.mark.parametrize(
    ("persona", "label"),
    [
        (None, "Tìm đơn vị, khối thi đua"),
        ("focal_point", "Tìm đơn vị, khối thi đua, văn bản"),
        ("council_admin", "Tìm đơn vị, khối thi đua, văn bản, người dùng"),
    ],
)
def test_the_header_box_says_what_this_person_can_find(
    persona: str | None, label: str, request: pytest.FixtureRequest
) -> None:
    from django.test import Client
    from django.urls import reverse

    from tests.conftest import client_for

    client = Client() if persona is None else client_for(request.getfixturevalue(persona))
    html = client.get(reverse("blocs:home")).content.decode()
    assert f'<label for="header-search-q" class="visually-hidden">{label}</label>' in html
