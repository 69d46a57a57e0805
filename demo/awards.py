"""Demo awards of 2020 for Khối thi đua tham mưu III: the ballot of the year-end conference, the
proposals of the source article, the leaders' approval and the decisions.

The source article has the bloc propose the Government flag for Sở LĐ-TB&XH and the provincial
flags for Đài PT-TH Quảng Nam and Sở TT-TT (2 flags for this bloc that year); certificates of
merit go to Sở Y tế and Sở GD-ĐT. Who decides follows the law (docs/awards.md, "Who decides which
award"): the provincial chairman's decision grants the provincial flags and certificates, and
the Government flag, which the province only forwards, comes with a Prime Minister's decision
(…/QĐ-TTg) a few months later. Vote counts, staff figures, summaries, both decisions' numbers
and signers, and the council vote are invented (illustrative, as the demo notice says).
Everything goes through the app's services, in the order people do it; each step is skipped
when it was done already, so loading twice changes nothing. 2021 is not yet at this stage.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from awards.models import AwardType, Ballot, Decision, Proposal, QuotaOverride, UnitYearFacts
from awards.selectors import rule_set_for_year
from awards.services import ballots as ballot_services
from awards.services import catalogue as catalogue_services
from awards.services import decisions as decision_services
from awards.services import facts as facts_services
from awards.services import proposals as proposal_services
from awards.services import review as review_services
from blocs.models import BlocYear, Council, Unit, User

YEAR = 2020
CONFERENCE = datetime.date(2021, 3, 2)
# Illustrative numbers, dates and signers (not the real decisions).
DECISION_NUMBER = "245/QĐ-UBND"  # the provincial chairman's: provincial flags, certificates
DECISION_DATE = datetime.date(2021, 3, 25)
DECISION_SIGNER = ("Chủ tịch Ủy ban nhân dân tỉnh", "Trần Văn Minh")
# The Prime Minister's, on the province's forwarding letter after the council's vote: the
# Government flag. Such decisions come months after the province's (e.g. 231/QĐ-TTg of
# 14/3/2023 for Báo Nghệ An's flag of 2022); no name is invented for a real office holder.
PM_DECISION_NUMBER = "1045/QĐ-TTg"
PM_DECISION_DATE = datetime.date(2021, 6, 28)
PM_DECISION_SIGNER = ("KT. Thủ tướng Chính phủ, Phó Thủ tướng", "")
COUNCIL_MEMBERS, COUNCIL_VOTES = 15, 13

# headcount, completing tasks, "Lao động tiên tiến", "Chiến sĩ thi đua cơ sở", women
FACTS: dict[str, tuple[int, int, int, int, int]] = {
    "SLDTBXH": (62, 62, 52, 8, 34),
    "DPTTH": (130, 130, 108, 12, 50),
    "STTTT": (40, 40, 33, 5, 14),
    "SYT": (50, 50, 41, 6, 34),
    "SGDDT": (80, 80, 66, 9, 58),
    "SVHTTDL": (72, 71, 55, 5, 31),
    "BQN": (85, 84, 63, 4, 35),
}

# award code → [(unit code, votes for)], in the order of the tally sheet
VOTES: dict[str, list[tuple[str, int]]] = {
    "GOV_FLAG": [("SLDTBXH", 7)],
    "PROV_FLAG": [("DPTTH", 6), ("STTTT", 5)],
    "PROV_CERT": [("SYT", 5), ("SGDDT", 4)],
}

SUMMARIES: dict[tuple[str, str], str] = {
    ("GOV_FLAG", "SLDTBXH"): (
        "Dẫn đầu Khối thi đua tham mưu III năm 2020; hoàn thành vượt mức các chỉ tiêu giảm "
        "nghèo, giải quyết việc làm; tổ chức kịp thời chi trả hỗ trợ người dân gặp khó khăn do "
        "đại dịch COVID-19 và khắc phục hậu quả bão lũ cuối năm."
    ),
    ("PROV_FLAG", "DPTTH"): (
        "Xếp thứ hai của Khối; tăng thời lượng phát sóng tiếng Cơ Tu, thông tin kịp thời về "
        "phòng, chống dịch COVID-19 và bão lũ; hoàn thành chuyển đổi số quy trình sản xuất "
        "chương trình."
    ),
    ("PROV_FLAG", "STTTT"): (
        "Xếp thứ ba của Khối; đưa Trung tâm Giám sát, điều hành đô thị thông minh vào hoạt "
        "động; 100% văn bản của các sở, ngành được gửi, nhận trên môi trường điện tử."
    ),
    ("PROV_CERT", "SYT"): (
        "Làm tốt công tác phòng, chống dịch COVID-19, không để lây lan trong cộng đồng sau đợt "
        "dịch tháng 7/2020; hoàn thành các chỉ tiêu y tế được UBND tỉnh giao."
    ),
    ("PROV_CERT", "SGDDT"): (
        "Tổ chức an toàn Kỳ thi tốt nghiệp THPT năm 2020 trong điều kiện dịch bệnh; tỷ lệ "
        "trường đạt chuẩn quốc gia vượt kế hoạch năm."
    ),
}


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _facts(units: dict[str, Unit], by: User | None) -> None:
    existing = set(
        UnitYearFacts.objects.filter(unit__in=units.values(), year=YEAR).values_list(
            "unit__code", flat=True
        )
    )
    for code, (headcount, completing, advanced, fighters, women) in FACTS.items():
        if code in existing:
            continue
        facts_services.facts_save(
            unit=units[code],
            year=YEAR,
            values={
                "headcount": headcount,
                "completing_tasks": completing,
                "advanced_workers": advanced,
                "emulation_fighters": fighters,
                "women": women,
                "disciplined": 0,
                "under_investigation": False,
                "investigation_note": "",
            },
            by=by,
        )


def _ballot(bloc_year: BlocYear, units: dict[str, Unit], by: User | None) -> None:
    if Ballot.objects.filter(bloc_year=bloc_year).exists():
        return
    members = len(units)
    ballot_services.ballot_record(
        bloc_year=bloc_year,
        held_on=CONFERENCE,
        place="Hội trường Sở Y tế Quảng Nam",
        members_present=members,
        issued=members,
        returned=members,
        valid=members,
        votes={
            (award, units[code].pk): votes
            for award, candidates in VOTES.items()
            for code, votes in candidates
        },
        note="Hội nghị tổng kết công tác thi đua, khen thưởng năm 2020 của Khối.",
        by=by,
    )


def _proposals(
    bloc_year: BlocYear, units: dict[str, Unit], awards: dict[str, AwardType], by: User | None
) -> None:
    existing = {
        (proposal.award_type.code, proposal.unit.code): proposal
        for proposal in Proposal.objects.filter(bloc_year=bloc_year).select_related(
            "award_type", "unit"
        )
    }
    for (award, code), summary in SUMMARIES.items():
        proposal = existing.get((award, code))
        if proposal is None:
            proposal = proposal_services.proposal_create(
                bloc_year=bloc_year, unit=units[code], award_type=awards[award], by=by
            )
            proposal_services.proposal_update_summary(
                proposal=proposal, summary=summary, version=proposal.version, by=by
            )
    if Proposal.objects.filter(bloc_year=bloc_year, status=Proposal.Status.DRAFT).exists():
        proposal_services.proposals_submit(bloc_year=bloc_year, by=by)


def _approve(bloc_year: BlocYear, leader: User | None) -> None:
    waiting = Proposal.objects.filter(
        bloc_year=bloc_year, status=Proposal.Status.SUBMITTED
    ).select_related("bloc_year", "unit", "award_type")
    for proposal in waiting:
        review_services.proposal_approve(
            proposal=proposal, by=leader, note="Đủ điều kiện, đề nghị Hội đồng xét."
        )


def _decide(
    bloc_year: BlocYear,
    council: Council,
    admin: User | None,
    *,
    number: str,
    date: datetime.date,
    signer: tuple[str, str],
) -> None:
    """Record the decision (once) and put under it the approved proposals of its authority."""
    decision = Decision.objects.filter(
        council=council, number=number, date=date
    ).first() or decision_services.decision_record(
        council=council,
        number=number,
        date=date,
        signer_title=signer[0],
        signer_name=signer[1],
        upload=None,
        by=admin,
    )
    undecided = list(
        Proposal.objects.filter(
            bloc_year=bloc_year,
            status=Proposal.Status.APPROVED,
            decision__isnull=True,
            award_type__authority=decision.authority,
        ).select_related("bloc_year__bloc", "unit", "award_type__rule_set")
    )
    if undecided:
        decision_services.decision_attach(
            decision=decision,
            proposals=undecided,
            votes={
                proposal.pk: (COUNCIL_MEMBERS, COUNCIL_VOTES)
                for proposal in undecided
                if proposal.award_type.needs_council_vote
            },
            by=admin,
        )


@transaction.atomic
def load_awards() -> None:
    bloc_year = BlocYear.objects.select_related("bloc__council").get(
        bloc__council__code="QNA", bloc__code="TM3", year=YEAR
    )
    council = bloc_year.bloc.council
    units = {
        membership.unit.code: membership.unit
        for membership in bloc_year.memberships.select_related("unit")
    }
    rule_set = rule_set_for_year(YEAR)
    assert rule_set is not None
    awards = {award.code: award for award in rule_set.award_types.all()}
    secretary = _user("daumoi.syt")  # the head's focal point: the secretariat of 2020

    _facts(units, secretary)
    # The council gave this bloc two provincial flags in 2020 (the source article).
    if not QuotaOverride.objects.filter(
        bloc_year=bloc_year, award_type=awards["PROV_FLAG"]
    ).exists():
        catalogue_services.quota_set(
            bloc_year=bloc_year, award_type=awards["PROV_FLAG"], quota=2, by=_user("quantri")
        )
    _ballot(bloc_year, units, secretary)
    _proposals(bloc_year, units, awards, secretary)
    _approve(bloc_year, _user("lanhdao"))
    admin = _user("quantri")
    _decide(
        bloc_year,
        council,
        admin,
        number=DECISION_NUMBER,
        date=DECISION_DATE,
        signer=DECISION_SIGNER,
    )
    _decide(
        bloc_year,
        council,
        admin,
        number=PM_DECISION_NUMBER,
        date=PM_DECISION_DATE,
        signer=PM_DECISION_SIGNER,
    )
