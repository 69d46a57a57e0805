"""The awards entries of "my work" for the council admin: approved proposals wait for the
council's decision, and the admin is told so."""

from __future__ import annotations

from django.urls import reverse

from awards.models import Proposal
from blocs.models import User
from tests.conftest import client_for


def test_the_council_admin_is_asked_to_record_the_decision_of_approved_proposals(
    awards_world, council_admin: User
) -> None:
    client = client_for(council_admin)
    assert "Ghi quyết định khen thưởng" not in client.get(reverse("my-work")).content.decode()

    Proposal.objects.filter(pk=awards_world.submitted_proposal.pk).update(
        status=Proposal.Status.APPROVED
    )

    page = client.get(reverse("my-work")).content.decode()
    assert "Ghi quyết định khen thưởng: 1 đề nghị đã duyệt" in page
    assert reverse("awards:decisions") in page


def test_a_decided_proposal_is_no_longer_waiting(awards_world, council_admin: User) -> None:
    Proposal.objects.filter(pk=awards_world.submitted_proposal.pk).update(
        status=Proposal.Status.APPROVED, decision=awards_world.decision
    )

    page = client_for(council_admin).get(reverse("my-work")).content.decode()
    assert "Ghi quyết định khen thưởng" not in page


def test_a_council_admin_of_another_council_is_not_asked(awards_world, world) -> None:
    from blocs.models import Council, Unit

    other = Council.objects.create(code="XXX", name="Hội đồng khác", province="Khác")
    unit = Unit.objects.create(council=other, code="VP", name="Văn phòng")
    admin = User.objects.create_user(
        username="quantri.khac", password="x", unit=unit, role=User.Role.COUNCIL_ADMIN
    )
    Proposal.objects.filter(pk=awards_world.submitted_proposal.pk).update(
        status=Proposal.Status.APPROVED
    )

    page = client_for(admin).get(reverse("my-work")).content.decode()
    assert "Ghi quyết định khen thưởng" not in page
