"""The bloc's yearly report (Báo cáo tổng kết công tác thi đua): the bloc and its members, the
assessment typed by the secretariat, the ranking results, the award proposals and their outcome,
the direction for next year with the next head and deputy, and the launch of next year's drive.
"""

from __future__ import annotations

from awards.models import Proposal
from reports.builders.blocks import paragraphs, results_table
from reports.builders.data import YearData
from reports.builders.letterhead import document_header, signer
from reports.content import Column, Content, Heading, Paragraph, Table
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
        paragraphs(narrative.get("assessment", ""))
        or [Paragraph("(Phần đánh giá chung của khối.)", italic=True)]
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
        paragraphs(narrative.get("direction", ""))
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
    content.signatures = [signer(document, f"TM. {data.bloc_name.upper()}", "TRƯỞNG KHỐI")]
    return content
