"""The submission (Tờ trình) to the chair of the provincial people's committee, through the
Department of Home Affairs: the legal basis, the grounds, and the units proposed for an award
with their rank and total, grouped by who decides the award.

The chairman decides some awards and only forwards others, so the letter asks him for each
group what he can do (``awards.authority``): "xem xét, quyết định tặng" the provincial flag and
certificate, "xem xét, trình Thủ tướng Chính phủ tặng" the Government's flag. Awards a unit's
own head gives are not asked of him.
"""

from __future__ import annotations

from awards.authority import submission_request
from awards.models import Authority, Proposal
from reports.builders.blocks import vn
from reports.builders.data import YearData
from reports.builders.letterhead import authority_name, document_header
from reports.content import Block, Column, Content, Paragraph, Table
from reports.models import Document

COLUMNS = (
    Column("TT", 12, "center"),
    Column("Tên tập thể", 62),
    Column("Hình thức đề nghị", 51),
    Column("Hạng", 15, "center"),
    Column("Tổng điểm", 25, "right"),
)


def _award_names(proposals: list[Proposal]) -> str:
    """The awards of a group, each once: "Cờ thi đua của …, Bằng khen của …"."""
    return ", ".join(dict.fromkeys(proposal.award_type.name for proposal in proposals))


def proposal_groups(proposals: list[Proposal]) -> list[tuple[str, list[Proposal]]]:
    """The proposals by deciding authority, in the proposals' order (highest award first, so
    the Government's flag comes before the province's awards)."""
    groups: dict[str, list[Proposal]] = {}
    for proposal in proposals:
        groups.setdefault(proposal.award_type.authority, []).append(proposal)
    return list(groups.items())


def closing_request(authorities: set[str]) -> str:
    """The last line's request: decide what he decides, forward what he forwards."""
    decides = Authority.PROVINCIAL_CHAIRMAN in authorities
    forwards = bool(authorities & {Authority.PRIME_MINISTER, Authority.PRESIDENT})
    if decides and forwards:
        return "xem xét, quyết định và trình Thủ tướng Chính phủ theo thẩm quyền"
    if forwards:
        return "xem xét, trình Thủ tướng Chính phủ"
    return "xem xét, quyết định"


def _group_blocks(
    number: str, addressee: str, request: str, proposals: list[Proposal], data: YearData
) -> list[Block]:
    count = len(proposals)
    rows = tuple(
        (
            str(index),
            data.unit_name(proposal.unit),
            proposal.award_type.name,
            str(proposal.rank or "–"),
            vn(proposal.total),
        )
        for index, proposal in enumerate(proposals, start=1)
    )
    return [
        Paragraph(
            f"{number}Đề nghị {addressee} {request} {_award_names(proposals)} "
            f"cho {count:02d} tập thể:"
        ),
        Table(columns=COLUMNS, rows=rows),
    ]


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
    addressee = f"Chủ tịch {authority}"
    blocks.append(
        Paragraph(
            f"{data.bloc_name} kính trình {addressee} các đề nghị khen thưởng đối với các tập thể "
            f"có thành tích xuất sắc trong phong trào thi đua năm {data.year} như sau:"
        )
    )
    groups = proposal_groups(data.proposals)
    asked = [
        (group_authority, request, proposals)
        for group_authority, proposals in groups
        if (request := submission_request(group_authority)) is not None
    ]
    for index, (_, request, proposals) in enumerate(asked, start=1):
        number = f"{index}. " if len(asked) > 1 else ""
        blocks.extend(_group_blocks(number, addressee, request, proposals, data))
    if not data.proposals:
        blocks.append(Paragraph("(Khối chưa có đề nghị khen thưởng.)", italic=True))
    for group_authority, proposals in groups:
        if submission_request(group_authority) is not None:
            continue
        # "Tập thể lao động tiên tiến": each unit's own head gives it (Luật 2022 Điều 80).
        units = ", ".join(data.unit_name(proposal.unit) for proposal in proposals)
        blocks.append(
            Paragraph(
                f"{_award_names(proposals)} của {units} do thủ trưởng cơ quan, đơn vị quyết định "
                "tặng theo thẩm quyền, không đề nghị tại Tờ trình này.",
                italic=True,
            )
        )
    blocks.append(
        Paragraph(
            "(Kèm theo biên bản họp bình xét và báo cáo thành tích của các tập thể.)", italic=True
        )
    )
    closing = closing_request({group_authority for group_authority, _, _ in asked})
    blocks.append(Paragraph(f"Kính trình {addressee} {closing}./."))
    return content  # signed by the issuer, for the bloc (``document_header``)
