"""The emulation covenant (Bản giao ước thi đua): the targets the members agree on, and the
signature of every member unit's head, each under its unit's name on the day of signing.

The covenant of year N is usually signed at the conference that closes year N − 1, so the
conference pack of N − 1 carries it.
"""

from __future__ import annotations

from reports.builders.blocks import written
from reports.builders.data import YearData
from reports.builders.letterhead import document_header
from reports.content import Content, Paragraph, Signature
from reports.models import Document


def build_covenant(document: Document, data: YearData) -> Content:
    """Bản giao ước thi đua, với chữ ký của thủ trưởng mỗi đơn vị thành viên."""
    content = document_header(document, "BẢN GIAO ƯỚC THI ĐUA")
    blocks = content.blocks
    blocks.append(
        Paragraph(
            f"Thực hiện phong trào thi đua năm {data.year}, các đơn vị thành viên {data.bloc_name} "
            "thống nhất ký kết giao ước thi đua với các nội dung sau:"
        )
    )
    blocks.extend(
        written(
            content,
            document.narrative.get("targets", ""),
            "Các chỉ tiêu, nội dung giao ước",
            "(Các chỉ tiêu, nội dung giao ước.)",
        )
    )
    blocks.append(
        Paragraph(
            "Các đơn vị cam kết thực hiện nghiêm túc các nội dung giao ước; Trưởng khối tổng hợp, "
            "theo dõi và báo cáo kết quả thực hiện với Hội đồng Thi đua - Khen thưởng."
        )
    )
    content.signatures = [
        Signature(
            (member.name.upper(), (member.unit.leader_title or "Thủ trưởng").upper()),
            name=member.unit.leader_name,
        )
        for member in data.members
    ]
    content.missing.extend(
        f"Họ tên thủ trưởng {member.name} (ký giao ước)"
        for member in data.members
        if not member.unit.leader_name
    )
    return content
