"""Worlds for the documents tests: a published year with its ballot and proposals, and
documents in each state.

``documents_year`` builds 2019 of the ``world``'s bloc the way a real year ends: every sheet
verified, the ranking finalized, published provisionally then for good, a secret ballot with a
tally per candidate, and two proposals. ``draft`` and ``issued_quickly`` make documents for the
permission tables without rendering anything (an issued document gets placeholder files).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from awards.models import AwardType, Ballot, Proposal
from awards.services.registration import registration_save
from blocs.models import BlocYear, Unit, User
from reports import services
from reports.models import Document
from scoring.models import RankingSnapshot
from tests.conftest import World, verified_year
from tests.factories import BallotFactory, BallotResultFactory, ProposalFactory

CONFERENCE = datetime.date(2020, 1, 15)
COVENANT = datetime.date(2019, 2, 20)
REGISTRATION_DUE = datetime.date(2019, 3, 31)
LEADERS = {
    "SYT": ("Giám đốc", "Nguyễn Văn Hải"),
    "SGDDT": ("Giám đốc", "Trần Thị Thu Hường"),
    "BQN": ("Tổng Biên tập", "Lê Đức Thắng"),
}


@dataclass
class DocumentsYear:
    world: World
    year: BlocYear  # 2019, published for good
    snapshot: RankingSnapshot
    ballot: Ballot
    awards: dict[str, AwardType]
    gov_flag: Proposal  # the head's, submitted
    prov_flag: Proposal  # the member's, a draft

    def __getattr__(self, name: str) -> Any:
        return getattr(self.world, name)


def name_leaders(units: list[Unit]) -> None:
    for unit in units:
        unit.leader_title, unit.leader_name = LEADERS[unit.code]
        unit.save(update_fields=["leader_title", "leader_name"])


def publish(bloc_year: BlocYear) -> RankingSnapshot:
    """Finalize, publish provisionally, and publish for good once the window has closed."""
    from scoring.services import ranking as ranking_services

    snapshot = ranking_services.bloc_year_finalize(bloc_year=bloc_year, by=None)
    ranking_services.publish_provisional(bloc_year=bloc_year, by=None)
    ranking_services.publish_final(
        bloc_year=bloc_year, by=None, today=timezone.localdate() + datetime.timedelta(days=60)
    )
    bloc_year.refresh_from_db()
    return snapshot


def documents_year(world: World, *, by: User | None = None) -> DocumentsYear:
    name_leaders([world.head, world.deputy, world.member])
    year = verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])
    BlocYear.objects.filter(pk=year.pk).update(
        conference_date=CONFERENCE,
        conference_place="Hội trường Sở Y tế",
        covenant_date=COVENANT,
        registration_due=REGISTRATION_DUE,
    )
    year.refresh_from_db()
    # At the start of the year the head and the member registered what they were proposed for.
    for unit, codes in ((world.head, ["GOV_FLAG"]), (world.member, ["PROV_FLAG"])):
        registration_save(
            bloc_year=year,
            unit=unit,
            award_codes=codes,
            by=by,
            now=datetime.datetime(2019, 3, 1, 2, tzinfo=datetime.UTC),
        )
    snapshot = publish(year)
    awards = {award.code: award for award in AwardType.objects.filter(rule_set__code="LUAT-2003")}
    ballot = BallotFactory.create(
        bloc_year=year,
        held_on=CONFERENCE,
        place="Hội trường Sở Y tế",
        members_total=3,
        recorded_by=by,
    )
    BallotResultFactory.create(
        ballot=ballot, award_type=awards["GOV_FLAG"], unit=world.head, votes_for=3
    )
    BallotResultFactory.create(
        ballot=ballot, award_type=awards["PROV_FLAG"], unit=world.member, votes_for=2
    )
    rows = {row.unit_id: row for row in snapshot.rows}
    gov_flag = ProposalFactory.create(
        bloc_year=year,
        unit=world.head,
        award_type=awards["GOV_FLAG"],
        status=Proposal.Status.SUBMITTED,
        summary="Dẫn đầu khối năm 2019.",
        rank=rows[world.head.pk].rank,
        total=rows[world.head.pk].total,
        votes_for=3,
        submitted_at=timezone.now(),
        created_by=by,
    )
    prov_flag = ProposalFactory.create(
        bloc_year=year,
        unit=world.member,
        award_type=awards["PROV_FLAG"],
        rank=rows[world.member.pk].rank,
        total=rows[world.member.pk].total,
        votes_for=2,
        created_by=by,
    )
    return DocumentsYear(
        world=world,
        year=year,
        snapshot=snapshot,
        ballot=ballot,
        awards=awards,
        gov_flag=gov_flag,
        prov_flag=prov_flag,
    )


def draft(bloc_year: BlocYear, kind: str) -> Document:
    return services.document_create(bloc_year=bloc_year, kind=kind, by=None)


# What the secretariat writes in each kind before it can be issued.
WRITTEN: dict[str, dict[str, str]] = {
    Document.Kind.REPORT: {
        "assessment": "Các đơn vị hoàn thành tốt nhiệm vụ được giao.",
        "direction": "Tiếp tục đổi mới nội dung, hình thức thi đua.",
    },
    Document.Kind.MINUTES: {
        "time": "08 giờ 00",
        "secretary": "Bà Trần Thị Thu Hường, Giám đốc Sở Giáo dục và Đào tạo",
        "secretary_name": "Trần Thị Thu Hường",
        "conclusions": "Hội nghị thống nhất đề nghị khen thưởng hai tập thể.",
        "end_time": "11 giờ 30",
    },
    Document.Kind.COVENANT: {"targets": "1. Hoàn thành 100% nhiệm vụ được giao."},
}


def written(bloc_year: BlocYear, kind: str) -> Document:
    """A draft whose parts to write are written: it can be issued."""
    document = draft(bloc_year, kind)
    return services.document_update(
        document=document,
        values={},
        narrative=WRITTEN.get(kind, {}),
        version=document.version,
        by=None,
    )


def issued(bloc_year: BlocYear, kind: str) -> Document:
    """A document written and issued through the service (its files rendered)."""
    return services.document_issue(document=written(bloc_year, kind), by=None)


def issued_quickly(bloc_year: BlocYear, kind: str) -> Document:
    """An issued document with placeholder files: for access tests, which need no rendering.
    It has a date (its event's, else mid-January after its year) and the next number."""
    document = draft(bloc_year, kind)
    if document.date is None:
        document.date = datetime.date(bloc_year.year + 1, 1, 15)
    if document.type_code:
        document.number = services.next_number(document)
    document.state = Document.State.ISSUED
    document.issued_at = timezone.now()
    document.docx.save(services.filename(document, "docx"), ContentFile(b"docx"), save=False)
    document.pdf.save(services.filename(document, "pdf"), ContentFile(b"%PDF-1.4"), save=False)
    document.save()
    return document
