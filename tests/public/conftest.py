"""The public world: a year whose results are published for good next to years that are not.

* 2019 of Khối thi đua tham mưu III: every sheet verified, ranked, published for good, its
  ballot, a submitted Government-flag proposal (the head) that was decided by Quyết định số
  123/QĐ-UBND, a draft provincial-flag proposal (the member), an issued report and draft minutes.
* 2018: finalized and published only provisionally (to the members): a snapshot whose every
  number and word is recognisable (``SECRET_*``), a draft and an approved-but-undecided proposal,
  an issued report — none of it may reach the public.
* 2020 (the world's year): still being set up.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from awards.models import AwardGrant, Decision, Proposal
from blocs import services
from blocs.models import BlocYear
from reports.models import Document
from scoring.models import RankingSnapshot
from tests.conftest import World
from tests.reports.worlds import DocumentsYear, documents_year, draft, issued_quickly

SECRET_TOTALS = ("77.77", "66.66", "55.55")
SECRET_SHOWN = ("77,77", "66,66", "55,55")
SECRET_BAND = "Xếp loại chưa công bố"
SECRET_TIE = "giải thích chưa công bố"
SECRET_SUMMARY = "Thành tích nháp chưa công bố"
DECISION_NUMBER = "123/QĐ-UBND"


@dataclass
class PublicWorld:
    docs: DocumentsYear
    published: BlocYear  # 2019
    unpublished: BlocYear  # 2018, provisional
    decision: Decision
    grant: AwardGrant
    report: Document  # 2019, issued
    minutes: Document  # 2019, draft
    secret_report: Document  # 2018, issued but the year is not published

    def __getattr__(self, name: str) -> Any:
        return getattr(self.docs, name)


def secret_snapshot(bloc_year: BlocYear, units: list[Any]) -> RankingSnapshot:
    rows = [
        {
            "unit_id": unit.pk,
            "code": unit.code,
            "name": unit.short_name,
            "rank": index + 1,
            "shared": False,
            "total": total,
            "complete": True,
            "standard": total,
            "bonus": "0.00",
            "penalty": "0.00",
            "self_total": total,
            "sections": {},
            "band": SECRET_BAND,
            "tie_break": SECRET_TIE if index else None,
            "scaled": False,
            "women_share": None,
        }
        for index, (unit, total) in enumerate(zip(units, SECRET_TOTALS, strict=True))
    ]
    return RankingSnapshot.objects.create(
        bloc_year=bloc_year,
        number=1,
        kind=RankingSnapshot.Kind.FINALIZATION,
        inputs_hash="0" * 64,
        data={"rows": rows, "sections": [], "criteria": [], "points": {}, "settings": {}},
    )


@pytest.fixture
def public_world(world: World) -> PublicWorld:
    docs = documents_year(world)
    published = docs.year
    decision = Decision.objects.create(
        council=world.council, number=DECISION_NUMBER, date=datetime.date(2020, 3, 1)
    )
    Proposal.objects.filter(pk=docs.gov_flag.pk).update(
        status=Proposal.Status.APPROVED, decision=decision
    )
    grant = AwardGrant.objects.create(
        unit=world.head,
        year=2019,
        award_code="GOV_FLAG",
        award_name=docs.awards["GOV_FLAG"].name,
        proposal=docs.gov_flag,
        decision=decision,
    )
    Proposal.objects.filter(pk=docs.prov_flag.pk).update(summary=SECRET_SUMMARY)
    report = issued_quickly(published, Document.Kind.REPORT)
    minutes = draft(published, Document.Kind.MINUTES)

    units = [world.member, world.deputy, world.head]
    unpublished = services.bloc_year_create(
        bloc=world.bloc,
        year=2018,
        members=units,
        head=world.deputy,
        deputy=world.member,
        state=BlocYear.State.PROVISIONAL,
    )
    secret_snapshot(unpublished, units)
    for unit, award, status in [
        (world.member, "PROV_FLAG", Proposal.Status.DRAFT),
        (world.deputy, "PROV_CERT", Proposal.Status.APPROVED),
    ]:
        Proposal.objects.create(
            bloc_year=unpublished,
            unit=unit,
            award_type=docs.awards[award],
            status=status,
            summary=SECRET_SUMMARY,
            rank=1,
        )
    secret_report = issued_quickly(unpublished, Document.Kind.REPORT)
    return PublicWorld(
        docs=docs,
        published=published,
        unpublished=unpublished,
        decision=decision,
        grant=grant,
        report=report,
        minutes=minutes,
        secret_report=secret_report,
    )
