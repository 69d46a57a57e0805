"""The documents pages: the year's list, creating and editing a draft (dates, conflicts; a
draft has no number), the preview, the downloads, and the section of the bloc-year page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from blocs.models import User
from reports import services
from reports.models import Document
from tests.conftest import client_for
from tests.reports.worlds import DocumentsYear, draft, issued_quickly

pytestmark = pytest.mark.django_db


def form_data(document: Document, **changes: Any) -> dict[str, Any]:
    """What the edit page posts back when nothing is touched, with some changes."""
    document.refresh_from_db()
    data: dict[str, Any] = {
        "version": document.version,
        "issuer_parent": document.issuer_parent,
        "issuer_name": document.issuer_name,
        "issuer_code": document.issuer_code,
        "date": document.date.strftime("%d/%m/%Y") if document.date else "",
        "place": document.place,
        "subject": document.subject,
        "signer_title": document.signer_title,
        "signer_name": document.signer_name,
        "recipients": document.recipients,
    }
    for key in services.NARRATIVE_KEYS[Document.Kind(document.kind)]:
        data[key] = document.narrative.get(key, "")
    data.update(changes)
    return data


def test_the_secretariat_sees_every_kind_and_creates_a_draft(
    year: DocumentsYear, secretariat: User
) -> None:
    client = client_for(secretariat)
    url = reverse("reports:documents", args=[year.bloc.pk, 2019])
    html = client.get(url).content.decode()
    for kind in Document.Kind:
        assert str(kind.label) in html
    assert html.count("Lập dự thảo") == len(Document.Kind)
    assert "Tải bộ hồ sơ hội nghị (ZIP)" in html
    response = client.post(url, {"kind": "report"})
    document = Document.objects.get(bloc_year=year.year, kind="report")
    assert response.status_code == 302
    assert response["Location"] == document.get_absolute_url()
    # Issued by the bloc, signed by the head unit's head; no number before it is issued.
    assert document.issuer == year.head
    assert document.issuer_name == "KHỐI THI ĐUA THAM MƯU III"
    assert document.number is None
    assert document.number_line == "Số:       /BC-KTĐ"
    assert document.date == datetime.date(2020, 1, 15)
    html = client.get(url).content.decode()
    assert "Cấp khi ban hành" in html
    assert html.count("Lập dự thảo") == len(Document.Kind) - 1


def test_creating_an_unknown_kind_changes_nothing(year: DocumentsYear, secretariat: User) -> None:
    url = reverse("reports:documents", args=[year.bloc.pk, 2019])
    response = client_for(secretariat).post(url, {"kind": "memo"})
    assert response.status_code == 302
    assert not Document.objects.exists()


def test_the_edit_page_saves_the_header_and_the_narrative(
    year: DocumentsYear, secretariat: User
) -> None:
    document = draft(year.year, Document.Kind.REPORT)
    url = reverse("reports:document", args=[document.pk])
    client = client_for(secretariat)
    html = client.get(url).content.decode()
    assert 'name="version"' in html
    assert 'value="15/01/2020"' in html
    assert "Đánh giá chung của khối về kết quả năm" in html
    response = client.post(
        url,
        form_data(
            document,
            number="7",  # not a field of a draft: ignored
            date="20/01/2020",
            signer_name="Nguyễn Văn Hải",
            recipients="Sở Nội vụ\nLưu: VT.",
            assessment="Các đơn vị hoàn thành tốt nhiệm vụ.",
        ),
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.number is None
    assert document.date == datetime.date(2020, 1, 20)
    assert document.recipient_lines == ["Sở Nội vụ", "Lưu: VT."]
    assert document.narrative["assessment"] == "Các đơn vị hoàn thành tốt nhiệm vụ."
    assert document.version == 2


def test_a_draft_has_no_number_field_and_says_when_it_gets_one(
    year: DocumentsYear, secretariat: User
) -> None:
    document = draft(year.year, Document.Kind.MINUTES)
    response = client_for(secretariat).get(reverse("reports:document", args=[document.pk]))
    assert "number" not in response.context["form"].fields
    assert "số văn bản được cấp khi ban hành" in response.content.decode()


def test_the_submission_cannot_be_dated_before_the_conference(
    year: DocumentsYear, secretariat: User
) -> None:
    document = draft(year.year, Document.Kind.SUBMISSION)
    response = client_for(secretariat).post(
        reverse("reports:document", args=[document.pk]), form_data(document, date="10/01/2020")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["date"]
    assert "Tờ trình lập sau hội nghị tổng kết (ngày 15/01/2020)" in errors["date"][0]
    assert 'href="#id_date"' in response.content.decode()  # the summary links to the field
    document.refresh_from_db()
    assert document.date == datetime.date(2020, 1, 15)


def test_a_wrong_date_is_shown_at_the_field(year: DocumentsYear, secretariat: User) -> None:
    document = draft(year.year, Document.Kind.REPORT)
    response = client_for(secretariat).post(
        reverse("reports:document", args=[document.pk]), form_data(document, date="31/02/2020")
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["date"]
    document.refresh_from_db()
    assert document.version == 1


def test_a_stale_version_is_told_and_what_was_typed_stays(
    year: DocumentsYear, secretariat: User, council_admin: User
) -> None:
    document = draft(year.year, Document.Kind.REPORT)
    stale = form_data(document, subject="Bản của thư ký")
    client_for(council_admin).post(
        reverse("reports:document", args=[document.pk]),
        form_data(document, subject="Bản của quản trị"),
    )
    response = client_for(secretariat).post(reverse("reports:document", args=[document.pk]), stale)
    assert response.status_code == 200
    assert response.context["conflict"] is True
    assert "Văn bản vừa được người khác lưu" in response.content.decode()
    form = response.context["form"]
    assert (form["subject"].value(), form["version"].value()) == ("Bản của thư ký", "2")
    document.refresh_from_db()
    assert document.subject == "Bản của quản trị"
    # Saving again, knowingly, overwrites.
    response = client_for(secretariat).post(
        reverse("reports:document", args=[document.pk]), {**stale, "version": 2}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.subject == "Bản của thư ký"


def test_an_issued_document_is_read_only(year: DocumentsYear, secretariat: User) -> None:
    document = issued_quickly(year.year, Document.Kind.REPORT)
    url = reverse("reports:document", args=[document.pk])
    client = client_for(secretariat)
    page = client.get(url)
    assert page.context["form"] is None
    assert "Văn bản đã ban hành lúc" in page.content.decode()
    response = client.post(url, form_data(document, subject="Sửa sau khi ban hành"))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.subject != "Sửa sau khi ban hành"


def test_the_preview_links_the_print_stylesheet_and_runs_no_inline_script(
    year: DocumentsYear, secretariat: User
) -> None:
    document = draft(year.year, Document.Kind.REPORT)
    html = (
        client_for(secretariat).get(reverse("reports:preview", args=[document.pk])).content.decode()
    )
    assert "/static/css/document.css" in html
    assert 'class="toolbar"' in html
    assert reverse("reports:download", args=[document.pk, "docx"]) in html
    assert reverse("reports:download", args=[document.pk, "pdf"]) in html
    assert reverse("reports:issue", args=[document.pk]) in html
    assert "<script>" not in html and "onclick" not in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert "/BC-KTĐ" in html
    assert "Sở Giáo dục và Đào tạo" in html


def test_the_stylesheet_prints_a4_and_hides_the_toolbar() -> None:
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "document.css").read_text()
    assert "@page { size: A4" in css
    assert ".preview .toolbar { display: none !important; }" in css


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("pdf", "application/pdf"),
    ],
)
def test_a_draft_downloads_in_each_format(
    year: DocumentsYear, secretariat: User, fmt: str, content_type: str
) -> None:
    document = draft(year.year, Document.Kind.REPORT)
    response = client_for(secretariat).get(reverse("reports:download", args=[document.pk, fmt]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert services.filename(document, fmt) == f"du-thao-bao-cao-tong-ket-TM3-2019.{fmt}"
    assert f'filename="du-thao-bao-cao-tong-ket-TM3-2019.{fmt}"' in response["Content-Disposition"]
    assert response.content.startswith(b"PK" if fmt == "docx" else b"%PDF")


def test_an_unknown_format_is_not_found(year: DocumentsYear, secretariat: User) -> None:
    document = draft(year.year, Document.Kind.REPORT)
    url = reverse("reports:download", args=[document.pk, "odt"])
    assert client_for(secretariat).get(url).status_code == 404


def test_the_bloc_year_page_links_the_documents_for_managers(
    year: DocumentsYear, secretariat: User
) -> None:
    draft(year.year, Document.Kind.REPORT)
    html = (
        client_for(secretariat)
        .get(reverse("bloc-year", args=[year.bloc.pk, 2019]))
        .content.decode()
    )
    assert "Văn bản của năm" in html
    assert reverse("reports:documents", args=[year.bloc.pk, 2019]) in html


def test_the_bloc_year_page_lists_issued_documents_for_members(
    year: DocumentsYear, focal_point: User
) -> None:
    draft(year.year, Document.Kind.SUBMISSION)
    minutes = issued_quickly(year.year, Document.Kind.MINUTES)
    html = (
        client_for(focal_point)
        .get(reverse("bloc-year", args=[year.bloc.pk, 2019]))
        .content.decode()
    )
    assert "Văn bản đã ban hành" in html
    assert reverse("reports:preview", args=[minutes.pk]) in html
    assert "Tờ trình" not in html


def test_the_bloc_year_page_shows_the_public_only_issued_reports(year: DocumentsYear) -> None:
    minutes = issued_quickly(year.year, Document.Kind.MINUTES)
    anonymous = client_for(None)
    html = anonymous.get(reverse("bloc-year", args=[year.bloc.pk, 2019])).content.decode()
    assert "Văn bản đã ban hành" not in html
    report = issued_quickly(year.year, Document.Kind.REPORT)
    html = anonymous.get(reverse("bloc-year", args=[year.bloc.pk, 2019])).content.decode()
    assert reverse("reports:preview", args=[report.pk]) in html
    assert reverse("reports:preview", args=[minutes.pk]) not in html


def test_the_documents_page_has_a_fixed_query_budget(
    year: DocumentsYear, secretariat: User, django_assert_num_queries: Any
) -> None:
    for kind in Document.Kind:
        draft(year.year, kind)
    client = client_for(secretariat)
    url = reverse("reports:documents", args=[year.bloc.pk, 2019])
    # session, user, bloc-year, the secretariat's bloc-years, the documents.
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


def test_the_edit_page_has_a_fixed_query_budget(
    year: DocumentsYear, secretariat: User, django_assert_num_queries: Any
) -> None:
    document = draft(year.year, Document.Kind.MINUTES)
    client = client_for(secretariat)
    # session, user, the document with its year and issuer, the secretariat's bloc-years (5),
    # and the year's data the page builds the document from to list the parts still missing
    # (15, whatever the size of the bloc: tests/reports/test_dates_and_names.py).
    with django_assert_num_queries(20):
        assert client.get(reverse("reports:document", args=[document.pk])).status_code == 200


def test_a_year_without_a_head_says_so_instead_of_creating(
    year: DocumentsYear, council_admin: User
) -> None:
    client = client_for(council_admin)
    url = reverse("reports:documents", args=[year.other_bloc.pk, 2020])
    response = client.post(url, {"kind": "report"}, follow=True)
    assert "Khối chưa có Trưởng khối năm này" in response.content.decode()
    response = client.get(reverse("reports:pack", args=[year.other_bloc.pk, 2020]), follow=True)
    assert response.redirect_chain[-1][0] == url
    assert "Khối chưa có Trưởng khối năm này" in response.content.decode()
    assert not Document.objects.exists()
