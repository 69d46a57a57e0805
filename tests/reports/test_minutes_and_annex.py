"""The minutes record next year's election and number their items once, close as real minutes
do and line their two signatures up; the annex names the report it travels with and prints
section subtotals, bonus points and deductions with their sign."""

from __future__ import annotations

import re

import pytest

from blocs.models import BlocYear
from reports import builders, services
from reports.content import Content, Heading, Paragraph, Table
from reports.models import Document
from tests.reports.worlds import DocumentsYear, draft, issued, written

pytestmark = pytest.mark.django_db


def texts(content: Content) -> list[str]:
    return [block.text for block in content.blocks if isinstance(block, Paragraph | Heading)]


def headings(content: Content) -> list[str]:
    return [block.text for block in content.blocks if isinstance(block, Heading)]


def test_the_minutes_record_the_election_of_next_years_head_and_deputy(
    year: DocumentsYear,
) -> None:
    """Year 2020 of the bloc is open with Sở Y tế as head and Sở Giáo dục và Đào tạo as
    deputy: that is what the conference of 2019 elected."""
    content = builders.build(written(year.year, Document.Kind.MINUTES))
    assert "3. Bầu Trưởng khối, Khối phó năm 2020" in headings(content)
    assert (
        "Hội nghị thống nhất bầu Sở Y tế làm Trưởng khối và Sở Giáo dục và Đào tạo làm Khối phó "
        "Khối thi đua tham mưu III năm 2020."
    ) in texts(content)
    assert content.missing == []


def test_without_next_year_the_minutes_take_the_reports_record_or_say_what_is_missing(
    year: DocumentsYear,
) -> None:
    BlocYear.objects.filter(pk=year.world.bloc_year.pk).delete()
    minutes = written(year.year, Document.Kind.MINUTES)
    assert "Kết quả bầu Trưởng khối, Khối phó năm 2020" in builders.build(minutes).missing
    report = draft(year.year, Document.Kind.REPORT)
    services.document_update(
        document=report,
        values={},
        narrative={"next_head": "Báo Quảng Nam", "next_deputy": "Sở Y tế"},
        version=report.version,
        by=None,
    )
    content = builders.build(minutes)
    assert (
        "Hội nghị thống nhất bầu Báo Quảng Nam làm Trưởng khối và Sở Y tế làm Khối phó "
        "Khối thi đua tham mưu III năm 2020."
    ) in texts(content)
    assert content.missing == []


def test_the_minutes_number_their_items_once(year: DocumentsYear) -> None:
    content = builders.build(written(year.year, Document.Kind.MINUTES))
    numbered = [text.split(" ", 1)[0] for text in texts(content) if text[:2] in ("1.", "2.", "3.")]
    assert numbered == ["1.", "2.", "3."]  # one list, not two lists from 1
    assert headings(content) == [
        "I. THÀNH PHẦN THAM DỰ",
        "II. NỘI DUNG VÀ KẾT QUẢ",
        "1. Thông qua kết quả chấm điểm, xếp hạng thi đua năm 2019 của các đơn vị trong khối",
        "2. Bình xét, bỏ phiếu kín suy tôn các đơn vị đề nghị khen thưởng",
        "3. Bầu Trưởng khối, Khối phó năm 2020",
        "III. KẾT LUẬN",
    ]


def test_the_minutes_close_as_real_minutes_do_and_sign_level(year: DocumentsYear) -> None:
    content = builders.build(written(year.year, Document.Kind.MINUTES))
    closing = (
        "Cuộc họp kết thúc lúc 11 giờ 30 cùng ngày. Biên bản đã được đọc lại cho các thành "
        "viên dự họp cùng nghe và nhất trí thông qua."
    )
    assert closing in texts(content)
    assert not any("đã thông qua các thành viên dự họp" in text for text in texts(content))
    secretary, chair = content.signatures
    assert (secretary.lines, chair.lines) == (("THƯ KÝ",), ("CHỦ TRÌ",))
    assert secretary.row_lines == chair.row_lines == 2  # one title line and the draft's note
    assert (secretary.name, chair.name) == ("Trần Thị Thu Hường", "Nguyễn Văn Hải")


def test_signature_blocks_of_a_row_know_the_tallest_of_it(year: DocumentsYear) -> None:
    content = builders.build(written(year.year, Document.Kind.COVENANT))
    first, second, third = content.signatures
    assert first.row_lines == second.row_lines == 3  # name, title, the draft's note
    assert third.row_lines == 0  # alone in its row
    report = builders.build(draft(year.year, Document.Kind.REPORT))
    assert report.signatures[0].row_lines == 0


def _table(content: Content) -> Table:
    return next(block for block in content.blocks if isinstance(block, Table))


def test_the_annex_of_a_draft_report_says_the_report_is_a_draft(year: DocumentsYear) -> None:
    content = builders.build(draft(year.year, Document.Kind.SCORE_TABLE))
    assert (
        "(Kèm theo Báo cáo tổng kết công tác thi đua năm 2019 của Khối thi đua tham mưu III "
        "– dự thảo)"
    ) in texts(content)


def test_the_annex_cites_the_issued_reports_number_and_date(year: DocumentsYear) -> None:
    issued(year.year, Document.Kind.MINUTES)  # 01
    issued(year.year, Document.Kind.REPORT)  # 02
    annex = issued(year.year, Document.Kind.SCORE_TABLE)
    assert annex.number is None  # no number of its own
    reference = "(Kèm theo Báo cáo số 02/BC-KTĐ ngày 15/01/2020 của Khối thi đua tham mưu III)"
    assert reference in texts(builders.build(annex))
    assert reference in re.sub(r"<[^>]+>", "", annex.narrative[services.ISSUED_HTML])


def test_the_annex_shows_subtotals_and_signed_bonus_and_deductions(year: DocumentsYear) -> None:
    """Columns in rank order: Sở Y tế, Báo Quảng Nam, Sở Giáo dục và Đào tạo (who was late
    with a report once: −1,00)."""
    rows = {row[1]: row for row in _table(builders.build(draft(year.year, "score_table"))).rows}
    assert rows["Nhiệm vụ chuyên môn"][2:] == ("10,00", "10,00", "8,20", "9,10")
    assert rows["Bằng khen trong năm"][2:] == ("+3,00", "+1,50", "+1,50", "+1,50")
    assert rows["Điểm thưởng"][0] == "II"
    assert rows["Điểm thưởng"][2:] == ("+3,00", "+1,50", "+1,50", "+1,50")
    assert rows["Chậm báo cáo"][2:] == ("−2,00", "0,00", "0,00", "−1,00")
    assert rows["Cộng điểm các tiêu chí"][3:] == ("10,00", "8,20", "9,10")
    assert rows["Điểm thưởng (cộng)"][3:] == ("+1,50", "+1,50", "+1,50")
    assert rows["Điểm trừ"][3:] == ("0,00", "0,00", "−1,00")  # the footer row (last wins)
    assert rows["Tổng điểm"][3:] == ("11,50", "9,70", "9,60")
