"""Issue 17, "Việc của tôi": tasks follow the role the unit had in each year, a sent sheet
waits for verification, the council admin follows the years underway, and the steps of the
publication wait on the right people."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from blocs.models import BlocYear, User
from blocs.tasks import tasks_for as bloc_tasks
from blocs.work import Task, TaskStatus
from scoring.models import Publication
from scoring.services import ranking as ranking_services
from scoring.services import transitions
from scoring.tasks import tasks_for as scoring_tasks
from tests.conftest import RankingWorld, ScoringWorld, client_for, verified_year
from tests.notifications.conftest import fill_self

pytestmark = pytest.mark.django_db


def all_tasks(user: User) -> list[Task]:
    from awards.tasks import tasks_for as award_tasks

    return scoring_tasks(user) + bloc_tasks(user) + award_tasks(user)


def secretariat_titles(user: User) -> list[str]:
    return sorted(str(task.title) for task in all_tasks(user) if task.group == "Thư ký khối")


def test_tasks_follow_the_role_the_unit_had_in_that_year(
    scoring_world: ScoringWorld, secretariat: User, focal_point: User
) -> None:
    w = scoring_world
    # 2019: Báo Quảng Nam (daumoi) was the head and Sở Y tế (thuky) a plain member;
    # 2020: the other way round.
    verified_year(w.bloc, 2019, [w.member, w.deputy, w.head])
    assert secretariat_titles(focal_point) == [
        "Thẩm định bảng điểm Khối thi đua tham mưu III năm 2019",
        "Điều hành Khối thi đua tham mưu III năm 2019",
    ]
    assert secretariat_titles(secretariat) == [
        "Thẩm định bảng điểm Khối thi đua tham mưu III năm 2020",
        "Điều hành Khối thi đua tham mưu III năm 2020",
    ]


def test_a_sent_sheet_waits_for_verification_not_for_a_previous_step(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    transitions.sheet_submit(sheet=fill_self(scoring_world.draft_sheet), by=focal_point)
    (sheet_task,) = [task for task in scoring_tasks(focal_point) if "Tự chấm" in str(task.title)]
    assert sheet_task.status == TaskStatus.WAITING
    assert sheet_task.status_label == "Chờ thẩm định"
    html = client_for(focal_point).get(reverse("my-work")).content.decode()
    assert "Chờ thẩm định" in html and "Chờ bước trước" not in html


def test_a_council_admin_follows_the_years_underway(
    scoring_world: ScoringWorld, council_admin: User
) -> None:
    decided = verified_year(scoring_world.bloc, 2018, [scoring_world.head, scoring_world.deputy])
    BlocYear.objects.filter(pk=decided.pk).update(state=BlocYear.State.DECIDED)
    follow = [task for task in bloc_tasks(council_admin) if "Theo dõi" in str(task.title)]
    assert sorted(str(task.title) for task in follow) == [
        "Theo dõi Khối thi đua tham mưu I năm 2020",
        "Theo dõi Khối thi đua tham mưu III năm 2020",
    ]
    assert all(task.group == "Quản trị hội đồng" for task in follow)
    (scoring,) = [task for task in follow if "III" in str(task.title)]
    assert scoring.hint == "Bước hiện tại: Đang chấm điểm"
    assert scoring.url == scoring_world.bloc_year.get_absolute_url()
    html = client_for(council_admin).get(reverse("my-work")).content.decode()
    assert "Theo dõi Khối thi đua tham mưu III năm 2020" in html
    assert "năm 2018" not in html  # decided: over


def test_provisional_results_are_a_task_for_members_and_complaints_for_the_secretariat(
    ranking_world: RankingWorld, focal_point: User, secretariat: User
) -> None:
    w = ranking_world
    deadline = Publication.objects.get(bloc_year=w.provisional_year).complaint_deadline
    (results,) = [task for task in scoring_tasks(focal_point) if "Kết quả" in str(task.title)]
    assert str(results.title) == "Kết quả tạm thời năm 2019 (Khối thi đua tham mưu III)"
    assert results.deadline == deadline
    assert results.url == reverse("scoring:ranking", args=[w.bloc.pk, 2019])
    (answer,) = [task for task in scoring_tasks(secretariat) if "khiếu nại" in str(task.title)]
    assert str(answer.title) == "Trả lời 1 khiếu nại – Khối thi đua tham mưu III năm 2019"
    assert answer.status == TaskStatus.TO_DO
    assert answer.url == reverse("scoring:complaints", args=[w.bloc.pk, 2019])
    # Answered, window still open: the secretariat waits; closed: it publishes for good.
    ranking_services.complaint_answer(
        complaint=w.complaint, accepted=False, answer="Đúng.", by=None
    )
    (waiting,) = [task for task in scoring_tasks(secretariat) if "khiếu nại" in str(task.title)]
    assert (waiting.status, waiting.status_label, waiting.deadline) == (
        TaskStatus.WAITING,
        "Đang nhận khiếu nại",
        deadline,
    )
    Publication.objects.filter(bloc_year=w.provisional_year).update(
        complaint_deadline=datetime.date(2020, 1, 1)
    )
    (publish,) = [task for task in scoring_tasks(secretariat) if "Công bố" in str(task.title)]
    assert str(publish.title) == "Công bố chính thức kết quả Khối thi đua tham mưu III năm 2019"
    assert publish.url == reverse("scoring:publish", args=[w.bloc.pk, 2019])
    # A member of the year sees when the window closed.
    (results,) = [task for task in scoring_tasks(focal_point) if "Kết quả" in str(task.title)]
    assert "Đã hết thời hạn khiếu nại" in str(results.hint)


def test_a_decided_year_leaves_no_secretariat_task(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    w = scoring_world
    year = verified_year(w.bloc, 2019, [w.member, w.deputy, w.head])
    BlocYear.objects.filter(pk=year.pk).update(state=BlocYear.State.DECIDED)
    assert not [title for title in secretariat_titles(focal_point) if "2019" in title]


def test_the_verification_task_counts_a_sheet_returned_for_explanation_apart(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    from scoring.models import ScoreSheet

    sheets = ScoreSheet.objects.filter(bloc_year=scoring_world.bloc_year)
    total = sheets.count()
    ScoreSheet.objects.filter(pk=scoring_world.draft_sheet.pk).update(
        state=ScoreSheet.State.RETURNED
    )
    drafts = sheets.filter(state=ScoreSheet.State.DRAFT).count()
    (verify,) = [t for t in scoring_tasks(secretariat) if "Thẩm định" in str(t.title)]
    assert total > drafts + 1  # the world has other sheets besides the returned one
    expected = "1 đơn vị đang giải trình" + (
        f"; {drafts} đơn vị chưa gửi bảng tự chấm." if drafts else "."
    )
    assert str(verify.hint).endswith(expected)
