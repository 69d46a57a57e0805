"""From a bloc-year's data to the content of each document.

Official documents are written in Vietnamese whatever language the person reading the screen
chose (the law requires it), so their fixed wording is not passed through translation.
Numbers are written the Vietnamese way (95,50) and dates the official way
("ngày 05 tháng 3 năm 2021").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from awards.eligibility import ballot_share, fmt_percent, quorum_met
from awards.models import Ballot, Proposal
from awards.selectors import rule_set_for_year
from blocs.models import BlocYear, Council, Membership, Unit
from reports.content import Column, Content, Heading, Paragraph, Signature, Table
from reports.models import Document
from scoring.models import RankingSnapshot
from thidua.lib.dates import official_date, official_date_line


def vn(value: Decimal | str | None, places: int = 2) -> str:
    """``95,50``; thousands with a dot: ``1.000,00``."""
    if value is None or value == "":
        return "–"
    amount = Decimal(str(value)).quantize(Decimal(1).scaleb(-places))
    whole, _, fraction = f"{amount:,.{places}f}".partition(".")
    whole = whole.replace(",", ".")
    return f"{whole},{fraction}" if places else whole


def _locality(council: Council) -> str:
    """ "tỉnh Quảng Nam", "thành phố Đà Nẵng": the part of the council's name after its title."""
    name = council.name
    for marker in ("tỉnh ", "thành phố "):
        if marker in name:
            return name[name.index(marker) :]
    return f"tỉnh {council.province}"


def authority_of(council: Council) -> str:
    """The people's committee the council belongs to: "UBND TỈNH QUẢNG NAM"."""
    return f"UBND {_locality(council)}".upper()


def authority_name(council: Council) -> str:
    """The same in full, as a letter addresses it: "Ủy ban nhân dân tỉnh Quảng Nam"."""
    return f"Ủy ban nhân dân {_locality(council)}"


@dataclass
class Member:
    unit: Unit
    name: str
    role: str
    leader: str  # "Giám đốc Nguyễn Văn Hai"


@dataclass
class YearData:
    """Everything the documents of a bloc-year read, loaded once."""

    bloc_year: BlocYear
    members: list[Member]
    head: Member | None
    deputy: Member | None
    snapshot: RankingSnapshot | None
    proposals: list[Proposal]
    ballot: Ballot | None
    next_head: str = ""
    next_deputy: str = ""
    legal_basis: list[str] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.bloc_year.year

    @property
    def bloc_name(self) -> str:
        return self.bloc_year.bloc.name


def _member(membership: Membership, year: int) -> Member:
    unit = membership.unit
    leader = " ".join(part for part in (unit.leader_title, unit.leader_name) if part)
    return Member(unit=unit, name=unit.name_in_year(year), role=membership.role, leader=leader)


def year_data(bloc_year: BlocYear) -> YearData:
    memberships = (
        Membership.objects.filter(bloc_year=bloc_year)
        .select_related("unit")
        .prefetch_related("unit__former_names")
    )
    members = sorted(
        (_member(m, bloc_year.year) for m in memberships), key=lambda member: member.name
    )
    head = next((m for m in members if m.role == Membership.Role.HEAD), None)
    deputy = next((m for m in members if m.role == Membership.Role.DEPUTY), None)
    following = (
        BlocYear.objects.filter(bloc_id=bloc_year.bloc_id, year=bloc_year.year + 1)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(
                    role__in=[Membership.Role.HEAD, Membership.Role.DEPUTY]
                )
                .select_related("unit")
                .prefetch_related("unit__former_names"),
            )
        )
        .first()
    )
    next_head = next_deputy = ""
    if following is not None:
        for membership in following.memberships.all():
            name = membership.unit.name_in_year(following.year)
            if membership.role == Membership.Role.HEAD:
                next_head = name
            else:
                next_deputy = name
    rule_set = rule_set_for_year(bloc_year.year)
    return YearData(
        bloc_year=bloc_year,
        members=members,
        head=head,
        deputy=deputy,
        snapshot=RankingSnapshot.objects.filter(bloc_year=bloc_year).order_by("-number").first(),
        proposals=list(
            Proposal.objects.filter(bloc_year=bloc_year)
            .exclude(status=Proposal.Status.REJECTED)
            .select_related("unit", "award_type", "decision")
            .order_by("award_type__order", "rank")
        ),
        ballot=Ballot.objects.filter(bloc_year=bloc_year)
        .prefetch_related("results__unit", "results__award_type")
        .first(),
        next_head=next_head,
        next_deputy=next_deputy,
        legal_basis=[
            line for line in (rule_set.legal_basis.splitlines() if rule_set else []) if line.strip()
        ],
    )


def _header(document: Document, kind_title: str) -> Content:
    council = document.bloc_year.bloc.council
    return Content(
        issuer_parent=document.issuer_parent,
        issuer=document.issuer_name,
        number_line=document.number_line,
        place_date=official_date_line(document.place, document.date),
        kind_title=kind_title,
        subject=document.subject,
        recipients=document.recipient_lines,
        demo_notice="Dữ liệu minh họa: số liệu giả định để trình diễn." if council.is_demo else "",
    )


def _paragraphs(text: str) -> list[Paragraph]:
    return [Paragraph(line.strip()) for line in text.splitlines() if line.strip()]


def _results_table(data: YearData) -> Table | None:
    if data.snapshot is None:
        return None
    rows = tuple(
        (
            str(row["rank"]) if row["rank"] else "–",
            row["name"],
            vn(row["total"]),
            row["band"] or "–",
        )
        for row in data.snapshot.rows
    )
    return Table(
        columns=(
            Column("Hạng", 15, "center"),
            Column("Đơn vị", 66),
            Column("Tổng điểm", 24, "right"),
            Column("Xếp loại", 60),
        ),
        rows=rows,
    )


def _signer(document: Document, *lines: str) -> Signature:
    return Signature(
        lines=tuple(line for line in (*lines, document.signer_title) if line),
        name=document.signer_name,
    )


def build_report(document: Document, data: YearData) -> Content:
    """Báo cáo tổng kết công tác thi đua của khối."""
    content = _header(document, "BÁO CÁO")
    blocks = content.blocks
    narrative = document.narrative
    blocks.append(Heading("I. ĐẶC ĐIỂM TÌNH HÌNH"))
    blocks.append(
        Paragraph(
            f"{data.bloc_name} năm {data.year} có {len(data.members)} đơn vị thành viên: "
            + ", ".join(member.name for member in data.members)
            + "."
        )
    )
    if data.head or data.deputy:
        blocks.append(
            Paragraph(
                f"Trưởng khối: {data.head.name if data.head else '…'}; "
                f"Khối phó: {data.deputy.name if data.deputy else '…'}."
            )
        )
    blocks.append(Heading("II. KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG THI ĐUA"))
    blocks.extend(
        _paragraphs(narrative.get("assessment", ""))
        or [Paragraph("(Phần đánh giá chung của khối.)", italic=True)]
    )
    blocks.append(Heading("III. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG"))
    table = _results_table(data)
    if table is None:
        blocks.append(Paragraph("Kết quả chấm điểm chưa được chốt.", italic=True))
    else:
        blocks.append(
            Paragraph(
                "Trên cơ sở bảng tiêu chí và thang điểm đã thống nhất, các đơn vị tự chấm điểm, "
                "Trưởng khối và Khối phó thẩm định; kết quả chấm điểm, xếp hạng như sau "
                "(chi tiết tại Phụ lục kèm theo):"
            )
        )
        blocks.append(table)
        ties = [row for row in data.snapshot.rows if row.get("tie_break")] if data.snapshot else []
        for row in ties:
            blocks.append(Paragraph(f"{row['name']}: {row['tie_break']}.", italic=True))
    blocks.append(Heading("IV. KẾT QUẢ BÌNH XÉT, ĐỀ NGHỊ KHEN THƯỞNG"))
    if data.proposals:
        rows = []
        for index, proposal in enumerate(data.proposals, start=1):
            outcome = {
                Proposal.Status.APPROVED: "Đã được duyệt",
                Proposal.Status.SUBMITTED: "Đã trình",
                Proposal.Status.RETURNED: "Đang hoàn thiện hồ sơ",
                Proposal.Status.DRAFT: "Dự kiến",
            }.get(Proposal.Status(proposal.status), "")
            if proposal.decision is not None:
                decision = proposal.decision
                outcome = f"Quyết định số {decision.number} ngày {decision.date:%d/%m/%Y}"
            rows.append(
                (
                    str(index),
                    proposal.unit.name_in_year(data.year),
                    proposal.award_type.name,
                    outcome,
                )
            )
        blocks.append(
            Table(
                columns=(
                    Column("TT", 12, "center"),
                    Column("Đơn vị", 62),
                    Column("Hình thức khen thưởng", 48),
                    Column("Kết quả", 43),
                ),
                rows=tuple(rows),
            )
        )
    else:
        blocks.append(Paragraph("Khối chưa bình xét, đề nghị khen thưởng.", italic=True))
    blocks.append(Heading(f"V. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {data.year + 1}"))
    blocks.extend(
        _paragraphs(narrative.get("direction", ""))
        or [Paragraph("(Phương hướng, nhiệm vụ năm tới.)", italic=True)]
    )
    next_head = narrative.get("next_head") or data.next_head
    next_deputy = narrative.get("next_deputy") or data.next_deputy
    if next_head or next_deputy:
        blocks.append(
            Paragraph(
                f"Hội nghị thống nhất bầu {next_head or '…'} làm Trưởng khối và "
                f"{next_deputy or '…'} làm Khối phó "
                f"{data.bloc_name} năm {data.year + 1}."
            )
        )
    launch = narrative.get("launch") or (
        f"Tại Hội nghị, {data.bloc_name} phát động phong trào thi đua năm {data.year + 1} "
        f"và các đơn vị thành viên ký kết giao ước thi đua năm {data.year + 1}."
    )
    blocks.append(Paragraph(launch))
    content.signatures = [_signer(document, f"TM. {data.bloc_name.upper()}", "TRƯỞNG KHỐI")]
    return content


def build_minutes(document: Document, data: YearData) -> Content:
    """Biên bản họp bình xét, suy tôn và bỏ phiếu kín của khối."""
    content = _header(document, "BIÊN BẢN")
    narrative = document.narrative
    ballot = data.ballot
    blocks = content.blocks
    held = ballot.held_on if ballot else data.bloc_year.conference_date or document.date
    place = (ballot.place if ballot and ballot.place else data.bloc_year.conference_place) or "…"
    blocks.append(
        Paragraph(
            f"Thời gian: {narrative.get('time', '')} {official_date(held)}.".replace("  ", " ")
        )
    )
    blocks.append(Paragraph(f"Địa điểm: {place}."))
    head_chair = (
        ", ".join(part for part in (data.head.leader, data.head.name) if part) if data.head else ""
    )
    blocks.append(Paragraph(f"Chủ trì: {narrative.get('chair') or head_chair or '…'}."))
    secretary = (narrative.get("secretary") or "").rstrip(".")
    blocks.append(Paragraph(f"Thư ký: {secretary}." if secretary else "Thư ký: …"))
    blocks.append(Heading("I. THÀNH PHẦN THAM DỰ"))
    if ballot is not None:
        rule_set = rule_set_for_year(data.year)
        enough = quorum_met(
            ballot.members_present,
            ballot.members_total,
            rule_set.quorum_numerator if rule_set else 2,
            rule_set.quorum_denominator if rule_set else 3,
        )
        blocks.append(
            Paragraph(
                f"Có mặt {ballot.members_present}/{ballot.members_total} đơn vị thành viên "
                f"({'đủ' if enough else 'không đủ'} túc số theo quy chế hoạt động của khối)."
            )
        )
    blocks.append(
        Paragraph(
            "Đại diện lãnh đạo các đơn vị: "
            + "; ".join(member.name for member in data.members)
            + "."
        )
    )
    blocks.append(Heading("II. NỘI DUNG"))
    for line in (
        "1. Thông qua kết quả chấm điểm, xếp hạng thi đua năm "
        + str(data.year)
        + " của các đơn vị trong khối.",
        "2. Bình xét, bỏ phiếu kín suy tôn các đơn vị đề nghị khen thưởng.",
        "3. Bầu Trưởng khối, Khối phó năm " + str(data.year + 1) + ".",
    ):
        blocks.append(Paragraph(line, indent=False))
    table = _results_table(data)
    if table is not None:
        blocks.append(Heading("1. Kết quả chấm điểm, xếp hạng"))
        blocks.append(table)
    blocks.append(Heading("2. Kết quả bỏ phiếu kín"))
    if ballot is None:
        blocks.append(Paragraph("Chưa tổ chức bỏ phiếu.", italic=True))
    else:
        blocks.append(
            Paragraph(
                f"Số phiếu phát ra: {ballot.ballots_issued}; "
                f"số phiếu thu về: {ballot.ballots_returned}; "
                f"số phiếu hợp lệ: {ballot.ballots_valid}."
            )
        )
        rows = []
        for result in ballot.results.all():
            share = ballot_share(result.votes_for, ballot.members_total)
            rows.append(
                (
                    result.award_type.name,
                    result.unit.name_in_year(data.year),
                    f"{result.votes_for}/{ballot.members_total}",
                    fmt_percent(share),
                )
            )
        blocks.append(
            Table(
                columns=(
                    Column("Hình thức khen thưởng", 55),
                    Column("Đơn vị", 60),
                    Column("Số phiếu", 22, "center"),
                    Column("Tỷ lệ", 28, "right"),
                ),
                rows=tuple(rows),
            )
        )
    blocks.append(Heading("III. KẾT LUẬN"))
    blocks.extend(
        _paragraphs(narrative.get("conclusions", ""))
        or [Paragraph("(Kết luận của cuộc họp.)", italic=True)]
    )
    blocks.append(
        Paragraph(
            f"Biên bản kết thúc lúc {narrative.get('end_time') or '…'} cùng ngày; "
            "đã thông qua các thành viên dự họp."
        )
    )
    content.signatures = [
        Signature(
            ("THƯ KÝ",), name=narrative.get("secretary_name", ""), note="(Ký, ghi rõ họ tên)"
        ),
        Signature(
            ("CHỦ TRÌ", document.signer_title),
            name=document.signer_name,
            note="(Ký, ghi rõ họ tên)",
        ),
    ]
    content.recipients = []
    return content


def build_submission(document: Document, data: YearData) -> Content:
    """Tờ trình đề nghị khen thưởng gửi Chủ tịch UBND tỉnh qua Sở Nội vụ."""
    content = _header(document, "TỜ TRÌNH")
    council = data.bloc_year.bloc.council
    blocks = content.blocks
    authority = authority_name(council)
    blocks.append(
        Paragraph(f"Kính gửi: Chủ tịch {authority}", align="center", bold=False, indent=False)
    )
    blocks.append(Paragraph("(qua Sở Nội vụ)", align="center", italic=True, indent=False))
    for line in data.legal_basis:
        # "Căn cứ Luật Thi đua, Khen thưởng …": the names of laws keep their capital.
        blocks.append(Paragraph(line if line.startswith("Căn cứ") else f"Căn cứ {line}"))
    blocks.append(
        Paragraph(
            "Căn cứ kết quả chấm điểm, xếp hạng và kết quả bỏ phiếu kín bình xét thi đua "
            f"năm {data.year} "
            f"của {data.bloc_name},"
        )
    )
    blocks.append(
        Paragraph(
            f"{data.bloc_name} kính trình Chủ tịch {authority} xem xét, "
            "khen thưởng cho các tập thể "
            f"có thành tích xuất sắc trong phong trào thi đua năm {data.year}, cụ thể như sau:"
        )
    )
    rows = []
    for index, proposal in enumerate(data.proposals, start=1):
        rows.append(
            (
                str(index),
                proposal.unit.name_in_year(data.year),
                proposal.award_type.name,
                str(proposal.rank or "–"),
                vn(proposal.total),
            )
        )
    blocks.append(
        Table(
            columns=(
                Column("TT", 12, "center"),
                Column("Tên tập thể", 62),
                Column("Hình thức đề nghị", 51),
                Column("Hạng", 15, "center"),
                Column("Tổng điểm", 25, "right"),
            ),
            rows=tuple(rows),
        )
    )
    blocks.append(
        Paragraph(
            "(Kèm theo biên bản họp bình xét và báo cáo thành tích của các tập thể.)", italic=True
        )
    )
    blocks.append(Paragraph(f"Kính trình Chủ tịch {authority} xem xét, quyết định./."))
    content.signatures = [_signer(document, f"TM. {data.bloc_name.upper()}", "TRƯỞNG KHỐI")]
    return content


def build_covenant(document: Document, data: YearData) -> Content:
    """Bản giao ước thi đua, với chữ ký của thủ trưởng mỗi đơn vị thành viên."""
    content = _header(document, "BẢN GIAO ƯỚC THI ĐUA")
    blocks = content.blocks
    blocks.append(
        Paragraph(
            f"Thực hiện phong trào thi đua năm {data.year}, các đơn vị thành viên {data.bloc_name} "
            "thống nhất ký kết giao ước thi đua với các nội dung sau:"
        )
    )
    targets = _paragraphs(document.narrative.get("targets", ""))
    blocks.extend(targets or [Paragraph("(Các chỉ tiêu, nội dung giao ước.)", italic=True)])
    blocks.append(
        Paragraph(
            "Các đơn vị cam kết thực hiện nghiêm túc các nội dung giao ước; Trưởng khối tổng hợp, "
            "theo dõi và báo cáo kết quả thực hiện với Hội đồng Thi đua - Khen thưởng."
        )
    )
    content.signatures = [
        Signature(
            (member.name.upper(), member.unit.leader_title or "THỦ TRƯỞNG"),
            name=member.unit.leader_name,
        )
        for member in data.members
    ]
    return content


def build_score_table(document: Document, data: YearData) -> Content:
    """Phụ lục (A4 ngang): tiêu chí theo dòng, đơn vị theo cột, rồi tổng điểm, hạng, xếp loại."""
    content = _header(document, "PHỤ LỤC")
    content.landscape = True
    snapshot = data.snapshot
    if snapshot is None:
        content.blocks.append(Paragraph("Kết quả chấm điểm chưa được chốt.", italic=True))
        return content
    rows_data = snapshot.rows
    units = [(str(row["unit_id"]), row["name"]) for row in rows_data]
    # The table fills the landscape text width (297 − 2 × 20 mm): the units share what the
    # code, maximum and a title of at least 45 mm leave, up to 25 mm each; the title gets the
    # rest. (Dense tables print in a smaller size, see ``render.DENSE_COLUMNS``.)
    text_width, fixed = 297 - 40, 12 + 16
    width = min(25.0, (text_width - fixed - 45) / max(1, len(units)))
    columns = (
        Column("Mã", 12),
        Column("Tiêu chí", round(text_width - fixed - width * len(units), 1)),
        Column("Tối đa", 16, "right"),
        *(Column(name, width, "right") for _id, name in units),
    )
    rows: list[tuple[str, ...]] = []
    bold: set[int] = set()
    points = snapshot.data.get("points", {})
    for criterion in snapshot.data.get("criteria", []):
        if not criterion.get("leaf"):
            bold.add(len(rows))
            rows.append(
                (criterion["code"], criterion["title"], vn(criterion["max"]), *("" for _ in units))
            )
            continue
        rows.append(
            (
                criterion["code"],
                criterion["title"],
                vn(criterion["max"]),
                *(
                    vn(points.get(unit_id, {}).get(str(criterion["id"])))
                    for unit_id, _name in units
                ),
            )
        )
    for label, key in (("Tổng điểm", "total"), ("Xếp hạng", "rank"), ("Xếp loại", "band")):
        bold.add(len(rows))
        values = [
            vn(row[key]) if key == "total" else (str(row[key]) if row[key] else "–")
            for row in rows_data
        ]
        rows.append(("", label, "", *values))
    content.blocks.append(
        Table(
            columns=columns,
            rows=tuple(rows),
            bold_rows=frozenset(bold),
            caption=(
                f"BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM {data.year} – "
                f"{data.bloc_name.upper()}"
            ),
        )
    )
    content.signatures = [_signer(document, f"TM. {data.bloc_name.upper()}", "TRƯỞNG KHỐI")]
    return content


BUILDERS: dict[str, Callable[[Document, YearData], Content]] = {
    Document.Kind.REPORT: build_report,
    Document.Kind.MINUTES: build_minutes,
    Document.Kind.SUBMISSION: build_submission,
    Document.Kind.COVENANT: build_covenant,
    Document.Kind.SCORE_TABLE: build_score_table,
}


def build(document: Document, data: YearData | None = None) -> Content:
    return BUILDERS[document.kind](document, data or year_data(document.bloc_year))


MEMBERS_RECIPIENTS = "\n".join(
    [
        "Hội đồng Thi đua - Khen thưởng (b/c)",
        "Sở Nội vụ (Phòng Thi đua, khen thưởng)",
        "Các đơn vị thành viên",
        "Lưu: VT.",
    ]
)


def defaults(bloc_year: BlocYear, kind: str) -> dict[str, Any]:
    """A new document's header: issued by the year's head unit, in its name of that year."""
    head = (
        Membership.objects.filter(bloc_year=bloc_year, role=Membership.Role.HEAD)
        .select_related("unit__council")
        .first()
    )
    if head is None:
        return {}
    unit = head.unit
    council = unit.council
    bloc = bloc_year.bloc.name
    year = bloc_year.year
    subjects = {
        Document.Kind.REPORT: (
            f"Tổng kết công tác thi đua năm {year} và phương hướng, nhiệm vụ năm {year + 1} "
            f"của {bloc}"
        ),
        Document.Kind.MINUTES: f"Họp bình xét, suy tôn thi đua năm {year} của {bloc}",
        Document.Kind.SUBMISSION: f"Đề nghị khen thưởng cho các tập thể thuộc {bloc} năm {year}",
        Document.Kind.COVENANT: f"{bloc} năm {year}",
        Document.Kind.SCORE_TABLE: (
            f"Kèm theo Báo cáo tổng kết công tác thi đua năm {year} của {bloc}"
        ),
    }
    recipients = {
        Document.Kind.REPORT: MEMBERS_RECIPIENTS,
        Document.Kind.SUBMISSION: "\n".join(
            [
                "Như trên",
                "Hội đồng Thi đua - Khen thưởng (b/c)",
                "Các đơn vị được đề nghị",
                "Lưu: VT.",
            ]
        ),
        Document.Kind.COVENANT: MEMBERS_RECIPIENTS,
    }
    date = (
        bloc_year.covenant_date if kind == Document.Kind.COVENANT else bloc_year.conference_date
    ) or None
    return {
        "issuer": unit,
        "issuer_parent": authority_of(council),
        "issuer_name": unit.name_in_year(year).upper(),
        "issuer_code": unit.code,
        "place": council.province,
        "date": date,
        "subject": subjects[Document.Kind(kind)],
        "signer_title": " ".join(
            part for part in (unit.leader_title, unit.name_in_year(year)) if part
        ).upper(),
        "signer_name": unit.leader_name,
        "recipients": recipients.get(Document.Kind(kind), ""),
    }
