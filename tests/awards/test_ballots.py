"""The secret ballot: recording the tally, pass or fail, the ballot paper and the tally sheet."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from awards.eligibility import Gates
from awards.eligibility import ballot_passed as passes
from awards.models import Ballot, BallotResult
from awards.services.ballots import ballot_record, vote_field
from blocs import services as bloc_services
from blocs.models import AuditEntry, BlocYear, User
from scoring.services import ranking as ranking_services
from tests.conftest import AwardsWorld, client_for, verified_year
from tests.factories import BlocFactory, CouncilFactory, UnitFactory

pytestmark = pytest.mark.django_db


def url(name: str, bloc_year: BlocYear, query: str = "") -> str:
    return reverse(f"awards:{name}", args=[bloc_year.bloc_id, bloc_year.year]) + query


def counts(**changes: Any) -> dict[str, Any]:
    return {
        "held_on": "15/01/2020",
        "place": "Hội trường Sở Y tế",
        "members_present": "3",
        "ballots_issued": "3",
        "ballots_returned": "3",
        "ballots_valid": "3",
        "note": "",
        **changes,
    }


def record(w: AwardsWorld, present: int, votes: dict[tuple[str, int], int]) -> Ballot:
    return ballot_record(
        bloc_year=w.provisional_year,
        held_on=datetime.date(2020, 1, 15),
        place="",
        members_present=present,
        issued=present,
        returned=present,
        valid=present,
        votes=votes,
        note="",
        by=None,
    )


def test_quorum_is_met_at_exactly_two_thirds_and_not_below(
    awards_world: AwardsWorld, secretariat: User
) -> None:
    w = awards_world
    client = client_for(secretariat)
    data = counts(members_present="2", ballots_issued="2", ballots_returned="2", ballots_valid="2")
    assert client.post(url("ballot", w.provisional_year), data).status_code == 302
    page = client.get(url("ballot", w.provisional_year)).content.decode()
    assert "đủ túc số: 2/3 ≥ 2/3" in page and "không đủ túc số" not in page
    data = counts(members_present="1", ballots_issued="1", ballots_returned="1", ballots_valid="1")
    assert client.post(url("ballot", w.provisional_year), data).status_code == 302
    page = client.get(url("ballot", w.provisional_year)).content.decode()
    assert "không đủ túc số: 1/3 &lt; 2/3" in page


def test_inconsistent_counts_are_refused_at_their_fields_and_nothing_is_written(
    awards_world: AwardsWorld, secretariat: User
) -> None:
    w = awards_world
    data = counts(
        members_present="4",  # 3 members
        ballots_issued="3",
        ballots_returned="4",
        ballots_valid="5",
        **{vote_field("PROV_CERT", w.deputy.pk): "1"},
    )
    response = client_for(secretariat).post(url("ballot", w.provisional_year), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["members_present"] == ["Không được lớn hơn tổng số thành viên của khối (3)."]
    assert errors["ballots_returned"] == ["Không được lớn hơn số phiếu phát ra (3)."]
    assert errors["ballots_valid"] == ["Không được lớn hơn số phiếu thu về (4)."]
    page = response.content.decode()
    assert 'class="error-summary"' in page and 'href="#id_ballots_valid"' in page
    ballot = Ballot.objects.get(bloc_year=w.provisional_year)
    assert (ballot.members_present, ballot.ballots_valid) == (3, 3)
    assert (
        BallotResult.objects.count() == 2
        and not AuditEntry.objects.filter(action__startswith="ballot.").exists()
    )


def test_more_ballots_issued_than_members_present_is_refused(
    awards_world: AwardsWorld, secretariat: User
) -> None:
    data = counts(members_present="2", ballots_issued="3", ballots_returned="2", ballots_valid="2")
    response = client_for(secretariat).post(url("ballot", awards_world.provisional_year), data)
    assert response.context["form"].errors == {
        "ballots_issued": ["Không được lớn hơn số thành viên có mặt (2)."]
    }


def test_votes_above_the_valid_ballots_are_refused(
    awards_world: AwardsWorld, secretariat: User
) -> None:
    w = awards_world
    cell = vote_field("GOV_FLAG", w.head.pk)
    data = counts(ballots_valid="2", **{cell: "3"})
    response = client_for(secretariat).post(url("ballot", w.provisional_year), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {cell: ["Không được lớn hơn số phiếu hợp lệ (2)."]}
    assert f'href="#id_{cell}"' in response.content.decode()
    assert Ballot.objects.get(bloc_year=w.provisional_year).ballots_valid == 3
    with pytest.raises(ValidationError) as error:
        record(w, 2, {("GOV_FLAG", w.head.pk): 3})
    assert set(error.value.message_dict) == {cell}


def test_recording_again_replaces_the_previous_results(
    awards_world: AwardsWorld, secretariat: User
) -> None:
    w = awards_world
    data = counts(**{vote_field("PROV_CERT", w.deputy.pk): "2"})
    assert client_for(secretariat).post(url("ballot", w.provisional_year), data).status_code == 302
    results = list(BallotResult.objects.values_list("award_type__code", "unit_id", "votes_for"))
    assert results == [("PROV_CERT", w.deputy.pk, 2)]
    entry = AuditEntry.objects.get(action="ballot.replace")
    assert entry.actor == secretariat and entry.context == f"awards:{w.provisional_year.pk}"
    assert entry.changes["before"]["votes"] == {
        f"GOV_FLAG:{w.head.pk}": 3,
        f"PROV_FLAG:{w.member.pk}": 2,
    }
    assert entry.changes["after"]["votes"] == {f"PROV_CERT:{w.deputy.pk}": 2}
    assert Ballot.objects.get().recorded_by == secretariat


def test_a_candidate_must_be_a_member_and_the_award_needs_a_ballot(
    awards_world: AwardsWorld,
) -> None:
    w = awards_world
    with pytest.raises(ValidationError):
        record(w, 3, {("GOV_FLAG", w.outsider_unit.pk): 1})
    with pytest.raises(ValidationError):
        record(w, 3, {("ADVANCED_COLLECTIVE", w.member.pk): 1})  # no ballot for unit titles
    assert BallotResult.objects.count() == 2


def test_pass_or_fail_is_shown_with_the_share_of_members(
    awards_world: AwardsWorld, focal_point: User
) -> None:
    w = awards_world
    record(w, 3, {("PROV_FLAG", w.member.pk): 2, ("PROV_CERT", w.deputy.pk): 1})
    response = client_for(focal_point).get(url("ballot", w.provisional_year))
    sections = {section.award.code: section for section in response.context["sections"]}
    assert [line.unit.unit_id for line in sections["GOV_FLAG"].lines] == []
    (member,) = sections["PROV_FLAG"].lines
    (deputy,) = sections["PROV_CERT"].lines
    assert member.unit.unit_id == w.member.pk and deputy.unit.unit_id == w.deputy.pk
    assert member.outcome.share == Decimal("66.67") and member.outcome.passed
    assert deputy.outcome.share == Decimal("33.33") and not deputy.outcome.passed
    page = response.content.decode()
    assert "66,67%" in page and "33,33%" in page
    assert "✓</span> Đạt" in page and "✗</span> Không đạt" in page  # a sign, not colour alone


def test_the_threshold_is_strictly_above_half_unless_the_rule_set_says_otherwise() -> None:
    strict = Gates(code="X", name="X", order=1, min_ballot_share=Decimal(50))
    assert not passes(strict, Decimal(50)) and passes(strict, Decimal("50.01"))
    loose = Gates(
        code="X", name="X", order=1, min_ballot_share=Decimal(50), ballot_strictly_above=False
    )
    assert passes(loose, Decimal(50)) and not passes(loose, Decimal("49.99"))


def test_the_page_prefills_the_rankings_suggestions(
    awards_world: AwardsWorld, secretariat: User
) -> None:
    w = awards_world
    Ballot.objects.all().delete()
    response = client_for(secretariat).get(url("ballot", w.provisional_year))
    grid = {row.unit_id: row for row in response.context["grid"]}
    assert next(row.unit_id for row in response.context["grid"]) == w.head.pk  # rank order
    gov = {unit_id: row.cells[0] for unit_id, row in grid.items()}
    assert gov[w.head.pk].award.code == "GOV_FLAG" and gov[w.head.pk].suggested
    assert not gov[w.member.pk].suggested
    assert all(cell.field.value() in (None, "") for row in grid.values() for cell in row.cells)
    assert [award.code for award, _threshold in response.context["columns"]] == [
        "GOV_FLAG",
        "PROV_FLAG",
        "PROV_CERT",
    ]
    assert "gợi ý" in response.content.decode()


def test_members_and_leaders_read_the_ballot_without_a_form(
    awards_world: AwardsWorld, focal_point: User, leader: User
) -> None:
    w = awards_world
    for person in (focal_point, leader):
        client = client_for(person)
        response = client.get(url("ballot", w.provisional_year))
        assert response.status_code == 200 and response.context["form"] is None
        page = response.content.decode()
        assert "không gắn phiếu nào với người bỏ phiếu" in page
        assert 'name="ballots_valid"' not in page
        assert client.post(url("ballot", w.provisional_year), counts()).status_code == 403
    assert Ballot.objects.get().ballots_valid == 3


def test_there_is_no_form_before_the_ranking_is_finalized(
    scoring_world: Any, secretariat: User
) -> None:
    bloc_year = scoring_world.bloc_year  # 2020: still scoring
    client = client_for(secretariat)
    response = client.get(url("ballot", bloc_year))
    assert response.status_code == 200 and response.context["form"] is None
    assert "Kết quả xếp hạng năm này chưa chốt" in response.content.decode()
    response = client.post(url("ballot", bloc_year), counts(held_on="15/01/2021"))
    assert response.status_code == 302 and not Ballot.objects.filter(bloc_year=bloc_year).exists()
    with pytest.raises(ValidationError):
        ballot_record(
            bloc_year=bloc_year,
            held_on=datetime.date(2021, 1, 15),
            place="",
            members_present=3,
            issued=3,
            returned=3,
            valid=3,
            votes={},
            note="",
            by=None,
        )


def test_the_ballot_paper_prints_one_copy_per_member_by_default(
    awards_world: AwardsWorld, secretariat: User
) -> None:
    w = awards_world
    client = client_for(secretariat)
    page = client.get(url("ballot-paper", w.provisional_year)).content.decode()
    assert page.count('<h1 class="doc-title">PHIẾU BẦU</h1>') == 3
    assert "Bình xét, suy tôn khen thưởng năm 2019" in page
    assert "Đánh dấu X vào ô lựa chọn; phiếu không đánh dấu hoặc đánh dấu cả hai ô" in page
    # The recorded candidates: the head for the Government flag, the member for the provincial.
    assert "Sở Y tế" in page and "Báo Quảng Nam" in page
    assert "thuky" not in page  # no voter's name anywhere
    page = client.get(url("ballot-paper", w.provisional_year, "?copies=5")).content.decode()
    assert page.count('class="page ballot-paper"') == 5
    page = client.get(url("ballot-paper", w.provisional_year, "?copies=999")).content.decode()
    assert page.count('class="page ballot-paper"') == 60
    page = client.get(url("ballot-paper", w.provisional_year, "?copies=abc")).content.decode()
    assert page.count('class="page ballot-paper"') == 3


def test_the_tally_sheet_shows_the_recorded_counts(
    awards_world: AwardsWorld, focal_point: User
) -> None:
    w = awards_world
    page = client_for(focal_point).get(url("ballot-tally", w.provisional_year)).content.decode()
    assert "BIÊN BẢN KIỂM PHIẾU" in page
    assert "Quảng Nam, ngày 15 tháng 01 năm 2020" in page
    assert "TỔ TRƯỞNG TỔ KIỂM PHIẾU" in page and "CHỦ TRÌ" in page
    assert "100,00%" in page and "66,67%" in page  # 3/3 and 2/3 of the members
    assert "đủ túc số: 3/3 ≥ 2/3" in page


def test_the_tally_sheet_is_blank_before_a_ballot_is_recorded(
    awards_world: AwardsWorld, secretariat: User
) -> None:
    w = awards_world
    Ballot.objects.all().delete()
    response = client_for(secretariat).get(url("ballot-tally", w.provisional_year))
    page = response.content.decode()
    assert response.status_code == 200 and "BIÊN BẢN KIỂM PHIẾU" in page
    assert "ngày …… tháng …… năm ……" in page
    assert response.context["ballot"] is None
    # The candidates the ranking suggests, with empty cells to fill in by hand.
    sections = {section.award.code: section for section in response.context["sections"]}
    assert [line.unit.unit_id for line in sections["GOV_FLAG"].lines] == [w.head.pk]
    assert all(line.outcome is None for s in sections.values() for line in s.lines)


def build_finalized_bloc(members: int) -> tuple[BlocYear, User]:
    council = CouncilFactory.create()
    units = [UnitFactory.create(council=council) for _ in range(members)]
    bloc_year = verified_year(BlocFactory.create(council=council), 2019, units)
    ranking_services.bloc_year_finalize(bloc_year=bloc_year, by=None)
    ranking_services.publish_provisional(bloc_year=bloc_year, by=None)
    ranking_services.publish_final(
        bloc_year=bloc_year, by=None, today=timezone.localdate() + datetime.timedelta(days=30)
    )
    secretary = bloc_services.user_create(username=f"thuky{members}", password="x", unit=units[0])
    ballot_record(
        bloc_year=bloc_year,
        held_on=datetime.date(2020, 1, 15),
        place="",
        members_present=members,
        issued=members,
        returned=members,
        valid=members,
        votes={("PROV_CERT", unit.pk): index % members for index, unit in enumerate(units)},
        note="",
        by=secretary,
    )
    return bloc_year, secretary


@pytest.mark.parametrize("members", [3, 12])
def test_the_ballot_page_costs_the_same_whatever_the_size(
    members: int, django_assert_num_queries: Any
) -> None:
    bloc_year, secretary = build_finalized_bloc(members)
    client = client_for(secretary)
    # session, user, bloc-year, secretariat rights, then the eligibility data: rule set, awards,
    # memberships, former names, quota overrides, snapshot, ballot, votes, facts, grants,
    # proposals, registrations; and who recorded the ballot.
    with django_assert_num_queries(17):
        response = client.get(url("ballot", bloc_year))
    assert response.status_code == 200
    assert len(response.context["grid"]) == members
