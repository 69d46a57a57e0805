"""The demo's 2020 awards: the source article's proposals, approved and decided — the province's
awards by the provincial chairman, the Government flag by the Prime Minister —, loaded twice
without change; the awards follow the units across the 2025 mergers."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from awards.history import unit_award_history
from awards.models import (
    Authority,
    AwardGrant,
    Ballot,
    BallotResult,
    Decision,
    Proposal,
    ProposalEvent,
    QuotaOverride,
    UnitYearFacts,
)
from blocs.models import AuditEntry, BlocYear, Unit
from demo.awards import load_awards
from demo.organisation import load_organisation
from demo.scoring import load_scoring
from reports import builders
from reports import services as document_services
from reports.models import Document
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

MODELS: list[Any] = [
    UnitYearFacts,
    QuotaOverride,
    Ballot,
    BallotResult,
    Proposal,
    ProposalEvent,
    Decision,
    AwardGrant,
    AuditEntry,
]


@pytest.fixture
def demo() -> None:
    load_organisation()
    load_scoring()
    load_awards()


def test_loading_twice_changes_nothing(demo: None) -> None:
    counts = [model.objects.count() for model in MODELS]
    load_awards()
    assert counts == [model.objects.count() for model in MODELS]


def test_2020_of_the_article_bloc_is_decided_with_the_articles_awards(demo: None) -> None:
    bloc_year = BlocYear.objects.get(bloc__council__code="QNA", bloc__code="TM3", year=2020)
    assert bloc_year.state == BlocYear.State.DECIDED
    grants = {
        (grant.award_code, grant.unit.code)
        for grant in AwardGrant.objects.filter(year=2020).select_related("unit")
    }
    assert grants == {
        ("GOV_FLAG", "SLDTBXH"),
        ("PROV_FLAG", "DPTTH"),
        ("PROV_FLAG", "STTTT"),
        ("PROV_CERT", "SYT"),
        ("PROV_CERT", "SGDDT"),
    }
    decision = Decision.objects.get(number="245/QĐ-UBND")
    assert decision.date == datetime.date(2021, 3, 25)
    assert decision.authority == Authority.PROVINCIAL_CHAIRMAN
    assert decision.signer_title == "Chủ tịch Ủy ban nhân dân tỉnh"
    prime_ministers = Decision.objects.get(number="1045/QĐ-TTg")
    assert prime_ministers.authority == Authority.PRIME_MINISTER
    assert prime_ministers.date == datetime.date(2021, 6, 28)
    decided_by = {
        grant.award_code: grant.decision_id for grant in AwardGrant.objects.filter(year=2020)
    }
    assert decided_by == {
        "GOV_FLAG": prime_ministers.pk,
        "PROV_FLAG": decision.pk,
        "PROV_CERT": decision.pk,
    }
    flag = Proposal.objects.get(bloc_year=bloc_year, award_type__code="GOV_FLAG")
    assert flag.decision == prime_ministers
    assert (flag.council_votes_for, flag.council_members_total) == (13, 15)
    assert flag.events.filter(action=ProposalEvent.Action.APPROVE, by__username="lanhdao").exists()
    assert QuotaOverride.objects.get(bloc_year=bloc_year).quota == 2
    ballot = Ballot.objects.get(bloc_year=bloc_year)
    assert ballot.members_present == 7
    votes = {(r.award_type.code, r.unit.code): r.votes_for for r in ballot.results.all()}
    assert votes == {
        ("GOV_FLAG", "SLDTBXH"): 7,
        ("PROV_FLAG", "DPTTH"): 6,
        ("PROV_FLAG", "STTTT"): 5,
        ("PROV_CERT", "SYT"): 5,
        ("PROV_CERT", "SGDDT"): 4,
    }
    assert UnitYearFacts.objects.filter(year=2020).count() == 7
    # 2021 is not yet at this stage.
    assert not Proposal.objects.filter(bloc_year__year=2021).exists()


def test_the_government_flag_follows_the_department_into_da_nangs_home_affairs(demo: None) -> None:
    home_affairs = Unit.objects.get(council__code="DNG", code="SNV")
    history = unit_award_history(home_affairs)
    assert any(
        entry.award_code == "GOV_FLAG"
        and entry.year == 2020
        and entry.predecessor_name == "Sở Lao động - Thương binh và Xã hội"
        for entry in history
    )
    html = client_for(None).get(reverse("unit", args=[home_affairs.pk])).content.decode()
    assert "của Sở Lao động - Thương binh và Xã hội" in html


def test_the_2020_papers_propose_and_cite_no_decision_taken_after_the_conference(
    demo: None,
) -> None:
    """The conference of 02/03/2021 proposes; both decisions came later. The letter asks the
    chairman to forward the Government flag and to decide the four provincial awards."""
    bloc_year = BlocYear.objects.get(bloc__council__code="QNA", bloc__code="TM3", year=2020)
    report = document_services.document_create(
        bloc_year=bloc_year, kind=Document.Kind.REPORT, by=None
    )
    assert report.date == datetime.date(2021, 3, 2)
    text = " ".join(builders.build(report).text().split())
    assert "Đề nghị UBND tỉnh trình Thủ tướng Chính phủ tặng Cờ thi đua của Chính phủ" in text
    assert "Đề nghị UBND tỉnh tặng Cờ thi đua của Ủy ban nhân dân tỉnh" in text
    assert "245/QĐ-UBND" not in text and "1045/QĐ-TTg" not in text
    submission = document_services.document_create(
        bloc_year=bloc_year, kind=Document.Kind.SUBMISSION, by=None
    )
    text = " ".join(builders.build(submission).text().split())
    chairman = "Chủ tịch Ủy ban nhân dân tỉnh Quảng Nam"
    assert (
        f"1. Đề nghị {chairman} xem xét, trình Thủ tướng Chính phủ tặng Cờ thi đua của Chính phủ "
        "cho 01 tập thể:"
    ) in text
    assert (
        f"2. Đề nghị {chairman} xem xét, quyết định tặng Cờ thi đua của Ủy ban nhân dân tỉnh, "
        "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 04 tập thể:"
    ) in text
