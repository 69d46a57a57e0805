"""Deadline reminders: three days ahead, to whoever still has to act, once."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from awards.models import Proposal
from blocs.models import BlocYear, User
from notifications.deadlines import send_deadline_reminders
from notifications.models import Notification
from scoring.models import ScoreSheet
from tests.conftest import AwardsWorld, ScoringWorld

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2020, 11, 20)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def set_due(bloc_year: BlocYear, **dates: datetime.date | None) -> None:
    BlocYear.objects.filter(pk=bloc_year.pk).update(**dates)


def reminded(today: datetime.date = TODAY) -> list[str]:
    send_deadline_reminders(today=today)
    return sorted(
        Notification.objects.filter(kind=Notification.Kind.DEADLINE).values_list(
            "recipient__username", flat=True
        )
    )


@pytest.fixture
def people(secretariat: User, focal_point: User, deputy_secretary: User, outsider: User) -> None:
    """thuky (head, secretariat), khoipho (deputy, secretariat), daumoi (member), an outsider."""


# ---------------------------------------------------------------------------- self-assessment


def test_three_days_before_the_self_assessment_due_date_units_that_have_not_sent_are_reminded(
    scoring_world: ScoringWorld, people, mailoutbox
) -> None:
    # The head's and the member's sheets are drafts; the deputy's was sent.
    set_due(scoring_world.bloc_year, self_assessment_due=days(3))
    assert reminded() == ["daumoi", "thuky"]
    notification = Notification.objects.get(recipient__username="daumoi")
    assert notification.title == "Còn 3 ngày đến hạn tự chấm điểm năm 2020"
    assert notification.body == (
        "Khối thi đua tham mưu III: hạn đơn vị gửi bảng tự chấm điểm năm 2020 là ngày "
        "23/11/2020. Bảng tự chấm của Báo Quảng Nam chưa gửi."
    )
    assert notification.url == scoring_world.draft_sheet.get_absolute_url()
    assert len(mailoutbox) == 0  # the fixtures' people have no address


@pytest.mark.parametrize("offset", [4, 10, -1])
def test_four_days_before_or_after_the_due_date_nothing_is_sent(
    scoring_world: ScoringWorld, people, offset: int
) -> None:
    set_due(
        scoring_world.bloc_year,
        self_assessment_due=days(offset),
        verification_due=days(offset),
        proposals_due=days(offset),
    )
    assert reminded() == []


def test_running_twice_the_same_day_or_the_next_sends_nothing_new(
    scoring_world: ScoringWorld, people
) -> None:
    set_due(scoring_world.bloc_year, self_assessment_due=days(3))
    first = send_deadline_reminders(today=TODAY)
    again = send_deadline_reminders(today=TODAY)
    next_day = send_deadline_reminders(today=days(1))
    assert (first.total, again.total, next_day.total) == (2, 0, 0)
    assert Notification.objects.count() == 2


def test_a_day_the_job_did_not_run_is_caught_up_and_the_due_day_says_so(
    scoring_world: ScoringWorld, people
) -> None:
    set_due(scoring_world.bloc_year, self_assessment_due=TODAY)
    assert reminded() == ["daumoi", "thuky"]
    assert Notification.objects.filter(title="Hôm nay là hạn tự chấm điểm năm 2020").count() == 2


def test_a_due_date_moved_later_gets_its_own_reminder(scoring_world: ScoringWorld, people) -> None:
    set_due(scoring_world.bloc_year, self_assessment_due=days(3))
    send_deadline_reminders(today=TODAY)
    set_due(scoring_world.bloc_year, self_assessment_due=days(10))
    assert send_deadline_reminders(today=days(7)).total == 2


def test_a_sheet_waiting_for_explanations_is_reminded_too(
    scoring_world: ScoringWorld, people
) -> None:
    ScoreSheet.objects.filter(pk=scoring_world.submitted_sheet.pk).update(
        state=ScoreSheet.State.RETURNED
    )
    set_due(scoring_world.bloc_year, self_assessment_due=days(2))
    assert reminded() == ["daumoi", "khoipho", "thuky"]
    assert (
        "đang chờ đơn vị giải trình" in Notification.objects.get(recipient__username="khoipho").body
    )


# ---------------------------------------------------------------------------- verification


def test_the_secretariat_is_reminded_to_verify_while_sheets_are_unverified(
    scoring_world: ScoringWorld, people
) -> None:
    set_due(scoring_world.bloc_year, verification_due=days(3))
    assert reminded() == ["khoipho", "thuky"]
    notification = Notification.objects.get(recipient__username="thuky")
    assert notification.title == "Còn 3 ngày đến hạn thẩm định điểm năm 2020"
    assert notification.body.endswith("còn 3 bảng điểm chưa thẩm định.")
    assert notification.url == f"/scoring/{scoring_world.bloc.pk}/2020/"


def test_no_verification_reminder_once_every_sheet_is_verified(
    scoring_world: ScoringWorld, people
) -> None:
    ScoreSheet.objects.filter(bloc_year=scoring_world.bloc_year).update(
        state=ScoreSheet.State.VERIFIED
    )
    set_due(scoring_world.bloc_year, verification_due=days(1))
    assert reminded() == []


def test_an_assigned_secretary_is_reminded_too(
    scoring_world: ScoringWorld, people, outsider: User
) -> None:
    scoring_world.bloc_year.secretaries.add(outsider)
    set_due(scoring_world.bloc_year, verification_due=days(3))
    assert reminded() == ["khoipho", "ngoaikhoi", "thuky"]


# ---------------------------------------------------------------------------- proposals


def test_the_secretariat_is_reminded_while_proposals_are_not_submitted(
    awards_world: AwardsWorld, people
) -> None:
    set_due(awards_world.provisional_year, proposals_due=days(3))  # 2019: one draft proposal
    assert reminded() == ["khoipho", "thuky"]
    notification = Notification.objects.get(recipient__username="thuky")
    assert notification.title == "Còn 3 ngày đến hạn trình đề nghị khen thưởng năm 2019"
    assert notification.body.endswith("còn 1 đề nghị chưa trình.")
    assert notification.url == f"/awards/{awards_world.bloc.pk}/2019/proposals/"


def test_no_proposal_reminder_once_the_list_is_submitted(awards_world: AwardsWorld, people) -> None:
    Proposal.objects.filter(bloc_year=awards_world.provisional_year).update(
        status=Proposal.Status.SUBMITTED
    )
    BlocYear.objects.filter(pk=awards_world.provisional_year.pk).update(
        state=BlocYear.State.PROPOSED
    )
    set_due(awards_world.provisional_year, proposals_due=days(3))
    assert reminded() == []


def test_a_bloc_that_has_proposed_nothing_yet_is_reminded(
    awards_world: AwardsWorld, people
) -> None:
    Proposal.objects.filter(bloc_year=awards_world.provisional_year).delete()
    set_due(awards_world.provisional_year, proposals_due=days(3))
    assert reminded() == ["khoipho", "thuky"]
    assert Notification.objects.first().body.endswith("khối chưa trình đề nghị nào.")  # type: ignore[union-attr]


# ---------------------------------------------------------------------------- the command


def test_the_command_reports_what_it_sent_and_is_idempotent(
    scoring_world: ScoringWorld, people, mail_everyone, mailoutbox
) -> None:
    set_due(scoring_world.bloc_year, self_assessment_due=days(3), verification_due=days(3))
    out = StringIO()
    call_command("send_deadline_reminders", "--date", TODAY.isoformat(), stdout=out)
    call_command("send_deadline_reminders", "--date", TODAY.isoformat(), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "20/11/2020: 1 khối-năm có hạn trong 3 ngày tới; đã tạo 4 thông báo nhắc hạn "
        "(tự chấm: 2, thẩm định: 2)."
    )
    assert (
        lines[1] == "20/11/2020: 1 khối-năm có hạn trong 3 ngày tới; đã tạo 0 thông báo nhắc hạn."
    )
    assert mailoutbox == []  # queued: the mail worker sends them
    call_command("deliver_mail", "--once", stdout=out)
    assert out.getvalue().splitlines()[2] == "Thư: đã gửi 4, sẽ thử lại 0, không gửi được 0."
    assert sorted(message.to[0] for message in mailoutbox) == [
        "daumoi@example.gov.vn",
        "khoipho@example.gov.vn",
        "thuky@example.gov.vn",
        "thuky@example.gov.vn",
    ]


def test_the_command_refuses_a_bad_date() -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_deadline_reminders", "--date", "20/11/2020")
