"""The one-click conference pack: report, minutes, submission and score table (DOCX and PDF
each) and the ranking workbook, in one ZIP; and the time it takes on a full-size bloc-year."""

from __future__ import annotations

import io
import os
import platform
import time
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from blocs.models import AuditEntry, User
from demo.bench import Size, generate
from reports import services
from reports.models import Document
from tests.conftest import client_for
from tests.reports.reading import docx_text
from tests.reports.worlds import DocumentsYear, issued_quickly

pytestmark = pytest.mark.django_db

EXPECTED = {
    "01-bao-cao-tong-ket-TM3-2019.docx",
    "01-bao-cao-tong-ket-TM3-2019.pdf",
    "02-bien-ban-binh-xet-TM3-2019.docx",
    "02-bien-ban-binh-xet-TM3-2019.pdf",
    "03-to-trinh-khen-thuong-TM3-2019.docx",
    "03-to-trinh-khen-thuong-TM3-2019.pdf",
    "phu-luc-bang-diem-TM3-2019.docx",
    "phu-luc-bang-diem-TM3-2019.pdf",
    "xep-hang-TM3-2019.xlsx",
}


def test_the_pack_holds_the_nine_files(year: DocumentsYear, secretariat: User) -> None:
    response = client_for(secretariat).get(reverse("reports:pack", args=[year.bloc.pk, 2019]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="ho-so-hoi-nghi-TM3-2019.zip"' in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert set(archive.namelist()) == EXPECTED
        assert "Số: 01/BC-SYT" in docx_text(archive.read("01-bao-cao-tong-ket-TM3-2019.docx"))
        assert archive.read("02-bien-ban-binh-xet-TM3-2019.pdf").startswith(b"%PDF")
        workbook = openpyxl.load_workbook(io.BytesIO(archive.read("xep-hang-TM3-2019.xlsx")))
        assert workbook.sheetnames
    # A download writes nothing: the kinds nobody drafted are printed as their new drafts
    # would be, numbered in the head unit's series, and no draft or audit row is created.
    assert not Document.objects.filter(bloc_year=year.year).exists()
    assert not AuditEntry.objects.filter(action="document.create").exists()


def test_the_pack_keeps_an_issued_document_as_issued(
    year: DocumentsYear, secretariat: User
) -> None:
    report = issued_quickly(year.year, Document.Kind.REPORT)
    response = client_for(secretariat).get(reverse("reports:pack", args=[year.bloc.pk, 2019]))
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.read(services.filename(report, "docx")) == b"docx"


def test_the_pack_of_a_year_without_results_has_no_workbook(
    year: DocumentsYear, secretariat: User
) -> None:
    response = client_for(secretariat).get(reverse("reports:pack", args=[year.bloc.pk, 2020]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
    assert len(names) == 8
    assert not any(name.endswith(".xlsx") for name in names)


def test_time_to_generate_the_pack_of_a_15_unit_80_criterion_year() -> None:
    """Prints the seconds (run with ``-s``); the figure is in docs/documents.md. No assertion
    on time: machines differ. The first run of a process also loads WeasyPrint's fonts."""
    province = generate(Size(blocs=1, units=15, criteria=80, years=2), last_year=2020)
    bloc_year = province.published_year
    timings = []
    for _run in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        archive = services.conference_pack(
            bloc_year, ranking_xlsx=services.ranking_workbook(bloc_year)
        )
        timings.append((time.perf_counter() - wall, time.process_time() - cpu))
        with zipfile.ZipFile(io.BytesIO(archive)) as pack:
            assert len(pack.namelist()) == 9
    runs = ", ".join(f"{wall:.2f} s (CPU {cpu:.2f} s)" for wall, cpu in timings)
    print(
        f"\nconference pack, 15 units × 80 criteria, {len(archive) // 1024} KiB: {runs} "
        f"on {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
