"""Who may see or change awards data.

* The bloc secretariat and council admins (``blocs.access.can_manage_bloc_year``) record the
  ballot, check the units' staff figures, make and submit the bloc's proposals.
* A unit's focal point enters its own staff figures and sees its own proposals; other units'
  proposals only once decided (the award is then public).
* Leaders of the council review submitted proposals; they never edit scores or proposals.
* Council admins keep the award catalogue and record decisions and council votes.
* A unit's emulation registration (đăng ký thi đua) is written by its own focal points, or by
  the secretariat and council admins on its behalf; every member follows the bloc's list.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from awards.models import Decision, Proposal
from blocs import access as bloc_access
from blocs.access import AnyUser
from blocs.models import BlocYear, Council, Unit, User
from scoring.access import is_member_focal_point, member_unit_ids

__all__ = ["is_member_focal_point"]  # read here by the awards pages and selectors


def is_council_leader(user: AnyUser, council_id: int) -> bool:
    return council_id in bloc_access.leader_council_ids(user)


def can_manage_awards(user: AnyUser, bloc_year: BlocYear) -> bool:
    """Record the ballot, the staff figures and the proposals: council admins, and the year's
    secretariat until the year's decisions are recorded (``blocs.access.can_change_bloc_year``);
    after that it follows the year as its members do."""
    return bloc_access.can_change_bloc_year(user, bloc_year)


def can_follow_awards(user: AnyUser, bloc_year: BlocYear) -> bool:
    """Read the bloc-year's awards pages (ballot, proposals list, facts list)."""
    return (
        can_manage_awards(user, bloc_year)
        or is_council_leader(user, bloc_year.bloc.council_id)
        or is_member_focal_point(user, bloc_year)
    )


def can_review(user: AnyUser, council_id: int) -> bool:
    """Approve, return or reject submitted proposals: the council's leaders only."""
    return is_council_leader(user, council_id)


def reviewable_proposals(user: AnyUser) -> QuerySet[Proposal]:
    """Proposals of the councils this leader reviews, whatever their status (a batch reports
    those another leader dealt with first)."""
    return Proposal.objects.filter(
        bloc_year__bloc__council_id__in=bloc_access.leader_council_ids(user)
    )


def can_keep_catalogue(user: AnyUser) -> bool:
    """Edit rule sets and award types: council admins (the catalogue serves every council)."""
    return isinstance(user, User) and bloc_access.administers_any_council(user)


def can_record_decisions(user: AnyUser, council_id: int) -> bool:
    return bloc_access.is_council_admin(user, council_id)


def can_see_decisions(user: AnyUser, council_id: int) -> bool:
    return can_record_decisions(user, council_id) or is_council_leader(user, council_id)


def decision_council_ids(user: User) -> set[int] | None:
    """Councils whose decisions this person sees; None for a superuser (all of them)."""
    if user.is_superuser:
        return None
    return set(bloc_access.managed_council_ids(user)) | set(bloc_access.leader_council_ids(user))


def recordable_councils(user: User) -> list[Council]:
    """Councils this person records decisions for, by name."""
    councils = Council.objects.order_by("name")
    if not user.is_superuser:
        councils = councils.filter(pk__in=bloc_access.managed_council_ids(user))
    return list(councils)


def can_see_proposal(user: AnyUser, proposal: Proposal) -> bool:
    bloc_year = proposal.bloc_year
    council_id = bloc_year.bloc.council_id
    if can_manage_awards(user, bloc_year) or is_council_leader(user, council_id):
        return True
    if isinstance(user, User) and user.unit_id == proposal.unit_id:
        return True
    # Once decided, an award is public.
    return proposal.status == Proposal.Status.APPROVED and proposal.decision_id is not None


def can_edit_facts(user: AnyUser, unit_id: int, bloc_year: BlocYear | None) -> bool:
    """A unit's own focal point, or the secretariat of the bloc-year the unit belongs to."""
    if isinstance(user, User) and user.role == User.Role.FOCAL_POINT and user.unit_id == unit_id:
        return True
    return bloc_year is not None and can_manage_awards(user, bloc_year)


def can_read_facts(user: AnyUser, unit: Unit, bloc_year: BlocYear | None) -> bool:
    """A unit's own figures page: those who may edit them, and the council's leaders and
    admins (of the bloc's council that year, else of the unit's). Other members see only
    whether a unit entered its figures, on the bloc's list."""
    council_id = bloc_year.bloc.council_id if bloc_year is not None else unit.council_id
    return (
        can_edit_facts(user, unit.pk, bloc_year)
        or is_council_leader(user, council_id)
        or bloc_access.is_council_admin(user, council_id)
    )


def can_check_facts(user: AnyUser, unit_id: int, bloc_year: BlocYear | None) -> bool:
    """Mark a unit's figures checked: the secretariat (or a council admin), never for the
    checker's own unit (like verification of score sheets)."""
    if bloc_year is None or not can_manage_awards(user, bloc_year):
        return False
    return not (isinstance(user, User) and user.unit_id == unit_id)


def can_register(user: AnyUser, unit_id: int, bloc_year: BlocYear) -> bool:
    """Write a member unit's emulation registration: the unit's own focal points, and the
    year's managers (secretariat, council admins) on its behalf. Another member never."""
    if unit_id not in member_unit_ids(bloc_year):
        return False
    if isinstance(user, User) and user.role == User.Role.FOCAL_POINT and user.unit_id == unit_id:
        return True
    return can_manage_awards(user, bloc_year)


def get_bloc_year(
    request: HttpRequest, bloc_id: int, year: int, *, follow: bool = True
) -> BlocYear:
    """The bloc-year for an awards page: 403 unless the person may follow (or manage) it."""
    bloc_year = bloc_access.get_bloc_year_for_user(request, bloc_id, year)
    allowed = (
        can_follow_awards(request.user, bloc_year)
        if follow
        else can_manage_awards(request.user, bloc_year)
    )
    if not allowed:
        raise PermissionDenied
    return bloc_year


def get_proposal_for_user(request: HttpRequest, proposal_id: int) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "bloc_year__bloc__council", "unit", "award_type__rule_set", "decision"
        ),
        pk=proposal_id,
    )
    if not can_see_proposal(request.user, proposal):
        raise Http404
    return proposal


def get_council_for_user(request: HttpRequest, code: str) -> Council:
    """The council (404 if unknown); 403 unless its admins or leaders look."""
    council = bloc_access.get_council(code)
    if not can_see_decisions(request.user, council.pk):
        raise PermissionDenied
    return council


def get_decision_for_user(request: HttpRequest, decision_id: int) -> Decision:
    decision = get_object_or_404(Decision.objects.select_related("council"), pk=decision_id)
    if not can_see_decisions(request.user, decision.council_id):
        raise PermissionDenied
    return decision
