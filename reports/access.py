"""Who may see or change a bloc-year's documents.

* The bloc secretariat of the year and council admins (``can_manage_bloc_year``) preview and
  download drafts and download the conference pack; they create, edit and issue documents
  (``can_change``) — the secretariat until the year's decisions are recorded.
* Leaders of the council and focal points of the year's member units see and download the
  ISSUED documents.
* Everybody else, anonymous visitors included, sees and downloads the issued REPORT of a year
  whose results are published, and nothing else.

A draft does not exist for someone who may not work on it (404); an issued document someone
may not see is refused (403), or, for an anonymous visitor, sends them to log in (the views do
that last step, see ``reports.views.login_when_refused``).

``visible_documents`` is the same rule as a query, for lists that cross years (the search);
the search offers documents to signed-in people only (``searchable_documents``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from blocs import access as bloc_access
from blocs.access import AnyUser
from blocs.models import BlocYear, Membership, User
from reports.models import Document
from scoring.access import PUBLISHED_STATES, is_member_focal_point

# What the public sees of a published year.
PUBLIC_KINDS: frozenset[str] = frozenset({Document.Kind.REPORT})
ALL_KINDS: frozenset[str] = frozenset(Document.Kind)


def can_manage(user: AnyUser, bloc_year: BlocYear) -> bool:
    """See the year's drafts and download the pack: the year's managers."""
    return bloc_access.can_manage_bloc_year(user, bloc_year)


def can_change(user: AnyUser, bloc_year: BlocYear) -> bool:
    """Create, edit and issue documents: the year's secretariat until the year's decisions are
    recorded, council admins always (``blocs.access.can_change_bloc_year``)."""
    return bloc_access.can_change_bloc_year(user, bloc_year)


def sees_every_issued(user: AnyUser, bloc_year: BlocYear) -> bool:
    """Every issued document of the year: its managers, the council's leaders, its members."""
    return (
        can_manage(user, bloc_year)
        or bloc_year.bloc.council_id in bloc_access.leader_council_ids(user)
        or is_member_focal_point(user, bloc_year)
    )


def public_kinds(bloc_year: BlocYear) -> frozenset[str]:
    """The kinds anybody may see once issued: the report, once the results are published."""
    return PUBLIC_KINDS if bloc_year.state in PUBLISHED_STATES else frozenset()


def issued_kinds(user: AnyUser, bloc_year: BlocYear) -> frozenset[str]:
    """The kinds of issued documents of the year this person sees."""
    if sees_every_issued(user, bloc_year):
        return ALL_KINDS
    return public_kinds(bloc_year)


def can_see_document(user: AnyUser, document: Document) -> bool:
    bloc_year = document.bloc_year
    if can_manage(user, bloc_year):
        return True
    if document.state != Document.State.ISSUED:
        return False
    return document.kind in issued_kinds(user, bloc_year)


def visible_documents(user: AnyUser) -> QuerySet[Document]:
    """Every document this person may open, as ``can_see_document`` decides one by one: all the
    documents, drafts included, of the years they manage; the issued ones of every kind of the
    years of their council's blocs (a leader) or of their unit's blocs (a focal point); the
    issued report of every published year."""
    issued = Q(state=Document.State.ISSUED)
    public = issued & Q(kind__in=PUBLIC_KINDS, bloc_year__state__in=PUBLISHED_STATES)
    if user.is_superuser:
        return Document.objects.all()
    if not isinstance(user, User):
        return Document.objects.filter(public)
    council = "bloc_year__bloc__council_id__in"
    managed = Q(**{council: bloc_access.managed_council_ids(user)}) | Q(
        bloc_year_id__in=bloc_access.secretariat_bloc_year_ids(user)
    )
    every_issued = Q(**{council: bloc_access.leader_council_ids(user)})
    if user.role == User.Role.FOCAL_POINT and user.unit_id is not None:
        members = Membership.objects.filter(bloc_year_id=OuterRef("bloc_year_id"))
        every_issued |= Q(Exists(members.filter(unit_id=user.unit_id)))
    return Document.objects.filter(managed | (issued & every_issued) | public)


def can_search_documents(user: AnyUser) -> bool:
    """The search finds documents for signed-in people. A visitor's search covers the
    organisation only, units and blocs (docs/search.md); the published reports stay one click
    away on each year's page."""
    return user.is_authenticated


def searchable_documents(user: AnyUser) -> QuerySet[Document]:
    """The documents the search finds: those a signed-in person may open."""
    if not can_search_documents(user):
        return Document.objects.none()
    return visible_documents(user)


def get_document_for_user(
    request: HttpRequest, document_id: int, *, write: bool = False
) -> Document:
    """The document with its bloc-year, bloc, council and issuer loaded.

    404 for a draft someone may not work on (they may not know it exists), 403 for an issued
    document they may not see, and with ``write`` 403 unless they manage the bloc-year.
    """
    document = get_object_or_404(
        Document.objects.select_related("bloc_year__bloc__council", "issuer"), pk=document_id
    )
    user = request.user
    if can_manage(user, document.bloc_year):
        if write and not can_change(user, document.bloc_year):
            raise PermissionDenied  # the year is decided: its secretariat reads it
        return document
    if document.state != Document.State.ISSUED:
        raise Http404
    if write or not can_see_document(user, document):
        raise PermissionDenied
    return document


def get_bloc_year_for_user(
    request: HttpRequest, bloc_id: int, year: int, *, write: bool = False
) -> BlocYear:
    """The bloc-year of a documents page: 403 when the person may see none of its documents,
    and with ``write`` unless they manage it."""
    bloc_year = bloc_access.get_bloc_year_for_user(request, bloc_id, year, write=write)
    if not can_manage(request.user, bloc_year) and not issued_kinds(request.user, bloc_year):
        raise PermissionDenied
    return bloc_year
