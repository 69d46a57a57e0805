"""Who may see the ranking and its complaints, and correct the results."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from blocs import access as bloc_access
from blocs.access import AnyUser
from blocs.models import BlocYear, Council, User
from scoring.access.members import member_unit_ids
from scoring.models import BandQuota, ComplaintFile

PUBLISHED_STATES = {
    BlocYear.State.PUBLISHED,
    BlocYear.State.PROPOSED,
    BlocYear.State.DECIDED,
}


MEMBER_RESULT_STATES = {
    BlocYear.State.PROVISIONAL,
    BlocYear.State.PUBLISHED,
    BlocYear.State.PROPOSED,
    BlocYear.State.DECIDED,
}


def can_see_results(user: AnyUser, bloc_year: BlocYear) -> bool:
    """The ranking of a bloc-year: the secretariat, council admins and leaders always; the
    members once it is provisionally published; everybody once it is finally published."""
    if bloc_year.state in PUBLISHED_STATES:
        return True
    if bloc_access.can_manage_bloc_year(user, bloc_year):
        return True
    if bloc_year.bloc.council_id in bloc_access.leader_council_ids(user):
        return True
    return (
        bloc_year.state in MEMBER_RESULT_STATES
        and isinstance(user, User)
        and user.unit_id is not None
        and user.unit_id in member_unit_ids(bloc_year)
    )


def can_correct_results(user: AnyUser, bloc_year: BlocYear) -> bool:
    """A correction after finalization is a council admin's act."""
    return bloc_access.is_council_admin(user, bloc_year.bloc.council_id)


def can_see_complaints(user: AnyUser, bloc_year: BlocYear) -> bool:
    """Complaints stay among the people concerned: members, the secretariat, council admins and
    leaders — never the public, even after the final publication."""
    if not isinstance(user, User) or not can_see_results(user, bloc_year):
        return False
    return (
        bloc_access.can_manage_bloc_year(user, bloc_year)
        or bloc_year.bloc.council_id in bloc_access.leader_council_ids(user)
        or (user.unit_id is not None and user.unit_id in member_unit_ids(bloc_year))
    )


def get_complaint_file_for_user(request: HttpRequest, file_id: int) -> ComplaintFile:
    """A complaint's file, for those who may see the bloc-year's complaints; 404 otherwise
    (a file someone may not see does not exist for them)."""
    item = get_object_or_404(
        ComplaintFile.objects.select_related("complaint__bloc_year__bloc"), pk=file_id
    )
    if not can_see_complaints(request.user, item.complaint.bloc_year):
        raise Http404
    return item


def can_record_votes(user: AnyUser, bloc_year: BlocYear) -> bool:
    """The vote results of a year ranked by vote alone: the secretariat (and council admins)
    before finalization; after it, a correction, which is a council admin's act."""
    from scoring.services.ranking.state import FINALIZED_STATES

    if bloc_year.state in FINALIZED_STATES:
        return can_correct_results(user, bloc_year)
    return bloc_access.can_manage_bloc_year(user, bloc_year)


def get_council_for_quotas(request: HttpRequest, code: str) -> Council:
    """The council whose band quotas counted across blocs this person manages: its council
    admins only (404 for an unknown council, 403 for anyone else)."""
    return bloc_access.get_council_for_admin(request, code)


def get_band_quota_for_admin(request: HttpRequest, council: Council, quota_id: int) -> BandQuota:
    """One of the council's band quotas (404 when it is another council's)."""
    return get_object_or_404(BandQuota, pk=quota_id, council=council)
