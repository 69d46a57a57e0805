"""The one-click conference pack: report, minutes, submission, score table and the next year's
covenant signed at the conference (DOCX and PDF each) and the ranking workbook, in one ZIP,
always in Vietnamese; and the time it takes on a full-size bloc-year."""

from __future__ import annotations

import datetime
import io
import os
import platform
import time
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from blocs.models import AuditEntry, BlocYear, User
from demo.bench import Size, generate
from reports import services
from reports.models import Document
from reports.render import memo
from tests.conftest import client_for
from tests.reports.reading import docx_text
from tests.reports.worlds import DocumentsYear, issued_quickly

pytestmark = pytest.mark.django_db

EXPECTED = {
    "du-thao-bao-cao-tong-ket-TM3-2019.docx",
    "du-thao-bao-cao-tong-ket-TM3-2019.pdf",
    "du-thao-bien-ban-binh-xet-TM3-2019.docx",
    "du-thao-bien-ban-binh-xet-TM3-2019.pdf",
    "du-thao-to-trinh-khen-thuong-TM3-2019.docx",
    "du-thao-to-trinh-khen-thuong-TM3-2019.pdf",
    "du-thao-phu-luc-bang-diem-TM3-2019.docx",
    "du-thao-phu-luc-bang-diem-TM3-2019.pdf",
    # The covenant of 2020, signed at the conference that closes 2019.
    "du-thao-giao-uoc-thi-dua-TM3-2020.docx",
    "du-thao-giao-uoc-thi-dua-TM3-2020.pdf",
    "xep-hang-TM3-2019.xlsx",
}


def test_the_pack_holds_every_document_of_the_conference(
    year: DocumentsYear, secretariat: User
) -> None:
    response = client_for(secretariat).get(reverse("reports:pack", args=[year.bloc.pk, 2019]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="ho-so-hoi-nghi-TM3-2019.zip"' in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert set(archive.namelist()) == EXPECTED
        report = docx_text(archive.read("du-thao-bao-cao-tong-ket-TM3-2019.docx"))
        # Drafts carry no number.
        assert "Số:       /BC-KTĐ" in report
        assert archive.read("du-thao-bien-ban-binh-xet-TM3-2019.pdf").startswith(b"%PDF")
        covenant = docx_text(archive.read("du-thao-giao-uoc-thi-dua-TM3-2020.docx"))
        assert "BẢN GIAO ƯỚC THI ĐUA" in covenant and "năm 2020" in covenant
        workbook = openpyxl.load_workbook(io.BytesIO(archive.read("xep-hang-TM3-2019.xlsx")))
        assert workbook.sheetnames
    # A download writes nothing: the kinds nobody drafted are printed as their new drafts
    # would be, and no draft or audit row is created.
    assert not Document.objects.exists()
    assert not AuditEntry.objects.filter(action="document.create").exists()


def test_the_pack_is_in_vietnamese_whatever_the_interface_language(
    year: DocumentsYear, secretariat: User
) -> None:
    client = client_for(secretariat)
    client.cookies["django_language"] = "en"
    english = client.get(reverse("reports:documents", args=[year.bloc.pk, 2019]))
    assert 'lang="en"' in english.content.decode()  # the interface is in English
    response = client.get(reverse("reports:pack", args=[year.bloc.pk, 2019]))
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        workbook = openpyxl.load_workbook(io.BytesIO(archive.read("xep-hang-TM3-2019.xlsx")))
        report = docx_text(archive.read("du-thao-bao-cao-tong-ket-TM3-2019.docx"))
    cells = " ".join(
        str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row
    )
    assert "Bảng tổng hợp kết quả chấm điểm thi đua năm 2019" in cells
    assert "Summary" not in cells and "Total" not in cells
    assert "KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG" in report


def test_the_pack_leaves_out_a_covenant_signed_elsewhere(
    year: DocumentsYear, secretariat: User
) -> None:
    BlocYear.objects.filter(pk=year.world.bloc_year.pk).update(
        covenant_date=datetime.date(2020, 3, 10)  # not at the conference of 15/01/2020
    )
    archive = services.conference_pack(year.year)
    with zipfile.ZipFile(io.BytesIO(archive)) as pack:
        assert not any("giao-uoc" in name for name in pack.namelist())


def test_the_pack_keeps_an_issued_document_as_issued(
    year: DocumentsYear, secretariat: User
) -> None:
    report = issued_quickly(year.year, Document.Kind.REPORT)
    response = client_for(secretariat).get(reverse("reports:pack", args=[year.bloc.pk, 2019]))
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.read(services.filename(report, "docx")) == b"docx"
    assert services.filename(report, "docx") == "01-bao-cao-tong-ket-TM3-2019.docx"


def test_the_pack_of_a_year_without_results_has_no_workbook(
    year: DocumentsYear, secretariat: User
) -> None:
    response = client_for(secretariat).get(reverse("reports:pack", args=[year.bloc.pk, 2020]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
    assert len(names) == 8  # four documents; 2021 is not open: no covenant
    assert not any(name.endswith(".xlsx") for name in names)


def test_time_to_generate_the_pack_of_a_15_unit_80_criterion_year() -> None:
    """Prints the seconds (run with ``-s``); the figure is in docs/documents.md. No assertion
    on time: machines differ. The first run of a process also loads WeasyPrint's fonts; the
    last two give the same drafts again, whose renderings the process remembers."""
    province = generate(Size(blocs=1, units=15, criteria=80, years=2), last_year=2020)
    bloc_year = province.published_year
    timings = []
    for run in range(5):
        if run < 3:
            memo.forget()  # three first renderings; then twice the same drafts again
        wall, cpu = time.perf_counter(), time.process_time()
        archive = services.conference_pack(bloc_year, with_workbook=True)
        timings.append((time.perf_counter() - wall, time.process_time() - cpu))
        with zipfile.ZipFile(io.BytesIO(archive)) as pack:
            assert len(pack.namelist()) == 11  # with the covenant of the following year
    runs = [f"{wall:.2f} s (CPU {cpu:.2f} s)" for wall, cpu in timings]
    print(
        f"\nconference pack, 15 units × 80 criteria, {len(archive) // 1024} KiB: "
        f"rendered {', '.join(runs[:3])}; again {', '.join(runs[3:])} "
        f"on {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
