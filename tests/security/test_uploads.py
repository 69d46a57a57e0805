"""Uploaded files: accepted for what they are, refused when disguised, served so that a browser
never runs them, and only to those who may see them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.services import decisions as decision_services
from blocs.models import User
from common import uploads
from scoring.models import Evidence
from scoring.services import evidence as evidence_services
from tests.conftest import client_for

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
HTML = b"<!doctype html><html><body><script>fetch('/my-work/')</script></body></html>"
# Starts like a PDF, so a check of the first bytes alone lets it in; a browser that sniffs
# would run it as a page.
PDF_POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"
PNG_POLYGLOT = PNG + b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"
JPEG_POLYGLOT = b"\xff\xd8\xff\xe0<script>alert(1)</script>"
# What an outside test slipped past the first list of tags: an image with a handler, and
# friends that run or load something without any of the tags above.
MORE_POLYGLOTS = [
    b"%PDF-1.4\n<img src=x onerror=alert(document.domain)>",
    b"%PDF-1.4\n<IMG SRC=x ONERROR = 'alert(1)'>",
    b"%PDF-1.4\n<a href=javascript:alert(1)>x</a>",
    b"%PDF-1.4\n<svg/onload=alert(1)>",
    b"%PDF-1.4\n<body onload=alert(1)>",
    b"%PDF-1.4\n<iframe srcdoc='<script>alert(1)</script>'>",
    b"%PDF-1.4\n<form action=//evil.example><input type=submit></form>",
    b"%PDF-1.4\n<details open ontoggle=alert(1)>",
    b"%PDF-1.4\n<?xml-stylesheet href='data:text/xsl,...'?>",
]

LIMIT = 10 * 1024 * 1024


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("content", "expected"),
    [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")],
)
def test_real_files_are_accepted_for_their_first_bytes(content: bytes, expected: str) -> None:
    checked = uploads.check_upload(
        upload("minh-chung.bin", content, "application/octet-stream"),
        allowed={uploads.PDF, uploads.PNG, uploads.JPEG},
        max_bytes=LIMIT,
    )
    assert checked == expected


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bao-cao.pdf", HTML),
        ("anh.png", HTML),
        ("bao-cao.pdf", b"MZ\x90\x00 an executable"),
        ("bao-cao.pdf", b"PK\x03\x04 a zip"),
        ("bao-cao.pdf", b"   %PDF-1.4 with spaces before"),
    ],
)
def test_a_disguised_file_is_refused_whatever_its_name_and_claimed_type(
    name: str, content: bytes
) -> None:
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(
            upload(name, content), allowed={uploads.PDF, uploads.PNG}, max_bytes=LIMIT
        )
    assert "Chỉ nhận tệp" in error.value.message_dict["file"][0]


@pytest.mark.parametrize("content", [PDF_POLYGLOT, PNG_POLYGLOT, JPEG_POLYGLOT, *MORE_POLYGLOTS])
def test_a_polyglot_is_refused(content: bytes) -> None:
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(
            upload("x.pdf", content),
            allowed={uploads.PDF, uploads.PNG, uploads.JPEG},
            max_bytes=LIMIT,
        )
    assert "nội dung trang web hoặc mã lệnh" in error.value.message_dict["file"][0]


def test_a_file_of_the_wrong_accepted_kind_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(upload("quyet-dinh.pdf", PNG), allowed={uploads.PDF}, max_bytes=LIMIT)
    assert error.value.message_dict["file"] == ["Chỉ nhận tệp PDF."]


def test_empty_and_oversized_files_are_refused() -> None:
    with pytest.raises(ValidationError, match="rỗng"):
        uploads.check_upload(upload("a.pdf", b""), allowed={uploads.PDF}, max_bytes=LIMIT)
    with pytest.raises(ValidationError, match="tối đa 1 MB"):
        uploads.check_upload(
            upload("a.pdf", PDF + b"0" * 1024 * 1024), allowed={uploads.PDF}, max_bytes=2**20
        )


@pytest.mark.parametrize(
    "content",
    [
        PDF + b"<< /Type /Font /Subtype /Type1 >> <4F6E65> <a1b2c3> <</Length 5>>",
        PDF + b"(A table: a<b and c>d) (x < 3 / y > 2) (one = two) (Bonus on= 3)",
    ],
)
def test_pdf_syntax_is_not_mistaken_for_markup(content: bytes) -> None:
    assert not uploads.has_markup(content)


def test_markup_far_into_a_real_file_is_not_mistaken_for_a_polyglot() -> None:
    content = PDF + b"\x00" * 4096 + b"<html>"
    assert not uploads.has_markup(content)


# ---------------------------------------------------------------- the services


def test_evidence_refuses_an_html_page_renamed_pdf(scoring_world: Any, focal_point: User) -> None:
    line = scoring_world.draft_sheet.lines.get(criterion=scoring_world.leaf)
    before = Evidence.objects.count()
    with pytest.raises(ValidationError):
        evidence_services.evidence_add(line=line, upload=upload("bao-cao.pdf", HTML), by=None)
    assert Evidence.objects.count() == before


def test_the_evidence_page_refuses_a_disguised_file_and_says_why(
    scoring_world: Any, focal_point: User
) -> None:
    url = reverse("scoring:line", args=[scoring_world.draft_sheet.pk, scoring_world.leaf.pk])
    before = Evidence.objects.count()
    response = client_for(focal_point).post(url, {"file": upload("bao-cao.pdf", HTML)})
    assert response.status_code == 200
    assert "Chỉ nhận tệp PDF, PNG hoặc JPG." in response.content.decode()
    assert Evidence.objects.count() == before


def test_the_evidence_count_per_line_is_limited(scoring_world: Any, settings: Any) -> None:
    settings.EVIDENCE_MAX_FILES_PER_LINE = 2
    line = scoring_world.draft_sheet.lines.get(criterion=scoring_world.leaf)  # has one already
    evidence_services.evidence_add(line=line, upload=upload("2.pdf", PDF), by=None)
    with pytest.raises(ValidationError, match="tối đa 2 tệp"):
        evidence_services.evidence_add(line=line, upload=upload("3.pdf", PDF), by=None)


def test_a_decision_refuses_an_html_page_renamed_pdf(world: Any) -> None:
    with pytest.raises(ValidationError) as error:
        decision_services.decision_record(
            council=world.council,
            number="12/QĐ-UBND",
            date=datetime.date(2021, 3, 1),
            signer_title="",
            signer_name="",
            upload=upload("quyet-dinh.pdf", HTML),
            by=None,
        )
    assert error.value.message_dict["file"] == ["Chỉ nhận tệp PDF."]


def test_evidence_refuses_a_polyglot(scoring_world: Any) -> None:
    line = scoring_world.draft_sheet.lines.get(criterion=scoring_world.leaf)
    with pytest.raises(ValidationError):
        evidence_services.evidence_add(
            line=line, upload=upload("bao-cao.pdf", PDF_POLYGLOT), by=None
        )


def test_a_decision_refuses_a_polyglot(world: Any) -> None:
    with pytest.raises(ValidationError):
        decision_services.decision_record(
            council=world.council,
            number="13/QĐ-UBND",
            date=datetime.date(2021, 3, 1),
            signer_title="",
            signer_name="",
            upload=upload("quyet-dinh.pdf", PDF_POLYGLOT),
            by=None,
        )


# ---------------------------------------------------------------- serving


def test_evidence_is_served_inline_with_its_checked_type_in_a_sandbox(
    scoring_world: Any, focal_point: User
) -> None:
    response = client_for(focal_point).get(
        reverse("scoring:evidence", args=[scoring_world.evidence.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Cache-Control"] == "private, no-store"


def test_evidence_downloads_as_an_attachment_when_asked(
    scoring_world: Any, focal_point: User
) -> None:
    url = reverse("scoring:evidence", args=[scoring_world.evidence.pk]) + "?download=1"
    response = client_for(focal_point).get(url)
    assert response["Content-Disposition"].startswith("attachment")


def test_evidence_is_hidden_from_people_who_may_not_see_the_sheet(
    scoring_world: Any, outsider: User
) -> None:
    url = reverse("scoring:evidence", args=[scoring_world.evidence.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_a_decision_file_is_served_as_a_pdf_in_a_sandbox(
    awards_world: Any, leader: User, focal_point: User
) -> None:
    url = reverse("awards:decision-file", args=[awards_world.decision.pk])
    response = client_for(leader).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert client_for(focal_point).get(url).status_code == 403
