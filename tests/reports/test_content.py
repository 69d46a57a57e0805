"""What the documents say: the DOCX read back with python-docx and the PDF with ``pdftotext``
carry the data's numbers, names (with their diacritics), ranks, vote shares and numbers."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import translation

from blocs import services as bloc_services
from reports import builders, services
from reports.builders.data import year_data
from reports.models import Document
from reports.render import render_docx, render_pdf
from tests.conftest import World
from tests.factories import UnitFactory
from tests.reports.conftest import pdf_text
from tests.reports.reading import docx_rows, docx_text
from tests.reports.worlds import DocumentsYear, draft

pytestmark = pytest.mark.django_db


def files(document: Document) -> tuple[bytes, str]:
    """The DOCX and the PDF's text of a draft, generated now."""
    content = builders.build(document)
    return render_docx(content), pdf_text(render_pdf(content))


def vn(amount: Decimal | str | None) -> str:
    """``"11.50"`` (a snapshot's amount) → ``"11,50"``."""
    assert amount is not None
    return f"{Decimal(amount):.2f}".replace(".", ",")


def test_the_report_carries_the_number_line_the_ranking_and_the_proposals(
    year: DocumentsYear,
) -> None:
    document = draft(year.year, Document.Kind.REPORT)
    docx, pdf = files(document)
    text = docx_text(docx)
    # A draft has no number yet: the bloc's symbol after a blank (docs/documents.md).
    assert document.number_line == "Số:       /BC-KTĐ"
    for output in (text, pdf):
        assert "/BC-KTĐ" in output and "KHỐI THI ĐUA THAM MƯU III" in output
        assert "Quảng Nam, ngày 15 tháng 01 năm 2020" in output
        assert "UBND TỈNH QUẢNG NAM" in output
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in output
        assert "Trưởng khối: Sở Y tế; Khối phó: Sở Giáo dục và Đào tạo." in " ".join(output.split())
        assert "Nguyễn Văn Hải" in output
    rows = docx_rows(docx)
    for row in year.snapshot.rows:
        expected = (str(row.rank), row.name, vn(row.total), row.band)
        assert expected in rows
        # The PDF prints rank, unit and total on one line of the table.
        assert re.search(rf"{row.rank}\s+{re.escape(row.name)}\s+{vn(row.total)}", pdf)
    # Section IV words each proposal by who decides the award (tests/awards/test_authority.py).
    gov = "Đề nghị UBND tỉnh trình Thủ tướng Chính phủ tặng Cờ thi đua của Chính phủ"
    assert ("1", "Sở Y tế", gov, "3/3") in rows
    prov = "Đề nghị UBND tỉnh tặng Cờ thi đua của Ủy ban nhân dân tỉnh"
    assert ("2", "Báo Quảng Nam", prov, "2/3") in rows


def test_the_ranking_in_the_documents_is_the_snapshots(year: DocumentsYear) -> None:
    totals = {row.name: (row.rank, vn(row.total)) for row in year.snapshot.rows}
    assert totals == {
        "Sở Y tế": (1, "11,50"),
        "Báo Quảng Nam": (2, "9,70"),
        "Sở Giáo dục và Đào tạo": (3, "9,60"),
    }


def test_the_minutes_carry_the_ballot_tally_with_the_shares(year: DocumentsYear) -> None:
    draft(year.year, Document.Kind.REPORT)
    document = draft(year.year, Document.Kind.MINUTES)
    services.document_update(
        document=document,
        values={},
        narrative={
            "time": "08 giờ 00",
            "secretary": "Bà Trần Thị Thu Hường, Giám đốc Sở Giáo dục và Đào tạo",
            "secretary_name": "Trần Thị Thu Hường",
            "conclusions": "Hội nghị thống nhất đề nghị khen thưởng hai tập thể.",
            "end_time": "11 giờ 30",
        },
        version=document.version,
        by=None,
    )
    docx, pdf = files(document)
    text = docx_text(docx)
    for output in (text, pdf):
        flat = " ".join(output.split())
        assert "/BB-KTĐ" in flat
        assert "Thời gian: 08 giờ 00 ngày 15 tháng 01 năm 2020." in flat
        assert "Có mặt 3/3 đơn vị thành viên (đủ túc số" in flat
        assert "Số phiếu phát ra: 3; số phiếu thu về: 3; số phiếu hợp lệ: 3." in flat
        assert "Hội nghị thống nhất đề nghị khen thưởng hai tập thể." in flat
        assert "Cuộc họp kết thúc lúc 11 giờ 30 cùng ngày" in flat
        assert "Trần Thị Thu Hường" in flat
    rows = docx_rows(docx)
    assert ("Cờ thi đua của Chính phủ", "Sở Y tế", "3/3", "100%") in rows
    assert ("Cờ thi đua của Ủy ban nhân dân tỉnh", "Báo Quảng Nam", "2/3", "66,67%") in rows
    assert re.search(r"Sở Y tế\s+3/3\s+100%", pdf)
    assert re.search(r"Báo Quảng Nam\s+2/3\s+66,67%", pdf)


def test_the_submission_names_the_authority_the_legal_basis_and_the_proposals(
    year: DocumentsYear,
) -> None:
    for kind in (Document.Kind.REPORT, Document.Kind.MINUTES):
        draft(year.year, kind)
    document = draft(year.year, Document.Kind.SUBMISSION)
    docx, pdf = files(document)
    for output in (docx_text(docx), pdf):
        flat = " ".join(output.split())
        assert "/TTr-KTĐ" in flat
        assert "TỜ TRÌNH" in flat
        assert "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Quảng Nam" in flat
        assert "Căn cứ Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003" in flat
        assert "Căn cứ Nghị định số 91/2017/NĐ-CP" in flat
    rows = docx_rows(docx)
    # One table per deciding authority, each numbered from 1 (tests/awards/test_authority.py).
    assert ("1", "Sở Y tế", "Cờ thi đua của Chính phủ", "1", "11,50") in rows
    assert ("1", "Báo Quảng Nam", "Cờ thi đua của Ủy ban nhân dân tỉnh", "2", "9,70") in rows
    assert re.search(r"1\s+Sở Y tế\s+Cờ thi đua của Chính phủ\s+1\s+11,50", pdf)


def test_the_score_table_has_every_units_points_by_criterion(year: DocumentsYear) -> None:
    document = draft(year.year, Document.Kind.SCORE_TABLE)
    assert document.number_line == ""  # an annex has no number of its own
    docx, pdf = files(document)
    # Cells as read, a line break inside a narrow heading ("Tối↵đa") read as a space.
    rows = [tuple(" ".join(cell.split()) for cell in row) for row in docx_rows(docx)]
    header = next(row for row in rows if row[:3] == ("Mã", "Tiêu chí", "Tối đa"))
    names = [row.name for row in year.snapshot.rows]
    assert header[3:] == tuple(names)
    points = year.snapshot.data["points"]
    criteria = {c["code"]: c for c in year.snapshot.data["criteria"]}
    line = next(row for row in rows if row[0] == "I.1")
    expected = tuple(
        vn(points[str(row.unit_id)][str(criteria["I.1"]["id"])]) for row in year.snapshot.rows
    )
    assert line[:3] == ("I.1", "Hoàn thành kế hoạch công tác", "6,00")
    assert line[3:] == expected
    totals = next(row for row in rows if row[1] == "Tổng điểm")
    assert totals[3:] == ("11,50", "9,70", "9,60")
    ranks = next(row for row in rows if row[1] == "Xếp hạng")
    assert ranks[3:] == ("1", "2", "3")
    assert "Bảng tổng hợp kết quả chấm điểm thi đua năm 2019" in " ".join(pdf.split())
    assert re.search(r"I\.1\s+Hoàn thành kế hoạch công tác\s+6,00\s+" + r"\s+".join(expected), pdf)
    assert re.search(r"Tổng điểm\s+11,50\s+9,70\s+9,60", pdf)


def test_the_covenant_has_a_signature_block_for_every_member(year: DocumentsYear) -> None:
    document = draft(year.year, Document.Kind.COVENANT)
    services.document_update(
        document=document,
        values={},
        narrative={
            "targets": "1. Hoàn thành 100% nhiệm vụ được giao.\n2. Không có cán bộ vi phạm."
        },
        version=document.version,
        by=None,
    )
    docx, pdf = files(document)
    for output in (docx_text(docx), pdf):
        flat = " ".join(output.split())
        assert "BẢN GIAO ƯỚC THI ĐUA" in flat
        assert "1. Hoàn thành 100% nhiệm vụ được giao." in flat
        for name in ("Nguyễn Văn Hải", "Trần Thị Thu Hường", "Lê Đức Thắng"):
            assert name in flat
        for unit in ("SỞ Y TẾ", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "BÁO QUẢNG NAM"):
            assert unit in flat


def test_the_narrative_typed_in_the_app_is_printed(year: DocumentsYear) -> None:
    document = draft(year.year, Document.Kind.REPORT)
    services.document_update(
        document=document,
        values={},
        narrative={
            "assessment": "Năm 2019, các đơn vị hoàn thành tốt nhiệm vụ.\nPhong trào có chiều sâu.",
            "direction": "Tiếp tục đổi mới nội dung thi đua.",
        },
        version=document.version,
        by=None,
    )
    docx, pdf = files(document)
    for output in (docx_text(docx), pdf):
        flat = " ".join(output.split())
        assert "Năm 2019, các đơn vị hoàn thành tốt nhiệm vụ." in flat
        assert "Phong trào có chiều sâu." in flat
        assert "Tiếp tục đổi mới nội dung thi đua." in flat
        assert "(Phần đánh giá chung của khối.)" not in flat


@override_settings(LANGUAGE_CODE="en")
def test_documents_are_in_vietnamese_whatever_the_interface_language(
    year: DocumentsYear,
) -> None:
    document = draft(year.year, Document.Kind.REPORT)
    with translation.override("en"):
        docx, pdf = files(document)
    for output in (docx_text(docx), pdf):
        assert "BÁO CÁO" in output
        assert "KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG" in output
        assert "Nơi nhận:" in output


def test_the_documents_list_the_members_in_the_alphabets_order(world: World) -> None:
    # Python's plain order puts "Đ" after "Z"; the pages and the documents put it after "D".
    radio = UnitFactory.create(council=world.council, code="DPT", name="Đài Phát thanh tỉnh")
    office = UnitFactory.create(council=world.council, code="CTK", name="Cục Thống kê")
    tax = UnitFactory.create(council=world.council, code="DTT", name="Doanh nghiệp Thử")
    bloc_year = bloc_services.bloc_year_create(
        bloc=world.other_bloc, year=2021, members=[world.head, radio, office, tax]
    )
    names = [member.name for member in year_data(bloc_year).members]
    assert names == ["Cục Thống kê", "Doanh nghiệp Thử", "Đài Phát thanh tỉnh", "Sở Y tế"]
