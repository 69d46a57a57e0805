"""Writes to documents: create a draft with the bloc's header dated on its event, edit it,
issue it (the number of the bloc's series taken at that moment, the files kept for good), and
the conference pack (built from what exists, writing nothing)."""

from __future__ import annotations

import contextlib
import datetime
import io
import zipfile
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from blocs.audit import audit_record
from blocs.models import Bloc, BlocYear, User
from common.exporters import DOCX, PDF, Export
from common.files import read_stored
from common.text import printable
from reports import builders
from reports.builders.blocks import filled
from reports.content import Content
from reports.models import Document
from reports.render import render_docx, render_fragment, render_pdf
from scoring import exports as ranking_exports
from scoring.services.ranking import latest_snapshot

EDITABLE = [
    "issuer_parent",
    "issuer_name",
    "issuer_code",
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
    Document.Kind.REGISTRATION: [],
}
# The header fields an issued document cannot go without (the number is given at issue).
REQUIRED_HEADER = {
    "date": "Ngày ban hành",
    "place": "Địa danh",
    "issuer_name": "Tên cơ quan ban hành",
    "subject": "Trích yếu",
    "signer_title": "Chức vụ người ký",
    "signer_name": "Họ tên người ký",
}
# Header fields a kind does not print: every member signs the covenant; the minutes are signed
# by the secretary and the chair (the signer's name), without a title.
UNSIGNED_HEADER = {
    Document.Kind.COVENANT: {"signer_title", "signer_name"},
    Document.Kind.MINUTES: {"signer_title"},
}


# The HTML of the document as issued, kept with the narrative so that the preview of an issued
# document shows what was issued, not what the data say today.
ISSUED_HTML = "issued_html"
FORMATS = {"docx": DOCX, "pdf": PDF}
ZIP = "application/zip"


class DocumentConflict(Exception):
    """Someone else saved the document since this person opened it."""


def _series(document: Document) -> QuerySet[Document]:
    """The numbered documents of the document's series: the bloc's, under its issuer code, in
    the year of the document's date."""
    assert document.date is not None
    return Document.objects.filter(
        bloc_id=document.bloc_id,
        issuer_code=document.issuer_code,
        date__year=document.date.year,
        number__isnull=False,
    ).exclude(pk=document.pk)


def next_number(document: Document) -> int:
    """The next free number of the document's series (after the highest one used)."""
    used = _series(document).aggregate(Max("number"))["number__max"]
    return (used or 0) + 1


def number_holder(document: Document, number: int) -> Document | None:
    """The other document of the series of that year that already has ``number``."""
    return _series(document).filter(number=number).select_related("bloc_year__bloc").first()


def _number_taken(document: Document, number: int, holder: Document) -> ValidationError:
    """The number is taken: say by which document, and the next free one, as typed in the field
    (``2``) and as printed (``02/BC-KTĐ``)."""
    assert document.date is not None
    free = next_number(document)
    suffix = f"{document.type_code}-{document.issuer_code}"
    return ValidationError(
        {
            "number": _(
                "Số %(number)s (%(number_printed)s) đã dùng cho %(kind)s (%(bloc)s %(bloc_year)s) "
                "trong năm %(year)s. Số tiếp theo còn trống: %(free)s (%(free_printed)s)."
            )
            % {
                "number": number,
                "number_printed": f"{number:02d}/{holder.type_code}-{holder.issuer_code}",
                "kind": holder.get_kind_display(),
                "bloc": holder.bloc_year.bloc.name,
                "bloc_year": holder.bloc_year.year,
                "year": document.date.year,
                "free": free,
                "free_printed": f"{free:02d}/{suffix}",
            }
        }
    )


def _check_dates(document: Document) -> None:
    """The submission follows the conference: it is not dated before it."""
    conference = document.bloc_year.conference_date
    if (
        document.kind == Document.Kind.SUBMISSION
        and document.date is not None
        and conference is not None
        and document.date < conference
    ):
        raise ValidationError(
            {
                "date": _(
                    "Tờ trình lập sau hội nghị tổng kết (ngày %(day)s): ngày của tờ trình "
                    "không được trước ngày đó."
                )
                % {"day": conference.strftime("%d/%m/%Y")}
            }
        )


@transaction.atomic
def document_draft(*, bloc_year: BlocYear, kind: str) -> Document:
    """The year's document of this kind if it exists, else a draft with the bloc's header,
    dated on its event, not saved (what the conference pack prints for a kind nobody drafted).
    A draft has no number: it is given one when it is issued."""
    existing = Document.objects.filter(bloc_year=bloc_year, kind=kind).first()
    if existing is not None:
        return existing
    values = builders.defaults(bloc_year, kind)
    if not values:
        raise ValidationError(
            _("Khối chưa có Trưởng khối năm này: chưa biết ai ký văn bản thay mặt khối.")
        )
    document = Document(bloc_year=bloc_year, kind=kind, **values)
    document.full_clean()
    return document


def document_create(*, bloc_year: BlocYear, kind: str, by: User | None) -> Document:
    """A draft with the bloc's header (idempotent per kind)."""
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
    _check_dates(document)
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


def missing_parts(document: Document, content: Content) -> list[str]:
    """The parts a document cannot be issued without that are empty or still placeholder
    text: its header fields, then what its builder could not fill (``Content.missing``)."""
    unused = UNSIGNED_HEADER.get(Document.Kind(document.kind), set())
    parts = [
        label
        for field, label in REQUIRED_HEADER.items()
        if field not in unused and not _given(getattr(document, field))
    ]
    if document.type_code and not _given(document.issuer_code):
        parts.append("Chữ viết tắt trong số, ký hiệu")
    return [*parts, *content.missing]


def _given(value: object) -> bool:
    """A header field with a real value: not blank, not "…" nor "Nguyễn Văn …"."""
    if value is None:
        return False
    return not isinstance(value, str) or bool(filled(value, one_line=True))


def _part_messages(parts: list[str]) -> list[str]:
    return [_("Phần “%(part)s” còn trống hoặc còn chữ mẫu.") % {"part": part} for part in parts]


def issue_problems(document: Document, content: Content | None = None) -> list[str]:
    """Why ``document`` cannot be issued as it stands, one message per part (none: it can)."""
    return _part_messages(missing_parts(document, content or builders.build(document)))


def filename(document: Document, extension: str) -> str:
    """``05-bao-cao-tong-ket-TM3-2020.pdf``; a draft's name says it is one."""
    bloc = printable(document.bloc_year.bloc.code)
    if document.is_draft:
        prefix = "du-thao-"
    else:
        prefix = f"{document.number:02d}-" if document.number is not None else ""
    kind = {
        Document.Kind.REPORT: "bao-cao-tong-ket",
        Document.Kind.MINUTES: "bien-ban-binh-xet",
        Document.Kind.SUBMISSION: "to-trinh-khen-thuong",
        Document.Kind.COVENANT: "giao-uoc-thi-dua",
        Document.Kind.SCORE_TABLE: "phu-luc-bang-diem",
        Document.Kind.REGISTRATION: "tong-hop-dang-ky-thi-dua",
    }[Document.Kind(document.kind)]
    return f"{prefix}{kind}-{bloc}-{document.bloc_year.year}.{extension}"


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
        # An issued document whose files were not kept yet: rendered as issued, kept by
        # ``manage.py render_issued_files`` (a download writes nothing).
        content = (
            builders.build(document) if document.is_draft else builders.build_as_issued(document)
        )
        data = render_docx(content) if fmt == "docx" else render_pdf(content)
    return Export(filename(document, fmt), content_type, data)


def _lock_series(document: Document) -> None:
    """The series' lock (the bloc's row, to the end of the transaction): two documents of a
    bloc issued at the same moment queue, and the second takes the next number."""
    Bloc.objects.select_for_update().filter(pk=document.bloc_id).values_list("pk").first()


@transaction.atomic
def document_issue(*, document: Document, by: User | None, number: int | None = None) -> Document:
    """Give the document its number and generate its files once: an issued document never
    changes again.

    The number is the next free one of the series at this moment (or ``number``, when the
    office's register of outgoing documents gave another one, if it is free). Refused while a
    part of the document is empty or still placeholder text, naming each part. The HTML of the
    preview is kept too (in the narrative, under ``ISSUED_HTML``): the three renderings of an
    issued document come from the same content, built at the moment of issue, without the
    draft's mark and signature prompts.
    """
    _lock_series(document)
    current = Document.objects.select_related("bloc_year__bloc__council", "issuer").get(
        pk=document.pk
    )
    if current.state == Document.State.ISSUED:
        raise ValidationError(_("Văn bản đã được ban hành."))
    if current.date is None:
        raise ValidationError(
            {"date": _("Ghi ngày của văn bản (ngày hội nghị, ngày ký) trước khi ban hành.")}
        )
    if current.type_code:
        if number is None:
            number = next_number(current)
        holder = number_holder(current, number)
        if holder is not None:
            raise _number_taken(current, number, holder)
        current.number = number
    current.state = Document.State.ISSUED
    content = builders.build(current)
    problems = issue_problems(current, content)
    if problems:
        raise ValidationError(problems)
    docx, pdf, html = render_docx(content), render_pdf(content), render_fragment(content)
    issued_at = timezone.now()
    try:
        with transaction.atomic():
            updated = Document.objects.filter(pk=current.pk, state=Document.State.DRAFT).update(
                state=Document.State.ISSUED,
                number=current.number,
                issued_at=issued_at,
                issued_by=by,
            )
    except IntegrityError as error:
        # Only where the series' lock is not a lock (SQLite): the number went meanwhile.
        raise ValidationError(
            {"number": _("Số này vừa được dùng cho văn bản khác; hãy ban hành lại.")}
        ) from error
    if not updated:
        raise ValidationError(_("Văn bản đã được ban hành."))
    current.issued_at, current.issued_by = issued_at, by
    current.docx.save(filename(current, "docx"), ContentFile(docx), save=False)
    current.pdf.save(filename(current, "pdf"), ContentFile(pdf), save=False)
    current.narrative = {**current.narrative, ISSUED_HTML: html}
    current.save(update_fields=["docx", "pdf", "narrative"])
    audit_record(
        actor=by,
        bloc_year=current.bloc_year,
        context=f"document:{current.pk}",
        action="document.issue",
        summary=_("Ban hành %(kind)s %(number)s")
        % {"kind": current.get_kind_display(), "number": current.number_line},
    )
    return current


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


def next_covenant_year(bloc_year: BlocYear) -> BlocYear | None:
    """Year N + 1 of the bloc when its covenant is signed at N's conference (its covenant date
    is the conference's, or not set yet): the conference pack carries that covenant."""
    following = (
        BlocYear.objects.filter(bloc_id=bloc_year.bloc_id, year=bloc_year.year + 1)
        .select_related("bloc__council")
        .first()
    )
    if following is None:
        return None
    signed = following.covenant_date
    if signed is not None and signed != bloc_year.conference_date:
        return None
    return following


def conference_pack(
    bloc_year: BlocYear,
    *,
    ranking_xlsx: bytes | None = None,
    with_workbook: bool = False,
    may_see: Callable[[Document], bool] | None = None,
) -> bytes:
    """One ZIP of every document of the conference that closes ``bloc_year``: report, minutes,
    submission and score table, the covenant of year N + 1 signed there (DOCX and PDF each),
    and the ranking workbook. From what exists: issued documents as issued, drafts as they
    stand, and for a kind nobody drafted yet what its new draft would say (nothing is written:
    it is a download).

    Always in Vietnamese, whatever the language of the person asking: the documents and the
    workbook are built under ``translation.override("vi")``. ``with_workbook`` builds the
    workbook here (in Vietnamese); ``ranking_xlsx`` gives one already built. ``may_see`` says
    whether the person asking may see the next year's covenant (a draft of another bloc-year).
    """
    with translation.override("vi"):
        if with_workbook:
            ranking_xlsx = ranking_workbook(bloc_year)
        documents = [document_draft(bloc_year=bloc_year, kind=kind) for kind in PACK_KINDS]
        following = next_covenant_year(bloc_year)
        if following is not None:
            # Without a head, year N + 1 has nobody to sign for the bloc yet: no covenant.
            with contextlib.suppress(ValidationError):
                covenant = document_draft(bloc_year=following, kind=Document.Kind.COVENANT)
                if may_see is None or may_see(covenant):
                    documents.append(covenant)
        loaded: dict[tuple[int, datetime.date], builders.YearData] = {}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for document in documents:
                docx, pdf = _issued_file(document, "docx"), _issued_file(document, "pdf")
                if docx is None or pdf is None:
                    content = _pack_content(document, loaded)
                    docx = docx or render_docx(content)
                    pdf = pdf or render_pdf(content)
                archive.writestr(filename(document, "docx"), docx)
                archive.writestr(filename(document, "pdf"), pdf)
            if ranking_xlsx is not None:
                archive.writestr(
                    f"xep-hang-{bloc_year.bloc.code}-{bloc_year.year}.xlsx", ranking_xlsx
                )
        return buffer.getvalue()


def _pack_content(
    document: Document, loaded: dict[tuple[int, datetime.date], builders.YearData]
) -> Content:
    """A pack's document without kept files: a draft from the year's data (loaded once per
    bloc-year and day), an issued document as it was issued."""
    if not document.is_draft:
        return builders.build_as_issued(document)
    day = builders.document_day(document)
    key = (document.bloc_year.pk, day)
    if key not in loaded:
        loaded[key] = builders.year_data(document.bloc_year, day)
    return builders.build(document, loaded[key])


def pack_filename(bloc_year: BlocYear) -> str:
    return f"ho-so-hoi-nghi-{bloc_year.bloc.code}-{bloc_year.year}.zip"
