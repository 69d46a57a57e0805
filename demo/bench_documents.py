"""The conference pack at bench size (``manage.py bench``; docs/performance.md, "The conference
pack"): the pack of the bench's published bloc-year (15 units × 80 criteria) timed with every
document a draft, then with every document issued.

To be issued, the year needs what a secretariat fills in before its conference: the units'
leaders (the signatures), the conference's place, the secret ballot and the narrative parts. They
are written here through the app's services, as ``demo/documents.py`` does for the demo.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from awards.models import Ballot, BallotResult, Proposal
from blocs.models import BlocYear, Membership, Unit
from reports import builders, services
from reports.models import Document
from reports.render.memo import forget

NARRATIVE: dict[str, dict[str, str]] = {
    Document.Kind.REPORT: {
        "assessment": "Các đơn vị hoàn thành tốt nhiệm vụ được giao.",
        "direction": "Tiếp tục đổi mới nội dung, hình thức thi đua.",
    },
    Document.Kind.MINUTES: {
        "time": "08 giờ 00",
        "secretary": "Bà Nguyễn Thị Lan, chuyên viên",
        "secretary_name": "Nguyễn Thị Lan",
        "conclusions": "Hội nghị thống nhất kết quả chấm điểm và đề nghị khen thưởng.",
        "end_time": "11 giờ 30",
    },
    Document.Kind.COVENANT: {"targets": "1. Hoàn thành 100% nhiệm vụ được giao."},
}
# The order a secretariat issues them: the annex cites the report's number.
ORDER = [
    Document.Kind.MINUTES,
    Document.Kind.REPORT,
    Document.Kind.SCORE_TABLE,
    Document.Kind.SUBMISSION,
]


def _prepare(bloc_year: BlocYear) -> None:
    """Leaders for the bloc's units, the conference's place, the ballot with a result per
    proposal."""
    units = Membership.objects.filter(bloc_year__bloc=bloc_year.bloc).values_list("unit_id")
    Unit.objects.filter(pk__in=units, leader_name="").update(
        leader_title="Giám đốc", leader_name="Nguyễn Văn An"
    )
    BlocYear.objects.filter(pk=bloc_year.pk).update(conference_place="Hội trường khối")
    bloc_year.refresh_from_db()
    members = Membership.objects.filter(bloc_year=bloc_year).count()
    ballot, _created = Ballot.objects.get_or_create(
        bloc_year=bloc_year,
        defaults={
            "held_on": bloc_year.conference_date,
            "place": bloc_year.conference_place,
            "members_total": members,
            "members_present": members,
            "ballots_issued": members,
            "ballots_returned": members,
            "ballots_valid": members,
        },
    )
    for proposal in Proposal.objects.filter(bloc_year=bloc_year):
        BallotResult.objects.get_or_create(
            ballot=ballot,
            award_type_id=proposal.award_type_id,
            unit_id=proposal.unit_id,
            defaults={"votes_for": members},
        )


def _issue(bloc_year: BlocYear, kind: str, conference: BlocYear) -> Document:
    document = services.document_create(bloc_year=bloc_year, kind=kind, by=None)
    if document.state == Document.State.ISSUED:
        return document
    # The header as a new draft would have it now that the leaders are known.
    header = builders.defaults(bloc_year, kind)
    values = {key: header[key] for key in ("signer_title", "signer_name") if key in header}
    if document.date is None:  # the next year's covenant: signed at the conference
        values["date"] = conference.conference_date
    document = services.document_update(
        document=document,
        values=values,
        narrative=NARRATIVE.get(kind, {}),
        version=document.version,
        by=None,
    )
    return services.document_issue(document=document, by=None)


def issue_conference(bloc_year: BlocYear) -> None:
    """Every document of the conference closing ``bloc_year`` issued, with the covenant of the
    following year signed there."""
    _prepare(bloc_year)
    for kind in ORDER:
        _issue(bloc_year, kind, bloc_year)
    following = services.next_covenant_year(bloc_year)
    if following is not None:
        _issue(following, Document.Kind.COVENANT, bloc_year)


def pack_timings(
    bloc_year: BlocYear, runs: int, timed: Callable[[Callable[[], Any], int], dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """The pack as its view builds it (with the ranking workbook): drafts rendered for the first
    time, the same drafts again (remembered renderings, ``reports.render.memo``), then every
    document issued (the kept files)."""

    def pack() -> None:
        services.conference_pack(bloc_year, with_workbook=True)

    def first_pack() -> None:
        forget()  # as the first pack of a process, or of drafts that just changed
        pack()

    items = {
        "conference pack (drafts)": timed(first_pack, runs),
        "conference pack (drafts, again)": timed(pack, runs),
    }
    issue_conference(bloc_year)
    items["conference pack (issued)"] = timed(pack, runs)
    return items
