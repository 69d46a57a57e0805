"""Issued documents on S3: issuing writes the DOCX and PDF to the bucket once; the downloads and
the conference pack read them back from it, never regenerated."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from blocs.models import User
from reports import services
from reports.models import Document
from tests.conftest import World, client_for
from tests.reports.worlds import DocumentsYear, documents_year, issued_quickly, written
from tests.storage.conftest import S3

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(world: World, secretariat: User) -> DocumentsYear:
    return documents_year(world, by=secretariat)


def test_issuing_writes_the_files_to_the_bucket_and_downloads_read_them_back(
    s3: S3, year: DocumentsYear, secretariat: User
) -> None:
    # A report whose parts are written (an empty draft cannot be issued).
    document = written(year.year, Document.Kind.REPORT)
    client = client_for(secretariat)
    response = client.post(reverse("reports:issue", args=[document.pk]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.state == Document.State.ISSUED
    assert sorted(s3.names()) == sorted([document.docx.name, document.pdf.name])
    kept = {"docx": s3.read(document.docx.name), "pdf": s3.read(document.pdf.name)}
    assert kept["docx"].startswith(b"PK") and kept["pdf"].startswith(b"%PDF")

    for fmt, content_type in (("docx", services.FORMATS["docx"]), ("pdf", "application/pdf")):
        download = client.get(reverse("reports:download", args=[document.pk, fmt]))
        assert download.status_code == 200
        assert download["Content-Type"].startswith(content_type)
        assert download.content == kept[fmt]

    # The pack carries the kept files, read from the bucket.
    pack = client.get(reverse("reports:pack", args=[year.bloc.pk, year.year.year]))
    assert pack.status_code == 200
    with zipfile.ZipFile(io.BytesIO(pack.content)) as archive:
        assert archive.read(services.filename(document, "docx")) == kept["docx"]
        assert archive.read(services.filename(document, "pdf")) == kept["pdf"]
    assert len(s3.names()) == 2  # a GET writes nothing


def test_a_downloaded_file_is_the_object_in_the_bucket(
    s3: S3, year: DocumentsYear, secretariat: User
) -> None:
    document = issued_quickly(year.year, Document.Kind.MINUTES)
    s3.client.put_object(Bucket=s3.bucket, Key=document.pdf.name, Body=b"%PDF-1.4 replaced")
    response = client_for(secretariat).get(reverse("reports:download", args=[document.pk, "pdf"]))
    assert response.status_code == 200
    assert response.content == b"%PDF-1.4 replaced"


def test_an_issued_file_gone_from_the_bucket_answers_410(
    s3: S3, year: DocumentsYear, secretariat: User
) -> None:
    document = issued_quickly(year.year, Document.Kind.MINUTES)
    s3.delete(document.docx.name)
    client = client_for(secretariat)
    response = client.get(reverse("reports:download", args=[document.pk, "docx"]))
    assert response.status_code == 410
    assert "Tệp không còn trên máy chủ" in response.content.decode()
    # The other file is still there and still served.
    assert client.get(reverse("reports:download", args=[document.pk, "pdf"])).status_code == 200
