"""Django admin for documents, scoped to the councils a council admin manages.

The documents pages are the usual way to change a draft (they keep the history; the number is
given at issue); the admin is for corrections of drafts. An issued document is read-only here as
everywhere: its files are what was issued.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from blocs.admin import COUNCIL_PATHS, ScopedAdmin
from reports.models import Document

COUNCIL_PATHS.update({Document: "bloc_year__bloc__council"})


@admin.register(Document)
class DocumentAdmin(ScopedAdmin):
    list_display = ["kind", "bloc_year", "state", "number_and_code", "date", "issuer"]
    list_filter = [
        ("bloc_year__bloc__council", admin.RelatedOnlyFieldListFilter),
        "bloc_year__year",
        "kind",
        "state",
    ]
    search_fields = ["subject", "issuer_name", "issuer_code", "bloc_year__bloc__name"]
    list_select_related = ["bloc_year__bloc", "issuer"]
    autocomplete_fields = ["bloc_year", "issuer"]
    # A draft has no number: it is given when the document is issued (docs/documents.md).
    readonly_fields = [
        "state",
        "number",
        "docx",
        "pdf",
        "issued_at",
        "issued_by",
        "updated_at",
        "version",
    ]

    @admin.display(description=_("Số, ký hiệu"), ordering="number")
    def number_and_code(self, document: Document) -> str:
        # "Số: 05/BC-KTĐ" as the document prints it; a draft's number is taken at issue.
        return document.number_line.removeprefix("Số: ").strip() or "–"

    def get_readonly_fields(self, request: HttpRequest, obj: Document | None = None) -> list[str]:
        if obj is not None and obj.state == Document.State.ISSUED:
            return [field.name for field in Document._meta.fields]
        return self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: Document | None = None) -> bool:
        if obj is not None and obj.state == Document.State.ISSUED:
            return bool(request.user.is_superuser)
        return super().has_delete_permission(request, obj)
