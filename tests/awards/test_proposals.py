"""Proposals: made from the ranking and the ballot, edited, withdrawn, checked and submitted;
the bloc's proposals page, the check-your-answers page and the proposal page."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from awards.models import (
    AwardType,
    Ballot,
    BallotResult,
    Proposal,
    ProposalEvent,
    QuotaOverride,
    RuleSet,
)
from awards.selectors import eligibility_for
from awards.services import proposals as services
from awards.services import review as review_services
from blocs.models import AuditEntry, Bloc, BlocYear, Unit, User
from scoring.ranking import DEFAULT_TIE_BREAKS
from scoring.services import ranking as ranking_services
from tests.conftest import World, client_for, verified_year
from tests.factories import (
    BallotFactory,
    BlocFactory,
    CouncilFactory,
    DecisionFactory,
    UnitFactory,
    UnitYearFactsFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

YEAR = 2018


@dataclass
class Published:
    """A published bloc-year of 7 members, ``units`` in rank order, with its ballot."""

    bloc_year: BlocYear
    units: list[Unit]
    ballot: Ballot
    awards: dict[str, AwardType]

    def vote(self, code: str, unit: Unit, votes: int) -> None:
        BallotResult.objects.update_or_create(
            ballot=self.ballot,
            award_type=self.awards[code],
            unit=unit,
            defaults={"votes_for": votes},
        )

    def propose(self, code: str, unit: Unit, by: User | None = None) -> Proposal:
        return services.proposal_create(
            bloc_year=self.bloc_year, unit=unit, award_type=self.awards[code], by=by
        )


EXCELLENT = "Hoàn thành xuất sắc nhiệm vụ"
# Bands of the bloc-year, lower than the default so that the first three are "excellent".
BANDS = [
    {"name": EXCELLENT, "min_total_percent": "90", "floor_percent": "80"},
    {"name": "Hoàn thành tốt nhiệm vụ", "min_total_percent": "75", "floor_percent": "70"},
    {"name": "Hoàn thành nhiệm vụ", "min_total_percent": "60", "floor_percent": "60"},
    {"name": "Không hoàn thành nhiệm vụ", "min_total_percent": "0", "floor_percent": "0"},
]


def publish(bloc: Bloc, year: int, units: list[Unit]) -> BlocYear:
    """A bloc-year scored, finalized and published for good."""
    bloc_year = verified_year(bloc, year, units)
    ranking_services.ranking_rules_save(
        reason="Điều chỉnh khi đang chấm điểm",
        bloc_year=bloc_year,
        tie_breaks=DEFAULT_TIE_BREAKS,
        bands=BANDS,
        by=None,
    )
    ranking_services.bloc_year_finalize(bloc_year=bloc_year, by=None)
    ranking_services.publish_provisional(bloc_year=bloc_year, by=None)
    ranking_services.publish_final(
        bloc_year=bloc_year, by=None, today=timezone.localdate() + datetime.timedelta(days=30)
    )
    bloc_year.refresh_from_db()
    return bloc_year


def published_year(bloc: Bloc, units: list[Unit], year: int = YEAR) -> Published:
    """As in the source article: one Government flag and two provincial flags (a quota of 2)."""
    bloc_year = publish(bloc, year, units)
    ranks = {unit_id: info.rank for unit_id, info in eligibility_for(bloc_year).units.items()}
    units = sorted(units, key=lambda unit: ranks[unit.pk] or 0)
    awards = {award.code: award for award in AwardType.objects.filter(rule_set__code="LUAT-2003")}
    QuotaOverride.objects.create(bloc_year=bloc_year, award_type=awards["PROV_FLAG"], quota=2)
    ballot = BallotFactory.create(bloc_year=bloc_year, members_total=len(units))
    result = Published(bloc_year, units, ballot, awards)
    result.vote("GOV_FLAG", units[0], len(units))
    result.vote("PROV_FLAG", units[1], len(units) - 1)
    result.vote("PROV_FLAG", units[2], len(units) - 2)
    return result


@pytest.fixture
def published(world: World) -> Published:
    extra = [
        UnitFactory.create(council=world.council, code=code, name=name)
        for code, name in [
            ("SLDTBXH", "Sở Lao động - Thương binh và Xã hội"),
            ("DPTTH", "Đài Phát thanh - Truyền hình Quảng Nam"),
            ("STTTT", "Sở Thông tin và Truyền thông"),
            ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
        ]
    ]
    # The secretariat persona's unit heads the bloc and ranks first.
    return published_year(world.bloc, [world.head, world.deputy, world.member, *extra])


def proposals_url(bloc_year: BlocYear, name: str = "awards:proposals") -> str:
    return reverse(name, args=[bloc_year.bloc_id, bloc_year.year])


# ---------------------------------------------------------------------------- creating


def test_creating_from_suggestions_reproduces_the_source_article(
    published: Published, secretariat: User
) -> None:
    created = services.proposals_create_suggested(bloc_year=published.bloc_year, by=secretariat)
    units = published.units
    assert [(proposal.award_type.code, proposal.unit) for proposal in created] == [
        ("GOV_FLAG", units[0]),
        ("PROV_FLAG", units[1]),
        ("PROV_FLAG", units[2]),
    ]
    data = eligibility_for(published.bloc_year)
    for proposal in created:
        info = data.units[proposal.unit_id]
        assert (proposal.rank, proposal.total, proposal.band) == (info.rank, info.total, info.band)
        assert proposal.status == Proposal.Status.DRAFT
        assert proposal.created_by == secretariat
    assert [proposal.votes_for for proposal in created] == [7, 6, 5]
    assert ProposalEvent.objects.filter(action=ProposalEvent.Action.CREATE).count() == 3
    assert (
        AuditEntry.objects.filter(
            action="proposal.create", context=f"awards:{published.bloc_year.pk}"
        ).count()
        == 3
    )


def test_creating_from_suggestions_again_skips_what_exists(
    published: Published, secretariat: User
) -> None:
    services.proposals_create_suggested(bloc_year=published.bloc_year, by=secretariat)
    assert services.proposals_create_suggested(bloc_year=published.bloc_year, by=None) == []
    assert Proposal.objects.filter(bloc_year=published.bloc_year).count() == 3


def test_a_proposal_by_hand_is_made_even_when_it_fails_its_gates(published: Published) -> None:
    last = published.units[6]
    proposal = published.propose("PROV_CERT", last)
    assert proposal.pk and proposal.rank == 7 and proposal.votes_for is None
    gates = {
        finding.gate
        for finding in eligibility_for(published.bloc_year).findings(last.pk, "PROV_CERT")
    }
    assert {"rank", "ballot"} <= gates


def test_a_proposal_for_a_unit_outside_the_bloc_or_twice_is_refused(
    published: Published, world: World
) -> None:
    with pytest.raises(ValidationError) as error:
        published.propose("PROV_CERT", world.outsider_unit)
    assert "unit" in error.value.message_dict
    published.propose("PROV_CERT", published.units[3])
    with pytest.raises(ValidationError) as error:
        published.propose("PROV_CERT", published.units[3])
    assert "đã có đề nghị" in error.value.message_dict["award_type"][0]


def test_no_proposal_before_the_ranking_is_published(world: World) -> None:
    award = AwardType.objects.get(rule_set__code="LUAT-2003", code="PROV_CERT")
    with pytest.raises(services.StateError):
        services.proposal_create(
            bloc_year=world.bloc_year, unit=world.member, award_type=award, by=None
        )


# ---------------------------------------------------------------------------- submitting


def _quota(p: Published) -> str:
    p.vote("PROV_FLAG", p.units[3], 6)
    for unit in p.units[1:4]:
        p.propose("PROV_FLAG", unit)
    return "Vượt số lượng"


def _rank(p: Published) -> str:
    p.vote("GOV_FLAG", p.units[1], 7)
    p.propose("GOV_FLAG", p.units[1])
    return "cần đứng đầu khối"


def _band(p: Published) -> str:
    data = eligibility_for(p.bloc_year)
    unit = next(
        unit for unit in p.units if data.units[unit.pk].band != data.units[p.units[0].pk].band
    )
    p.vote("GOV_FLAG", unit, 7)
    p.propose("GOV_FLAG", unit)
    return "không đủ; cần"


def _ballot(p: Published) -> str:
    p.vote("PROV_FLAG", p.units[1], 3)
    p.propose("PROV_FLAG", p.units[1])
    return "Đạt 3/7 phiếu (42,86%); cần trên 50% số thành viên."


def _quorum(p: Published) -> str:
    Ballot.objects.filter(pk=p.ballot.pk).update(members_present=4)
    p.propose("GOV_FLAG", p.units[0])
    return "không đủ túc số"


def _prerequisite(p: Published) -> str:
    RuleSet.objects.filter(code="LUAT-2003").update(government_flag_also_provincial=True)
    p.propose("GOV_FLAG", p.units[0])
    return "Phải đồng thời được đề nghị “Cờ thi đua của Ủy ban nhân dân tỉnh”"


def _facts(unit: Unit, **changes: object) -> None:
    """30 people, all completing their tasks, 25 advanced workers, 2 emulation fighters."""
    UnitYearFactsFactory.create(unit=unit, year=YEAR, **changes)


def _history(p: Published) -> str:
    AwardType.objects.filter(rule_set__code="LUAT-2003", code="EXCELLENT_COLLECTIVE").update(
        history_award_code="EXCELLENT_COLLECTIVE", history_years=2
    )
    _facts(p.units[0])
    p.propose("EXCELLENT_COLLECTIVE", p.units[0])
    return "Chưa đạt “Tập thể lao động xuất sắc” năm 2016, 2017"


def _discipline(p: Published) -> str:
    _facts(p.units[0], under_investigation=True, investigation_note="thanh tra tài chính")
    p.propose("GOV_FLAG", p.units[0])
    return "đang bị xem xét kỷ luật, thanh tra, kiểm tra hoặc điều tra (thanh tra tài chính)"


def _staff(p: Published) -> str:
    _facts(p.units[0], completing_tasks=29)
    p.propose("EXCELLENT_COLLECTIVE", p.units[0])
    return "96,67% người hoàn thành nhiệm vụ; cần 100%."


VIOLATIONS: dict[str, Callable[[Published], str]] = {
    "quota": _quota,
    "rank": _rank,
    "band": _band,
    "ballot": _ballot,
    "quorum": _quorum,
    "prerequisite": _prerequisite,
    "history": _history,
    "discipline": _discipline,
    "staff": _staff,
}


@pytest.mark.parametrize("kind", sorted(VIOLATIONS))
def test_each_kind_of_violation_blocks_the_submission_with_its_reason(
    kind: str, published: Published, secretariat: User
) -> None:
    expected = VIOLATIONS[kind](published)
    with pytest.raises(ValidationError) as error:
        services.proposals_submit(bloc_year=published.bloc_year, by=secretariat)
    messages = error.value.messages
    assert any(expected in message for message in messages), messages
    # Each message names the unit and the award it concerns.
    proposal = Proposal.objects.filter(bloc_year=published.bloc_year).last()
    assert proposal is not None
    assert any(
        proposal.award_type.name in message and proposal.unit.name_in_year(YEAR) in message
        for message in messages
    )
    assert not Proposal.objects.exclude(status=Proposal.Status.DRAFT).exists()
    published.bloc_year.refresh_from_db()
    assert published.bloc_year.state == BlocYear.State.PUBLISHED
    assert not ProposalEvent.objects.filter(action=ProposalEvent.Action.SUBMIT).exists()


def test_warnings_do_not_block_the_submission(published: Published, secretariat: User) -> None:
    created = services.proposals_create_suggested(bloc_year=published.bloc_year, by=secretariat)
    check = services.proposals_check(bloc_year=published.bloc_year)
    # No summary yet, and one Government flag for the council's only bloc this year (> 20 %).
    assert check.violations == []
    assert all(row.warnings for row in check.rows)
    assert [warning.gate for warning in check.warnings] == ["government_share"]
    submitted = services.proposals_submit(bloc_year=published.bloc_year, by=secretariat)
    assert {proposal.pk for proposal in submitted} == {proposal.pk for proposal in created}
    for proposal in Proposal.objects.filter(bloc_year=published.bloc_year):
        assert proposal.status == Proposal.Status.SUBMITTED
        assert proposal.submitted_at is not None
    assert (
        ProposalEvent.objects.filter(action=ProposalEvent.Action.SUBMIT, by=secretariat).count()
        == 3
    )
    assert AuditEntry.objects.filter(action="proposal.submit").count() == 3
    published.bloc_year.refresh_from_db()
    assert published.bloc_year.state == BlocYear.State.PROPOSED


def test_submitting_with_nothing_to_submit_is_refused(published: Published) -> None:
    with pytest.raises(services.StateError):
        services.proposals_submit(bloc_year=published.bloc_year, by=None)


def test_submitting_records_what_the_check_saw(published: Published) -> None:
    proposal = published.propose("PROV_FLAG", published.units[1])
    published.vote("PROV_FLAG", published.units[1], 7)  # the tally was corrected afterwards
    services.proposals_submit(bloc_year=published.bloc_year, by=None)
    proposal.refresh_from_db()
    assert proposal.votes_for == 7


# ---------------------------------------------------------------------------- editing


def test_a_stale_summary_version_is_refused_and_nothing_is_overwritten(
    published: Published, secretariat: User
) -> None:
    proposal = published.propose("GOV_FLAG", published.units[0])
    services.proposal_update_summary(
        proposal=proposal, summary="Dẫn đầu khối.", version=1, by=secretariat
    )
    stale = Proposal.objects.get(pk=proposal.pk)
    stale.version = 1
    with pytest.raises(services.ProposalConflict) as clash:
        services.proposal_update_summary(
            proposal=stale, summary="Bản của người thứ hai.", version=1, by=None
        )
    assert clash.value.proposal.summary == "Dẫn đầu khối."
    proposal.refresh_from_db()
    assert (proposal.summary, proposal.version) == ("Dẫn đầu khối.", 2)
    assert ProposalEvent.objects.filter(proposal=proposal, action="edit").count() == 1
    entry = AuditEntry.objects.get(action="proposal.summary")
    assert entry.changes == {"summary": ["", "Dẫn đầu khối."]}


def test_the_summary_of_a_submitted_proposal_cannot_be_edited(published: Published) -> None:
    proposal = published.propose("GOV_FLAG", published.units[0])
    services.proposals_submit(bloc_year=published.bloc_year, by=None)
    proposal.refresh_from_db()
    with pytest.raises(services.StateError):
        services.proposal_update_summary(
            proposal=proposal, summary="x", version=proposal.version, by=None
        )


def test_withdrawing_deletes_a_draft_and_keeps_the_audit(published: Published) -> None:
    proposal = published.propose("PROV_CERT", published.units[5])
    services.proposal_withdraw(proposal=proposal, by=None)
    assert not Proposal.objects.filter(pk=proposal.pk).exists()
    assert AuditEntry.objects.filter(action="proposal.withdraw").count() == 1
    with pytest.raises(services.StateError):
        services.proposal_withdraw(proposal=proposal, by=None)


def test_a_submitted_proposal_cannot_be_withdrawn(published: Published) -> None:
    proposal = published.propose("GOV_FLAG", published.units[0])
    services.proposals_submit(bloc_year=published.bloc_year, by=None)
    with pytest.raises(services.StateError):
        services.proposal_withdraw(proposal=proposal, by=None)
    assert Proposal.objects.filter(pk=proposal.pk).exists()


# ---------------------------------------------------------------------------- pages


def test_the_secretariat_sees_what_will_be_created_then_creates_it(
    published: Published, secretariat: User
) -> None:
    client = client_for(secretariat)
    url = proposals_url(published.bloc_year)
    page = client.get(url).content.decode()
    assert "Lập đề nghị theo kết quả xếp hạng và bỏ phiếu" in page
    assert "Lập 3 đề nghị" in page
    response = client.post(url, {"action": "create-suggested"})
    assert response.status_code == 302
    assert Proposal.objects.filter(bloc_year=published.bloc_year).count() == 3
    page = client.get(url).content.decode()
    assert "Kiểm tra và trình 3 đề nghị" in page
    assert "Lập 3 đề nghị" not in page


def test_adding_by_hand_reports_errors_and_shows_the_findings(
    published: Published, secretariat: User
) -> None:
    client = client_for(secretariat)
    url = proposals_url(published.bloc_year)
    response = client.post(url, {"action": "add", "add-unit": "", "add-award_type": ""})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    last = published.units[6]
    response = client.post(
        url,
        {
            "action": "add",
            "add-unit": last.pk,
            "add-award_type": published.awards["PROV_CERT"].pk,
        },
    )
    proposal = Proposal.objects.get(unit=last)
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    page = client.get(url).content.decode()
    assert "Chặn trình:" in page and "nằm ngoài 3 suất" in page


def test_withdrawing_from_the_list(published: Published, secretariat: User) -> None:
    proposal = published.propose("PROV_CERT", published.units[5])
    response = client_for(secretariat).post(
        proposals_url(published.bloc_year), {"action": "withdraw", "proposal": proposal.pk}
    )
    assert response.status_code == 302
    assert not Proposal.objects.filter(pk=proposal.pk).exists()


def test_only_managers_change_the_list(
    published: Published, leader: User, focal_point: User
) -> None:
    for person in (leader, focal_point):
        response = client_for(person).post(
            proposals_url(published.bloc_year), {"action": "create-suggested"}
        )
        assert response.status_code == 403
    assert not Proposal.objects.exists()


def test_a_focal_point_sees_its_own_and_decided_proposals_only(
    published: Published, focal_point: User, world: World
) -> None:
    services.proposals_create_suggested(bloc_year=published.bloc_year, by=None)
    own = published.propose("PROV_CERT", world.member)  # the focal point's unit
    client = client_for(focal_point)

    def shown() -> set[int]:
        rows = client.get(proposals_url(published.bloc_year)).context["rows"]
        return {row.proposal.pk for row in rows}

    mine = set(Proposal.objects.filter(unit=world.member).values_list("pk", flat=True))
    others = Proposal.objects.exclude(unit=world.member)
    assert own.pk in mine and others.exists()
    assert shown() == mine
    # Once decided, an award is public.
    gov = others.get(award_type__code="GOV_FLAG")
    Proposal.objects.filter(pk=gov.pk).update(status=Proposal.Status.SUBMITTED)
    review_services.proposal_approve(proposal=Proposal.objects.get(pk=gov.pk), by=None)
    decision = DecisionFactory.create(council=world.council, date=datetime.date(2019, 3, 1))
    Proposal.objects.filter(pk=gov.pk).update(decision=decision)
    assert shown() == mine | {gov.pk}


def test_the_list_waits_for_the_publication(world: World, secretariat: User) -> None:
    page = client_for(secretariat).get(proposals_url(world.bloc_year)).content.decode()
    assert "chưa công bố chính thức" in page


def test_the_submit_page_hides_the_button_and_the_post_refuses_with_the_list(
    published: Published, secretariat: User
) -> None:
    _rank(published)
    client = client_for(secretariat)
    url = proposals_url(published.bloc_year, "awards:proposals-submit")
    page = client.get(url).content.decode()
    assert "cần đứng đầu khối" in page
    assert "Trình đề nghị khen thưởng</button>" not in page
    response = client.post(url)
    assert response.status_code == 200
    assert "Chưa trình được" in response.content.decode()
    assert not Proposal.objects.filter(status=Proposal.Status.SUBMITTED).exists()


def test_the_submit_page_submits_when_only_warnings_remain(
    published: Published, secretariat: User
) -> None:
    services.proposals_create_suggested(bloc_year=published.bloc_year, by=None)
    client = client_for(secretariat)
    url = proposals_url(published.bloc_year, "awards:proposals-submit")
    page = client.get(url).content.decode()
    assert "Lưu ý:" in page and "Trình đề nghị khen thưởng</button>" in page
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == proposals_url(
        published.bloc_year
    )
    assert Proposal.objects.filter(status=Proposal.Status.SUBMITTED).count() == 3


def test_the_secretariat_edits_the_summary_and_is_told_of_a_conflict(
    published: Published, secretariat: User
) -> None:
    proposal = published.propose("GOV_FLAG", published.units[0])
    client = client_for(secretariat)
    url = proposal.get_absolute_url()
    assert 'name="summary"' in client.get(url).content.decode()
    response = client.post(url, {"summary": "Dẫn đầu khối.", "version": 1})
    assert response.status_code == 302
    response = client.post(url, {"summary": "Bản cũ của tôi.", "version": 1})
    page = response.content.decode()
    assert response.status_code == 200
    assert "vừa được người khác sửa" in page
    assert "Bản cũ của tôi." in page  # what was typed stays
    assert 'name="version" value="2"' in page
    proposal.refresh_from_db()
    assert proposal.summary == "Dẫn đầu khối."


def test_a_leader_reads_the_packet_but_cannot_edit_the_summary(
    published: Published, leader: User
) -> None:
    proposal = published.propose("GOV_FLAG", published.units[0])
    client = client_for(leader)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert 'name="summary"' not in page
    response = client.post(proposal.get_absolute_url(), {"summary": "x", "version": 1})
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.summary == ""


# ---------------------------------------------------------------------------- query budgets


# Session, person, bloc-year, the secretariat's bloc-years, eligibility (12, with the
# registrations), the add form (4).
PROPOSALS_PAGE_QUERIES = 19


def _bloc_of(members: int) -> tuple[BlocYear, User]:
    council = CouncilFactory.create()
    units = [UnitFactory.create(council=council) for _ in range(members)]
    data = published_year(BlocFactory.create(council=council), units)
    services.proposals_create_suggested(bloc_year=data.bloc_year, by=None)
    for unit in units[3:]:
        data.propose("PROV_CERT", unit)
    return data.bloc_year, UserFactory.create(unit=units[0], role=User.Role.FOCAL_POINT)


@pytest.mark.parametrize("members", [3, 12])
def test_the_proposals_page_query_budget(members: int, django_assert_num_queries) -> None:
    bloc_year, secretary = _bloc_of(members)
    client = client_for(secretary)
    url = proposals_url(bloc_year)
    client.get(url)
    with django_assert_num_queries(PROPOSALS_PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    shown = [row.proposal for row in response.context["rows"]]
    assert len(shown) == Proposal.objects.filter(bloc_year=bloc_year).count() >= members - 1
    assert {proposal.status for proposal in shown} == {Proposal.Status.DRAFT}
