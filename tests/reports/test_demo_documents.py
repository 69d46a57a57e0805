"""The demo's 2020 is complete as the conference of 02/03/2021 left it: minutes, report, its
annex, the covenant of 2021 and the submission issued in the bloc's 2021 series, with the names
of 2021; the public reads the report; loading twice changes nothing."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from awards.selectors import rule_set_for_year
from blocs.models import BlocYear
from demo.awards import load_awards
from demo.documents import load_documents
from demo.organisation import load_organisation
from demo.scoring import load_scoring
from reports import services
from reports.models import Document
from tests.reports.reading import docx_text

pytestmark = pytest.mark.django_db

CONFERENCE = datetime.date(2021, 3, 2)


@pytest.fixture
def demo() -> BlocYear:
    assert rule_set_for_year(2020) is not None  # seeded by the migrations
    load_organisation()
    load_scoring()
    load_awards()
    load_documents()
    return BlocYear.objects.select_related("bloc").get(
        bloc__council__code="QNA", bloc__code="TM3", year=2020
    )


def _text(document: Document) -> str:
    with document.docx.open("rb") as docx:
        return " ".join(docx_text(docx.read()).split())


def test_the_conference_of_2021_issued_every_paper_of_2020(demo: BlocYear) -> None:
    documents = {
        (document.bloc_year.year, document.kind): document
        for document in Document.objects.filter(bloc=demo.bloc).select_related("bloc_year")
    }
    expected = {
        (2020, Document.Kind.MINUTES): ("Số: 01/BB-KTĐ", CONFERENCE),
        (2020, Document.Kind.REPORT): ("Số: 02/BC-KTĐ", CONFERENCE),
        (2020, Document.Kind.SCORE_TABLE): ("", CONFERENCE),
        (2021, Document.Kind.COVENANT): ("Số: 03/GƯ-KTĐ", CONFERENCE),
        (2020, Document.Kind.SUBMISSION): ("Số: 04/TTr-KTĐ", datetime.date(2021, 3, 5)),
    }
    assert set(documents) == set(expected)
    for key, (number_line, day) in expected.items():
        document = documents[key]
        assert document.state == Document.State.ISSUED, key
        assert (document.number_line, document.date) == (number_line, day), key
        assert document.issuer_name == "KHỐI THI ĐUA THAM MƯU III"
    report = _text(documents[(2020, Document.Kind.REPORT)])
    assert "Quảng Nam, ngày 02 tháng 3 năm 2021" in report
    assert "TM. KHỐI THI ĐUA THAM MƯU III" in report and "GIÁM ĐỐC SỞ Y TẾ" in report
    # The names of 2021, although the departments merged in 2025.
    assert "Sở Lao động - Thương binh và Xã hội" in report
    assert "Sở Thông tin và Truyền thông" in report
    # A report states what was true on its date: it proposes; the decision came later.
    assert "245/QĐ-UBND" not in report
    minutes = _text(documents[(2020, Document.Kind.MINUTES)])
    assert (
        "Hội nghị thống nhất bầu Sở Lao động - Thương binh và Xã hội làm Trưởng khối và Đài "
        "Phát thanh - Truyền hình Quảng Nam làm Khối phó Khối thi đua tham mưu III năm 2021."
    ) in minutes
    covenant = _text(documents[(2021, Document.Kind.COVENANT)])
    assert "GIÁM ĐỐC" in covenant and "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI" in covenant
    annex = _text(documents[(2020, Document.Kind.SCORE_TABLE)])
    assert "(Kèm theo Báo cáo số 02/BC-KTĐ ngày 02/03/2021 của Khối thi đua tham mưu III)" in (
        annex
    )
    for document in documents.values():
        assert "(Ký, ghi rõ họ tên" not in _text(document)


def test_the_public_reads_the_report_of_2020(demo: BlocYear) -> None:
    report = Document.objects.get(bloc_year=demo, kind=Document.Kind.REPORT)
    response = Client().get(reverse("reports:preview", args=[report.pk]))
    assert response.status_code == 200
    assert "02/BC-KTĐ" in re.sub(r"<[^>]+>", "", response.content.decode())


def test_the_pack_of_2020_is_the_issued_papers(demo: BlocYear) -> None:
    archive = services.conference_pack(demo, with_workbook=True)
    with zipfile.ZipFile(io.BytesIO(archive)) as pack:
        names = set(pack.namelist())
    assert names == {
        "01-bien-ban-binh-xet-TM3-2020.docx",
        "01-bien-ban-binh-xet-TM3-2020.pdf",
        "02-bao-cao-tong-ket-TM3-2020.docx",
        "02-bao-cao-tong-ket-TM3-2020.pdf",
        "phu-luc-bang-diem-TM3-2020.docx",
        "phu-luc-bang-diem-TM3-2020.pdf",
        "03-giao-uoc-thi-dua-TM3-2021.docx",
        "03-giao-uoc-thi-dua-TM3-2021.pdf",
        "04-to-trinh-khen-thuong-TM3-2020.docx",
        "04-to-trinh-khen-thuong-TM3-2020.pdf",
        "xep-hang-TM3-2020.xlsx",
    }


def test_loading_the_documents_twice_changes_nothing(demo: BlocYear) -> None:
    before = list(Document.objects.order_by("pk").values_list("pk", "number", "version"))
    load_documents()
    assert list(Document.objects.order_by("pk").values_list("pk", "number", "version")) == before
