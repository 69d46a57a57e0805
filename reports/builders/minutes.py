"""The minutes of the bloc's meeting (Biên bản họp bình xét, suy tôn và bỏ phiếu kín): time,
place, chair and secretary, who attended and whether the quorum was met, then the agenda's
three items each with its result — the ranking, the secret ballot (ballots issued, returned,
valid; votes and share per unit and award), the election of next year's head and deputy —,
the conclusions, and the signatures of the secretary and the chair side by side.

The items are numbered once (1, 2, 3 under section II); the minutes close the way real minutes
do: read back to those present, who approved them.
"""

from __future__ import annotations

from awards.eligibility import ballot_share, quorum_met
from awards.selectors import rule_set_for_year
from common.dates import official_date
from common.numbers import format_percent
from reports.builders.blocks import filled, results_table, written
from reports.builders.data import YearData
from reports.builders.letterhead import document_header, head_title
from reports.content import Column, Content, Heading, Paragraph, Signature, Table
from reports.models import Document

NOTE = "(Ký, ghi rõ họ tên)"


def _given(content: Content, text: str, part: str) -> str:
    """A one-line part of the narrative, or "…" with ``part`` noted as missing."""
    value = filled(text, one_line=True).rstrip(".")
    if not value:
        content.missing.append(part)
        return "…"
    return value


def _line(label: str, value: str) -> Paragraph:
    """ "Thư ký: Bà …, chuyên viên …."; a blank to fill in takes no full stop after it."""
    return Paragraph(f"{label}: {value}" + ("" if value.endswith("…") else "."))


def build_minutes(document: Document, data: YearData) -> Content:
    """Biên bản họp bình xét, suy tôn và bỏ phiếu kín của khối."""
    content = document_header(document, "BIÊN BẢN")
    narrative = document.narrative
    ballot = data.ballot
    blocks = content.blocks
    held = ballot.held_on if ballot else data.bloc_year.conference_date or document.date
    place = (ballot.place if ballot and ballot.place else data.bloc_year.conference_place) or ""
    time = _given(content, narrative.get("time", ""), "Giờ bắt đầu họp")
    if held is None:
        content.missing.append("Ngày họp")
    blocks.append(
        _line("Thời gian", f"{time} {official_date(held) if held else 'ngày … tháng … năm …'}")
    )
    if not place:
        content.missing.append("Địa điểm họp")
    blocks.append(_line("Địa điểm", place or "…"))
    head_chair = (
        ", ".join(part for part in (data.head.leader, data.head.name) if part)
        + f" ({head_title(data.bloc_year.bloc).capitalize()})"
        if data.head
        else ""
    )
    chair = filled(narrative.get("chair", ""), one_line=True).rstrip(".") or head_chair
    if not chair:
        content.missing.append("Chủ trì")
    blocks.append(_line("Chủ trì", chair or "…"))
    secretary = _given(content, narrative.get("secretary", ""), "Thư ký cuộc họp")
    blocks.append(_line("Thư ký", secretary))

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

    # One list: each item of the agenda, with its result under it.
    blocks.append(Heading("II. NỘI DUNG VÀ KẾT QUẢ"))
    blocks.append(
        Heading(
            f"1. Thông qua kết quả chấm điểm, xếp hạng thi đua năm {data.year} "
            "của các đơn vị trong khối"
        )
    )
    table = results_table(data)
    if table is None:
        content.missing.append("Kết quả chấm điểm, xếp hạng (chưa chốt)")
        blocks.append(Paragraph("Kết quả chấm điểm chưa được chốt.", italic=True))
    else:
        blocks.append(table)
    blocks.append(Heading("2. Bình xét, bỏ phiếu kín suy tôn các đơn vị đề nghị khen thưởng"))
    if ballot is None:
        content.missing.append("Kết quả bỏ phiếu kín")
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
                    data.unit_name(result.unit),
                    f"{result.votes_for}/{ballot.members_total}",
                    format_percent(share),
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
    following = data.year + 1
    blocks.append(Heading(f"3. Bầu Trưởng khối, Khối phó năm {following}"))
    if data.next_head and data.next_deputy:
        blocks.append(
            Paragraph(
                f"Hội nghị thống nhất bầu {data.next_head} làm Trưởng khối và "
                f"{data.next_deputy} làm Khối phó {data.bloc_name} năm {following}."
            )
        )
    else:
        content.missing.append(f"Kết quả bầu Trưởng khối, Khối phó năm {following}")
        blocks.append(
            Paragraph(
                f"Hội nghị thống nhất bầu {data.next_head or '…'} làm Trưởng khối và "
                f"{data.next_deputy or '…'} làm Khối phó {data.bloc_name} năm {following}.",
                italic=True,
            )
        )

    blocks.append(Heading("III. KẾT LUẬN"))
    blocks.extend(
        written(
            content,
            narrative.get("conclusions", ""),
            "Kết luận của cuộc họp",
            "(Kết luận của cuộc họp.)",
        )
    )
    end = _given(content, narrative.get("end_time", ""), "Giờ kết thúc")
    blocks.append(
        Paragraph(
            f"Cuộc họp kết thúc lúc {end} cùng ngày. Biên bản đã được đọc lại cho các thành viên "
            "dự họp cùng nghe và nhất trí thông qua."
        )
    )
    secretary_name = filled(narrative.get("secretary_name", ""), one_line=True)
    if not secretary_name:
        content.missing.append("Họ tên thư ký (ký cuối biên bản)")
    # Two blocks of the same height (one title line each), so the names stand level.
    content.signatures = [
        Signature(("THƯ KÝ",), name=secretary_name, note=NOTE),
        Signature(("CHỦ TRÌ",), name=document.signer_name, note=NOTE),
    ]
    content.recipients = []
    return content
