"""Complaints during the provisional publication: a member complains about another's points;
an accepted complaint with corrections writes a correction snapshot."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.audit import audit_record
from blocs.models import BlocYear, Membership, Unit, User
from notifications import events as notification_events
from scoring.models import (
    Complaint,
    ComplaintFile,
    Criterion,
    Publication,
    RankingSnapshot,
    ScoreSheet,
    ScoringSeason,
)
from scoring.services.evidence import proof_name, proof_types
from scoring.services.ranking.snapshots import ranking_correct
from scoring.services.ranking.state import ranking_context
from scoring.services.sheets import LineEntry, StateError


@transaction.atomic
def complaint_lodge(
    *,
    bloc_year: BlocYear,
    unit: Unit,
    about_unit: Unit,
    criteria: Sequence[Criterion],
    text: str,
    by: User | None,
    today: datetime.date | None = None,
    files: Sequence[UploadedFile] = (),
) -> Complaint:
    """Lodge a complaint, with files (the minutes "kèm theo"): checked as evidence is, every
    one before anything is written."""
    today = today or timezone.localdate()
    publication = Publication.objects.filter(bloc_year=bloc_year).first()
    if bloc_year.state != BlocYear.State.PROVISIONAL or publication is None:
        raise StateError(_("Chỉ khiếu nại được khi kết quả đang công bố tạm thời."))
    if publication.complaint_deadline and today > publication.complaint_deadline:
        raise StateError(_("Đã hết thời hạn khiếu nại."))
    members = set(Membership.objects.filter(bloc_year=bloc_year).values_list("unit_id", flat=True))
    if unit.pk not in members or about_unit.pk not in members:
        raise ValidationError({"about_unit": _("Chỉ khiếu nại về điểm của các thành viên khối.")})
    if not criteria and ScoringSeason.objects.filter(bloc_year=bloc_year).exists():
        # A year ranked without points has no criteria: the complaint is about its votes.
        raise ValidationError({"criteria": _("Chọn ít nhất một tiêu chí.")})
    if not text.strip():
        raise ValidationError({"text": _("Ghi nội dung khiếu nại.")})
    types = files_check(files)
    complaint = Complaint.objects.create(
        bloc_year=bloc_year, unit=unit, about_unit=about_unit, text=text.strip(), created_by=by
    )
    complaint.criteria.set(criteria)
    files_keep(complaint, ComplaintFile.Part.COMPLAINT, files, types, by=by)
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=ranking_context(bloc_year),
        action="complaint.lodge",
        summary=_("%(unit)s khiếu nại về điểm của %(about)s: %(codes)s")
        % {"unit": unit, "about": about_unit, "codes": ", ".join(c.code for c in criteria)},
        reason=text,
    )
    notification_events.complaint_lodged(complaint, by=by)
    return complaint


@transaction.atomic
def complaint_answer(
    *,
    complaint: Complaint,
    accepted: bool,
    answer: str,
    by: User | None,
    corrections: Mapping[int, LineEntry] | None = None,
    files: Sequence[UploadedFile] = (),
) -> Complaint:
    """Answer a complaint. Accepted with corrections (criterion id → entry on the sheet of the
    unit complained about) writes a correction snapshot; rejected keeps the ranking. Files go
    with the answer, checked as evidence is."""
    if not answer.strip():
        raise ValidationError({"answer": _("Ghi nội dung trả lời.")})
    types = files_check(files)
    updated = Complaint.objects.filter(pk=complaint.pk, status=Complaint.Status.OPEN).update(
        status=Complaint.Status.ACCEPTED if accepted else Complaint.Status.REJECTED,
        answer=answer.strip(),
        answered_by=by,
        answered_at=timezone.now(),
    )
    if not updated:
        raise StateError(_("Khiếu nại này đã được trả lời."))
    complaint.refresh_from_db()
    bloc_year = complaint.bloc_year
    if accepted and corrections:
        sheet = ScoreSheet.objects.get(bloc_year=bloc_year, unit=complaint.about_unit)
        snapshot = ranking_correct(
            bloc_year=bloc_year,
            corrections={sheet.pk: corrections},
            reason=_("Chấp nhận khiếu nại của %(unit)s: %(answer)s")
            % {"unit": complaint.unit, "answer": answer},
            by=by,
            kind=RankingSnapshot.Kind.COMPLAINT,
        )
        complaint.snapshot = snapshot
        complaint.save(update_fields=["snapshot"])
    # The files last: a correction refused above stores none.
    files_keep(complaint, ComplaintFile.Part.ANSWER, files, types, by=by)
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=ranking_context(bloc_year),
        action="complaint.answer",
        summary=(
            _("Chấp nhận khiếu nại của %(unit)s")
            if accepted
            else _("Không chấp nhận khiếu nại của %(unit)s")
        )
        % {"unit": complaint.unit},
        reason=answer,
    )
    notification_events.complaint_answered(complaint, by=by)
    return complaint


def files_check(files: Sequence[UploadedFile]) -> list[str]:
    """The checked type of each file of a complaint or its answer: the evidence's checks
    (``proof_types``) and, as a line's evidence, at most ``EVIDENCE_MAX_FILES_PER_LINE`` files;
    ``ValidationError`` on the form's ``attachments`` field otherwise."""
    max_files: int = settings.EVIDENCE_MAX_FILES_PER_LINE
    if len(files) > max_files:
        raise ValidationError(
            {"attachments": _("Gửi tối đa %(count)s tệp.") % {"count": max_files}}
        )
    try:
        return proof_types(files)
    except ValidationError as error:
        raise ValidationError({"attachments": error.messages}) from None


def files_keep(
    complaint: Complaint,
    part: str,
    files: Sequence[UploadedFile],
    types: Sequence[str],
    *,
    by: User | None,
) -> None:
    """Store the checked files of a complaint (or its answer), each in the audit trail as
    evidence is."""
    for upload, content_type in zip(files, types, strict=True):
        name = proof_name(upload, "tep-kem-theo")
        item = ComplaintFile(
            complaint=complaint,
            part=part,
            original_name=name,
            content_type=content_type,
            size=upload.size or 0,
            uploaded_by=by,
        )
        item.file.save(name, upload, save=False)
        item.save()
        audit_record(
            actor=by,
            bloc_year=complaint.bloc_year,
            context=ranking_context(complaint.bloc_year),
            action="complaint.file",
            summary=_("Thêm tệp “%(name)s” kèm khiếu nại của %(unit)s")
            % {"name": name, "unit": complaint.unit},
        )
