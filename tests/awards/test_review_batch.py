"""Leaders review several proposals at once: approve, or return with one note, the proposals
ticked in the queue. Each is still its own review: race-safe, audited and notified once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from awards.models import Proposal, ProposalEvent
from awards.services import proposals as services
from awards.services import review as review_services
from blocs.models import AuditEntry, Council, User
from common.batch import BatchOutcome
from notifications.models import Notification
from tests.awards.test_proposals import Published, published_year
from tests.awards.test_review import _race, build
from tests.conftest import World, client_for
from tests.factories import BlocFactory, CouncilFactory, UnitFactory

pytestmark = pytest.mark.django_db

Action = ProposalEvent.Action
BATCH = reverse("awards:review-batch")
QUEUE = reverse("awards:review-queue")


def submitted_of(published: Published) -> list[Proposal]:
    return list(
        Proposal.objects.filter(bloc_year=published.bloc_year, status=Proposal.Status.SUBMITTED)
        .select_related("bloc_year__bloc", "unit", "award_type")
        .order_by("pk")
    )


@pytest.fixture
def submitted(world: World) -> Published:
    return build(world)


def statuses(proposals: list[Proposal]) -> list[str]:
    return [Proposal.objects.get(pk=proposal.pk).status for proposal in proposals]


def test_a_leader_approves_several_proposals_each_audited_and_notified_once(
    submitted: Published, leader: User, secretariat: User, django_capture_on_commit_callbacks
) -> None:
    proposals = submitted_of(submitted)
    assert len(proposals) >= 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(leader).post(
            BATCH,
            {"proposals": [p.pk for p in proposals], "action": "approve", "note": "Đồng ý."},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == QUEUE
    assert f"Đã duyệt {len(proposals)} đề nghị." in response.content.decode()
    assert set(statuses(proposals)) == {Proposal.Status.APPROVED}
    for proposal in proposals:
        event = ProposalEvent.objects.get(proposal=proposal, action=Action.APPROVE)
        assert (event.by, event.note) == (leader, "Đồng ý.")
        told = Notification.objects.filter(
            kind=Notification.Kind.PROPOSAL_APPROVED,
            recipient=secretariat,
            url=proposal.get_absolute_url(),
        )
        assert told.count() == 1
    assert AuditEntry.objects.filter(action="proposal.approve", actor=leader).count() == len(
        proposals
    )


def test_returning_several_writes_the_one_note_on_each(submitted: Published, leader: User) -> None:
    chosen = submitted_of(submitted)[:2]
    client_for(leader).post(
        BATCH,
        {"proposals": [p.pk for p in chosen], "action": "return", "note": "Bổ sung minh chứng."},
    )
    assert set(statuses(chosen)) == {Proposal.Status.RETURNED}
    notes = ProposalEvent.objects.filter(proposal__in=chosen, action=Action.RETURN)
    assert sorted(notes.values_list("note", flat=True)) == ["Bổ sung minh chứng."] * 2
    # The others were not ticked: still waiting.
    rest = [p for p in submitted_of(submitted) if p not in chosen]
    assert all(p.status == Proposal.Status.SUBMITTED for p in rest)


def test_a_return_without_a_note_shows_the_queue_again_with_the_ticks_and_the_error(
    submitted: Published, leader: User
) -> None:
    chosen = submitted_of(submitted)[:2]
    response = client_for(leader).post(
        BATCH, {"proposals": [p.pk for p in chosen], "action": "return", "note": "  "}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page and "Ghi nội dung cần hoàn thiện" in page
    for proposal in chosen:
        assert f'value="{proposal.pk}" id="pick-{proposal.pk}" checked' in page
    assert 'value="return"' in page and "checked" in page.split('value="return"')[1][:40]
    assert set(statuses(chosen)) == {Proposal.Status.SUBMITTED}


def test_nothing_ticked_is_refused_at_the_field(submitted: Published, leader: User) -> None:
    response = client_for(leader).post(BATCH, {"action": "approve", "note": "Để xem."})
    page = response.content.decode()
    assert response.status_code == 200 and "Chọn ít nhất một đề nghị." in page
    assert "\nĐể xem.</textarea>" in page  # what was typed stays
    assert not ProposalEvent.objects.filter(action=Action.APPROVE).exists()


def test_a_proposal_another_leader_decided_is_reported_and_the_others_go_on(
    submitted: Published, leader: User
) -> None:
    first, *others = submitted_of(submitted)
    review_services.proposal_reject(proposal=first, by=leader, note="Chưa đủ điều kiện.")
    response = client_for(leader).post(
        BATCH,
        {"proposals": [first.pk, *[p.pk for p in others]], "action": "approve", "note": ""},
        follow=True,
    )
    page = response.content.decode()
    assert f"Đã duyệt {len(others)} đề nghị." in page
    assert "đã được xử lý trước đó" in page and first.award_type.name in page
    assert Proposal.objects.get(pk=first.pk).status == Proposal.Status.REJECTED
    assert set(statuses(others)) == {Proposal.Status.APPROVED}


def test_a_proposal_of_another_council_cannot_be_slipped_in(
    submitted: Published, leader: User
) -> None:
    council = CouncilFactory.create()
    other = build_other_council(council)
    mine = submitted_of(submitted)[0]
    response = client_for(leader).post(
        BATCH, {"proposals": [mine.pk, other.pk], "action": "approve", "note": ""}
    )
    assert response.status_code == 200
    assert "không còn trong danh sách duyệt" in response.content.decode()
    assert Proposal.objects.get(pk=mine.pk).status == Proposal.Status.SUBMITTED
    assert Proposal.objects.get(pk=other.pk).status == Proposal.Status.SUBMITTED


def build_other_council(council: Council) -> Proposal:
    units = [UnitFactory.create(council=council) for _ in range(3)]
    data = published_year(BlocFactory.create(council=council), units)
    services.proposals_create_suggested(bloc_year=data.bloc_year, by=None)
    services.proposals_submit(bloc_year=data.bloc_year, by=None)
    return Proposal.objects.filter(bloc_year=data.bloc_year).first()  # type: ignore[return-value]


@pytest.mark.parametrize("persona", ["secretariat", "council_admin", "focal_point"])
def test_only_leaders_may_batch(
    submitted: Published, persona: str, request: pytest.FixtureRequest
) -> None:
    person = request.getfixturevalue(persona)
    proposals = submitted_of(submitted)
    response = client_for(person).post(
        BATCH, {"proposals": [p.pk for p in proposals], "action": "approve", "note": ""}
    )
    assert response.status_code == 403
    assert set(statuses(proposals)) == {Proposal.Status.SUBMITTED}


def test_the_queue_offers_a_box_per_proposal_and_the_shared_action(
    submitted: Published, leader: User
) -> None:
    page = client_for(leader).get(QUEUE).content.decode()
    proposals = submitted_of(submitted)
    assert page.count('type="checkbox" name="proposals"') == len(proposals)
    assert f'action="{BATCH}"' in page and 'name="note"' in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_leaders_batching_the_same_proposals_at_once_review_each_once(
    world: World,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL; SQLite serialises writers")
    published = build(world)
    ids = [proposal.pk for proposal in submitted_of(published)]

    outcomes: list[BatchOutcome[Proposal]] = []

    def batch() -> None:
        outcome = review_services.proposals_review_batch(
            proposals=list(
                Proposal.objects.filter(pk__in=ids).select_related(
                    "bloc_year", "unit", "award_type"
                )
            ),
            by=None,
            action=Action.APPROVE,
            note="",
        )
        outcomes.append(outcome)

    _race(batch)
    assert len(outcomes) == 2
    assert sum(len(outcome.done) for outcome in outcomes) == len(ids)
    assert sum(len(outcome.refused) for outcome in outcomes) == len(ids)
    for pk in ids:
        assert ProposalEvent.objects.filter(proposal_id=pk, action=Action.APPROVE).count() == 1
    assert AuditEntry.objects.filter(action="proposal.approve").count() == len(ids)


def test_the_bloc_year_page_lists_the_ballot_before_the_proposals(
    submitted: Published, secretariat: User
) -> None:
    """Issue 20.10: the links follow the year's steps: the ballot comes before the proposals."""
    bloc_year = submitted.bloc_year
    page = (
        client_for(secretariat)
        .get(reverse("bloc-year", args=[bloc_year.bloc_id, bloc_year.year]))
        .content.decode()
    )
    ballot = reverse("awards:ballot", args=[bloc_year.bloc_id, bloc_year.year])
    proposals = reverse("awards:proposals", args=[bloc_year.bloc_id, bloc_year.year])
    assert page.index(ballot) < page.index(proposals)
