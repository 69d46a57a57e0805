"""The documents in the Django admin: scoped to the admin's councils, issued ones read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from blocs import services
from blocs.models import User
from reports.models import Document
from tests.conftest import World, client_for
from tests.factories import BlocFactory, CouncilFactory, UnitFactory
from tests.reports.worlds import draft, issued_quickly

pytestmark = pytest.mark.django_db


def test_a_council_admin_lists_and_edits_the_drafts_of_their_councils(
    world: World, council_admin: User
) -> None:
    document = draft(world.bloc_year, Document.Kind.REPORT)
    other_council = CouncilFactory.create(name="Hội đồng tỉnh khác")
    head = UnitFactory.create(council=other_council, code="SKHAC")
    foreign_year = services.bloc_year_create(
        bloc=BlocFactory.create(council=other_council), year=2020, members=[head], head=head
    )
    foreign = draft(foreign_year, Document.Kind.REPORT)
    client = client_for(council_admin)
    html = client.get(reverse("admin:reports_document_changelist")).content.decode()
    assert reverse("admin:reports_document_change", args=[document.pk]) in html
    assert reverse("admin:reports_document_change", args=[foreign.pk]) not in html
    response = client.get(reverse("admin:reports_document_change", args=[document.pk]))
    assert response.status_code == 200
    assert 'name="subject"' in response.content.decode()
    assert client.get(reverse("admin:reports_document_add")).status_code == 200


def test_an_issued_document_is_read_only_in_the_admin(world: World, council_admin: User) -> None:
    document = issued_quickly(world.bloc_year, Document.Kind.REPORT)
    client = client_for(council_admin)
    response = client.get(reverse("admin:reports_document_change", args=[document.pk]))
    assert response.status_code == 200
    assert 'name="subject"' not in response.content.decode()
    response = client.get(reverse("admin:reports_document_delete", args=[document.pk]))
    assert response.status_code == 403
