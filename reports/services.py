"""Writes to documents: create with the head unit's header, edit, issue (files kept for good)."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.audit import audit_record
from blocs.models import BlocYear, User
from reports import builders
from reports.models import Document
from reports.render import render_docx, render_fragment, render_pdf
from scoring import exports as ranking_exports
from scoring.services.ranking import latest_snapshot
from thidua.lib.exporters import DOCX, PDF, Export
from thidua.lib.files import read_stored
from thidua.lib.text import printable

EDITABLE = [
    "issuer_parent",
    "issuer_name",
    "issuer_code",
    "number",
    "date",
    "place",
    "subject",
    "signer_title",
    "signer_name",
    "recipients",
]
NARRATIVE_KEYS = {
    Document.Kind.REPORT: ["assessment", "direction", "next_head", "next_deputy", "launch"],
    Document.Kind.MINUTES: [
        "time",
        "chair",
        "secretary",
        "secretary_name",
        "conclusions",
        "end_time",
    ],
    Document.Kind.SUBMISSION: [],
    Document.Kind.COVENANT: ["targets"],
    Document.Kind.SCORE_TABLE: [],
}


# The HTML of the document as issued, kept with the narrative so that the preview of an issued
# document shows what was issued, not what the data say today.
ISSUED_HTML = "issued_html"
FORMATS = {"docx": DOCX, "pdf": PDF}
ZIP = "application/zip"


class DocumentConflict(Exception):
    """Someone else saved the document since this person opened it."""


def suggested_number(document: Document) -> int:
    """The next free number in the issuer's series of the document's year."""
    used = (
        Document.objects.filter(
            issuer=document.issuer, date__year=document.date.year, number__isnull=False
        )
        .exclude(pk=document.pk)
        .aggregate(Max("number"))["number__max"]
    )
    return (used or 0) + 1


def number_holder(document: Document) -> Document | None:
    """The other document of the issuer's series of that year that already has this number."""
    if document.number is None:
        return None
    return (
        Document.objects.filter(
            issuer_id=document.issuer_id, date__year=document.date.year, number=document.number
        )
        .exclude(pk=document.pk)
        .select_related("bloc_year__bloc")
        .first()
    )


def _check_number(document: Document) -> None:
    """A number is used once in the issuer's series of a year: say which document has it."""
    holder = number_holder(document)
    if holder is not None:
        raise ValidationError(
            {
                "number": _(
                    "Số %(number)02d đã dùng cho %(kind)s (%(bloc)s) trong năm %(year)s của "
                    "%(issuer)s. Số tiếp theo còn trống: %(free)02d."
                )
                % {
                    "number": document.number,
                    "kind": holder.get_kind_display(),
                    "bloc": holder.bloc_year.bloc.name,
                    "year": document.date.year,
                    "issuer": document.issuer_name,
                    "free": suggested_number(document),
                }
            }
        )


@transaction.atomic
def document_draft(*, bloc_year: BlocYear, kind: str) -> Document:
    """The year's document of this kind if it exists, else a draft with the header of the
    year's head unit, not saved (what the conference pack prints for a kind nobody drafted)."""
    existing = Document.objects.filter(bloc_year=bloc_year, kind=kind).first()
    if existing is not None:
        return existing
    values = builders.defaults(bloc_year, kind)
    if not values:
        raise ValidationError(
            _("Khối chưa có Trưởng khối năm này: chưa biết cơ quan ban hành văn bản.")
        )
    values["date"] = values["date"] or timezone.localdate()
    document = Document(bloc_year=bloc_year, kind=kind, **values)
    if document.type_code:
        document.number = suggested_number(document)
    document.full_clean()
    return document


def document_create(*, bloc_year: BlocYear, kind: str, by: User | None) -> Document:
    """A draft with the header of the year's head unit (idempotent per kind)."""
    document = document_draft(bloc_year=bloc_year, kind=kind)
    if document.pk is not None:
        return document
    document.save()
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=f"document:{document.pk}",
        action="document.create",
        summary=_("Lập dự thảo %(kind)s") % {"kind": document.get_kind_display()},
    )
    return document


@transaction.atomic
def document_update(
    *,
    document: Document,
    values: Mapping[str, Any],
    narrative: Mapping[str, str],
    version: int,
    by: User | None,
) -> Document:
    if document.state == Document.State.ISSUED:
        raise ValidationError(_("Văn bản đã ban hành, không sửa được nữa."))
    updated = Document.objects.filter(
        pk=document.pk, version=version, state=Document.State.DRAFT
    ).update(version=F("version") + 1)
    if not updated:
        raise DocumentConflict(_("Văn bản vừa được người khác lưu; hãy tải lại trang."))
    before = {field: getattr(document, field) for field in EDITABLE}
    for field in EDITABLE:
        if field in values:
            setattr(document, field, values[field])
    keys = NARRATIVE_KEYS[Document.Kind(document.kind)]
    document.narrative = {
        **document.narrative,
        **{key: value for key, value in narrative.items() if key in keys},
    }
    document.version = version + 1
    if not document.type_code:
        document.number = None  # an annex has no number of its own
    _check_number(document)
    document.full_clean()
    document.save()
    changed = {
        field: [str(before[field]), str(getattr(document, field))]
        for field in EDITABLE
        if before[field] != getattr(document, field)
    }
    audit_record(
        actor=by,
        bloc_year=document.bloc_year,
        context=f"document:{document.pk}",
        action="document.update",
        summary=_("Sửa dự thảo %(kind)s") % {"kind": document.get_kind_display()},
        changes=changed,
    )
    return document


def document_files(document: Document) -> tuple[bytes, bytes]:
    """(DOCX, PDF): the files kept at issue, or freshly generated for a draft."""
    if document.state == Document.State.ISSUED and document.docx and document.pdf:
        return read_stored(document.docx), read_stored(document.pdf)
    content = builders.build(document)
    return render_docx(content), render_pdf(content)


def filename(document: Document, extension: str) -> str:
    bloc = printable(document.bloc_year.bloc.code)
    number = f"{document.number:02d}-" if document.number is not None else ""
    kind = {
        Document.Kind.REPORT: "bao-cao-tong-ket",
        Document.Kind.MINUTES: "bien-ban-binh-xet",
        Document.Kind.SUBMISSION: "to-trinh-khen-thuong",
        Document.Kind.COVENANT: "giao-uoc-thi-dua",
        Document.Kind.SCORE_TABLE: "phu-luc-bang-diem",
    }[Document.Kind(document.kind)]
    return f"{number}{kind}-{bloc}-{document.bloc_year.year}.{extension}"


def _issued_file(document: Document, fmt: str) -> bytes | None:
    field = document.docx if fmt == "docx" else document.pdf
    if document.state != Document.State.ISSUED or not field:
        return None
    return read_stored(field)


def document_export(document: Document, fmt: str) -> Export:
    """One file of the document: the file kept at issue, or generated now for a draft."""
    content_type = FORMATS[fmt]
    data = _issued_file(document, fmt)
    if data is None:
        content = builders.build(document)
        data = render_docx(content) if fmt == "docx" else render_pdf(content)
    return Export(filename(document, fmt), content_type, data)


@transaction.atomic
def document_issue(*, document: Document, by: User | None) -> Document:
    """Generate the files once and keep them: an issued document never changes again.

    The HTML of the preview is kept too (in the narrative, under ``ISSUED_HTML``): the three
    renderings of an issued document come from the same content, built at the moment of issue.
    """
    if document.type_code and document.number is None:
        raise ValidationError({"number": _("Ghi số văn bản trước khi ban hành.")})
    _check_number(document)
    content = builders.build(document)
    docx, pdf, html = render_docx(content), render_pdf(content), render_fragment(content)
    updated = Document.objects.filter(pk=document.pk, state=Document.State.DRAFT).update(
        state=Document.State.ISSUED, issued_at=timezone.now(), issued_by=by
    )
    if not updated:
        raise ValidationError(_("Văn bản đã được ban hành."))
    document.refresh_from_db()
    document.docx.save(filename(document, "docx"), ContentFile(docx), save=False)
    document.pdf.save(filename(document, "pdf"), ContentFile(pdf), save=False)
    document.narrative = {**document.narrative, ISSUED_HTML: html}
    document.save(update_fields=["docx", "pdf", "narrative"])
    audit_record(
        actor=by,
        bloc_year=document.bloc_year,
        context=f"document:{document.pk}",
        action="document.issue",
        summary=_("Ban hành %(kind)s %(number)s")
        % {"kind": document.get_kind_display(), "number": document.number_line},
    )
    return document


def issued_html(document: Document) -> str | None:
    """The preview's HTML as issued (None for a draft, or a document issued before it was kept)."""
    if document.state != Document.State.ISSUED:
        return None
    html = document.narrative.get(ISSUED_HTML)
    return html if isinstance(html, str) else None


def ranking_workbook(bloc_year: BlocYear) -> bytes | None:
    """The ranking XLSX of the latest snapshot (None before the results are finalized), the
    same workbook as the ranking page's download."""
    snapshot = latest_snapshot(bloc_year)
    if snapshot is None:
        return None
    source = ranking_exports.RankingSource(
        bloc_code=bloc_year.bloc.code,
        bloc_name=bloc_year.bloc.name,
        year=bloc_year.year,
        finalized=True,
        snapshot=snapshot.number,
        data=snapshot.data,
    )
    return ranking_exports.ranking_xlsx(source).content


PACK_KINDS = [
    Document.Kind.REPORT,
    Document.Kind.MINUTES,
    Document.Kind.SUBMISSION,
    Document.Kind.SCORE_TABLE,
]


def conference_pack(bloc_year: BlocYear, *, ranking_xlsx: bytes | None) -> bytes:
    """One ZIP: report, minutes, submission and score table (DOCX and PDF each) and the ranking
    workbook, from what exists: issued documents as issued, drafts as they stand, and for a kind
    nobody drafted yet what its new draft would say (nothing is written: it is a download)."""
    data = builders.year_data(bloc_year)
    buffer = io.BytesIO()
    numbered: set[tuple[object, int, int]] = set()  # what the unsaved drafts were given
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind in PACK_KINDS:
            document = document_draft(bloc_year=bloc_year, kind=kind)
            if document.pk is None and document.number is not None:
                # Each new draft of the pack takes the next number of the issuer's series.
                series = (document.issuer_id, document.date.year)
                while (*series, document.number) in numbered:
                    document.number += 1
                numbered.add((*series, document.number))
            docx, pdf = _issued_file(document, "docx"), _issued_file(document, "pdf")
            if docx is None or pdf is None:
                content = builders.build(document, data)
                docx, pdf = render_docx(content), render_pdf(content)
            archive.writestr(filename(document, "docx"), docx)
            archive.writestr(filename(document, "pdf"), pdf)
        if ranking_xlsx is not None:
            archive.writestr(f"xep-hang-{bloc_year.bloc.code}-{bloc_year.year}.xlsx", ranking_xlsx)
    return buffer.getvalue()


def pack_filename(bloc_year: BlocYear) -> str:
    return f"ho-so-hoi-nghi-{bloc_year.bloc.code}-{bloc_year.year}.zip"


def today() -> datetime.date:
    return timezone.localdate()
