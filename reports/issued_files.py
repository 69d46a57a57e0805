"""The kept files of issued documents, rendered again where they are missing
(``manage.py render_issued_files``; docs/documents.md, "Files of issued documents").

Issuing keeps a document's DOCX and PDF for good, and every download, preview and conference
pack returns those bytes. A document issued before its files were kept, or whose files were lost
(a restore without the media, a store emptied by hand), has none: this renders the missing ones
once, from the document **as issued** (``builders.build_as_issued``: its record, which nothing
changes once issued, and the ranking snapshot it was issued with), and keeps them. A file that
is there is never rendered again, so a second run does nothing.

When the preview's HTML was kept at issue, the content built again must give exactly that HTML;
if the year's data changed since (a correction's proposals, a member's leader), the document is
left alone and reported, for a person to look at: the files kept are what was issued, or none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from blocs.audit import audit_record
from reports import builders, services
from reports.models import Document
from reports.render import render_docx, render_fragment, render_pdf

FORMATS = ("docx", "pdf")


class Outcome(StrEnum):
    COMPLETE = "complete"  # every file is kept: nothing to do
    RENDERED = "rendered"  # the missing files rendered and kept (or would be, in a dry run)
    DIFFERS = "differs"  # built again, the content is not what was issued: left alone


@dataclass
class Result:
    document: Document
    outcome: Outcome
    formats: list[str] = field(default_factory=list)  # the files missing


def missing_formats(document: Document) -> list[str]:
    """The files of an issued document that are not kept: never saved, or gone from storage."""
    missing = []
    for fmt in FORMATS:
        kept = getattr(document, fmt)
        if not kept or not kept.storage.exists(kept.name):
            missing.append(fmt)
    return missing


def issued_documents() -> QuerySet[Document]:
    return (
        Document.objects.filter(state=Document.State.ISSUED)
        .select_related("bloc_year__bloc__council", "issuer")
        .order_by("pk")
    )


def render_missing_files(document: Document, *, dry_run: bool = False) -> Result:
    """Render and keep the missing files of one issued document, from its issued content."""
    missing = missing_formats(document)
    if not missing:
        return Result(document, Outcome.COMPLETE)
    with translation.override("vi"):
        content = builders.build_as_issued(document)
        kept_html = services.issued_html(document)
        if kept_html is not None and render_fragment(content) != kept_html:
            return Result(document, Outcome.DIFFERS, missing)
        if not dry_run:
            rendered = {
                fmt: render_docx(content) if fmt == "docx" else render_pdf(content)
                for fmt in missing
            }
            _keep(document, rendered)
    return Result(document, Outcome.RENDERED, missing)


@transaction.atomic
def _keep(document: Document, rendered: dict[str, bytes]) -> None:
    for fmt, data in rendered.items():
        getattr(document, fmt).save(services.filename(document, fmt), ContentFile(data), save=False)
    # Only the file columns: nothing else of an issued document is written.
    Document.objects.filter(pk=document.pk, state=Document.State.ISSUED).update(
        **{fmt: getattr(document, fmt).name for fmt in rendered}
    )
    audit_record(
        actor=None,
        bloc_year=document.bloc_year,
        context=f"document:{document.pk}",
        action="document.files_rendered",
        summary=_("Tạo lại tệp %(formats)s của %(kind)s %(number)s đã ban hành")
        % {
            "formats": ", ".join(fmt.upper() for fmt in rendered),
            "kind": document.get_kind_display(),
            "number": document.number_line,
        },
    )
