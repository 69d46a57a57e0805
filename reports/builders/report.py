"""The bloc's yearly report (Báo cáo tổng kết công tác thi đua): the bloc and its members, the
assessment typed by the secretariat, the ranking results, the award proposals and their outcome,
the direction for next year with the next head and deputy, and the launch of next year's drive.
"""

from __future__ import annotations

from awards.authority import report_proposal
from awards.models import Proposal
from reports.builders.blocks import filled, results_table, written
from reports.builders.data import YearData
from reports.builders.letterhead import authority_name, document_header
from reports.content import Block, Column, Content, Heading, Paragraph, Table
from reports.models import Document


def build_report(document: Document, data: YearData) -> Content:
    """Báo cáo tổng kết công tác thi đua của khối."""
    content = document_header(document, "BÁO CÁO")
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
        written(
            content,
            narrative.get("assessment", ""),
            "Mục II – đánh giá chung của khối",
            "(Phần đánh giá chung của khối.)",
        )
    )
    blocks.append(Heading("III. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG"))
    table = results_table(data)
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
        ties = [row for row in data.snapshot.rows if row.tie_break] if data.snapshot else []
        for row in ties:
            blocks.append(Paragraph(f"{data.row_name(row)}: {row.tie_break}.", italic=True))
    blocks.extend(proposals_section(document, data))
    blocks.append(Heading(f"V. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {data.year + 1}"))
    blocks.extend(
        written(
            content,
            narrative.get("direction", ""),
            f"Mục V – phương hướng, nhiệm vụ năm {data.year + 1}",
            "(Phương hướng, nhiệm vụ năm tới.)",
        )
    )
    next_head = filled(narrative.get("next_head", ""), one_line=True) or data.next_head
    next_deputy = filled(narrative.get("next_deputy", ""), one_line=True) or data.next_deputy
    if next_head or next_deputy:
        blocks.append(
            Paragraph(
                f"Hội nghị thống nhất bầu {next_head or '…'} làm Trưởng khối và "
                f"{next_deputy or '…'} làm Khối phó "
                f"{data.bloc_name} năm {data.year + 1}."
            )
        )
    launch = filled(narrative.get("launch", "")) or (
        f"Tại Hội nghị, {data.bloc_name} phát động phong trào thi đua năm {data.year + 1} "
        f"và các đơn vị thành viên ký kết giao ước thi đua năm {data.year + 1}."
    )
    blocks.extend(Paragraph(line) for line in launch.splitlines())
    return content  # signed by the issuer (``document_header``)


def _committee(data: YearData) -> str:
    """The people's committee the bloc proposes to, as its own report names it: "UBND tỉnh"
    ("UBND thành phố" for a centrally governed city)."""
    name = authority_name(data.bloc_year.bloc.council)  # "Ủy ban nhân dân tỉnh Quảng Nam"
    return "UBND thành phố" if name.startswith("Ủy ban nhân dân thành phố") else "UBND tỉnh"


def _proposal_text(proposal: Proposal, committee: str, document: Document) -> str:
    """A proposal as the report words it, "Đề nghị UBND tỉnh trình Thủ tướng Chính phủ tặng
    Cờ thi đua của Chính phủ": whom it goes to follows from who decides the award. A decision
    is cited only when it was taken by the report's date: a report states what was true on its
    date."""
    award = proposal.award_type
    text = report_proposal(award.authority, committee, award.name)
    decision = proposal.decision
    if decision is not None and document.date is not None and decision.date <= document.date:
        text += f" (đã có Quyết định số {decision.number} ngày {decision.date:%d/%m/%Y})"
    return text


def proposals_section(document: Document, data: YearData) -> list[Block]:
    """Section IV: the bloc's proposals, each worded by who decides the award, with the votes
    of the secret ballot."""
    blocks: list[Block] = [Heading("IV. KẾT QUẢ BÌNH XÉT, ĐỀ NGHỊ KHEN THƯỞNG")]
    if not data.proposals:
        blocks.append(Paragraph("Khối chưa bình xét, đề nghị khen thưởng.", italic=True))
        return blocks
    committee = _committee(data)
    members = data.ballot.members_total if data.ballot else None
    blocks.append(
        Paragraph(f"{data.bloc_name} thống nhất đề nghị khen thưởng năm {data.year} như sau:")
    )
    rows = tuple(
        (
            str(index),
            data.unit_name(proposal.unit),
            _proposal_text(proposal, committee, document),
            f"{proposal.votes_for}/{members}"
            if proposal.votes_for is not None and members
            else "–",
        )
        for index, proposal in enumerate(data.proposals, start=1)
    )
    blocks.append(
        Table(
            columns=(
                Column("TT", 12, "center"),
                Column("Đơn vị", 55),
                Column("Nội dung đề nghị", 73),
                Column("Phiếu đồng ý", 25, "center"),
            ),
            rows=rows,
        )
    )
    return blocks
