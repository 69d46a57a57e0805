"""Evidence files: checked by content (not name), size and count; kept through the storage API."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from blocs.audit import audit_record
from blocs.models import User
from common.uploads import JPEG, PDF, PNG, check_upload
from scoring import locks
from scoring.models import Evidence, ExplanationRequest, ScoreLine, ScoreSheet


def proof_types(uploads: Sequence[UploadedFile]) -> list[str]:
    """The checked content type of each file sent as proof (evidence, an explanation's files, a
    complaint's and its answer's), or ``ValidationError`` naming what is wrong: what the file
    is by its first bytes (never its name, never a polyglot: common.uploads) and its size."""
    max_bytes: int = settings.EVIDENCE_MAX_BYTES
    return [
        check_upload(upload, allowed={PDF, PNG, JPEG}, max_bytes=max_bytes) for upload in uploads
    ]


def evidence_check(*, line: ScoreLine, uploads: Sequence[UploadedFile]) -> list[str]:
    """``proof_types`` of the files, and the line's number of files with these added."""
    max_files: int = settings.EVIDENCE_MAX_FILES_PER_LINE
    types = proof_types(uploads)
    if Evidence.objects.filter(line=line).count() + len(uploads) > max_files:
        raise ValidationError(
            {"file": _("Mỗi tiêu chí có tối đa %(count)s tệp minh chứng.") % {"count": max_files}}
        )
    return types


def proof_name(upload: UploadedFile, default: str) -> str:
    """The name a file is shown with: the last part of what the browser sent, cut to 200."""
    return (upload.name or default).rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]


@transaction.atomic
def evidence_add(
    *,
    line: ScoreLine,
    upload: UploadedFile,
    by: User | None,
    explanation: ExplanationRequest | None = None,
) -> Evidence:
    # The sheet's row before the line's (scoring/locks.py); holding it also keeps two uploads
    # at once from both passing the count check. Files go with a sheet being filled in or
    # explained, never onto one being verified.
    sheet = line.sheet
    locks.lock_sheet_and_bump(sheet.pk)
    if not ScoreSheet.objects.filter(
        pk=sheet.pk, state__in=[ScoreSheet.State.DRAFT, ScoreSheet.State.RETURNED]
    ).exists():
        raise ValidationError(
            {"file": _("Chỉ thêm minh chứng khi bảng điểm đang nhập hoặc đang giải trình.")}
        )
    (content_type,) = evidence_check(line=line, uploads=[upload])
    name = proof_name(upload, "minh-chung")
    evidence = Evidence(
        line=line,
        explanation=explanation,
        original_name=name,
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=by,
    )
    evidence.file.save(name, upload, save=False)
    evidence.save()
    audit_record(
        actor=by,
        bloc_year=sheet.bloc_year,
        context=sheet.audit_context,
        action="evidence.add",
        subject=line.criterion.code,
        summary=_("Thêm minh chứng “%(name)s” cho tiêu chí %(code)s")
        % {"name": name, "code": line.criterion.code},
    )
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by: User | None) -> None:
    line = evidence.line
    sheet = line.sheet
    name = evidence.original_name
    storage, path = evidence.file.storage, evidence.file.name
    evidence.delete()
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(path) if path else None)
    audit_record(
        actor=by,
        bloc_year=sheet.bloc_year,
        context=sheet.audit_context,
        action="evidence.remove",
        subject=line.criterion.code,
        summary=_("Xóa minh chứng “%(name)s” của tiêu chí %(code)s")
        % {"name": name, "code": line.criterion.code},
    )
