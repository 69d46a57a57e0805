"""Evidence files on S3: uploaded through the sheet's line page, kept in the bucket, served back
through ``scoring:evidence`` after the access check, removed from the bucket with the row."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blocs.models import User
from scoring.models import Evidence
from tests.conftest import ScoringWorld, client_for
from tests.storage.conftest import S3

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% bien ban hop khoi thi dua\n1 0 obj << >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _upload(
    w: ScoringWorld, user: User, name: str, content: bytes, claimed: str = "text/plain"
) -> Evidence:
    """Through the line page's form, with the type the browser claims (never trusted)."""
    url = reverse("scoring:line", args=[w.draft_sheet.pk, w.leaf.pk])
    upload = SimpleUploadedFile(name, content, content_type=claimed)
    response = client_for(user).post(url, {"file": upload}, follow=True)
    assert "Đã tải lên minh chứng." in response.content.decode()
    return Evidence.objects.filter(line__sheet=w.draft_sheet).latest("pk")


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_an_upload_goes_to_the_bucket_and_is_served_back_through_the_app(
    s3: S3, scoring_world: ScoringWorld, focal_point: User, outsider: User
) -> None:
    w = scoring_world
    # The fixture's own evidence was written through the same storage.
    assert w.evidence.file.name in s3.names()

    evidence = _upload(w, focal_point, "bien-ban-hop.pdf", PDF)
    assert evidence.original_name == "bien-ban-hop.pdf"
    assert evidence.file.name.startswith(f"evidence/{w.bloc_year.pk}/{w.draft_sheet.pk}/")
    assert s3.read(evidence.file.name) == PDF  # in the bucket, byte for byte

    url = reverse("scoring:evidence", args=[evidence.pk])
    response = client_for(focal_point).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(PDF))
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    assert _body(response) == PDF

    download = client_for(focal_point).get(url, {"download": "1"})
    assert download["Content-Disposition"] == 'attachment; filename="bien-ban-hop.pdf"'
    assert _body(download) == PDF

    # The access check still decides: the bucket is never handed out.
    assert client_for(outsider).get(url).status_code == 404


def test_an_image_keeps_its_checked_type(
    s3: S3, scoring_world: ScoringWorld, focal_point: User
) -> None:
    evidence = _upload(scoring_world, focal_point, "anh-chup.png", PNG)
    assert evidence.file.name.endswith(".png")
    assert s3.read(evidence.file.name) == PNG
    response = client_for(focal_point).get(reverse("scoring:evidence", args=[evidence.pk]))
    assert response["Content-Type"] == "image/png"
    assert _body(response) == PNG


def test_uploads_carry_no_acl_and_stay_private(
    s3: S3, scoring_world: ScoringWorld, focal_point: User
) -> None:
    """A bucket with ACLs disabled (AWS's default) refuses a PutObject that names an ACL; the
    settings send none, and the object is private to the bucket's owner. Its Content-Type is
    the type found in the file, not the one the browser claimed."""
    sent: list[dict[str, Any]] = []
    events = default_storage.connection.meta.client.meta.events  # type: ignore[attr-defined]
    events.register(
        "provide-client-params.s3.PutObject", lambda params, **kwargs: sent.append(dict(params))
    )
    evidence = _upload(scoring_world, focal_point, "quyet-dinh.pdf", PDF, claimed="text/html")
    assert [params["Key"] for params in sent] == [evidence.file.name]
    assert "ACL" not in sent[0]
    assert sent[0]["ContentType"] == "application/pdf"
    grants = s3.client.get_object_acl(Bucket=s3.bucket, Key=evidence.file.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert grants[0]["Grantee"]["Type"] == "CanonicalUser"  # the owner, nobody else
    head = s3.client.head_object(Bucket=s3.bucket, Key=evidence.file.name)
    assert head["ContentType"] == "application/pdf"


def test_removing_evidence_removes_its_object_once_committed(
    s3: S3,
    scoring_world: ScoringWorld,
    focal_point: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    evidence = _upload(scoring_world, focal_point, "thua.pdf", PDF)
    key = evidence.file.name
    assert key in s3.names()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(focal_point).post(
            reverse("scoring:evidence-delete", args=[evidence.pk])
        )
    assert response.status_code == 302
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert key not in s3.names()
    assert scoring_world.evidence.file.name in s3.names()  # the others stay


def test_an_object_gone_from_the_bucket_answers_410_not_a_server_error(
    s3: S3, scoring_world: ScoringWorld, focal_point: User, caplog: pytest.LogCaptureFixture
) -> None:
    w = scoring_world
    s3.delete(w.evidence.file.name)  # emptied by hand, a lifecycle rule, a restore without files
    response = client_for(focal_point).get(reverse("scoring:evidence", args=[w.evidence.pk]))
    assert response.status_code == 410
    assert "Tệp không còn trên máy chủ" in response.content.decode()
    assert f"stored file missing: {w.evidence.file.name}" in caplog.text
