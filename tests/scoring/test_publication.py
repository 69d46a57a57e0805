"""Publication (provisional, the complaint window, final), complaints (lodged by members,
answered by the secretariat) and who may see a bloc-year's results at each step."""

from __future__ import annotations

import datetime
from contextlib import AbstractContextManager
from decimal import Decimal
from unittest.mock import patch

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from blocs import services as bloc_services
from blocs.models import BlocYear, User
from scoring.models import Complaint, Criterion, Publication, RankingSnapshot, ScoreLine
from scoring.services import ranking as ranking_services
from scoring.views.publication import can_see_results
from tests.conftest import RankingWorld, ScoringWorld, client_for, verified_year
from tests.factories import BlocFactory, CouncilFactory, UnitFactory

pytestmark = pytest.mark.django_db


def url(name: str, bloc_year: BlocYear, *args: object) -> str:
    return reverse(f"scoring:{name}", args=[bloc_year.bloc_id, bloc_year.year, *args])


def finalized_year(w: ScoringWorld, year: int = 2018) -> BlocYear:
    bloc_year = verified_year(w.bloc, year, [w.head, w.deputy, w.member])
    ranking_services.bloc_year_finalize(bloc_year=bloc_year, by=None)
    return bloc_year


def deadline(bloc_year: BlocYear) -> datetime.date:
    day = Publication.objects.get(bloc_year=bloc_year).complaint_deadline
    assert day is not None
    return day


def on(day: datetime.date) -> AbstractContextManager[object]:
    """Pretend today is ``day`` for the views and the services."""
    return patch("django.utils.timezone.localdate", return_value=day)


def leaf(bloc_year: BlocYear, code: str) -> Criterion:
    return Criterion.objects.get(criteria_set__seasons__bloc_year=bloc_year, code=code)


# ---------------------------------------------------------------------------- publication


def test_before_finalization_the_publish_page_points_to_finalizing(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    response = client_for(secretariat).get(url("publish", scoring_world.bloc_year))
    assert response.status_code == 200
    page = response.content.decode()
    assert url("finalize", scoring_world.bloc_year) in page
    assert 'name="days"' not in page


def test_provisional_publication_shows_what_will_happen_before_it_happens(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    bloc_year = finalized_year(scoring_world)
    client = client_for(secretariat)
    page = client.get(url("publish", bloc_year)).content.decode()
    assert 'name="days"' in page and 'value="5"' in page
    with on(datetime.date(2019, 1, 10)):
        response = client.post(url("publish", bloc_year), {"days": "7"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kiểm tra trước khi công bố tạm thời" in page
    assert "Hết ngày 17/01/2019 (7 ngày)" in page
    bloc_year.refresh_from_db()
    assert bloc_year.state == BlocYear.State.FINALIZED
    with on(datetime.date(2019, 1, 10)):
        response = client.post(url("publish", bloc_year), {"days": "7", "confirmed": "True"})
    assert response.status_code == 302
    bloc_year.refresh_from_db()
    assert bloc_year.state == BlocYear.State.PROVISIONAL
    publication = Publication.objects.get(bloc_year=bloc_year)
    assert publication.complaint_deadline == datetime.date(2019, 1, 17)
    assert publication.provisional_by == secretariat
    assert publication.provisional_at is not None


def test_a_complaint_window_out_of_range_is_shown_at_the_field(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    bloc_year = finalized_year(scoring_world)
    response = client_for(secretariat).post(
        url("publish", bloc_year), {"days": "90", "confirmed": "True"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page and 'href="#id_days"' in page
    assert 'value="90"' in page
    bloc_year.refresh_from_db()
    assert bloc_year.state == BlocYear.State.FINALIZED


def test_final_publication_is_refused_while_the_window_is_open(
    ranking_world: RankingWorld, secretariat: User
) -> None:
    bloc_year = ranking_world.provisional_year
    client = client_for(secretariat)
    # The button is disabled and says from which day it works.
    page = client.get(url("publish", bloc_year)).content.decode()
    opens = deadline(bloc_year) + datetime.timedelta(days=1)
    assert '<button type="button" class="button" disabled' in page
    assert f"Công bố chính thức được từ ngày {opens:%d/%m/%Y}, khi hết hạn khiếu nại" in page
    # A post anyway (an old tab) is refused by the service.
    response = client.post(url("publish", bloc_year), {"confirmed": "True"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert "Còn trong thời hạn khiếu nại" in page
    bloc_year.refresh_from_db()
    assert bloc_year.state == BlocYear.State.PROVISIONAL


def test_final_publication_is_refused_while_a_complaint_is_unanswered(
    ranking_world: RankingWorld, secretariat: User
) -> None:
    bloc_year = ranking_world.provisional_year
    with on(deadline(bloc_year) + datetime.timedelta(days=1)):
        page = client_for(secretariat).get(url("publish", bloc_year)).content.decode()
        assert "Công bố chính thức được khi mọi khiếu nại đã được trả lời." in page
        assert "disabled" in page
        response = client_for(secretariat).post(url("publish", bloc_year), {"confirmed": "True"})
    assert response.status_code == 200
    assert "Còn khiếu nại chưa trả lời." in response.content.decode()
    bloc_year.refresh_from_db()
    assert bloc_year.state == BlocYear.State.PROVISIONAL
    assert Publication.objects.get(bloc_year=bloc_year).final_at is None


def test_final_publication_after_the_deadline_with_every_complaint_answered(
    ranking_world: RankingWorld, secretariat: User, council_admin: User
) -> None:
    bloc_year = ranking_world.provisional_year
    ranking_services.complaint_answer(
        complaint=ranking_world.complaint, accepted=False, answer="Điểm đúng.", by=secretariat
    )
    client = client_for(council_admin)
    with on(deadline(bloc_year) + datetime.timedelta(days=1)):
        # The first post shows the check page of this step, which cannot be undone.
        check = client.post(url("publish", bloc_year))
        assert check.status_code == 200
        assert "Kiểm tra trước khi công bố chính thức" in check.content.decode()
        assert "không rút lại được" in check.content.decode()
        bloc_year.refresh_from_db()
        assert bloc_year.state == BlocYear.State.PROVISIONAL
        response = client.post(url("publish", bloc_year), {"confirmed": "True"})
    assert response.status_code == 302
    bloc_year.refresh_from_db()
    assert bloc_year.state == BlocYear.State.PUBLISHED
    publication = Publication.objects.get(bloc_year=bloc_year)
    assert publication.final_by == council_admin
    page = client.get(url("publish", bloc_year)).content.decode()
    assert "Kết quả đã công bố chính thức" in page
    assert council_admin.get_full_name() in page
    assert "Công bố chính thức</button>" not in page


# ---------------------------------------------------------------------------- complaints


def test_a_member_lodges_a_complaint_during_the_window(
    ranking_world: RankingWorld, focal_point: User
) -> None:
    bloc_year = ranking_world.provisional_year
    client = client_for(focal_point)
    page = client.get(url("complaints", bloc_year)).content.decode()
    assert "Gửi khiếu nại" in page
    assert "Điểm I.1 của Sở Giáo dục cao hơn thực tế." in page
    i2 = leaf(bloc_year, "I.2")
    response = client.post(
        url("complaints", bloc_year),
        {"about_unit": ranking_world.head.pk, "criteria": [i2.pk], "text": "Chỉ tiêu chưa đúng."},
    )
    assert response.status_code == 302
    complaint = Complaint.objects.exclude(pk=ranking_world.complaint.pk).get()
    assert complaint.unit == ranking_world.member
    assert complaint.about_unit == ranking_world.head
    assert list(complaint.criteria.all()) == [i2]
    assert complaint.created_by == focal_point


def test_the_lodge_form_shows_the_chosen_units_points_and_keeps_what_was_typed(
    ranking_world: RankingWorld, focal_point: User
) -> None:
    bloc_year = ranking_world.provisional_year
    client = client_for(focal_point)
    # The member's own points by default (third unit: I.1 = 6 − 2 × 0,5).
    page = client.get(url("complaints", bloc_year)).content.decode()
    assert "Điểm là điểm của Báo Quảng Nam" in page and "5,00" in page
    i1 = leaf(bloc_year, "I.1")
    response = client.post(
        url("complaints", bloc_year),
        {"about_unit": ranking_world.head.pk, "criteria": [i1.pk], "text": "Nháp", "show": "1"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Điểm là điểm của Sở Y tế" in page and "6,00" in page
    assert f'value="{i1.pk}" id="criterion-{i1.pk}" checked' in page
    assert "Nháp</textarea>" in page
    assert 'class="error-summary"' not in page
    assert Complaint.objects.count() == 1


def test_lodging_shows_errors_at_the_fields(ranking_world: RankingWorld, focal_point: User) -> None:
    bloc_year = ranking_world.provisional_year
    response = client_for(focal_point).post(
        url("complaints", bloc_year), {"about_unit": ranking_world.deputy.pk, "text": " "}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert 'href="#id_criteria"' in page and "Chọn ít nhất một tiêu chí." in page
    assert 'href="#id_text"' in page and "Ghi nội dung khiếu nại." in page
    assert Complaint.objects.count() == 1


def test_lodging_is_refused_after_the_deadline(
    ranking_world: RankingWorld, focal_point: User
) -> None:
    bloc_year = ranking_world.provisional_year
    client = client_for(focal_point)
    with on(deadline(bloc_year) + datetime.timedelta(days=1)):
        page = client.get(url("complaints", bloc_year)).content.decode()
        assert "Thời hạn khiếu nại đã hết" in page
        assert 'name="text"' not in page
        response = client.post(
            url("complaints", bloc_year),
            {
                "about_unit": ranking_world.deputy.pk,
                "criteria": [leaf(bloc_year, "I.2").pk],
                "text": "Muộn.",
            },
        )
    assert response.status_code == 200
    assert "Đã hết thời hạn khiếu nại." in response.content.decode()
    assert Complaint.objects.count() == 1


def test_the_last_day_of_the_window_still_counts(
    ranking_world: RankingWorld, focal_point: User
) -> None:
    bloc_year = ranking_world.provisional_year
    with on(deadline(bloc_year)):
        response = client_for(focal_point).post(
            url("complaints", bloc_year),
            {
                "about_unit": ranking_world.deputy.pk,
                "criteria": [leaf(bloc_year, "I.2").pk],
                "text": "Đúng hạn.",
            },
        )
    assert response.status_code == 302
    assert Complaint.objects.count() == 2


def test_an_outsider_can_neither_read_nor_lodge(
    ranking_world: RankingWorld, outsider: User
) -> None:
    bloc_year = ranking_world.provisional_year
    client = client_for(outsider)
    assert client.get(url("complaints", bloc_year)).status_code == 403
    response = client.post(
        url("complaints", bloc_year),
        {
            "about_unit": ranking_world.deputy.pk,
            "criteria": [leaf(bloc_year, "I.1").pk],
            "text": "x",
        },
    )
    assert response.status_code == 403
    assert client.get(url("complaint", bloc_year, ranking_world.complaint.pk)).status_code == 403
    assert Complaint.objects.count() == 1


def test_a_leader_reads_complaints_but_does_not_lodge(
    ranking_world: RankingWorld, leader: User
) -> None:
    bloc_year = ranking_world.provisional_year
    client = client_for(leader)
    page = client.get(url("complaints", bloc_year)).content.decode()
    assert "Điểm I.1 của Sở Giáo dục cao hơn thực tế." in page
    assert 'name="text"' not in page
    assert client.post(url("complaints", bloc_year), {"text": "x"}).status_code == 403


def test_the_secretariat_rejects_with_a_reason_the_unit_then_reads(
    ranking_world: RankingWorld, secretariat: User, focal_point: User
) -> None:
    bloc_year = ranking_world.provisional_year
    complaint_url = url("complaint", bloc_year, ranking_world.complaint.pk)
    response = client_for(secretariat).post(
        complaint_url, {"decision": "reject", "answer": "Biên bản kiểm tra xác nhận điểm."}
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get(pk=ranking_world.complaint.pk)
    assert complaint.status == Complaint.Status.REJECTED
    assert complaint.answered_by == secretariat
    assert complaint.snapshot is None
    assert RankingSnapshot.objects.filter(bloc_year=bloc_year).count() == 1
    page = client_for(focal_point).get(complaint_url).content.decode()
    assert "Lý do không chấp nhận" in page
    assert "Biên bản kiểm tra xác nhận điểm." in page
    assert 'name="answer"' not in page


def test_an_answer_is_mandatory(ranking_world: RankingWorld, secretariat: User) -> None:
    bloc_year = ranking_world.provisional_year
    response = client_for(secretariat).post(
        url("complaint", bloc_year, ranking_world.complaint.pk), {"decision": "reject"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_answer"' in page and "Ghi nội dung trả lời." in page
    assert Complaint.objects.get().status == Complaint.Status.OPEN


def test_accepting_with_a_corrected_value_writes_snapshot_two(
    ranking_world: RankingWorld, secretariat: User, focal_point: User
) -> None:
    bloc_year = ranking_world.provisional_year
    i1 = leaf(bloc_year, "I.1")
    complaint_url = url("complaint", bloc_year, ranking_world.complaint.pk)
    client = client_for(secretariat)
    page = client.get(complaint_url).content.decode()
    assert f'name="value_{i1.pk}"' in page and "5,50" in page  # the deputy's verified I.1
    response = client.post(
        complaint_url,
        {"decision": "accept", "answer": "Đúng, sửa lại I.1.", f"value_{i1.pk}": "4"},
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get(pk=ranking_world.complaint.pk)
    assert complaint.status == Complaint.Status.ACCEPTED
    assert complaint.snapshot is not None
    assert complaint.snapshot.number == 2
    assert complaint.snapshot.kind == RankingSnapshot.Kind.COMPLAINT
    line = ScoreLine.objects.get(
        sheet__bloc_year=bloc_year, sheet__unit=ranking_world.deputy, criterion=i1
    )
    assert line.verified_points == Decimal("4.00")
    first = {row.unit_id: row.total for row in ranking_world.snapshot.rows}
    second = {row.unit_id: row.total for row in complaint.snapshot.rows}
    assert first != second
    deputy = ranking_world.deputy.pk
    before, after = first[deputy], second[deputy]
    assert before is not None and after is not None
    assert before - after == Decimal("1.5")  # 5,5 → 4
    page = client_for(focal_point).get(complaint_url).content.decode()
    assert f"{url('snapshots', bloc_year)}#snapshot-2" in page


def test_accepting_without_a_new_value_changes_no_points(
    ranking_world: RankingWorld, secretariat: User
) -> None:
    bloc_year = ranking_world.provisional_year
    i1 = leaf(bloc_year, "I.1")
    response = client_for(secretariat).post(
        url("complaint", bloc_year, ranking_world.complaint.pk),
        {"decision": "accept", "answer": "Đã ghi nhận.", f"value_{i1.pk}": "5,5"},
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.status == Complaint.Status.ACCEPTED and complaint.snapshot is None
    assert RankingSnapshot.objects.filter(bloc_year=bloc_year).count() == 1


def test_a_corrected_value_out_of_range_is_shown_at_its_field(
    ranking_world: RankingWorld, secretariat: User
) -> None:
    bloc_year = ranking_world.provisional_year
    i1 = leaf(bloc_year, "I.1")
    response = client_for(secretariat).post(
        url("complaint", bloc_year, ranking_world.complaint.pk),
        {"decision": "accept", "answer": "Sửa.", f"value_{i1.pk}": "9"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="#id_value_{i1.pk}"' in page
    assert "Điểm không được vượt điểm tối đa 6." in page
    assert 'value="9"' in page
    assert Complaint.objects.get().status == Complaint.Status.OPEN
    assert RankingSnapshot.objects.filter(bloc_year=bloc_year).count() == 1


def test_members_cannot_answer_complaints(ranking_world: RankingWorld, focal_point: User) -> None:
    bloc_year = ranking_world.provisional_year
    response = client_for(focal_point).post(
        url("complaint", bloc_year, ranking_world.complaint.pk),
        {"decision": "reject", "answer": "Tự trả lời."},
    )
    assert response.status_code == 403
    assert Complaint.objects.get().status == Complaint.Status.OPEN


def test_a_complaint_of_another_bloc_year_is_not_found(
    ranking_world: RankingWorld, secretariat: User
) -> None:
    response = client_for(secretariat).get(
        url("complaint", ranking_world.bloc_year, ranking_world.complaint.pk)
    )
    assert response.status_code == 404


# ---------------------------------------------------------------------------- visibility


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (BlocYear.State.SCORING, {"manager", "admin", "leader"}),
        (BlocYear.State.FINALIZED, {"manager", "admin", "leader"}),
        (BlocYear.State.PROVISIONAL, {"manager", "admin", "leader", "member"}),
        (
            BlocYear.State.PUBLISHED,
            {"manager", "admin", "leader", "member", "outsider", "anonymous"},
        ),
        (
            BlocYear.State.DECIDED,
            {"manager", "admin", "leader", "member", "outsider", "anonymous"},
        ),
    ],
)
def test_who_sees_the_results_at_each_step(
    ranking_world: RankingWorld,
    state: str,
    expected: set[str],
    secretariat: User,
    council_admin: User,
    leader: User,
    focal_point: User,
    outsider: User,
) -> None:
    bloc_year = ranking_world.provisional_year
    BlocYear.objects.filter(pk=bloc_year.pk).update(state=state)
    people: dict[str, User | AnonymousUser] = {
        "manager": secretariat,
        "admin": council_admin,
        "leader": leader,
        "member": focal_point,
        "outsider": outsider,
        "anonymous": AnonymousUser(),
    }
    seen = set()
    for name, person in people.items():
        fresh = BlocYear.objects.select_related("bloc__council").get(pk=bloc_year.pk)
        if can_see_results(person, fresh):
            seen.add(name)
    assert seen == expected


def test_a_leader_of_another_council_does_not_see_unpublished_results(
    ranking_world: RankingWorld,
) -> None:
    other = UnitFactory.create(council=CouncilFactory.create())
    stranger = bloc_services.user_create(
        username="lanhdaokhac", password="x", unit=other, role=User.Role.LEADER
    )
    assert not can_see_results(stranger, ranking_world.provisional_year)


def test_nothing_unpublished_reaches_a_unit_or_the_public(
    ranking_world: RankingWorld, focal_point: User, secretariat: User
) -> None:
    bloc_year = ranking_world.provisional_year
    live = reverse("scoring:ranking-download", args=[ranking_world.bloc.pk, 2020, "csv"])
    assert client_for(focal_point).get(live).status_code == 403
    assert client_for(None).get(live).status_code == 302
    provisional = url("ranking-download", bloc_year, "csv")
    response = client_for(None).get(provisional)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client_for(None).get(url("complaints", bloc_year)).status_code == 302
    ranking_services.complaint_answer(
        complaint=ranking_world.complaint, accepted=False, answer="Không.", by=secretariat
    )
    ranking_services.publish_final(
        bloc_year=bloc_year, by=secretariat, today=deadline(bloc_year) + datetime.timedelta(days=1)
    )
    response = client_for(None).get(provisional)
    assert response.status_code == 200
    assert "Sở Giáo dục và Đào tạo" in response.content.decode("utf-8-sig")
    # Complaints stay among the people concerned, even after the final publication.
    assert client_for(None).get(url("complaints", bloc_year)).status_code == 302


def test_an_outsider_sees_the_results_only_once_published(
    ranking_world: RankingWorld, outsider: User
) -> None:
    bloc_year = ranking_world.provisional_year
    client = client_for(outsider)
    assert client.get(url("ranking-download", bloc_year, "json")).status_code == 403
    BlocYear.objects.filter(pk=bloc_year.pk).update(state=BlocYear.State.PUBLISHED)
    assert client.get(url("ranking-download", bloc_year, "json")).status_code == 200


# ---------------------------------------------------------------------------- query budget


def provisional_bloc(scale: int) -> tuple[BlocYear, User, User]:
    """A bloc of 3×scale members, finalized and provisionally published, with one complaint
    per member; its head's focal point (secretariat) and an ordinary member's."""
    council = CouncilFactory.create()
    units = [UnitFactory.create(council=council) for _ in range(3 * scale)]
    bloc_year = verified_year(BlocFactory.create(council=council), 2019, units)
    ranking_services.bloc_year_finalize(bloc_year=bloc_year, by=None)
    ranking_services.publish_provisional(bloc_year=bloc_year, by=None)
    criteria = list(Criterion.objects.filter(criteria_set__seasons__bloc_year=bloc_year))
    leaves = [criterion for criterion in criteria if criterion.code.count(".") == 1]
    for index, unit in enumerate(units):
        ranking_services.complaint_lodge(
            bloc_year=bloc_year,
            unit=unit,
            about_unit=units[(index + 1) % len(units)],
            criteria=leaves[:2],
            text=f"Khiếu nại {index}",
            by=None,
        )
    secretary = bloc_services.user_create(username="thuky", password="x", unit=units[0])
    member = bloc_services.user_create(username="daumoi", password="x", unit=units[2])
    return bloc_year, secretary, member


@pytest.mark.parametrize("scale", [1, 4])
def test_the_complaints_page_costs_the_same_whatever_the_size(
    scale: int, django_assert_num_queries
) -> None:
    bloc_year, secretary, member = provisional_bloc(scale)
    as_member, as_secretary = client_for(member), client_for(secretary)
    # bloc-year, session, user, secretariat rights, members, publication, [the lodge form:
    # members with units, their former names, criteria, latest snapshot], complaints, the
    # former names of the units lodging and complained about, the complaints' criteria and
    # their files.
    with django_assert_num_queries(15):
        response = as_member.get(url("complaints", bloc_year))
    assert response.status_code == 200
    assert response.content.decode().count("badge-open") == 3 * scale
    assert 'name="text"' in response.content.decode()
    with django_assert_num_queries(15):
        response = as_secretary.get(url("complaints", bloc_year))
    assert response.status_code == 200


@pytest.mark.parametrize("scale", [1, 4])
def test_a_complaint_page_costs_the_same_whatever_the_size(
    scale: int, django_assert_num_queries
) -> None:
    bloc_year, secretary, _member = provisional_bloc(scale)
    complaint = Complaint.objects.filter(bloc_year=bloc_year).first()
    assert complaint is not None
    client = client_for(secretary)
    # bloc-year, session, user, secretariat rights, the complaint, the former names of both
    # units, its criteria, its files, the lines to correct, the latest snapshot.
    with django_assert_num_queries(11):
        response = client.get(url("complaint", bloc_year, complaint.pk))
    assert response.status_code == 200
