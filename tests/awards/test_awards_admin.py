"""The awards admin: shared catalogue, council-scoped records, read-only proposal history."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from awards.models import Decision, ProposalEvent, RuleSet
from blocs import services as bloc_services
from blocs.models import User
from tests.conftest import AwardsWorld, World, client_for
from tests.factories import CouncilFactory, UnitFactory

pytestmark = pytest.mark.django_db


def other_admin() -> User:
    """A council admin of another province."""
    return bloc_services.user_create(
        username="quantri.khac",
        password="x",
        unit=UnitFactory.create(council=CouncilFactory.create()),
        role=User.Role.COUNCIL_ADMIN,
    )


def test_every_council_admin_sees_the_shared_rule_sets_and_awards(world: World) -> None:
    client = client_for(other_admin())
    html = client.get(reverse("admin:awards_ruleset_changelist")).content.decode()
    assert "Luật Thi đua, khen thưởng 2022; Nghị định 98/2023/NĐ-CP" in html
    html = client.get(reverse("admin:awards_awardtype_changelist")).content.decode()
    assert "Cờ thi đua của Chính phủ" in html
    rule_set = RuleSet.objects.get(code="LUAT-2003")
    response = client.get(reverse("admin:awards_ruleset_change", args=[rule_set.pk]))
    assert response.status_code == 200
    assert "Tập thể lao động tiên tiến" in response.content.decode()  # the award inline


def test_only_a_superuser_deletes_a_rule_set(world: World, council_admin: User) -> None:
    rule_set = RuleSet.objects.get(code="LUAT-2003")
    url = reverse("admin:awards_ruleset_delete", args=[rule_set.pk])
    assert client_for(council_admin).get(url).status_code == 403
    root = User.objects.create_superuser("root", "root@example.com", "x")
    assert client_for(root).get(url).status_code == 200


def test_decisions_and_proposals_are_scoped_to_the_admins_councils(
    awards_world: AwardsWorld, council_admin: User
) -> None:
    w = awards_world
    foreign = CouncilFactory.create()
    Decision.objects.create(council=foreign, number="999/QĐ-UBND", date=datetime.date(2020, 1, 1))
    mine = client_for(council_admin).get(reverse("admin:awards_decision_changelist"))
    assert "123/QĐ-UBND" in mine.content.decode()
    assert "999/QĐ-UBND" not in mine.content.decode()
    theirs = client_for(other_admin())
    assert (
        "123/QĐ-UBND"
        not in theirs.get(reverse("admin:awards_decision_changelist")).content.decode()
    )
    response = theirs.get(reverse("admin:awards_proposal_change", args=[w.submitted_proposal.pk]))
    assert response.status_code == 302  # not theirs: back to the admin index


def test_a_proposals_history_is_shown_read_only(
    awards_world: AwardsWorld, council_admin: User
) -> None:
    w = awards_world
    ProposalEvent.objects.create(
        proposal=w.submitted_proposal, action=ProposalEvent.Action.SUBMIT, note="Trình lần 1"
    )
    client = client_for(council_admin)
    html = client.get(
        reverse("admin:awards_proposal_change", args=[w.submitted_proposal.pk])
    ).content.decode()
    assert "Trình lần 1" in html
    assert 'name="events-0-note"' not in html  # shown, never an input
    event = ProposalEvent.objects.get()
    response = client.post(reverse("admin:awards_proposalevent_change", args=[event.pk]), {})
    assert response.status_code == 403


def test_the_ballot_page_shows_its_results_inline(
    awards_world: AwardsWorld, council_admin: User
) -> None:
    html = (
        client_for(council_admin)
        .get(reverse("admin:awards_ballot_change", args=[awards_world.ballot.pk]))
        .content.decode()
    )
    assert 'name="results-TOTAL_FORMS" value="2"' in html
