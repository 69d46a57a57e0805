"""Each event tells the right people, in Vietnamese, with a link to what it is about."""

from __future__ import annotations

import pytest

from awards.models import Proposal
from awards.services import decisions as decision_services
from awards.services import review as review_services
from blocs.models import User
from notifications.models import Notification
from scoring.models import ScoreSheet
from scoring.services import sheets as sheet_services
from scoring.services import transitions
from tests.conftest import AwardsWorld, ScoringWorld
from tests.notifications.conftest import fill_self

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def told(kind: str) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


# ---------------------------------------------------------------------------- score sheets


def test_the_head_units_own_sheet_is_announced_to_the_deputy_only(
    scoring_world: ScoringWorld,
    secretariat: User,
    deputy_secretary: User,
    django_capture_on_commit_callbacks,
) -> None:
    sheet = fill_self(
        ScoreSheet.objects.get(bloc_year=scoring_world.bloc_year, unit=scoring_world.head)
    )
    with django_capture_on_commit_callbacks(execute=True):
        transitions.sheet_submit(sheet=sheet, by=secretariat)
    assert told(Kind.SHEET_SUBMITTED) == ["khoipho"]
    notification = Notification.objects.get()
    assert notification.title == "Sở Y tế đã gửi bảng tự chấm năm 2020"
    assert "Khối thi đua tham mưu III" in notification.body


def test_a_sheet_returned_for_explanation_tells_the_units_focal_points_what_to_explain(
    scoring_world: ScoringWorld,
    secretariat: User,
    deputy_secretary: User,
    focal_point: User,
    django_capture_on_commit_callbacks,
) -> None:
    sheet = scoring_world.submitted_sheet  # the deputy's, answered and sent back
    codes = dict(scoring_world.criteria_set.criteria.values_list("code", "id"))
    with django_capture_on_commit_callbacks(execute=True):
        transitions.sheet_return_for_explanation(
            sheet=sheet, questions={codes["I.2"]: "Chỉ tiêu giao là bao nhiêu?"}, by=secretariat
        )
    assert told(Kind.SHEET_RETURNED) == ["khoipho"]
    notification = Notification.objects.get()
    assert notification.title == "Bảng tự chấm năm 2020 cần giải trình"
    assert "giải trình 1 tiêu chí" in notification.body
    assert "I.2" in notification.body
    assert notification.url == sheet.get_absolute_url()


def test_a_verified_sheet_tells_the_units_focal_points(
    scoring_world: ScoringWorld,
    secretariat: User,
    focal_point: User,
    django_capture_on_commit_callbacks,
) -> None:
    sheet = fill_self(scoring_world.draft_sheet)
    transitions.sheet_submit(sheet=sheet, by=focal_point)
    sheet.refresh_from_db()
    sheet_services.sheet_accept_self(sheet=sheet, version=sheet.version, by=secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        transitions.sheet_mark_verified(sheet=sheet, by=secretariat)
    assert told(Kind.SHEET_VERIFIED) == ["daumoi"]
    assert Notification.objects.get().title == "Bảng điểm năm 2020 đã được thẩm định"


def test_a_sheet_submitted_again_after_reopening_is_a_new_event(
    scoring_world: ScoringWorld,
    secretariat: User,
    focal_point: User,
    django_capture_on_commit_callbacks,
) -> None:
    sheet = fill_self(scoring_world.draft_sheet)
    with django_capture_on_commit_callbacks(execute=True):
        transitions.sheet_submit(sheet=sheet, by=focal_point)
        sheet.refresh_from_db()
        sheet_services.sheet_accept_self(sheet=sheet, version=sheet.version, by=None)
        transitions.sheet_mark_verified(sheet=sheet, by=None)
        transitions.sheet_reopen(sheet=sheet, reason="Sai số liệu", by=None)
        transitions.sheet_mark_verified(sheet=sheet, by=None)
    assert Notification.objects.filter(kind=Kind.SHEET_VERIFIED).count() == 2


# ---------------------------------------------------------------------------- proposals


@pytest.fixture
def member_proposal(awards_world: AwardsWorld) -> Proposal:
    """The focal point's unit's provincial-flag proposal, submitted to the leaders."""
    proposal = awards_world.draft_proposal
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.SUBMITTED)
    proposal.refresh_from_db()
    return proposal


@pytest.fixture
def everyone(secretariat: User, deputy_secretary: User, focal_point: User, leader: User) -> None:
    """The 2019 secretariat (head's and deputy's focal points), the unit and a leader."""


def test_an_approved_proposal_tells_the_secretariat_and_the_unit(
    member_proposal: Proposal, everyone, leader: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        review_services.proposal_approve(proposal=member_proposal, by=leader, note="Xứng đáng.")
    assert told(Kind.PROPOSAL_APPROVED) == ["daumoi", "khoipho", "thuky"]
    notification = Notification.objects.first()
    assert notification is not None
    assert notification.title == (
        "Đề nghị “Cờ thi đua của Ủy ban nhân dân tỉnh” cho Báo Quảng Nam đã được duyệt"
    )
    assert notification.body.endswith("Ý kiến: Xứng đáng.")
    assert notification.url == member_proposal.get_absolute_url()


def test_a_returned_proposal_tells_the_secretariat_only_with_the_note(
    member_proposal: Proposal, everyone, leader: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        review_services.proposal_return(
            proposal=member_proposal, by=leader, note="Bổ sung số liệu năm 2019."
        )
    assert told(Kind.PROPOSAL_RETURNED) == ["khoipho", "thuky"]
    assert "Bổ sung số liệu năm 2019." in Notification.objects.first().body  # type: ignore[union-attr]


def test_a_rejected_proposal_tells_the_secretariat_and_the_unit_with_the_reason(
    member_proposal: Proposal, everyone, leader: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        review_services.proposal_reject(
            proposal=member_proposal, by=leader, note="Chưa đủ điều kiện."
        )
    assert told(Kind.PROPOSAL_REJECTED) == ["daumoi", "khoipho", "thuky"]
    assert Notification.objects.first().body.endswith("Lý do: Chưa đủ điều kiện.")  # type: ignore[union-attr]


def test_a_proposal_returned_twice_is_two_events(
    member_proposal: Proposal, everyone, leader: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        review_services.proposal_return(proposal=member_proposal, by=leader, note="Lần một.")
        Proposal.objects.filter(pk=member_proposal.pk).update(status=Proposal.Status.SUBMITTED)
        member_proposal.refresh_from_db()
        review_services.proposal_return(proposal=member_proposal, by=leader, note="Lần hai.")
    assert (
        Notification.objects.filter(
            kind=Kind.PROPOSAL_RETURNED, recipient__username="thuky"
        ).count()
        == 2
    )


def test_a_decision_tells_the_secretariat_and_the_unit(
    awards_world: AwardsWorld,
    member_proposal: Proposal,
    everyone,
    council_admin: User,
    django_capture_on_commit_callbacks,
) -> None:
    Proposal.objects.filter(pk=member_proposal.pk).update(status=Proposal.Status.APPROVED)
    member_proposal.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        decision_services.decision_attach(
            decision=awards_world.decision,
            proposals=[member_proposal],
            votes={member_proposal.pk: (15, 15)},
            by=council_admin,
        )
    assert told(Kind.PROPOSAL_DECIDED) == ["daumoi", "khoipho", "thuky"]
    notification = Notification.objects.first()
    assert notification is not None
    assert notification.title == (
        "Báo Quảng Nam: “Cờ thi đua của Ủy ban nhân dân tỉnh” theo Quyết định số 123/QĐ-UBND"
    )
    assert "ngày 01/03/2020" in notification.body
    assert (
        notification.event_key
        == f"proposal:{member_proposal.pk}:decided:{awards_world.decision.pk}"
    )


def test_a_refused_review_tells_nobody(
    member_proposal: Proposal, everyone, leader: User, django_capture_on_commit_callbacks
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(review_services.StateError),
    ):
        review_services.proposal_return(proposal=member_proposal, by=leader, note=" ")
    assert callbacks == []
    assert Notification.objects.count() == 0
