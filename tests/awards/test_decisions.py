"""Decisions on awards: recording one (number, date, signer, PDF), attaching the approved
proposals it decides with the council vote, the awards that follow, and the PDF itself."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.models import Authority, AwardGrant, AwardType, Decision, Proposal, ProposalEvent
from awards.services import decisions as services
from blocs.models import AuditEntry, BlocYear, User
from tests.conftest import AwardsWorld, client_for

pytestmark = pytest.mark.django_db


def pdf(name: str = "qd.pdf", content: bytes = b"%PDF-1.7 quyet dinh") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def approve(*proposals: Proposal) -> None:
    """The leaders' approval, as the review workflow leaves it; the bloc's list is submitted."""
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(
        status=Proposal.Status.APPROVED
    )
    for proposal in proposals:
        proposal.refresh_from_db()
        BlocYear.objects.filter(pk=proposal.bloc_year_id).update(state=BlocYear.State.PROPOSED)


def prime_ministers(world: AwardsWorld, number: str = "1045/QĐ-TTg") -> Decision:
    """A Prime Minister's decision: the one that grants the Government flag."""
    return Decision.objects.create(
        council=world.council,
        number=number,
        date=datetime.date(2020, 6, 1),
        authority=Authority.PRIME_MINISTER,
    )


def attach_post(proposal_votes: dict[Proposal, tuple[int, int] | None]) -> dict[str, str]:
    data = {}
    for proposal, votes in proposal_votes.items():
        data[f"proposal_{proposal.pk}"] = "on"
        if votes is not None:
            data[f"total_{proposal.pk}"], data[f"votes_{proposal.pk}"] = map(str, votes)
    return data


# Recording a decision


def test_a_council_admin_records_a_decision_with_its_pdf(
    awards_world: AwardsWorld, council_admin: User
) -> None:
    response = client_for(council_admin).post(
        reverse("awards:decisions"),
        {
            "council": awards_world.council.pk,
            "number": " 245/QD-UBND ",
            "date": "25/03/2021",
            "signer_title": "Chủ tịch Ủy ban nhân dân tỉnh",
            "signer_name": "Trần Văn Minh",
            "file": pdf(),
        },
    )
    decision = Decision.objects.get(number="245/QĐ-UBND")
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:decision", args=[decision.pk])
    assert decision.date == datetime.date(2021, 3, 25)
    assert decision.recorded_by == council_admin
    assert decision.file.read().startswith(b"%PDF-")
    assert AuditEntry.objects.filter(action="decision.record", subject="245/QĐ-UBND").exists()


def test_a_bad_number_is_refused_at_the_field_and_what_was_typed_stays(
    awards_world: AwardsWorld, council_admin: User
) -> None:
    response = client_for(council_admin).post(
        reverse("awards:decisions"),
        {
            "council": awards_world.council.pk,
            "number": "245-UBND",
            "date": "25/03/2021",
            "signer_name": "Trần Văn Minh",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html and '<a href="#id_number">' in html
    assert 'id="id_number-error"' in html
    assert "ví dụ: 123/QĐ-UBND" in html
    assert 'value="Trần Văn Minh"' in html
    assert Decision.objects.count() == 1


@pytest.mark.parametrize(
    "number", ["123/QĐ-UBND", "45/2021/QĐ-UBND", "1234/QĐ-CT", "12/qđ-ubnd", "7/QD-HĐTĐKT"]
)
def test_the_usual_numbers_pass(number: str) -> None:
    assert services.number_is_valid(services.normalise_number(number))


@pytest.mark.parametrize("number", ["123", "QĐ-UBND", "123/UBND", "/QĐ-UBND", "123/QĐ-"])
def test_numbers_without_the_pattern_fail(number: str) -> None:
    assert not services.number_is_valid(services.normalise_number(number))


def test_a_file_that_is_not_a_pdf_is_refused_at_the_file_field(
    awards_world: AwardsWorld, council_admin: User
) -> None:
    response = client_for(council_admin).post(
        reverse("awards:decisions"),
        {
            "council": awards_world.council.pk,
            "number": "245/QĐ-UBND",
            "date": "25/03/2021",
            "file": pdf("qd.pdf", b"<html><script>alert(1)</script></html>"),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_file-error"' in html and "Chỉ nhận tệp PDF." in html
    assert not Decision.objects.filter(number="245/QĐ-UBND").exists()


def test_a_pdf_above_10_mb_is_refused(awards_world: AwardsWorld) -> None:
    big = pdf("lon.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        services.decision_record(
            council=awards_world.council,
            number="9/QĐ-UBND",
            date=datetime.date(2021, 1, 5),
            signer_title="",
            signer_name="",
            upload=big,
            by=None,
        )
    assert "10 MB" in refused.value.message_dict["file"][0]


def test_the_same_number_and_date_twice_is_refused(awards_world: AwardsWorld) -> None:
    with pytest.raises(ValidationError) as refused:
        services.decision_record(
            council=awards_world.council,
            number="123/QĐ-UBND",
            date=datetime.date(2020, 3, 1),
            signer_title="",
            signer_name="",
            upload=None,
            by=None,
        )
    assert "number" in refused.value.message_dict


def test_a_leader_reads_the_decisions_but_records_none(
    awards_world: AwardsWorld, leader: User
) -> None:
    client = client_for(leader)
    html = client.get(reverse("awards:decisions")).content.decode()
    assert "123/QĐ-UBND" in html and "Ghi quyết định mới" not in html
    response = client.post(reverse("awards:decisions"), {"number": "1/QĐ-UBND"})
    assert response.status_code == 403
    decision = awards_world.decision
    assert client.get(reverse("awards:decision", args=[decision.pk])).status_code == 200
    assert client.post(reverse("awards:decision", args=[decision.pk]), {}).status_code == 403


def test_the_decisions_list_has_a_fixed_query_budget(
    awards_world: AwardsWorld, council_admin: User, django_assert_num_queries: Any
) -> None:
    for number in range(5):
        Decision.objects.create(
            council=awards_world.council, number=f"{number}/QĐ-UBND", date=datetime.date(2021, 1, 1)
        )
    client = client_for(council_admin)
    # session, user, managed councils, councils (form), decisions
    with django_assert_num_queries(5):
        assert client.get(reverse("awards:decisions")).status_code == 200


# Attaching proposals and the council vote


def test_a_flag_below_80_percent_of_the_council_is_refused_with_the_share(
    awards_world: AwardsWorld, council_admin: User
) -> None:
    proposal = awards_world.draft_proposal  # the provincial flag: the decision's own
    approve(proposal)
    decision = awards_world.decision
    response = client_for(council_admin).post(
        reverse("awards:decision", args=[decision.pk]), attach_post({proposal: (15, 11)})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert f'id="id_votes_{proposal.pk}-error"' in html
    assert "11/15 thành viên Hội đồng đồng ý (73,33%), chưa đạt 80%" in html
    proposal.refresh_from_db()
    assert proposal.decision_id is None and proposal.council_votes_for is None
    assert not AwardGrant.objects.exists()


def test_exactly_80_percent_of_the_council_carries_a_flag(awards_world: AwardsWorld) -> None:
    proposal = awards_world.submitted_proposal
    approve(proposal)
    services.decision_attach(
        decision=prime_ministers(awards_world),
        proposals=[proposal],
        votes={proposal.pk: (15, 12)},
        by=None,
    )
    assert AwardGrant.objects.get().award_code == "GOV_FLAG"


def test_a_flag_without_the_council_vote_is_refused_at_the_vote_boxes(
    awards_world: AwardsWorld, council_admin: User
) -> None:
    proposal = awards_world.submitted_proposal
    approve(proposal)
    response = client_for(council_admin).post(
        reverse("awards:decision", args=[awards_world.decision.pk]), attach_post({proposal: None})
    )
    html = response.content.decode()
    assert f'id="id_total_{proposal.pk}-error"' in html
    assert f'id="id_votes_{proposal.pk}-error"' in html


def test_attaching_creates_the_awards_and_the_bloc_year_is_decided(
    awards_world: AwardsWorld, council_admin: User
) -> None:
    w = awards_world
    gov, prov = w.submitted_proposal, w.draft_proposal
    approve(gov, prov)
    pm = prime_ministers(w)
    client = client_for(council_admin)
    page = client.get(reverse("awards:decision", args=[w.decision.pk])).content.decode()
    assert "Khối thi đua tham mưu III – năm 2019" in page
    assert f'name="proposal_{gov.pk}"' in page and f'name="votes_{prov.pk}"' in page
    # The province's decision grants its own flag; the Government's waits for the Prime Minister.
    response = client.post(
        reverse("awards:decision", args=[w.decision.pk]), attach_post({prov: (15, 14)})
    )
    assert response.status_code == 302
    w.provisional_year.refresh_from_db()
    assert w.provisional_year.state == BlocYear.State.PROPOSED
    response = client.post(reverse("awards:decision", args=[pm.pk]), attach_post({gov: (15, 13)}))
    assert response.status_code == 302
    grants = {grant.award_code: grant for grant in AwardGrant.objects.all()}
    assert set(grants) == {"GOV_FLAG", "PROV_FLAG"}
    assert grants["GOV_FLAG"].unit == w.head and grants["GOV_FLAG"].year == 2019
    assert grants["GOV_FLAG"].decision == pm and grants["PROV_FLAG"].decision == w.decision
    assert grants["GOV_FLAG"].award_name == "Cờ thi đua của Chính phủ"
    gov.refresh_from_db()
    assert (gov.decision, gov.council_members_total, gov.council_votes_for) == (pm, 15, 13)
    event = ProposalEvent.objects.get(proposal=gov, action=ProposalEvent.Action.DECIDE)
    assert "1045/QĐ-TTg" in event.note and "13/15" in event.note
    w.provisional_year.refresh_from_db()
    assert w.provisional_year.state == BlocYear.State.DECIDED
    assert AuditEntry.objects.filter(
        action="bloc_year.decided", bloc_year=w.provisional_year
    ).exists()
    html = client.get(reverse("awards:decision", args=[pm.pk])).content.decode()
    assert "13/15" in html and "Không còn đề nghị nào đã duyệt" in html


def test_the_bloc_year_stays_proposed_while_another_proposal_waits(
    awards_world: AwardsWorld,
) -> None:
    w = awards_world
    approve(w.draft_proposal)  # the Government flag's proposal still waits for the leaders
    services.decision_attach(
        decision=w.decision,
        proposals=[w.draft_proposal],
        votes={w.draft_proposal.pk: (15, 15)},
        by=None,
    )
    w.provisional_year.refresh_from_db()
    assert w.provisional_year.state == BlocYear.State.PROPOSED


def test_a_proposal_decided_meanwhile_is_refused_and_nothing_changes(
    awards_world: AwardsWorld,
) -> None:
    w = awards_world
    certificate = Proposal.objects.create(
        bloc_year=w.provisional_year,
        unit=w.deputy,
        award_type=AwardType.objects.get(rule_set__code="LUAT-2003", code="PROV_CERT"),
        rank=3,
    )
    approve(w.draft_proposal, certificate)
    prov, cert = (
        Proposal.objects.select_related("bloc_year__bloc", "award_type__rule_set", "unit").get(
            pk=p.pk
        )
        for p in (w.draft_proposal, certificate)
    )
    services.decision_attach(
        decision=w.decision, proposals=[prov], votes={prov.pk: (15, 15)}, by=None
    )
    other = Decision.objects.create(
        council=w.council, number="9/QĐ-UBND", date=datetime.date(2020, 4, 1)
    )
    with pytest.raises(ValidationError):
        services.decision_attach(
            decision=other, proposals=[cert, prov], votes={prov.pk: (15, 15)}, by=None
        )
    assert AwardGrant.objects.count() == 1
    assert Proposal.objects.get(pk=cert.pk).decision_id is None


def test_a_proposal_that_is_not_approved_cannot_be_attached(awards_world: AwardsWorld) -> None:
    proposal = awards_world.submitted_proposal  # still waiting for the leaders
    with pytest.raises(ValidationError):
        services.decision_attach(
            decision=awards_world.decision,
            proposals=[proposal],
            votes={proposal.pk: (15, 15)},
            by=None,
        )
    assert not AwardGrant.objects.exists()


def test_the_decision_page_has_a_fixed_query_budget(
    awards_world: AwardsWorld, council_admin: User, django_assert_num_queries: Any
) -> None:
    w = awards_world
    approve(w.submitted_proposal, w.draft_proposal)
    client = client_for(council_admin)
    url = reverse("awards:decision", args=[w.decision.pk])
    # session, user, decision, managed councils, undecided (+ names), last council size,
    # decided (+ names: none to load)
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200


# The PDF


def test_the_decision_file_is_served_as_a_sandboxed_pdf(
    awards_world: AwardsWorld, leader: User
) -> None:
    response = client_for(leader).get(
        reverse("awards:decision-file", args=[awards_world.decision.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]


def test_a_decision_without_a_file_has_no_file_page(
    awards_world: AwardsWorld, council_admin: User
) -> None:
    decision = Decision.objects.create(
        council=awards_world.council, number="7/QĐ-UBND", date=datetime.date(2021, 1, 1)
    )
    response = client_for(council_admin).get(reverse("awards:decision-file", args=[decision.pk]))
    assert response.status_code == 404
