"""The minutes of the bloc's meeting (Biên bản họp bình xét, suy tôn và bỏ phiếu kín): time,
place, chair and secretary, who attended and whether the quorum was met, the ranking results,
the secret ballot (ballots issued, returned, valid; votes and share per unit and award), the
conclusions, and the signatures of the secretary and the chair.
"""

from __future__ import annotations

from awards.eligibility import ballot_share, fmt_percent, quorum_met
from awards.selectors import rule_set_for_year
from reports.builders.blocks import paragraphs, results_table
from reports.builders.data import YearData
from reports.builders.letterhead import document_header
from reports.content import Column, Content, Heading, Paragraph, Signature, Table
from reports.models import Document
from thidua.lib.dates import official_date


def build_minutes(document: Document, data: YearData) -> Content:
    """Biên bản họp bình xét, suy tôn và bỏ phiếu kín của khối."""
    content = document_header(document, "BIÊN BẢN")
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
    table = results_table(data)
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
        paragraphs(narrative.get("conclusions", ""))
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
