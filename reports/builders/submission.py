"""The submission (Tờ trình) to the chair of the provincial people's committee, through the
Department of Home Affairs: the legal basis, the grounds, and the table of the units proposed
for an award with their rank and total.
"""

from __future__ import annotations

from reports.builders.blocks import vn
from reports.builders.data import YearData
from reports.builders.letterhead import authority_name, document_header, signer
from reports.content import Column, Content, Paragraph, Table
from reports.models import Document


def build_submission(document: Document, data: YearData) -> Content:
    """Tờ trình đề nghị khen thưởng gửi Chủ tịch UBND tỉnh qua Sở Nội vụ."""
    content = document_header(document, "TỜ TRÌNH")
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
    content.signatures = [signer(document, f"TM. {data.bloc_name.upper()}", "TRƯỞNG KHỐI")]
    return content
