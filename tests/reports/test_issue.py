"""Issuing: check your answers, then the files are generated once and kept. An issued document
never changes, even when the scores change later."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from blocs.models import AuditEntry, User
from reports import builders, services
from reports.models import Document
from reports.render import render_docx
from scoring.models import ScoreSheet
from scoring.services import ranking as ranking_services
from scoring.services.sheets import LineEntry
from tests.conftest import client_for
from tests.reports.conftest import pdf_text
from tests.reports.reading import docx_rows
from tests.reports.worlds import DocumentsYear, draft

pytestmark = pytest.mark.django_db


def test_the_check_page_shows_what_will_be_issued_and_frozen(
    year: DocumentsYear, secretariat: User
) -> None:
    document = draft(year.year, Document.Kind.REPORT)
    html = (
        client_for(secretariat).get(reverse("reports:issue", args=[document.pk])).content.decode()
    )
    assert "Số: 01/BC-SYT" in html
    assert "Quảng Nam, ngày 15 tháng 01 năm 2020" in html
    assert "GIÁM ĐỐC SỞ Y TẾ" in html and "Nguyễn Văn Hải" in html
    assert f"Lần chốt {year.snapshot.number}" in html
    assert "2 đề nghị" in html
    assert "Ban hành Báo cáo tổng kết công tác thi đua" in html
    document.refresh_from_db()
    assert document.state == Document.State.DRAFT


def test_issuing_keeps_the_files_and_records_who_issued(
    year: DocumentsYear, secretariat: User
) -> None:
    document = draft(year.year, Document.Kind.REPORT)
    response = client_for(secretariat).post(reverse("reports:issue", args=[document.pk]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.state == Document.State.ISSUED
    assert document.issued_by == secretariat
    assert document.docx.name.endswith(".docx") and document.pdf.name.endswith(".pdf")
    assert services.ISSUED_HTML in document.narrative
    assert AuditEntry.objects.filter(
        action="document.issue", context=f"document:{document.pk}"
    ).exists()


def test_issuing_without_a_number_is_refused(year: DocumentsYear, secretariat: User) -> None:
    document = draft(year.year, Document.Kind.REPORT)
    Document.objects.filter(pk=document.pk).update(number=None)
    response = client_for(secretariat).post(reverse("reports:issue", args=[document.pk]))
    assert response.status_code == 200
    assert "Ghi số văn bản trước khi ban hành." in response.content.decode()
    document.refresh_from_db()
    assert document.state == Document.State.DRAFT
    assert not document.docx


def test_an_issued_document_is_not_issued_twice(year: DocumentsYear, secretariat: User) -> None:
    document = services.document_issue(
        document=draft(year.year, Document.Kind.SCORE_TABLE), by=None
    )
    response = client_for(secretariat).post(reverse("reports:issue", args=[document.pk]))
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="document.issue").count() == 1


def _raise_the_members_points(year: DocumentsYear) -> None:
    """A correction after finalization: the member's I.1 goes from 5 to 6 (a new snapshot)."""
    criteria = dict(year.year.scoring.criteria_set.criteria.values_list("code", "id"))
    sheet = ScoreSheet.objects.get(bloc_year=year.year, unit=year.member)
    ranking_services.ranking_correct(
        bloc_year=year.year,
        corrections={sheet.pk: {criteria["I.1"]: LineEntry(Decimal(6))}},
        reason="Sửa sai sót khi nhập.",
        by=None,
    )


def test_an_issued_document_does_not_change_when_scores_change_later(
    year: DocumentsYear, secretariat: User
) -> None:
    document = draft(year.year, Document.Kind.REPORT)
    client = client_for(secretariat)
    client.post(reverse("reports:issue", args=[document.pk]))
    document.refresh_from_db()
    with document.docx.open("rb") as docx, document.pdf.open("rb") as pdf:
        issued = {"docx": docx.read(), "pdf": pdf.read()}
    assert ("2", "Báo Quảng Nam", "9,70", "Hoàn thành tốt nhiệm vụ") in docx_rows(issued["docx"])

    _raise_the_members_points(year)
    # The data changed: a document built today would say 10,70 …
    fresh = render_docx(builders.build(document))
    assert any(row[1:3] == ("Báo Quảng Nam", "10,70") for row in docx_rows(fresh))
    # … but the issued files, their downloads and the preview stay as issued.
    document.refresh_from_db()
    with document.docx.open("rb") as docx, document.pdf.open("rb") as pdf:
        assert (docx.read(), pdf.read()) == (issued["docx"], issued["pdf"])
    for fmt in ("docx", "pdf"):
        response = client.get(reverse("reports:download", args=[document.pk, fmt]))
        assert response.content == issued[fmt]
    assert "9,70" in pdf_text(issued["pdf"]) and "10,70" not in pdf_text(issued["pdf"])
    preview = client.get(reverse("reports:preview", args=[document.pk])).content.decode()
    assert "9,70" in preview and "10,70" not in preview
    # The pack carries the issued files too.
    pack = services.conference_pack(year.year, ranking_xlsx=None)
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        assert archive.read(services.filename(document, "docx")) == issued["docx"]
        assert archive.read(services.filename(document, "pdf")) == issued["pdf"]


def test_an_issued_document_cannot_be_updated_by_the_service(year: DocumentsYear) -> None:
    document = services.document_issue(
        document=draft(year.year, Document.Kind.SCORE_TABLE), by=None
    )
    with pytest.raises(ValidationError):
        services.document_update(
            document=document,
            values={"subject": "x"},
            narrative={},
            version=document.version,
            by=None,
        )
