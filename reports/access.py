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
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from blocs import access as bloc_access
from blocs.access import AnyUser
from blocs.models import BlocYear
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
