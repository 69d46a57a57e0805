"""The documents of a bloc-year: the list, a draft's header and narrative, the preview, the
downloads, the issue, and the one-click conference pack.

Who may do what is in ``reports.access``; every write goes through ``reports.services``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from blocs.http import AuthenticatedHttpRequest
from blocs.models import BlocYear
from common.exporters import Export, export_response
from common.forms import retyped
from common.navigation import Crumb, home_crumb
from reports import access, builders, selectors, services
from reports.forms import NARRATIVE_FIELDS, CreateForm, DocumentForm, IssueForm
from reports.models import Document
from reports.render import html_context
from scoring.forms_ranking import field_summary

View = Callable[..., HttpResponse]


def login_when_refused(view: View) -> View:
    """For pages the public may open: an anonymous visitor who is refused (403, or 404 for a
    draft) is asked to log in; a logged-in person gets the refusal."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (PermissionDenied, Http404):
            if request.user.is_authenticated:
                raise
            return redirect_to_login(request.get_full_path())

    return wrapper


def documents_crumbs(
    bloc_year: BlocYear, last: str | None = None, *, document: Document | None = None
) -> list[Crumb]:
    bloc = bloc_year.bloc
    crumbs = [
        home_crumb(),
        Crumb(bloc.name, bloc.get_absolute_url()),
        Crumb(str(bloc_year.year), bloc_year.get_absolute_url()),
        Crumb(
            _("Văn bản"),
            reverse("reports:documents", args=[bloc.pk, bloc_year.year]) if last else None,
        ),
    ]
    if document is not None:
        crumbs.append(Crumb(document.get_kind_display(), document.get_absolute_url()))
    return [*crumbs, Crumb(last)] if last else crumbs


@login_when_refused
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """The year's documents; POST creates the draft of one kind with the head unit's header."""
    if request.method == "POST":
        bloc_year = access.get_bloc_year_for_user(request, bloc_id, year, write=True)
        form = CreateForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Chưa chọn loại văn bản."))
            return redirect("reports:documents", bloc_id, year)
        try:
            document = services.document_create(
                bloc_year=bloc_year,
                kind=form.cleaned_data["kind"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("reports:documents", bloc_id, year)
        return redirect(document.get_absolute_url())
    bloc_year = access.get_bloc_year_for_user(request, bloc_id, year)
    return render(
        request,
        "reports/documents.html",
        {
            "page": selectors.documents_page(bloc_year, request.user),
            "bloc_year": bloc_year,
            "breadcrumbs": documents_crumbs(bloc_year),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def document(request: AuthenticatedHttpRequest, document_id: int) -> HttpResponse:
    """A draft's header and narrative parts; read-only once issued or for a reader."""
    document = access.get_document_for_user(request, document_id, write=request.method == "POST")
    editable = document.state == Document.State.DRAFT and access.can_change(
        request.user, document.bloc_year
    )
    conflict = False
    form = DocumentForm(document) if editable else None
    if request.method == "POST":
        if not editable:
            messages.error(request, _("Văn bản đã ban hành, không sửa được nữa."))
            return redirect(document.get_absolute_url())
        form = DocumentForm(document, data=request.POST)
        if form.is_valid():
            try:
                saved = form.save(by=request.user)
            except services.DocumentConflict:
                # Keep what was typed; a second save (now at the current version) overwrites.
                conflict = True
                version = Document.objects.get(pk=document.pk).version
                form = DocumentForm(document, data=retyped(form, version=str(version)))
                form.is_valid()
            else:
                if saved:
                    messages.success(request, _("Đã lưu dự thảo."))
                    return redirect(document.get_absolute_url())
    context = _document_context(request, document, form, editable=editable)
    context["conflict"] = conflict
    return render(request, "reports/document.html", context)


def _document_context(
    request: AuthenticatedHttpRequest,
    document: Document,
    form: DocumentForm | None,
    *,
    editable: bool,
) -> dict[str, Any]:
    return {
        "document": document,
        "form": form,
        "form_summary": field_summary(form) if form is not None and form.is_bound else [],
        "warnings": selectors.document_warnings(document),
        "missing": services.issue_problems(document) if editable else [],
        "narrative": [
            (label, document.narrative.get(key, "")) for key, label in _narrative_labels(document)
        ],
        "can_manage": access.can_manage(request.user, document.bloc_year),
        "breadcrumbs": documents_crumbs(document.bloc_year, document.get_kind_display()),
    }


def _narrative_labels(document: Document) -> list[tuple[str, str]]:
    return [
        (key, str(NARRATIVE_FIELDS[key][0]))
        for key in services.NARRATIVE_KEYS[Document.Kind(document.kind)]
    ]


@login_when_refused
@require_safe
def preview(request: HttpRequest, document_id: int) -> HttpResponse:
    """The document as a page, print-ready: what was issued, or what the data give today."""
    document = access.get_document_for_user(request, document_id)
    issued_html = services.issued_html(document)
    context: dict[str, Any] = {
        "document": document,
        "can_issue": document.state == Document.State.DRAFT
        and access.can_change(request.user, document.bloc_year),
        "back_url": document.get_absolute_url()
        if request.user.is_authenticated
        else document.bloc_year.get_absolute_url(),
    }
    if issued_html is not None:
        # Our own template's output, kept at issue.
        context["issued_html"] = mark_safe(issued_html)
        context["landscape"] = document.kind == Document.Kind.SCORE_TABLE
    else:
        content = builders.build(document)
        context.update(html_context(content))
        context["landscape"] = content.landscape
    return render(request, "reports/preview.html", context)


@login_when_refused
@require_safe
def download(request: HttpRequest, document_id: int, fmt: str) -> HttpResponse:
    """The issued file of an issued document (never regenerated), else the draft generated now."""
    if fmt not in services.FORMATS:
        raise Http404
    document = access.get_document_for_user(request, document_id)
    return export_response(services.document_export(document, fmt))


@login_required
@require_http_methods(["GET", "POST"])
def issue(request: AuthenticatedHttpRequest, document_id: int) -> HttpResponse:
    """Check your answers, then issue: the files are generated once and kept for good."""
    document = access.get_document_for_user(request, document_id, write=True)
    if document.state == Document.State.ISSUED:
        messages.info(request, _("Văn bản đã được ban hành."))
        return redirect(document.get_absolute_url())
    errors: list[str] = []
    form = IssueForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        refused = form.save(document=document, by=request.user)
        if refused is None:
            messages.success(
                request,
                _("Đã ban hành %(kind)s. Các tệp DOCX và PDF được giữ nguyên từ nay.")
                % {"kind": document.get_kind_display()},
            )
            return redirect(document.get_absolute_url())
        errors = refused
    content = builders.build(document)
    return render(
        request,
        "reports/issue.html",
        {
            "document": document,
            "content": content,
            "form": form,
            "form_summary": field_summary(form) if form.is_bound else [],
            "series": selectors.number_series(document) if document.type_code else None,
            "warnings": selectors.document_warnings(document),
            "missing": [] if errors else services.issue_problems(document, content),
            "frozen": selectors.issue_summary(document),
            "errors": errors,
            "breadcrumbs": documents_crumbs(document.bloc_year, _("Ban hành"), document=document),
        },
    )


@login_required
@require_safe
def pack(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """The conference pack in one ZIP, always in Vietnamese: report, minutes, submission and
    score table, the next year's covenant signed at the conference when this person may see it
    (DOCX and PDF each) and the ranking workbook, built from what exists (a GET writes
    nothing)."""
    bloc_year = access.get_bloc_year_for_user(request, bloc_id, year)
    if not access.can_manage(request.user, bloc_year):
        raise PermissionDenied
    user = request.user
    try:
        archive = services.conference_pack(
            bloc_year,
            with_workbook=True,
            may_see=lambda document: access.can_see_document(user, document),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("reports:documents", bloc_id, year)
    return export_response(Export(services.pack_filename(bloc_year), services.ZIP, archive))
