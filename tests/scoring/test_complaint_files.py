"""Files with a complaint and its answer (issue 20, item 8): checked as evidence is, kept,
served only to those who see the complaints, audited; a refused form keeps what was typed and
says to choose the files again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from blocs.models import AuditEntry, User
from scoring.models import Complaint, ComplaintFile
from tests.conftest import RankingWorld, client_for
from tests.scoring.test_publication import leaf, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _pdf(name: str = "bien-ban.pdf", body: bytes = b"%PDF-1.4 bien ban hop") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, "application/pdf")


def test_a_member_lodges_a_complaint_with_the_minutes_attached(
    ranking_world: RankingWorld, focal_point: User, secretariat: User
) -> None:
    bloc_year = ranking_world.provisional_year
    i2 = leaf(bloc_year, "I.2")
    response = client_for(focal_point).post(
        url("complaints", bloc_year),
        {
            "about_unit": ranking_world.head.pk,
            "criteria": [i2.pk],
            "text": "Xem biên bản kèm theo.",
            "attachments": [_pdf(), _pdf("anh.png", b"\x89PNG\r\n\x1a\n....")],
        },
    )
    assert response.status_code == 302
    complaint = Complaint.objects.exclude(pk=ranking_world.complaint.pk).get()
    files = list(complaint.files.order_by("pk"))
    assert [(f.original_name, f.content_type, f.part) for f in files] == [
        ("bien-ban.pdf", "application/pdf", "complaint"),
        ("anh.png", "image/png", "complaint"),
    ]
    assert files[0].uploaded_by == focal_point
    assert not files[0].file.name.endswith("bien-ban.pdf")  # never the typed name
    assert AuditEntry.objects.filter(action="complaint.file", bloc_year=bloc_year).count() == 2
    # The secretariat reads them on the complaint's page and downloads them.
    page = client_for(secretariat).get(url("complaint", bloc_year, complaint.pk))
    assert files[0].get_absolute_url() in page.content.decode()
    download = client_for(secretariat).get(files[0].get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 bien ban hop"  # type: ignore[attr-defined]
    assert download["Content-Type"] == "application/pdf"
    assert "sandbox" in download["Content-Security-Policy"]
    # The list shows them too.
    listing = client_for(focal_point).get(url("complaints", bloc_year)).content.decode()
    assert files[1].get_absolute_url() in listing


def test_a_file_the_evidence_checks_refuse_is_shown_at_the_field_and_nothing_typed_is_lost(
    ranking_world: RankingWorld, focal_point: User
) -> None:
    bloc_year = ranking_world.provisional_year
    i2 = leaf(bloc_year, "I.2")
    response = client_for(focal_point).post(
        url("complaints", bloc_year),
        {
            "about_unit": ranking_world.head.pk,
            "criteria": [i2.pk],
            "text": "Nội dung dài đã gõ.",
            "attachments": [SimpleUploadedFile("bien-ban.pdf", b"<html><script>x</script>")],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert 'href="#id_attachments"' in page and "Chỉ nhận tệp" in page
    assert "Nội dung dài đã gõ.</textarea>" in page
    assert f'value="{i2.pk}" id="criterion-{i2.pk}" checked' in page
    assert Complaint.objects.count() == 1
    assert not ComplaintFile.objects.exists()


def test_a_refused_form_asks_to_choose_a_good_file_again(
    ranking_world: RankingWorld, focal_point: User, settings: Any
) -> None:
    bloc_year = ranking_world.provisional_year
    response = client_for(focal_point).post(
        url("complaints", bloc_year),
        {"about_unit": ranking_world.head.pk, "text": "Thiếu tiêu chí.", "attachments": [_pdf()]},
    )
    page = response.content.decode()
    assert "Chọn ít nhất một tiêu chí." in page
    assert "hãy chọn lại tệp" in page
    assert not ComplaintFile.objects.exists()
    # Too big: the evidence's size limit.
    settings.EVIDENCE_MAX_BYTES = 10
    response = client_for(focal_point).post(
        url("complaints", bloc_year),
        {
            "about_unit": ranking_world.head.pk,
            "criteria": [leaf(bloc_year, "I.2").pk],
            "text": "Quá lớn.",
            "attachments": [_pdf()],
        },
    )
    assert "Tệp quá lớn" in response.content.decode()
    assert Complaint.objects.count() == 1


def test_the_answer_carries_files_and_outsiders_cannot_download(
    ranking_world: RankingWorld, secretariat: User, outsider: User, focal_point: User
) -> None:
    bloc_year = ranking_world.provisional_year
    complaint_url = url("complaint", bloc_year, ranking_world.complaint.pk)
    response = client_for(secretariat).post(
        complaint_url,
        {"decision": "reject", "answer": "Xem biên bản họp khối.", "attachments": [_pdf()]},
    )
    assert response.status_code == 302
    item = ComplaintFile.objects.get()
    assert (item.complaint_id, item.part) == (ranking_world.complaint.pk, "answer")
    assert item.get_absolute_url() in client_for(focal_point).get(complaint_url).content.decode()
    assert client_for(focal_point).get(item.get_absolute_url()).status_code == 200
    assert client_for(outsider).get(item.get_absolute_url()).status_code == 404
    anonymous = client_for(None).get(item.get_absolute_url())
    assert anonymous.status_code == 302  # to the login page


def test_a_refused_answer_keeps_what_was_typed_and_stores_no_file(
    ranking_world: RankingWorld, secretariat: User
) -> None:
    bloc_year = ranking_world.provisional_year
    i1 = leaf(bloc_year, "I.1")
    response = client_for(secretariat).post(
        url("complaint", bloc_year, ranking_world.complaint.pk),
        {
            "decision": "accept",
            "answer": "Sửa theo biên bản.",
            f"value_{i1.pk}": "9",  # above the maximum of 6
            "attachments": [_pdf()],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Điểm không được vượt điểm tối đa 6." in page
    assert "Sửa theo biên bản.</textarea>" in page
    assert 'href="#id_attachments"' in page and "hãy chọn lại tệp" in page
    assert not ComplaintFile.objects.exists()
    assert Complaint.objects.get().status == Complaint.Status.OPEN
