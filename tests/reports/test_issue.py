"""Issuing: check your answers, then the number is taken and the files are generated once and
kept. A draft has no number and carries the draft mark; an issued document has the next number
of the bloc's series, no mark, no signature prompt, and never changes, even when the scores
change later. Issuing is refused while a part is empty or placeholder text, naming the part."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from blocs.models import AuditEntry, BlocYear, User
from reports import builders, services
from reports.models import Document
from reports.render import render_docx
from scoring.models import ScoreSheet
from scoring.services import ranking as ranking_services
from scoring.services.sheets import LineEntry
from tests.conftest import World, client_for
from tests.reports.conftest import pdf_text
from tests.reports.reading import docx_rows, docx_text
from tests.reports.worlds import DocumentsYear, draft, issued, written

pytestmark = pytest.mark.django_db

PROMPTS = ("(Ký, ghi rõ họ tên", "(Ký, ghi rõ họ tên, đóng dấu)")


def test_a_draft_has_no_number_and_says_it_is_a_draft(year: DocumentsYear) -> None:
    document = draft(year.year, Document.Kind.REPORT)
    assert document.number is None and document.is_draft
    content = builders.build(document)
    assert content.draft is True
    assert content.number_line == "Số:       /BC-KTĐ"
    # A draft keeps the prompts under the signature: it is signed by hand once issued.
    assert content.signatures[0].note == "(Ký, ghi rõ họ tên, đóng dấu)"


def test_the_check_page_shows_the_number_it_will_take_and_what_is_frozen(
    year: DocumentsYear, secretariat: User
) -> None:
    document = written(year.year, Document.Kind.REPORT)
    html = (
        client_for(secretariat).get(reverse("reports:issue", args=[document.pk])).content.decode()
    )
    assert "Số: 01/BC-KTĐ" in html
    assert "Quảng Nam, ngày 15 tháng 01 năm 2020" in html
    assert "GIÁM ĐỐC SỞ Y TẾ" in html and "Nguyễn Văn Hải" in html
    assert f"Lần chốt {year.snapshot.number}" in html
    assert "2 đề nghị" in html
    assert 'name="number"' in html
    assert "Ban hành Báo cáo tổng kết công tác thi đua" in html
    document.refresh_from_db()
    assert document.state == Document.State.DRAFT and document.number is None


def test_issuing_takes_the_next_number_and_keeps_the_files(
    year: DocumentsYear, secretariat: User
) -> None:
    minutes = issued(year.year, Document.Kind.MINUTES)
    assert minutes.number_line == "Số: 01/BB-KTĐ"
    document = written(year.year, Document.Kind.REPORT)
    response = client_for(secretariat).post(reverse("reports:issue", args=[document.pk]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.state == Document.State.ISSUED
    assert document.number == 2 and document.number_line == "Số: 02/BC-KTĐ"
    assert document.issued_by == secretariat
    assert document.docx.name.endswith(".docx") and document.pdf.name.endswith(".pdf")
    assert services.filename(document, "pdf") == "02-bao-cao-tong-ket-TM3-2019.pdf"
    assert services.ISSUED_HTML in document.narrative
    with document.docx.open("rb") as docx, document.pdf.open("rb") as pdf:
        text, printed = docx_text(docx.read()), pdf_text(pdf.read())
    for output in (text, " ".join(printed.split())):
        assert "Số: 02/BC-KTĐ" in output
    assert AuditEntry.objects.filter(
        action="document.issue", context=f"document:{document.pk}"
    ).exists()


def test_the_number_may_be_another_free_one_of_the_register(
    year: DocumentsYear, secretariat: User
) -> None:
    issued(year.year, Document.Kind.MINUTES)  # 01
    document = written(year.year, Document.Kind.REPORT)
    client = client_for(secretariat)
    response = client.post(reverse("reports:issue", args=[document.pk]), {"number": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_number"' in html
    # Numbers as typed in the field (1, 2), and as the document prints them.
    assert "Số 1 (01/BB-KTĐ) đã dùng cho Biên bản họp bình xét" in html
    assert "Số tiếp theo còn trống: 2 (02/BC-KTĐ)" in html
    document.refresh_from_db()
    assert document.state == Document.State.DRAFT and document.number is None
    response = client.post(reverse("reports:issue", args=[document.pk]), {"number": "7"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.number_line == "Số: 07/BC-KTĐ"
    # The series goes on after the highest number used.
    assert issued(year.year, Document.Kind.SUBMISSION).number == 8


def test_numbers_restart_each_year_and_the_series_is_the_blocs(year: DocumentsYear) -> None:
    report = issued(year.year, Document.Kind.REPORT)
    assert report.number == 1  # dated 15/01/2020: the bloc's 2020 series
    # The covenant of 2020, signed on the day of the conference by next year's head unit,
    # is in the same series: the bloc's, whoever signs.
    following = year.world.bloc_year
    BlocYear.objects.filter(pk=following.pk).update(covenant_date=datetime.date(2020, 1, 15))
    following.refresh_from_db()
    covenant = issued(following, Document.Kind.COVENANT)
    assert covenant.number_line == "Số: 02/GƯ-KTĐ"
    # A minutes dated in 2021 starts the 2021 series.
    minutes = written(year.year, Document.Kind.MINUTES)
    Document.objects.filter(pk=minutes.pk).update(date=datetime.date(2021, 1, 5))
    minutes.refresh_from_db()
    assert services.document_issue(document=minutes, by=None).number == 1


def test_issuing_is_refused_while_a_part_is_placeholder_text_naming_the_part(
    year: DocumentsYear, secretariat: User
) -> None:
    document = draft(year.year, Document.Kind.REPORT)
    services.document_update(
        document=document,
        values={"signer_name": "…"},
        narrative={"assessment": "(Phần đánh giá chung của khối.)", "direction": "..."},
        version=document.version,
        by=None,
    )
    client = client_for(secretariat)
    page = client.get(reverse("reports:issue", args=[document.pk])).content.decode()
    assert "Mục II – đánh giá chung của khối" in page
    response = client.post(reverse("reports:issue", args=[document.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chưa ban hành được; chưa có gì thay đổi" in html
    assert "Phần “Họ tên người ký” còn trống hoặc còn chữ mẫu." in html
    assert "Phần “Mục II – đánh giá chung của khối” còn trống hoặc còn chữ mẫu." in html
    assert "Phần “Mục V – phương hướng, nhiệm vụ năm 2020” còn trống hoặc còn chữ mẫu." in html
    document.refresh_from_db()
    assert document.state == Document.State.DRAFT and document.number is None
    assert not document.docx
    assert not AuditEntry.objects.filter(action="document.issue").exists()


@pytest.mark.parametrize(
    ("kind", "part"),
    [
        (Document.Kind.MINUTES, "Giờ bắt đầu họp"),
        (Document.Kind.MINUTES, "Họ tên thư ký (ký cuối biên bản)"),
        (Document.Kind.COVENANT, "Các chỉ tiêu, nội dung giao ước"),
        (Document.Kind.SCORE_TABLE, "Số và ngày của Báo cáo tổng kết"),
    ],
)
def test_each_kind_names_what_it_still_lacks(year: DocumentsYear, kind: str, part: str) -> None:
    document = draft(year.year, kind)
    with pytest.raises(ValidationError) as refused:
        services.document_issue(document=document, by=None)
    assert any(part in message for message in refused.value.messages)


def test_an_undated_draft_is_not_issued(world: World) -> None:
    document = draft(world.bloc_year, Document.Kind.REPORT)
    assert document.date is None  # the year has no conference date yet
    with pytest.raises(ValidationError) as refused:
        services.document_issue(document=document, by=None)
    assert "date" in refused.value.message_dict


@pytest.mark.parametrize("kind", list(Document.Kind))
def test_issued_documents_carry_no_signature_prompt_and_no_draft_mark(
    year: DocumentsYear, kind: str
) -> None:
    if kind == Document.Kind.SCORE_TABLE:
        issued(year.year, Document.Kind.REPORT)
    document = issued(year.year, kind)
    content = builders.build(document)
    assert content.draft is False
    assert all(not signature.note for signature in content.signatures)
    with document.docx.open("rb") as docx, document.pdf.open("rb") as pdf:
        outputs = [docx_text(docx.read()), pdf_text(pdf.read()), document.narrative["issued_html"]]
    for output in outputs:
        for prompt in PROMPTS:
            assert prompt not in output
        assert "DỰ THẢO" not in output


def test_an_issued_document_is_not_issued_twice(year: DocumentsYear, secretariat: User) -> None:
    document = issued(year.year, Document.Kind.REPORT)
    response = client_for(secretariat).post(reverse("reports:issue", args=[document.pk]))
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="document.issue").count() == 1
    with pytest.raises(ValidationError):
        services.document_issue(document=document, by=None)


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
    document = written(year.year, Document.Kind.REPORT)
    client = client_for(secretariat)
    client.post(reverse("reports:issue", args=[document.pk]))
    document.refresh_from_db()
    with document.docx.open("rb") as docx, document.pdf.open("rb") as pdf:
        kept = {"docx": docx.read(), "pdf": pdf.read()}
    assert ("2", "Báo Quảng Nam", "9,70", "Hoàn thành tốt nhiệm vụ") in docx_rows(kept["docx"])

    _raise_the_members_points(year)
    # The data changed: a document built today would say 10,70 …
    fresh = render_docx(builders.build(document))
    assert any(row[1:3] == ("Báo Quảng Nam", "10,70") for row in docx_rows(fresh))
    # … but the issued files, their downloads and the preview stay as issued.
    document.refresh_from_db()
    with document.docx.open("rb") as docx, document.pdf.open("rb") as pdf:
        assert (docx.read(), pdf.read()) == (kept["docx"], kept["pdf"])
    for fmt in ("docx", "pdf"):
        response = client.get(reverse("reports:download", args=[document.pk, fmt]))
        assert response.content == kept[fmt]
    assert "9,70" in pdf_text(kept["pdf"]) and "10,70" not in pdf_text(kept["pdf"])
    preview = client.get(reverse("reports:preview", args=[document.pk])).content.decode()
    assert "9,70" in preview and "10,70" not in preview
    # The pack carries the issued files too.
    pack = services.conference_pack(year.year)
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        assert archive.read(services.filename(document, "docx")) == kept["docx"]
        assert archive.read(services.filename(document, "pdf")) == kept["pdf"]


def test_an_issued_document_cannot_be_updated_by_the_service(year: DocumentsYear) -> None:
    issued(year.year, Document.Kind.REPORT)
    document = issued(year.year, Document.Kind.SCORE_TABLE)
    with pytest.raises(ValidationError):
        services.document_update(
            document=document,
            values={"subject": "x"},
            narrative={},
            version=document.version,
            by=None,
        )


def test_the_check_page_shows_the_snapshot_time_in_the_councils_time_zone(
    year: DocumentsYear, secretariat: User
) -> None:
    """17:43 UTC on 4 December is 00:43 on 5 December in Việt Nam (UTC+7)."""
    moment = datetime.datetime(2026, 12, 4, 17, 43, tzinfo=datetime.UTC)
    type(year.snapshot).objects.filter(pk=year.snapshot.pk).update(created_at=moment)
    document = written(year.year, Document.Kind.REPORT)
    html = (
        client_for(secretariat).get(reverse("reports:issue", args=[document.pk])).content.decode()
    )
    assert "05/12/2026 00:43" in html
    assert "04/12/2026 17:43" not in html
