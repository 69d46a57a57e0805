"""The leaders' review: approve, return with a note, reject with a reason; race-safety; who may
review; the queue and its query budget; the decision packet; the "my work" entries."""

from __future__ import annotations

import datetime
import importlib
import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from awards.forms_proposals import ReviewBatchForm
from awards.models import AwardGrant, AwardType, Proposal, ProposalEvent, RuleSet
from awards.services import proposals as services
from awards.services import review as review_services
from awards.services.review import AlreadyDecided
from blocs import services as bloc_services
from blocs.models import AuditEntry, User
from tests.awards.test_proposals import Published, publish, published_year
from tests.conftest import World, client_for
from tests.factories import BlocFactory, CouncilFactory, UnitFactory

pytestmark = pytest.mark.django_db

Action = ProposalEvent.Action


def ensure_rule_sets() -> None:
    """Transactional tests flush the tables, seeded rows included: seed them again, as the
    migrations left them (0002 the catalogue, 0005 who decides each award, 0008 the titles
    that require registration), with today's
    models (the text ``decided_by`` of 0002 is gone since 0006)."""
    if RuleSet.objects.exists():
        return
    catalogue = importlib.import_module("awards.migrations.0002_seed_rule_sets")
    authority = importlib.import_module("awards.migrations.0005_seed_award_authority")
    for spec in catalogue.RULE_SETS:
        day, month = spec["deadline"]
        rule_set = RuleSet.objects.create(
            code=spec["code"],
            name=spec["name"],
            valid_from=spec["valid_from"],
            valid_until=spec["valid_until"],
            legal_basis=spec["legal_basis"],
            proposal_deadline_day=day,
            proposal_deadline_month=month,
        )
        decides = authority.BY_RULE_SET.get(spec["code"], {})
        for award in catalogue.awards_for(spec):
            fields = {key: value for key, value in award.items() if key != "decided_by"}
            chosen = decides.get(fields["code"])
            if chosen is not None:
                fields["authority"], fields["authority_basis"] = chosen
            else:
                fields["authority"] = authority.LEVELS.get(
                    fields.get("level"), "provincial_chairman"
                )
            AwardType.objects.create(rule_set=rule_set, **fields)
    # 0008: the emulation titles require registration.
    registration = importlib.import_module("awards.migrations.0008_emulation_registration")
    AwardType.objects.filter(code__in=registration.TITLES).update(requires_registration=True)


def build(world: World) -> Published:
    ensure_rule_sets()
    extra = [UnitFactory.create(council=world.council) for _ in range(4)]
    published = published_year(world.bloc, [world.head, world.deputy, world.member, *extra])
    services.proposals_create_suggested(bloc_year=published.bloc_year, by=None)
    services.proposals_submit(bloc_year=published.bloc_year, by=None)
    return published


@pytest.fixture
def submitted(world: World) -> Published:
    """The 7-member published year with its three flags submitted."""
    return build(world)


def gov_flag(published: Published) -> Proposal:
    return Proposal.objects.select_related("bloc_year__bloc", "unit", "award_type").get(
        bloc_year=published.bloc_year, award_type__code="GOV_FLAG"
    )


def actions(proposal: Proposal) -> list[str]:
    return list(proposal.events.values_list("action", flat=True))


# ---------------------------------------------------------------------------- workflow


def test_submit_return_resubmit_approve(
    submitted: Published, leader: User, secretariat: User
) -> None:
    proposal = gov_flag(submitted)
    review_services.proposal_return(
        proposal=proposal, by=leader, note="Bổ sung số liệu giảm nghèo."
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.RETURNED
    # The secretariat fixes the summary and submits again: only the returned one moves.
    services.proposal_update_summary(
        proposal=proposal, summary="Giảm nghèo 2,1%.", version=proposal.version, by=secretariat
    )
    again = services.proposals_submit(bloc_year=submitted.bloc_year, by=secretariat)
    assert [item.pk for item in again] == [proposal.pk]
    review_services.proposal_approve(proposal=gov_flag(submitted), by=leader, note="Đồng ý.")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED
    assert actions(proposal) == [
        Action.CREATE,
        Action.SUBMIT,
        Action.RETURN,
        Action.EDIT,
        Action.SUBMIT,
        Action.APPROVE,
    ]
    event = proposal.events.get(action=Action.RETURN)
    assert (event.by, event.note) == (leader, "Bổ sung số liệu giảm nghèo.")
    assert (
        AuditEntry.objects.filter(
            action__in=["proposal.return", "proposal.approve"], actor=leader
        ).count()
        == 2
    )


def test_returning_needs_a_note(submitted: Published, leader: User) -> None:
    with pytest.raises(ValidationError) as error:
        review_services.proposal_return(proposal=gov_flag(submitted), by=leader, note="  ")
    assert "note" in error.value.message_dict
    assert gov_flag(submitted).status == Proposal.Status.SUBMITTED


def test_rejecting_needs_a_reason_and_is_recorded(submitted: Published, leader: User) -> None:
    with pytest.raises(ValidationError):
        review_services.proposal_reject(proposal=gov_flag(submitted), by=leader, note="")
    review_services.proposal_reject(
        proposal=gov_flag(submitted), by=leader, note="Chưa đủ 2 năm dẫn đầu."
    )
    proposal = gov_flag(submitted)
    assert proposal.status == Proposal.Status.REJECTED
    assert proposal.events.get(action=Action.REJECT).note == "Chưa đủ 2 năm dẫn đầu."


def test_a_second_approval_is_refused_and_changes_nothing(
    submitted: Published, leader: User
) -> None:
    first, second = gov_flag(submitted), gov_flag(submitted)  # two leaders' pages
    review_services.proposal_approve(proposal=first, by=leader)
    for step in (review_services.proposal_approve, review_services.proposal_reject):
        with pytest.raises(AlreadyDecided) as error:
            step(proposal=second, by=leader, note="Lý do.")
        assert "đã được xử lý" in error.value.messages[0]
    proposal = gov_flag(submitted)
    assert proposal.status == Proposal.Status.APPROVED
    assert actions(proposal).count(Action.APPROVE) == 1
    assert Action.REJECT not in actions(proposal)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_leaders_approving_at_once_only_one_acts(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL; SQLite serialises writers")
    published = build(world)
    pk = gov_flag(published).pk
    outcomes = _race(
        lambda: review_services.proposal_approve(
            proposal=Proposal.objects.select_related("bloc_year", "unit", "award_type").get(pk=pk),
            by=None,
        )
    )
    assert sorted(outcomes) == ["AlreadyDecided", "ok"]
    assert ProposalEvent.objects.filter(proposal_id=pk, action=Action.APPROVE).count() == 1
    assert AuditEntry.objects.filter(action="proposal.approve").count() == 1


def _race(action: Callable[[], object]) -> list[str]:
    """Run ``action`` in two threads released together; return "ok" or the exception's name."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run() -> None:
        from django.db import connections

        barrier.wait()
        try:
            action()
            outcomes.append("ok")
        except Exception as error:  # the outcome is the point of the test
            outcomes.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


# ---------------------------------------------------------------------------- the review view


def review_url(proposal: Proposal) -> str:
    return reverse("awards:proposal-review", args=[proposal.pk])


def test_a_leader_approves_from_the_packet(submitted: Published, leader: User) -> None:
    proposal = gov_flag(submitted)
    client = client_for(leader)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert review_url(proposal) in page and 'name="action"' in page
    response = client.post(review_url(proposal), {"action": "approve", "note": ""})
    assert response.status_code == 302 and response["Location"] == reverse("awards:review-queue")
    assert gov_flag(submitted).status == Proposal.Status.APPROVED
    # The same click again (another tab): told, nothing changes.
    response = client.post(
        review_url(proposal), {"action": "reject", "note": "Lý do."}, follow=True
    )
    assert "đã được xử lý" in response.content.decode()
    assert gov_flag(submitted).status == Proposal.Status.APPROVED


def test_an_empty_or_incomplete_review_goes_back_with_the_error_and_what_was_typed(
    submitted: Published, leader: User
) -> None:
    proposal = gov_flag(submitted)
    client = client_for(leader)
    response = client.post(review_url(proposal), {})
    assert response.status_code == 302 and response["Location"].startswith(
        proposal.get_absolute_url()
    )
    response = client.post(review_url(proposal), {"action": "return", "note": ""}, follow=True)
    page = response.content.decode()
    assert "error-summary" in page
    assert "Ghi nội dung cần hoàn thiện" in page
    assert 'value="return" id="id_action_1" checked' in page or "checked" in page
    assert gov_flag(submitted).status == Proposal.Status.SUBMITTED


def test_the_note_a_review_needs_is_one_rule_for_the_page_the_batch_and_the_service(
    submitted: Published, leader: User
) -> None:
    proposal = gov_flag(submitted)
    response = client_for(leader).post(
        review_url(proposal), {"action": "reject", "note": "   "}, follow=True
    )
    page = response.content.decode()
    assert "error-summary" in page and "Ghi lý do không duyệt." in page
    assert gov_flag(submitted).status == Proposal.Status.SUBMITTED
    # The service refuses the same note with the same words, at the same field.
    with pytest.raises(ValidationError) as refused:
        review_services.proposal_reject(proposal=proposal, by=leader, note="   ")
    assert refused.value.message_dict == {"note": ["Ghi lý do không duyệt."]}
    with pytest.raises(ValidationError) as refused:
        review_services.proposal_return(proposal=proposal, by=leader, note="")
    returned = "Ghi nội dung cần hoàn thiện để thư ký khối biết phải sửa gì."
    assert refused.value.message_dict == {"note": [returned]}
    # The batch form asks the same rule; approving needs no note.
    batch = ReviewBatchForm(
        {"proposals": [proposal.pk], "action": "return", "note": " "},
        queryset=Proposal.objects.filter(pk=proposal.pk),
    )
    assert not batch.is_valid() and batch.errors["note"] == [returned]
    assert review_services.note_missing(ProposalEvent.Action.APPROVE, "") is None
    assert gov_flag(submitted).status == Proposal.Status.SUBMITTED


def test_a_secretariat_cannot_approve(submitted: Published, secretariat: User) -> None:
    proposal = gov_flag(submitted)
    response = client_for(secretariat).post(review_url(proposal), {"action": "approve"})
    assert response.status_code == 403
    assert gov_flag(submitted).status == Proposal.Status.SUBMITTED
    page = client_for(secretariat).get(proposal.get_absolute_url()).content.decode()
    assert review_url(proposal) not in page


def test_a_council_admin_cannot_approve_nor_open_the_queue(
    submitted: Published, council_admin: User
) -> None:
    client = client_for(council_admin)
    assert client.post(review_url(gov_flag(submitted)), {"action": "approve"}).status_code == 403
    assert client.get(reverse("awards:review-queue")).status_code == 403


def test_a_leader_of_another_council_does_not_see_the_proposal(submitted: Published) -> None:
    other = CouncilFactory.create()
    stranger = bloc_services.user_create(
        username="lanhdao-khac",
        password="x",
        unit=UnitFactory.create(council=other),
        role=User.Role.LEADER,
    )
    proposal = gov_flag(submitted)
    client = client_for(stranger)
    assert client.get(proposal.get_absolute_url()).status_code == 404
    assert client.post(review_url(proposal), {"action": "approve"}).status_code == 404
    assert (
        "Không có đề nghị nào chờ duyệt"
        in client.get(reverse("awards:review-queue")).content.decode()
    )


def test_a_focal_point_sees_another_units_proposal_only_once_decided(
    submitted: Published, focal_point: User, world: World, leader: User
) -> None:
    proposal = gov_flag(submitted)  # the head's, not the focal point's unit
    client = client_for(focal_point)
    assert client.get(proposal.get_absolute_url()).status_code == 404
    review_services.proposal_approve(proposal=proposal, by=leader)
    assert client.get(proposal.get_absolute_url()).status_code == 404  # approved, not decided
    from awards.models import Decision

    decision = Decision.objects.create(
        council=world.council, number="15/QĐ-UBND", date=datetime.date(2019, 3, 1)
    )
    Proposal.objects.filter(pk=proposal.pk).update(decision=decision)
    assert client.get(proposal.get_absolute_url()).status_code == 200


# ---------------------------------------------------------------------------- the packet


def test_the_packet_shows_the_last_three_years_and_the_history(
    submitted: Published, leader: User, world: World
) -> None:
    proposal = gov_flag(submitted)  # 2018
    publish(world.other_bloc, 2016, [proposal.unit, world.outsider_unit])
    AwardGrant.objects.create(
        unit=proposal.unit, year=2017, award_code="PROV_CERT", award_name="Bằng khen của Chủ tịch"
    )
    review_services.proposal_return(proposal=proposal, by=leader, note="Thêm số liệu quý IV.")
    page = client_for(leader).get(proposal.get_absolute_url()).content.decode()
    for text in ("2017", "2016", "2015", "Bằng khen của Chủ tịch", "Thêm số liệu quý IV.", "1/2"):
        assert text in page, text
    assert reverse("scoring:ranking", args=[world.bloc.pk, 2018]) in page
    assert "Đứng đầu khối" in page


def test_the_packet_page_query_budget(
    submitted: Published, leader: User, django_assert_num_queries
) -> None:
    proposal = gov_flag(submitted)
    client = client_for(leader)
    client.get(proposal.get_absolute_url())
    with django_assert_num_queries(PACKET_QUERIES):
        assert client.get(proposal.get_absolute_url()).status_code == 200


# Session, person, proposal, the leader's councils (seeing, reviewing), eligibility (12, with
# the registrations), the unit's names, past years (snapshots, grants), events.
PACKET_QUERIES = 21


# ---------------------------------------------------------------------------- the queue


def test_the_queue_groups_by_bloc_year_oldest_first(submitted: Published, leader: User) -> None:
    Proposal.objects.filter(bloc_year=submitted.bloc_year, award_type__code="GOV_FLAG").update(
        submitted_at=timezone.now() - datetime.timedelta(days=3)
    )
    page = client_for(leader).get(reverse("awards:review-queue")).content.decode()
    assert "3 đề nghị chờ duyệt" in page
    names = [unit.name for unit in submitted.units[:3]]
    positions = [page.index(name) for name in names]
    assert positions == sorted(positions)
    assert "Hạng 1" in page and "Phiếu bầu 100,00%" in page


def _queue_of(members: int) -> User:
    council = CouncilFactory.create()
    units = [UnitFactory.create(council=council) for _ in range(members)]
    data = published_year(BlocFactory.create(council=council), units)
    services.proposals_create_suggested(bloc_year=data.bloc_year, by=None)
    for unit in units[3:]:
        data.vote("PROV_CERT", unit, members)
        data.propose("PROV_CERT", unit)
    Proposal.objects.filter(bloc_year=data.bloc_year).update(
        status=Proposal.Status.SUBMITTED, submitted_at=timezone.now()
    )
    return bloc_services.user_create(
        username=f"lanhdao{members}", password="x", unit=units[0], role=User.Role.LEADER
    )


# Session, person, the leader's councils, proposals with the units' names (2), eligibility of the
# one bloc-year (12, with the registrations).
QUEUE_QUERIES = 17


@pytest.mark.parametrize("members", [3, 12])
def test_the_queue_does_the_same_queries_whatever_the_number_of_proposals(
    members: int, django_assert_num_queries
) -> None:
    leader = _queue_of(members)
    client = client_for(leader)
    url = reverse("awards:review-queue")
    client.get(url)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="review-title"') == Proposal.objects.count()


# ---------------------------------------------------------------------------- my work


def test_my_work_lists_the_review_and_the_proposals(
    submitted: Published, leader: User, secretariat: User, focal_point: User, world: World
) -> None:
    page = client_for(leader).get(reverse("my-work")).content.decode()
    assert "Duyệt đề nghị khen thưởng: 3 đề nghị chờ duyệt" in page
    page = client_for(secretariat).get(reverse("my-work")).content.decode()
    assert f"Đề nghị khen thưởng {world.bloc.name} năm 2018" in page
    assert "3 đề nghị chờ lãnh đạo duyệt." in page
    own = Proposal.objects.get(bloc_year=submitted.bloc_year, unit=world.member)
    review_services.proposal_return(
        proposal=Proposal.objects.select_related("bloc_year", "unit", "award_type").get(pk=own.pk),
        by=leader,
        note="Bổ sung.",
    )
    page = client_for(focal_point).get(reverse("my-work")).content.decode()
    assert "Đề nghị của đơn vị bị trả lại" in page and own.get_absolute_url() in page
    page = client_for(secretariat).get(reverse("my-work")).content.decode()
    assert "1 đề nghị bị trả lại: hoàn thiện rồi trình lại." in page


def test_the_packet_never_says_a_gate_passed_when_its_facts_were_never_entered(
    awards_world, leader: User
) -> None:
    """The head never entered its staff and discipline figures: the discipline gate reads
    "not checked", with who must enter them, instead of a tick."""
    proposal = awards_world.submitted_proposal
    page = client_for(leader).get(proposal.get_absolute_url()).content.decode()
    gate = page[page.index('class="gate-list"') :]
    gate = gate[: gate.index("</ul>")]
    discipline = next(item for item in gate.split("<li") if "kỷ luật, thanh tra" in item)
    assert 'class="gate-unknown"' in discipline
    assert "Chưa kiểm tra được:" in discipline and "Đạt:" not in discipline
    assert "Cán bộ đầu mối của đơn vị hoặc thư ký khối nhập" in discipline
