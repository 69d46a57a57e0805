"""``manage.py render_issued_files``: the missing DOCX and PDF of issued documents rendered once,
from the document as issued, and kept; files that are there left alone; a second run does
nothing; a document whose content changed since its issue left alone and named. And the pack
of a year whose issued document has no files renders it as issued, writing nothing."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import Proposal
from blocs.models import AuditEntry, User
from reports import services
from reports.models import Document
from scoring.models import ScoreSheet
from scoring.services import ranking as ranking_services
from scoring.services.sheets import LineEntry
from tests.conftest import client_for
from tests.reports.conftest import pdf_pages_png, pdf_text
from tests.reports.reading import docx_rows
from tests.reports.worlds import DocumentsYear, issued
from tests.security.test_get_never_writes import forbidden_write

pytestmark = pytest.mark.django_db

# The member's row of the ranking as issued (I.1 = 5), and after the correction (I.1 = 6).
AS_ISSUED = ("2", "Báo Quảng Nam", "9,70", "Hoàn thành tốt nhiệm vụ")


def _raise_the_members_points(year: DocumentsYear) -> None:
    """A correction after the issue: the member's I.1 goes from 5 to 6 (a new snapshot)."""
    criteria = dict(year.year.scoring.criteria_set.criteria.values_list("code", "id"))
    sheet = ScoreSheet.objects.get(bloc_year=year.year, unit=year.member)
    ranking_services.ranking_correct(
        bloc_year=year.year,
        corrections={sheet.pk: {criteria["I.1"]: LineEntry(Decimal(6))}},
        reason="Sửa sai sót khi nhập.",
        by=None,
    )


def _read(document: Document, fmt: str) -> bytes:
    document.refresh_from_db()
    with getattr(document, fmt).open("rb") as handle:
        data: bytes = handle.read()
    return data


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("render_issued_files", *args, stdout=out)
    return out.getvalue()


def _as_if_issued_before_files_were_kept(document: Document) -> None:
    narrative = {k: v for k, v in document.narrative.items() if k != services.ISSUED_HTML}
    Document.objects.filter(pk=document.pk).update(docx="", pdf="", narrative=narrative)


def test_only_the_missing_files_are_rendered_from_the_issued_content(
    year: DocumentsYear,
) -> None:
    report = issued(year.year, Document.Kind.REPORT)
    minutes = issued(year.year, Document.Kind.MINUTES)
    kept_docx = _read(report, "docx")
    # The report's PDF was lost; the minutes were issued before files were kept (no files, no
    # kept HTML); then the scores were corrected: a document built today would say 10,70.
    report.pdf.storage.delete(report.pdf.name)
    _as_if_issued_before_files_were_kept(minutes)
    _raise_the_members_points(year)

    output = _run()

    assert "đã tạo PDF" in output and "đã tạo DOCX, PDF" in output
    assert "0 đủ tệp, 2 được tạo tệp (3 tệp), 0 khác bản đã ban hành" in output
    report.refresh_from_db()
    assert _read(report, "docx") == kept_docx  # the file that was there: left as it was
    report_pdf = pdf_text(_read(report, "pdf"))
    assert pdf_pages_png(_read(report, "pdf"), "rendered-again-report")  # look at it
    assert "9,70" in report_pdf and "10,70" not in report_pdf
    assert "DỰ THẢO" not in report_pdf and f"{report.number:02d}/BC-KTĐ" in report_pdf
    minutes.refresh_from_db()
    assert minutes.docx.name.endswith(".docx") and minutes.pdf.name.endswith(".pdf")
    assert AS_ISSUED in docx_rows(_read(minutes, "docx"))  # the ranking it was issued with
    assert "9,70" in pdf_text(_read(minutes, "pdf"))
    assert AuditEntry.objects.filter(action="document.files_rendered").count() == 2

    files = [_read(document, fmt) for document in (report, minutes) for fmt in ("docx", "pdf")]
    again = _run()
    assert "2 đủ tệp, 0 được tạo tệp (0 tệp), 0 khác bản đã ban hành" in again
    assert "đã tạo" not in again
    assert [_read(d, fmt) for d in (report, minutes) for fmt in ("docx", "pdf")] == files
    assert AuditEntry.objects.filter(action="document.files_rendered").count() == 2


def test_a_dry_run_lists_and_writes_nothing(year: DocumentsYear) -> None:
    report = issued(year.year, Document.Kind.REPORT)
    _as_if_issued_before_files_were_kept(report)
    output = _run("--dry-run")
    assert "sẽ tạo DOCX, PDF" in output and "1 cần tạo tệp (2 tệp)" in output
    report.refresh_from_db()
    assert not report.docx and not report.pdf
    assert not AuditEntry.objects.filter(action="document.files_rendered").exists()


def test_a_document_whose_content_changed_since_its_issue_is_left_alone(
    year: DocumentsYear,
) -> None:
    report = issued(year.year, Document.Kind.REPORT)
    report.pdf.storage.delete(report.pdf.name)
    # After the issue the head's proposal was rejected: the report built again would leave it
    # out of section IV, which the issued report (its kept HTML) lists.
    Proposal.objects.filter(pk=year.gov_flag.pk).update(status=Proposal.Status.REJECTED)
    errors = io.StringIO()
    with pytest.raises(CommandError, match="1 văn bản cần người kiểm tra"):
        call_command("render_issued_files", stdout=io.StringIO(), stderr=errors)
    assert "khác bản đã ban hành" in errors.getvalue() and "thiếu PDF" in errors.getvalue()
    report.refresh_from_db()
    assert not report.pdf.storage.exists(report.pdf.name)
    assert not AuditEntry.objects.filter(action="document.files_rendered").exists()


def test_the_pack_renders_an_issued_document_without_files_as_issued_writing_nothing(
    year: DocumentsYear, secretariat: User
) -> None:
    report = issued(year.year, Document.Kind.REPORT)
    _as_if_issued_before_files_were_kept(report)
    _raise_the_members_points(year)
    client = client_for(secretariat)
    url = reverse("reports:pack", args=[year.bloc.pk, 2019])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    writes = [q["sql"] for q in captured.captured_queries if forbidden_write(q["sql"])]
    assert writes == []
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        docx = archive.read(services.filename(report, "docx"))
    assert AS_ISSUED in docx_rows(docx)  # as issued, not the corrected 10,70
    report.refresh_from_db()
    assert not report.docx and not report.pdf  # nothing kept by a GET
