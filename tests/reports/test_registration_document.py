"""The bloc's registration table (Bảng tổng hợp đăng ký thi đua): built from the members'
registrations, rendered to DOCX (read back with python-docx) and PDF (read with pdftotext)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from awards.services.registration import registration_save
from blocs.models import BlocYear, User
from reports.models import Document
from reports.services import document_create, document_export, filename
from tests.conftest import World
from tests.reports.conftest import pdf_pages_png, pdf_text
from tests.reports.reading import docx_rows, docx_text

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = datetime.date(2020, 3, 31)


def registered_year(world: World, secretariat: User, focal_point: User) -> Document:
    BlocYear.objects.filter(pk=world.bloc_year.pk).update(registration_due=DUE)
    world.bloc_year.refresh_from_db()
    registration_save(
        bloc_year=world.bloc_year,
        unit=world.member,
        award_codes=["PROV_FLAG", "EXCELLENT_COLLECTIVE"],
        pledge="Hoàn thành 100% chỉ tiêu phát hành.\nKhông có cán bộ vi phạm kỷ luật.",
        by=focal_point,
        now=datetime.datetime(2020, 3, 20, 9, tzinfo=LOCAL),
    )
    registration_save(
        bloc_year=world.bloc_year,
        unit=world.deputy,
        award_codes=["EXCELLENT_COLLECTIVE"],
        by=secretariat,
        now=datetime.datetime(2020, 4, 2, 9, tzinfo=LOCAL),
    )
    return document_create(bloc_year=world.bloc_year, kind=Document.Kind.REGISTRATION, by=None)


def test_the_table_has_a_row_per_member_with_what_it_registered(
    world: World, secretariat: User, focal_point: User
) -> None:
    document = registered_year(world, secretariat, focal_point)
    # Dated on the registration deadline, with the bloc's header.
    assert document.date == DUE
    data = document_export(document, "docx").content
    rows = docx_rows(data)
    # The header row (its long titles broken to fit their columns), then one row per member.
    assert any(row[:2] == ("STT", "Đơn vị") for row in rows)
    assert (
        "1",
        "Báo Quảng Nam",
        "Cờ thi đua của Ủy ban nhân dân tỉnh; Tập thể lao động xuất sắc",
        "20/03/2020",
    ) in rows
    assert (
        "2",
        "Sở Giáo dục và Đào tạo",
        "Tập thể lao động xuất sắc",
        "02/04/2020; Đăng ký muộn; Thư ký khối ghi thay",
    ) in rows
    assert ("3", "Sở Y tế", "Chưa đăng ký", "") in rows
    text = docx_text(data)
    for words in (
        "BẢNG TỔNG HỢP ĐĂNG KÝ THI ĐUA",
        "KHỐI THI ĐUA THAM MƯU III",
        "Số đơn vị đã đăng ký: 2/3 đơn vị thành viên.",
        "– Cờ thi đua của Ủy ban nhân dân tỉnh: 1 đơn vị đăng ký.",
        "– Tập thể lao động xuất sắc: 2 đơn vị đăng ký.",
        "Hoàn thành 100% chỉ tiêu phát hành.",
        "TRƯỞNG KHỐI",
    ):
        assert words in text, words
    assert filename(document, "docx") == "du-thao-tong-hop-dang-ky-thi-dua-TM3-2020.docx"


def test_the_pdf_says_the_same(world: World, secretariat: User, focal_point: User) -> None:
    document = registered_year(world, secretariat, focal_point)
    pdf = document_export(document, "pdf").content
    text = pdf_text(pdf)
    for words in (
        "BẢNG TỔNG HỢP ĐĂNG KÝ THI ĐUA",
        "Báo Quảng Nam",
        "Chưa đăng ký",
        "Đăng ký muộn",
        "DỰ THẢO",
    ):
        assert words in text, words
    assert pdf_pages_png(pdf, "registration-table")
